/**
 * GAN §6, the "Helvetica scenario": "G must not be trained too much without updating D, in order to avoid … G
 * collapses too many values of z to the same value of x to have enough diversity to model p_data". Measured on the
 * 1-D toy: training schedules of Algorithm 1 (k D steps, some G steps per iteration) × seeds, and how many modes of a
 * mixture each trained G still covers. The Figure 1 run is the same runner with one schedule, k = 1.
 */
import type { Mixture } from "../math/mod.ts";
import { ordering, type OrderingEvidence } from "../evidence/mod.ts";
import { type IterationBudget, iterationBudget } from "../evidence/iteration_budget.ts";
import { Progress } from "../display/mod.ts";
import type { BackendName } from "../backend/mod.ts";
import { currentBackend, runOnWorkers, workerCount } from "../train/mod.ts";
import type { GanSnapshot } from "./algorithm1.ts";
import { runToyGan, type ToyGanOptions, type ToyGanResult, type ToySnapshot } from "./figure1.ts";
import { checkSeeds } from "./seeds.ts";

/** A training schedule of Algorithm 1: k D steps and `generatorSteps` G steps per iteration. */
export interface Schedule {
  /** Label shown in tables. */
  name: string;
  /** D steps per iteration. */
  k: number;
  /** G steps per iteration (Algorithm 1: 1; more trains G "too much without updating D"). */
  generatorSteps: number;
  /** Iterations. */
  steps: number;
}

/** One run of {@link runSchedules}. */
export interface ScheduleRun {
  schedule: string;
  seed: number;
  /** JSD(p_data‖p_g) in nats before training. */
  jsdStart: number;
  /** Figure 1 snapshots (empty unless `snapshotEvery` > 0 in the base options). */
  snapshots: GanSnapshot<ToySnapshot & { jsd: number }>[];
  /** JSD(p_data‖p_g) in nats after training. */
  jsd: number;
  /** Fraction of G's samples within 2σ of each mixture component (empty unless p_data is a normal mixture). */
  modeMasses: number[];
  /** Components holding at least `coveredMass` of G's samples. */
  modesCovered: number;
  /** p_g on the grid after training. */
  pG: Float64Array;
  /** Wall-clock seconds of this run (for the cell's budget line). */
  seconds: number;
}

/** Settings shared by every run of {@link runSchedules}: a toy run's options without those a schedule or seed sets. */
export type SchedulesOptions = Omit<ToyGanOptions, "seed" | "steps" | "k" | "generatorSteps" | "onStep"> & {
  /** A mode counts as covered when it holds at least this fraction of G's samples. Default: 0.2. */
  coveredMass?: number;
  /** Label of the progress bar. Default: "schedules × seeds". */
  progressLabel?: string;
  /**
   * Runs side by side, one worker per core, each with its own backend (the same as this thread's, so each run computes
   * what it computes here); 1 runs them one after another on this thread. Default: navigator.hardwareConcurrency, at
   * most the number of runs.
   */
  workers?: number;
};

/** What each toy-GAN worker gets once (toy_worker.ts). */
export interface ToyInit {
  backend?: BackendName;
}

/** One toy run as sent to a worker: its options without the callback (functions do not clone). */
export type ToyTask = Omit<ToyGanOptions, "onStep">;

/** A toy run as a worker sends it back, with its wall time. */
export type ToyDone = ToyGanResult & { seconds: number };

/** One toy run, timed, reporting each finished iteration: what runSchedules runs here or in a worker. */
export async function runTimedToyGan(task: ToyTask, onIteration: (iteration: number) => unknown): Promise<ToyDone> {
  const start = performance.now();
  const r = await runToyGan({
    ...task,
    onStep: async (rec) => {
      await onIteration(rec.step);
    },
  });
  return { ...r, seconds: (performance.now() - start) / 1000 };
}

/**
 * Trains the 1-D toy GAN under several schedules × seeds and measures JSD and mode coverage. Shows a progress bar.
 *
 * @example G trained ten times as often as D collapses onto fewer modes
 * ```ts
 * import { runSchedules } from "@lib/gan/mod.ts";
 * import { grid, mixture, normal } from "@lib/math/mod.ts";
 *
 * const runs = await runSchedules([
 *   { name: "balanced", k: 1, generatorSteps: 1, steps: 1000 },
 *   { name: "G too long", k: 1, generatorSteps: 10, steps: 100 },
 * ], [1, 2, 3], { pData: mixture([1, 1], [normal(-2, 0.4), normal(2, 0.4)]), grid: grid(-6, 6, 601) });
 * runs.map((r) => [r.schedule, r.seed, r.modesCovered, r.jsd]);
 * ```
 */
export async function runSchedules(
  schedules: Schedule[],
  seeds: number[],
  base: SchedulesOptions,
): Promise<ScheduleRun[]> {
  checkSeeds(seeds, "runSchedules");
  if (schedules.length === 0) throw new RangeError("runSchedules: schedules is empty; give at least one");
  for (const s of schedules) {
    for (const key of ["k", "generatorSteps", "steps"] as const) {
      if (!Number.isInteger(s[key]) || s[key] < 1) {
        throw new RangeError(
          `runSchedules: schedule "${s.name}" has ${key} ${JSON.stringify(s[key])}; give an integer ≥ 1`,
        );
      }
    }
  }
  const { coveredMass = 0.2, progressLabel, workers, ...toy } = base;
  const tasks = schedules.flatMap((schedule) =>
    seeds.map((seed): ToyTask & { schedule: Schedule } => ({
      ...toy,
      seed,
      steps: schedule.steps,
      k: schedule.k,
      generatorSteps: schedule.generatorSteps,
      schedule,
    }))
  );
  const count = workerCount(workers, tasks.length, "runSchedules");
  // The bar counts D and G steps: an iteration of a schedule is k + generatorSteps of them.
  const perIteration = (t: (typeof tasks)[number]) => t.schedule.k + t.schedule.generatorSteps;
  const bar = new Progress(tasks.reduce((s, t) => s + t.steps * perIteration(t), 0), {
    label: progressLabel ?? "schedules × seeds",
  });
  const doneSteps = tasks.map(() => 0);
  const pending: Promise<void>[] = [];
  const onIteration = (index: number, iteration: number): Promise<void> => {
    doneSteps[index] = iteration * perIteration(tasks[index]);
    const t = tasks[index];
    return bar.update(doneSteps.reduce((a, b) => a + b, 0), { run: t.schedule.name, seed: t.seed });
  };
  const results: ToyDone[] = [];
  if (count === 1) {
    for (const [index, { schedule: _, ...task }] of tasks.entries()) {
      results.push(await runTimedToyGan(task, (iteration) => onIteration(index, iteration)));
    }
  } else {
    const errors: string[] = [];
    await runOnWorkers<ToyInit, ToyTask, number, ToyDone>({
      url: new URL("./toy_worker.ts", import.meta.url),
      name: "runSchedules",
      count,
      init: { backend: currentBackend() },
      tasks: tasks.map(({ schedule: _, ...options }) => options),
      describe: (i) => `schedule "${tasks[i].schedule.name}" seed ${tasks[i].seed}`,
      onProgress: (i, iteration) => pending.push(onIteration(i, iteration)),
      onFinish: (i, outcome) => {
        if (outcome.error !== undefined) errors.push(outcome.error);
        else results[i] = outcome.result;
      },
    });
    await Promise.all(pending);
    if (errors.length) throw new Error(`runSchedules: ${errors.join("; ")}`);
  }
  await bar.finish();
  return tasks.map((t, i): ScheduleRun => {
    const r = results[i];
    const masses = base.pData.kind === "mixture" ? modeMasses(r.samples, base.pData) : [];
    return {
      schedule: t.schedule.name,
      seed: t.seed,
      jsdStart: r.jsdStart,
      snapshots: r.snapshots,
      jsd: r.jsdEnd,
      modeMasses: masses,
      modesCovered: masses.filter((m) => m >= coveredMass).length,
      pG: r.pG,
      seconds: r.seconds,
    };
  });
}

/**
 * Fraction of samples within `halfWidths` standard deviations (default 2) of each normal component of a mixture: how
 * many modes G covers, and whether it collapsed onto one.
 */
export function modeMasses(samples: ArrayLike<number>, p: Mixture, options: { halfWidths?: number } = {}): number[] {
  const halfWidths = options.halfWidths ?? 2;
  return p.components.map((c) => {
    if (c.kind !== "normal") throw new RangeError(`modeMasses: every component must be normal, got ${c.kind}`);
    let inside = 0;
    for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i] - c.mean) <= halfWidths * c.std) inside++;
    return inside / samples.length;
  });
}

/** Mode coverage per schedule, judged on this run's seeds (see {@link modeCoverageEvidence}). */
export interface ModeCoverageEvidence {
  /** Runs covering every mode, per schedule, as "name: k of n". */
  coverage: string;
  /** Per schedule, the runs covering every mode. */
  covering: Record<string, number>;
  /** The balanced schedule keeps more of G's samples on its weaker mode than the one that trains G too long. */
  collapse: OrderingEvidence;
  /** More D steps (k) keep more of G's samples on the weaker mode than the schedule that trains G too long. */
  restored: OrderingEvidence;
}

/**
 * GAN §6's disadvantage judged on this run: how many runs of each schedule still cover every mode, and, seed by seed,
 * whether the schedule that trains G "too much without updating D" leaves less of G's samples on its weaker mode (the
 * smaller of the mode masses) than the balanced schedule and than the same schedule with more D steps.
 */
export function modeCoverageEvidence(
  runs: readonly ScheduleRun[],
  names: { balanced: string; tooLong: string; moreD: string },
): ModeCoverageEvidence {
  const of = (name: string) => {
    const rs = runs.filter((r) => r.schedule === name);
    if (rs.length === 0) throw new RangeError(`modeCoverageEvidence: no runs of schedule "${name}"`);
    if (rs.some((r) => r.modeMasses.length === 0)) {
      throw new RangeError(`modeCoverageEvidence: schedule "${name}" has no mode masses (p_data must be a mixture)`);
    }
    return rs;
  };
  const [balanced, tooLong, moreD] = [of(names.balanced), of(names.tooLong), of(names.moreD)];
  const weaker = (rs: ScheduleRun[], seed: number): number => {
    const r = rs.find((x) => x.seed === seed);
    if (!r) throw new RangeError(`modeCoverageEvidence: seed ${seed} is missing from a schedule`);
    return Math.min(...r.modeMasses);
  };
  const pairs = (better: ScheduleRun[]) =>
    tooLong.map((r) => ({ seed: r.seed, higher: weaker(better, r.seed), lower: Math.min(...r.modeMasses) }));
  const covering: Record<string, number> = {};
  for (const [name, rs] of [[names.balanced, balanced], [names.tooLong, tooLong], [names.moreD, moreD]] as const) {
    covering[name] = rs.filter((r) => r.modesCovered === r.modeMasses.length).length;
  }
  const coverage = "§6: 모든 봉우리를 덮은 실행 / runs covering every mode — " +
    [[names.balanced, balanced], [names.tooLong, tooLong], [names.moreD, moreD]].map(([name, rs]) =>
      `${name}: ${covering[name as string]} of ${(rs as ScheduleRun[]).length}`
    ).join("; ") + ".";
  const claim = (better: string) =>
    `§6: "${better}"의 약한 봉우리 질량이 "${names.tooLong}"보다 큼 / "${better}" keeps more of G's samples on its ` +
    `weaker mode than "${names.tooLong}"`;
  return {
    coverage,
    covering,
    collapse: ordering(claim(names.balanced), pairs(balanced), { scale: 100, unit: "points of G's samples" }),
    restored: ordering(claim(names.moreD), pairs(moreD), { scale: 100, unit: "points of G's samples" }),
  };
}

/**
 * The budget of each schedule's runs: iterations, D and G steps, real examples seen by D, the wall time of its runs,
 * and that the paper states no iteration count for its toy settings.
 */
export function schedulesBudget(
  schedules: readonly Schedule[],
  runs: readonly ScheduleRun[],
  options: { batchSize?: number; source?: string } = {},
): IterationBudget[] {
  return schedules.map((s) => {
    const rs = runs.filter((r) => r.schedule === s.name);
    return iterationBudget({
      label: s.name,
      iterations: s.steps,
      dSteps: s.k,
      gSteps: s.generatorSteps,
      batchSize: options.batchSize ?? 64,
      seconds: rs.reduce((a, r) => a + r.seconds, 0),
      runs: rs.length,
    }, { source: options.source ?? "The paper" });
  });
}
