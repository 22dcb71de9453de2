/**
 * Records a long experiment (lib/train `RecordedExperiment`) on all cores: its nets train as a grid (lib/train
 * `runGrid`), each checkpointing at every evaluation into `<record>.checkpoints/<key>.ckpt`, and the record
 * (`data/runs/<name>.json`) is rewritten at every checkpoint and every finished net. Ctrl-C or a crash loses at most
 * the current evaluation interval of the nets in flight: the same command resumes from the checkpoints, and a run that
 * is resumed ends with the same record as one that never stopped. Progress lines give the nets done, each net's step
 * and the ETA.
 */
import * as tf from "@tensorflow/tfjs";
import {
  type ExperimentJob,
  formatRecord,
  loadCheckpoint,
  readRecord,
  type RecordedExperiment,
  type RecordedJob,
  runGrid,
  type RunRecord,
  saveCheckpoint,
  type TrainHistory,
  type TrainState,
  writeFileAtomic,
} from "../train/mod.ts";
import { initBackend } from "../backend/mod.ts";
import { type MachineFacts, machineFacts } from "./provenance.ts";

/** Options of {@link recordExperiment}. */
export interface RecordOptions {
  /** The record file. Required (the CLI's default: `data/runs/<name>.json`). */
  out: string;
  /** The command as typed, kept in the provenance. Required. */
  command: string;
  /**
   * Stop every net after this many steps (the schedule stays the full plan's): a check that the experiment runs and
   * that its first steps match a record. Such a run writes a record with status "check", reads and writes no
   * checkpoints, and refuses to overwrite an existing file. Default: the planned steps, with checkpoints.
   */
  steps?: number;
  /** Stops the run (Ctrl-C): the checkpoints stay, the record is written as partial, and the promise rejects. */
  signal?: AbortSignal;
  /** Where progress lines go. Default: console.log. */
  log?: (line: string) => void;
  /** Milliseconds between two progress lines. Default: 60000. */
  progressEveryMs?: number;
  /** Parallel workers. Default: one per core. */
  workers?: number;
  /** Facts of the machine and the commit (tests pass fixed ones). Default: read from this machine. */
  machine?: MachineFacts;
}

/** Where a record's checkpoints live: `<record without .json>.checkpoints/`. */
export function checkpointFolder(out: string): string {
  return `${out.replace(/\.json$/, "")}.checkpoints`;
}

/** Same parameter values; a key whose value is undefined counts as absent (a record's JSON drops it). */
function sameParameters(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

function emptyJob(job: ExperimentJob): RecordedJob {
  return {
    key: job.key,
    label: job.run.label,
    meta: job.meta,
    steps: job.run.config.steps,
    complete: false,
    history: {
      name: job.run.label,
      loss: [],
      trainError: [],
      lr: [],
      evalSteps: [],
      testError: [],
      testLoss: [],
      seconds: 0,
      trainSeconds: 0,
      imagesPerSecond: 0,
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, "0")}m` : m ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** The record so far: existing complete jobs kept, the others empty or at their checkpoint. */
async function startingPoint(
  exp: RecordedExperiment,
  options: RecordOptions,
): Promise<{ record?: RunRecord; jobs: RecordedJob[]; resume: Map<string, TrainState> }> {
  const resume = new Map<string, TrainState>();
  const fresh = exp.jobs.map(emptyJob);
  if (!(await exists(options.out))) return { jobs: fresh, resume };
  if (options.steps !== undefined) {
    throw new Error(
      `${options.out} exists; a --steps check does not overwrite a record: pass --out with a new file`,
    );
  }
  const record = await readRecord(options.out);
  if (record.name !== exp.name || !sameParameters(record.provenance.parameters, exp.parameters)) {
    throw new Error(
      `${options.out} holds a record of ${record.name} with other parameters than this run's; move it away or ` +
        "pass --out with a new file (nothing was overwritten)",
    );
  }
  if (record.status === "check") {
    throw new Error(`${options.out} is a --steps check, not a record to resume; move it away or pass --out`);
  }
  const folder = checkpointFolder(options.out);
  const jobs: RecordedJob[] = [];
  for (const [i, job] of exp.jobs.entries()) {
    const done = record.jobs.find((j) => j.key === job.key && j.complete);
    if (done) {
      jobs.push(done);
      continue;
    }
    const state = await loadCheckpoint(`${folder}/${job.key}.ckpt`);
    if (state) {
      resume.set(job.key, state);
      jobs.push({ ...fresh[i], history: state.history });
    } else {
      jobs.push(fresh[i]);
    }
  }
  return { record, jobs, resume };
}

/**
 * Trains the experiment's nets that the record at `options.out` does not hold complete yet (resuming each from its
 * checkpoint), writing the record as it goes. Returns the record; rejects (after writing the partial record) when
 * stopped by the signal or when a net fails.
 */
export async function recordExperiment(exp: RecordedExperiment, options: RecordOptions): Promise<RunRecord> {
  const log = options.log ?? ((line: string) => console.log(line));
  const check = options.steps !== undefined;
  if (check && (!Number.isInteger(options.steps) || options.steps! < 1)) {
    throw new RangeError(`--steps must be an integer ≥ 1, got ${options.steps}`);
  }
  const { record: previous, jobs, resume } = await startingPoint(exp, options);
  if (previous?.status === "complete") {
    log(`${options.out} is complete (${jobs.length} nets); nothing to do. Pass --out to record it again elsewhere.`);
    return previous;
  }
  const machine = options.machine ?? await machineFacts();
  const folder = checkpointFolder(options.out);
  if (!check) await Deno.mkdir(folder, { recursive: true });
  const data = await exp.data();
  const started = new Date();
  const session = {
    commit: machine.commit,
    command: options.command,
    started: started.toISOString(),
    ended: started.toISOString(),
    seconds: 0,
    steps: 0,
  };
  const provenance = previous ? { ...previous.provenance, sessions: [...previous.provenance.sessions, session] } : {
    commit: machine.commit,
    command: options.command,
    parameters: exp.parameters,
    backend: machine.backend,
    cpu: machine.cpu,
    cores: options.workers ?? machine.cores,
    deno: machine.deno,
    tfjs: machine.tfjs,
    data: data.source,
    started: started.toISOString(),
    wallSeconds: 0,
    sessions: [session],
  };
  const baseWall = provenance.wallSeconds;
  const record: RunRecord = {
    format: 1,
    name: exp.name,
    title: exp.title,
    status: "partial",
    provenance,
    jobs,
  };
  const pending = exp.jobs.map((job, i) => ({ job, i })).filter(({ i }) => !jobs[i].complete);
  const target = (job: ExperimentJob) => Math.min(options.steps ?? Infinity, job.run.config.steps);
  const cost = (job: ExperimentJob) => job.run.cost ?? 1;
  const remaining = pending.map(({ job }) => target(job) - (resume.get(job.key)?.step ?? 0));
  const totalWork = pending.reduce((a, { job }, k) => a + remaining[k] * cost(job), 0);
  const stepsDone = pending.map(() => 0);
  let work = 0;
  let lastLine = performance.now();
  const t0 = performance.now();

  let writing = Promise.resolve();
  const write = (): Promise<void> => {
    const seconds = (performance.now() - t0) / 1000;
    session.ended = new Date().toISOString();
    session.seconds = +seconds.toFixed(1);
    session.steps = stepsDone.reduce((a, b) => a + b, 0);
    provenance.wallSeconds = +(baseWall + seconds).toFixed(1);
    const text = formatRecord(record);
    writing = writing.then(() => writeFileAtomic(options.out, text));
    return writing;
  };
  const progressLine = (): string => {
    const elapsed = (performance.now() - t0) / 1000;
    const inFlight = pending.map(({ job, i }, k) => ({ job, i, k }))
      .filter(({ i, k }) => !jobs[i].complete && stepsDone[k] > 0)
      .map(({ job, k }) => `${job.run.label} ${(resume.get(job.key)?.step ?? 0) + stepsDone[k]}/${target(job)}`);
    const eta = work > 0 ? ((totalWork - work) * elapsed) / work : NaN;
    return `[${exp.name}] ${jobs.filter((j) => j.complete).length}/${jobs.length} nets done` +
      (inFlight.length ? ` · ${inFlight.join(", ")}` : "") +
      ` · ${totalWork ? ((100 * work) / totalWork).toFixed(1) : "100"} % of this session's work · elapsed ` +
      `${duration(elapsed)} · ETA ${duration(eta)}`;
  };

  log(
    `[${exp.name}] ${pending.length} of ${jobs.length} nets to train` +
      (resume.size ? ` (${resume.size} resume from checkpoints in ${folder})` : "") +
      (check ? `, stopping each after ${options.steps} steps (a check: no checkpoints)` : "") + ` → ${options.out}`,
  );
  if (pending.length === 0) {
    record.status = "complete";
  } else {
    await writeAndTrain();
  }

  async function writeAndTrain(): Promise<void> {
    // The main thread's backend measures the finished nets; the workers start the same one.
    if (exp.measure) await initBackend({ quiet: true });
    const failed: string[] = [];
    let finishing = Promise.resolve();
    try {
      await runGrid(
        pending.map(({ job }) => ({
          ...job.run,
          cost: undefined, // the experiment's order is kept: a partial record holds its first jobs
          config: {
            ...job.run.config,
            steps: target(job),
            ...(resume.has(job.key) ? { resume: resume.get(job.key) } : {}),
          },
        })),
        {
          data,
          workers: options.workers,
          display: false,
          keepWeights: exp.measure !== undefined,
          signal: options.signal,
          onStep: (k, _r) => {
            stepsDone[k]++;
            work += cost(pending[k].job);
            if (performance.now() - lastLine >= (options.progressEveryMs ?? 60_000)) {
              lastLine = performance.now();
              log(progressLine());
            }
          },
          onCheckpoint: check ? undefined : (k, state) => {
            const { job, i } = pending[k];
            finishing = finishing.then(async () => {
              if (jobs[i].complete) return;
              await saveCheckpoint(`${folder}/${job.key}.ckpt`, state);
              jobs[i] = { ...jobs[i], history: state.history };
              await write();
            });
          },
          // Each net is kept as it finishes: marked complete, measured, written, its checkpoint removed.
          onRunDone: (r) => {
            finishing = finishing.then(() => finishJob(r));
          },
        },
      );
      await finishing;
    } catch (e) {
      await finishing.catch(() => {});
      await writing.catch(() => {});
      await write();
      throw e;
    }
    if (failed.length) {
      await write();
      throw new Error(`[${exp.name}] ${failed.length} nets failed: ${failed.join("; ")}`);
    }
    record.status = check ? "check" : jobs.every((j) => j.complete) ? "complete" : "partial";

    async function finishJob(r: Awaited<ReturnType<typeof runGrid>>[number]): Promise<void> {
      if (r.error) {
        failed.push(r.error);
        return;
      }
      const { job, i } = pending[r.index];
      const history = r.history!;
      const complete = history.loss.length === job.run.config.steps;
      jobs[i] = { ...jobs[i], history, complete, ...(await measured(job, r.weights, history)) };
      await write();
      if (!check) await Deno.remove(`${folder}/${job.key}.ckpt`).catch(() => {});
      log(
        `[${exp.name}] ${job.run.label} ${complete ? "complete" : `stopped at ${history.loss.length}`} · ` +
          progressLine().replace(`[${exp.name}] `, ""),
      );
    }
  }

  async function measured(
    job: ExperimentJob,
    weights: Float32Array[] | undefined,
    history: TrainHistory,
  ): Promise<{ measured?: Record<string, unknown> }> {
    if (!exp.measure || !weights || history.loss.length !== job.run.config.steps) return {};
    return { measured: await measureNet(exp, job, weights, data) };
  }

  if (record.status === "complete") provenance.finished = new Date().toISOString();
  await writing;
  await write();
  if (!check) await Deno.remove(folder).catch(() => {}); // only when empty: no checkpoint is ever deleted here
  log(progressLine());
  log(`[${exp.name}] record ${record.status} → ${options.out}`);
  return record;
}

/** Builds the job's net on the main thread with the trained weights and measures it (e.g. Figure 7). */
async function measureNet(
  exp: RecordedExperiment,
  job: ExperimentJob,
  weights: Float32Array[],
  data: Awaited<ReturnType<RecordedExperiment["data"]>>,
): Promise<Record<string, unknown>> {
  const build = (await import(job.run.moduleUrl))[job.run.exportName] as (o: unknown) => tf.LayersModel;
  const model = await build(job.run.modelOptions);
  try {
    const ts = weights.map((w, k) => tf.tensor(w, model.weights[k].shape as number[]));
    model.setWeights(ts);
    tf.dispose(ts);
    return exp.measure!(job, model, data);
  } finally {
    model.dispose();
  }
}
