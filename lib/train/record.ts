/**
 * Recorded long runs (`data/runs/<name>.json`): the per-step curves of every net a long experiment trained, with the
 * provenance that lets anyone re-run it (commit, exact command, parameters, backend, CPU, wall time, dates). A notebook
 * shows a record beside its quick run and computes the paper's tables from it; a test re-runs each record's first
 * steps from its command, so a record cannot drift from the code. {@link parseRecord} refuses a record whose
 * provenance or curves are incomplete, naming the file and the field.
 *
 * Two kinds of job: nets trained by `trainModel` (`jobs`, each with a {@link TrainHistory}) and jobs whose training
 * loop the experiment provides, e.g. GAN Algorithm 1 (`customJobs`, each with named per-step {@link JobCurves} and
 * evaluations). `customJobs` is optional, so records written before it existed read unchanged.
 */
import { z } from "zod";
import type { TrainHistory } from "./train.ts";

/** One session of a record: a long run may stop (Ctrl-C, a crash, the end of a session) and resume from checkpoints. */
export interface RecordSession {
  /** `git rev-parse HEAD` when the session started, with "+dirty" when the work tree had uncommitted changes. */
  commit: string;
  /** The exact command of the session. */
  command: string;
  /** ISO dates of the session's start and end. */
  started: string;
  ended: string;
  /** Wall-clock seconds of the session. */
  seconds: number;
  /** Training steps done in the session, over all nets. */
  steps: number;
  /**
   * The session's backend and CPU, when they are not the provenance's: a record resumed on another machine (its
   * kernels, vector width included, round differently). Absent in sessions recorded before it was kept.
   */
  backend?: string;
  cpu?: string;
}

/** Where a record comes from: enough to re-run it and to judge what it can show. */
export interface Provenance {
  /** The commit the record started at (its first session's). */
  commit: string;
  /** The command that produces the record, e.g. "deno task record resnet-figure6". */
  command: string;
  /** The experiment's parameters, as the notebook's parameter set names them. */
  parameters: Record<string, unknown>;
  /** The tfjs backend and why it was chosen. */
  backend: string;
  /** CPU model and the cores used. */
  cpu: string;
  cores: number;
  /** Deno and tfjs versions. */
  deno: string;
  tfjs: string;
  /** The data: source files and their SHA-256. */
  data: string;
  /** ISO date of the first session's start, and of the end of the last one (complete records). */
  started: string;
  finished?: string;
  /** Wall-clock seconds over all sessions. */
  wallSeconds: number;
  /** Every session, in order. */
  sessions: RecordSession[];
}

/** One trained net of a record. */
export interface RecordedJob {
  /** Unique key within the record, e.g. "plain-20-s1" (also the checkpoint's file name). */
  key: string;
  /** Display label, e.g. "plain-20 seed 1". */
  label: string;
  /** What distinguishes the net, e.g. { depth: 20, plain: true, shortcut: "A", seed: 1 }. */
  meta: Record<string, string | number | boolean>;
  /** Steps planned (the schedule is scaled to these). */
  steps: number;
  /** True when the net trained all its steps. */
  complete: boolean;
  /** The curves of the steps done (all of them when complete; up to the last checkpoint otherwise). */
  history: TrainHistory;
  /** What the experiment measured on the trained net (e.g. Figure 7's layer responses); complete jobs only. */
  measured?: Record<string, unknown>;
}

/**
 * The curves of a job whose training loop the experiment provides: named per-step values (e.g. GAN Algorithm 1's
 * "dLoss", "gLoss", "dReal", "dFake") and named evaluations at some steps (e.g. a Parzen estimate and its standard
 * error). Every per-step array has one entry per step done; every evaluation array one entry per `evalSteps`.
 */
export interface JobCurves {
  /** Per step: named values, each array one entry per step done (step 1 first); none before the first step. */
  steps: Record<string, number[]>;
  /** Steps after which the job evaluated itself, ascending (0: before training). */
  evalSteps: number[];
  /** Per evaluation: named values, each array one entry per `evalSteps`. */
  evals: Record<string, number[]>;
  /** Wall-clock seconds of the job over all its sessions, and of its training steps alone (no evaluations). */
  seconds: number;
  trainSeconds: number;
}

/** One job of a record whose training loop the experiment provides (lib/train `CustomJob`). */
export interface RecordedCustomJob {
  /** Unique key within the record, e.g. "gan-s1" (also the checkpoint's file name). */
  key: string;
  /** Display label, e.g. "GAN seed 1". */
  label: string;
  /** What distinguishes the job, e.g. { seed: 1 }. */
  meta: Record<string, string | number | boolean>;
  /** Steps planned. */
  steps: number;
  /** True when the job trained all its steps. */
  complete: boolean;
  /** The curves of the steps done (all of them when complete; up to the last checkpoint otherwise). */
  curves: JobCurves;
  /** What the job measured once trained (e.g. final samples); complete jobs only. */
  measured?: Record<string, unknown>;
}

/** A recorded long run. */
export interface RunRecord {
  /** Format version. */
  format: 1;
  /** The experiment's name, as `deno task record <name>` takes it. */
  name: string;
  /** What it reproduces, e.g. "ResNet Figure 6, Table 6, Figure 7 on Fashion-MNIST". */
  title: string;
  /** "complete": every job trained all its steps; "partial": it stopped and resumes from checkpoints; "check": a
   * `--steps N` run, stopped early on purpose. */
  status: "complete" | "partial" | "check";
  provenance: Provenance;
  /** Nets trained by `trainModel` (empty when the experiment has only custom jobs). */
  jobs: RecordedJob[];
  /** Jobs trained by the experiment's own loop; absent in records of experiments without any. */
  customJobs?: RecordedCustomJob[];
}

const finite = z.number().refine(Number.isFinite, { error: "not a finite number" });
const history = z.object({
  name: z.string(),
  loss: z.array(finite),
  trainError: z.array(finite),
  lr: z.array(finite),
  evalSteps: z.array(z.number().int()),
  testError: z.array(finite),
  testLoss: z.array(finite),
  seconds: z.number(),
  trainSeconds: z.number(),
  imagesPerSecond: z.number(),
});
const text = z.string().min(1, { error: "empty" });
const meta = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const curves = z.object({
  steps: z.record(z.string(), z.array(finite)),
  evalSteps: z.array(z.number().int().min(0)),
  evals: z.record(z.string(), z.array(finite)),
  seconds: z.number().min(0),
  trainSeconds: z.number().min(0),
});
const recordSchema = z.object({
  format: z.literal(1),
  name: text,
  title: text,
  status: z.enum(["complete", "partial", "check"]),
  provenance: z.object({
    commit: text,
    command: text,
    parameters: z.record(z.string(), z.unknown()),
    backend: text,
    cpu: text,
    cores: z.number().int().min(1),
    deno: text,
    tfjs: text,
    data: text,
    started: text,
    finished: text.optional(),
    wallSeconds: z.number().min(0),
    sessions: z.array(z.object({
      commit: text,
      command: text,
      started: text,
      ended: text,
      seconds: z.number().min(0),
      steps: z.number().int().min(0),
      backend: text.optional(),
      cpu: text.optional(),
    })).min(1, { error: "no session" }),
  }),
  jobs: z.array(z.object({
    key: text,
    label: text,
    meta,
    steps: z.number().int().min(1),
    complete: z.boolean(),
    history,
    measured: z.record(z.string(), z.unknown()).optional(),
  })),
  customJobs: z.array(z.object({
    key: text,
    label: text,
    meta,
    steps: z.number().int().min(1),
    complete: z.boolean(),
    curves,
    measured: z.record(z.string(), z.unknown()).optional(),
  })).optional(),
}).refine((r) => r.jobs.length + (r.customJobs?.length ?? 0) > 0, { error: "no jobs", path: ["jobs"] });

/** What is wrong with a custom job's curves (lengths, evaluation steps, completeness), as "jobs…: why" lines. */
function customJobProblems(job: RecordedCustomJob, at: string): string[] {
  const bad: string[] = [];
  const c = job.curves;
  const lengths = Object.entries(c.steps).map(([name, v]) => `${name} ${v.length}`);
  const done = Object.values(c.steps)[0]?.length ?? 0;
  if (Object.values(c.steps).some((v) => v.length !== done)) {
    bad.push(`${at} (${job.label}): per-step curves of different lengths (${lengths.join(", ")})`);
  }
  for (const [name, v] of Object.entries(c.evals)) {
    if (v.length !== c.evalSteps.length) {
      bad.push(`${at} (${job.label}): evals.${name} has ${v.length} values for ${c.evalSteps.length} evalSteps`);
    }
  }
  if (c.evalSteps.some((s, i) => s > done || (i > 0 && s <= c.evalSteps[i - 1]))) {
    bad.push(`${at} (${job.label}): evalSteps [${c.evalSteps.join(", ")}] not ascending within the ${done} steps done`);
  }
  if (done > job.steps) bad.push(`${at} (${job.label}): ${done} steps done of ${job.steps} planned`);
  if (job.complete && done !== job.steps) bad.push(`${at} (${job.label}): complete with ${done} of ${job.steps} steps`);
  return bad;
}

/**
 * Checks a record read from `file`: every provenance field present, curves of equal length, complete jobs with all
 * their steps. Throws an Error naming the file and each field at fault.
 */
export function parseRecord(json: unknown, file: string): RunRecord {
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new Error(`${file} is not a valid run record:\n${lines.join("\n")}\nRe-create it with its command.`);
  }
  const record = parsed.data as RunRecord;
  const bad: string[] = [];
  const keys = new Set<string>();
  for (const [i, job] of (record.customJobs ?? []).entries()) {
    if (keys.has(job.key)) bad.push(`customJobs.${i}.key: "${job.key}" is repeated`);
    keys.add(job.key);
    bad.push(...customJobProblems(job, `customJobs.${i}`));
  }
  for (const [i, job] of record.jobs.entries()) {
    if (keys.has(job.key)) bad.push(`jobs.${i}.key: "${job.key}" is repeated`);
    keys.add(job.key);
    const h = job.history;
    if (h.trainError.length !== h.loss.length || h.lr.length !== h.loss.length) {
      bad.push(`jobs.${i} (${job.label}): loss, trainError and lr have different lengths`);
    }
    if (h.testError.length !== h.evalSteps.length || h.testLoss.length !== h.evalSteps.length) {
      bad.push(`jobs.${i} (${job.label}): evalSteps, testError and testLoss have different lengths`);
    }
    if (job.complete && h.loss.length !== job.steps) {
      bad.push(`jobs.${i} (${job.label}): complete with ${h.loss.length} of ${job.steps} steps`);
    }
  }
  if (record.status === "complete" && !record.provenance.finished) bad.push("provenance.finished: missing");
  if (record.status === "complete" && [...record.jobs, ...record.customJobs ?? []].some((j) => !j.complete)) {
    bad.push("status: complete, but some jobs are not");
  }
  if (bad.length) throw new Error(`${file} is not a valid run record:\n  ${bad.join("\n  ")}`);
  return record;
}

/** Reads and checks a record file ({@link parseRecord}); a missing or unreadable file names what to run. */
export async function readRecord(file: string): Promise<RunRecord> {
  const record = await readRecordIfPresent(file);
  if (record === undefined) {
    throw new Error(`${file}: no such run record; produce it with \`deno task record <name>\` (see README)`);
  }
  return record;
}

/**
 * {@link readRecord}, or undefined when there is no such file: one read, no check-then-read race. Any other failure
 * (unreadable, not JSON, not a valid record) throws, naming the file.
 */
export async function readRecordIfPresent(file: string): Promise<RunRecord | undefined> {
  let textContent: string;
  try {
    textContent = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch (e) {
    throw new Error(`${file} is not JSON (${(e as Error).message}); re-create it with its command`);
  }
  return parseRecord(json, file);
}

/** Eight significant digits: a float32 value's precision, in fewer characters than its float64 expansion. */
function float32Digits(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(8));
}

/**
 * The record as JSON text: provenance readable, one job per line (the curves are long), float32 values at eight
 * significant digits (a custom job's per-step curves too; its evaluations keep every digit).
 */
export function formatRecord(record: RunRecord): string {
  const { jobs, customJobs, ...head } = record;
  const job = (j: RecordedJob): string =>
    JSON.stringify({
      ...j,
      history: {
        ...j.history,
        loss: j.history.loss.map(float32Digits),
        trainError: j.history.trainError.map(float32Digits),
        lr: j.history.lr.map(float32Digits),
        testError: j.history.testError.map(float32Digits),
        testLoss: j.history.testLoss.map(float32Digits),
      },
    });
  const customJob = (j: RecordedCustomJob): string =>
    JSON.stringify({
      ...j,
      curves: {
        ...j.curves,
        steps: Object.fromEntries(Object.entries(j.curves.steps).map(([k, v]) => [k, v.map(float32Digits)])),
      },
    });
  const list = (name: string, lines: string[]) =>
    lines.length ? `  "${name}": [\n    ${lines.join(",\n    ")}\n  ]` : `  "${name}": []`;
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, "");
  const custom = customJobs ? `,\n${list("customJobs", customJobs.map(customJob))}` : "";
  return `${top},\n${list("jobs", jobs.map(job))}${custom}\n}\n`;
}

/** Writes `text` to `file` through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${Deno.pid}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, file);
}

function hms(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

/**
 * Rows of a record's provenance for a table beside the plots: status (with the nets or runs complete), command, commit,
 * dates, wall time over its sessions, backend, CPU, data, and the parameters that differ from `defaults`.
 */
export function provenanceRows(
  record: RunRecord,
  defaults: Record<string, unknown> = {},
): { what: string; value: string }[] {
  const p = record.provenance;
  // A record of custom jobs (e.g. GAN runs) counts them as runs; a record of trainModel nets, as nets.
  const all = [...record.jobs, ...record.customJobs ?? []];
  const done = all.filter((j) => j.complete).length;
  const kind = record.customJobs?.length ? "runs" : "nets";
  const changed = Object.entries(p.parameters).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]));
  const commits = [...new Set(p.sessions.map((s) => s.commit.slice(0, 12)))];
  return [
    {
      what: "status",
      value: `${record.status}: ${done} of ${all.length} ${kind} complete` +
        (record.status === "partial" ? ` (resume: ${p.command})` : ""),
    },
    { what: "command", value: p.command },
    { what: "commit", value: commits.join(", ") },
    {
      what: "dates",
      value: `${p.started.slice(0, 16).replace("T", " ")} → ` +
        `${(p.finished ?? p.sessions.at(-1)!.ended).slice(0, 16).replace("T", " ")} UTC`,
    },
    { what: "wall time", value: `${hms(p.wallSeconds)} in ${p.sessions.length} session(s) on ${p.cores} workers` },
    { what: "backend", value: p.backend.split(":")[0] },
    { what: "CPU", value: p.cpu },
    { what: "data", value: p.data },
    { what: "parameters (≠ quick defaults)", value: changed.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ") },
  ];
}
