/**
 * Records a long experiment (lib/train `RecordedExperiment`) on all cores: its nets train as a grid (lib/train
 * `runGrid`), each checkpointing at every evaluation into `<record>.checkpoints/<key>.ckpt`, and the record
 * (`data/runs/<name>.json`) is rewritten at every checkpoint and every finished net. Ctrl-C or a crash loses at most
 * the current evaluation interval of the nets in flight: the same command resumes from the checkpoints, and a run that
 * is resumed ends with the same record as one that never stopped. Progress lines give the nets done, each net's step
 * and the ETA.
 *
 * An experiment's custom jobs (lib/train `CustomJob`: its own training loop, e.g. GAN Algorithm 1) train after the
 * nets, one at a time on the main thread, with the same guarantees: a checkpoint (`<key>.ckpt`) and a rewritten record
 * at each of their evaluations, exact resume, progress lines with the ETA.
 */
import * as tf from "@tensorflow/tfjs";
import {
  type CustomJob,
  type CustomJobState,
  emptyHistory,
  type ExperimentJob,
  formatRecord,
  loadCheckpoint,
  loadJobCheckpoint,
  readRecordIfPresent,
  type RecordedCustomJob,
  type RecordedExperiment,
  type RecordedJob,
  type RecordSession,
  runGrid,
  type RunRecord,
  saveCheckpoint,
  saveJobCheckpoint,
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
    history: emptyHistory(job.run.label),
  };
}

function emptyCustomJob(job: CustomJob): RecordedCustomJob {
  return {
    key: job.key,
    label: job.label,
    meta: job.meta,
    steps: job.steps,
    complete: false,
    curves: { steps: {}, evalSteps: [], evals: {}, seconds: 0, trainSeconds: 0 },
  };
}

/** Milliseconds of main-thread work between two yields to the event loop, so that Ctrl-C is heard mid-job. */
const YIELD_EVERY_MS = 200;

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
): Promise<{
  record?: RunRecord;
  jobs: RecordedJob[];
  resume: Map<string, TrainState>;
  customJobs: RecordedCustomJob[];
  customResume: Map<string, CustomJobState>;
}> {
  const resume = new Map<string, TrainState>();
  const customResume = new Map<string, CustomJobState>();
  const fresh = exp.jobs.map(emptyJob);
  const freshCustom = (exp.customJobs ?? []).map(emptyCustomJob);
  const record = await readRecordIfPresent(options.out);
  if (record === undefined) return { jobs: fresh, resume, customJobs: freshCustom, customResume };
  if (options.steps !== undefined) {
    throw new Error(
      `${options.out} exists; a --steps check does not overwrite a record: pass --out with a new file`,
    );
  }
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
  const customJobs: RecordedCustomJob[] = [];
  for (const [i, job] of (exp.customJobs ?? []).entries()) {
    const done = record.customJobs?.find((j) => j.key === job.key && j.complete);
    if (done) {
      customJobs.push(done);
      continue;
    }
    const state = await loadJobCheckpoint(`${folder}/${job.key}.ckpt`);
    if (state) customResume.set(job.key, state);
    customJobs.push(state ? { ...freshCustom[i], curves: state.curves } : freshCustom[i]);
  }
  return { record, jobs, resume, customJobs, customResume };
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
  const { record: previous, jobs, resume, customJobs, customResume } = await startingPoint(exp, options);
  const customs = exp.customJobs ?? [];
  // A record of custom jobs (e.g. GAN runs) counts them as runs; a record of trainModel nets, as nets.
  const kind = customs.length ? "jobs" : "nets";
  const allJobs = (): { complete: boolean }[] => [...jobs, ...customJobs];
  if (previous?.status === "complete") {
    log(
      `${options.out} is complete (${allJobs().length} ${kind}); nothing to do. Pass --out to record it again elsewhere.`,
    );
    return previous;
  }
  const machine = options.machine ?? await machineFacts();
  const folder = checkpointFolder(options.out);
  if (!check) await Deno.mkdir(folder, { recursive: true });
  const data = await exp.data();
  const started = new Date();
  const session: RecordSession = {
    commit: machine.commit,
    command: options.command,
    started: started.toISOString(),
    ended: started.toISOString(),
    seconds: 0,
    steps: 0,
    // A resumed record names the machine of each session that differs from its first's.
    ...(previous && machine.backend !== previous.provenance.backend ? { backend: machine.backend } : {}),
    ...(previous && machine.cpu !== previous.provenance.cpu ? { cpu: machine.cpu } : {}),
  };
  const provenance = previous ? { ...previous.provenance, sessions: [...previous.provenance.sessions, session] } : {
    commit: machine.commit,
    command: options.command,
    parameters: exp.parameters,
    backend: machine.backend,
    cpu: machine.cpu,
    // Custom jobs train one at a time on the main thread: one core, unless nets train on the grid too.
    cores: exp.jobs.length ? options.workers ?? machine.cores : 1,
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
    ...(customs.length ? { customJobs } : {}),
  };
  const pending = exp.jobs.map((job, i) => ({ job, i })).filter(({ i }) => !jobs[i].complete);
  const target = (job: ExperimentJob) => Math.min(options.steps ?? Infinity, job.run.config.steps);
  const cost = (job: ExperimentJob) => job.run.cost ?? 1;
  const remaining = pending.map(({ job }) => target(job) - (resume.get(job.key)?.step ?? 0));
  const pendingCustom = customs.map((job, i) => ({ job, i })).filter(({ i }) => !customJobs[i].complete);
  const customTarget = (job: CustomJob) => Math.min(options.steps ?? Infinity, job.steps);
  const customRemaining = pendingCustom.map(({ job }) => customTarget(job) - (customResume.get(job.key)?.step ?? 0));
  const totalWork = pending.reduce((a, { job }, k) => a + remaining[k] * cost(job), 0) +
    pendingCustom.reduce((a, { job }, k) => a + customRemaining[k] * (job.cost ?? 1), 0);
  const stepsDone = pending.map(() => 0);
  const customStepsDone = pendingCustom.map(() => 0);
  let work = 0;
  // The ETA's clock starts when the session's first step ends: loading the data, starting workers or evaluating
  // before training (a GAN run's first Parzen estimate) would otherwise be read as the cost of that one step.
  let etaStart: { at: number; work: number } | undefined;
  const stepped = (units: number): void => {
    work += units;
    etaStart ??= { at: performance.now(), work };
  };
  let lastLine = performance.now();
  const t0 = performance.now();

  let writing = Promise.resolve();
  const write = (): Promise<void> => {
    const seconds = (performance.now() - t0) / 1000;
    session.ended = new Date().toISOString();
    session.seconds = +seconds.toFixed(1);
    session.steps = [...stepsDone, ...customStepsDone].reduce((a, b) => a + b, 0);
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
    inFlight.push(
      ...pendingCustom.map(({ job, i }, k) => ({ job, i, k }))
        .filter(({ i, k }) => !customJobs[i].complete && customStepsDone[k] > 0)
        .map(({ job, k }) =>
          `${job.label} ${(customResume.get(job.key)?.step ?? 0) + customStepsDone[k]}/${customTarget(job)}`
        ),
    );
    const since = etaStart ? work - etaStart.work : 0;
    const eta = since > 0 ? ((totalWork - work) * (performance.now() - etaStart!.at)) / 1000 / since : NaN;
    return `[${exp.name}] ${allJobs().filter((j) => j.complete).length}/${allJobs().length} ${kind} done` +
      (inFlight.length ? ` · ${inFlight.join(", ")}` : "") +
      ` · ${totalWork ? ((100 * work) / totalWork).toFixed(1) : "100"} % of this session's work · elapsed ` +
      `${duration(elapsed)} · ETA ${duration(eta)}`;
  };

  const resumed = resume.size + customResume.size;
  log(
    `[${exp.name}] ${pending.length + pendingCustom.length} of ${allJobs().length} ${kind} to train` +
      (resumed ? ` (${resumed} resume from checkpoints in ${folder})` : "") +
      (check ? `, stopping each after ${options.steps} steps (a check: no checkpoints)` : "") + ` → ${options.out}`,
  );
  if (pending.length === 0 && pendingCustom.length === 0) {
    record.status = "complete";
  } else {
    if (pending.length) await writeAndTrain();
    if (pendingCustom.length) await trainCustomJobs();
    record.status = check ? "check" : allJobs().every((j) => j.complete) ? "complete" : "partial";
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
            stepped(cost(pending[k].job));
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

  /**
   * Trains the custom jobs one after another on the main thread, each from its checkpoint if it has one: a checkpoint
   * and a rewritten record at each of its evaluations, the record rewritten when it ends. A job that fails leaves the
   * others to train; a stop (the signal) ends them all, after writing the partial record.
   */
  async function trainCustomJobs(): Promise<void> {
    await initBackend({ quiet: true }); // the backend the provenance names (tests pass their own machine facts)
    const failed: string[] = [];
    for (const [k, { job, i }] of pendingCustom.entries()) {
      const first = customResume.get(job.key)?.step ?? 0;
      let lastYield = performance.now();
      try {
        const result = await job.train({
          steps: customTarget(job),
          data,
          resume: customResume.get(job.key),
          signal: options.signal,
          onStep: async (step) => {
            customStepsDone[k] = step - first;
            stepped(job.cost ?? 1);
            if (performance.now() - lastLine >= (options.progressEveryMs ?? 60_000)) {
              lastLine = performance.now();
              log(progressLine());
            }
            // A job trains on the main thread: yield now and then so that a signal (Ctrl-C) and timers get a turn.
            if (performance.now() - lastYield >= YIELD_EVERY_MS) {
              await new Promise((r) => setTimeout(r, 0));
              lastYield = performance.now();
            }
          },
          onCheckpoint: check ? undefined : async (state) => {
            await saveJobCheckpoint(`${folder}/${job.key}.ckpt`, state);
            customJobs[i] = { ...customJobs[i], curves: state.curves };
            await write();
          },
        });
        const done = Object.values(result.curves.steps)[0]?.length ?? 0;
        const complete = done === job.steps;
        customJobs[i] = {
          ...customJobs[i],
          curves: result.curves,
          complete,
          ...(complete && result.measured ? { measured: result.measured } : {}),
        };
        await write();
        if (!check) await Deno.remove(`${folder}/${job.key}.ckpt`).catch(() => {});
        log(
          `[${exp.name}] ${job.label} ${complete ? "complete" : `stopped at ${done}`} · ` +
            progressLine().replace(`[${exp.name}] `, ""),
        );
      } catch (e) {
        if (options.signal?.aborted) {
          await writing.catch(() => {});
          await write();
          throw e;
        }
        failed.push(`${job.label} (${JSON.stringify(job.meta)}) failed: ${e instanceof Error ? e.message : e}`);
      }
    }
    if (failed.length) {
      await write();
      throw new Error(`[${exp.name}] ${failed.length} jobs failed: ${failed.join("; ")}`);
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
