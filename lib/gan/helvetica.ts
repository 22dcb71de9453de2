/**
 * GAN §6, the "Helvetica scenario": "G must not be trained too much without updating D, in order to avoid … G
 * collapses too many values of z to the same value of x to have enough diversity to model p_data". Measured on the
 * 1-D toy: training schedules of Algorithm 1 (k D steps, some G steps per iteration) × seeds, and how many modes of a
 * mixture each trained G still covers. The Figure 1 run is the same runner with one schedule, k = 1.
 */
import type { Mixture } from "../math/mod.ts";
import { Progress } from "../display/mod.ts";
import type { GanSnapshot } from "./algorithm1.ts";
import { runToyGan, type ToyGanOptions, type ToySnapshot } from "./figure1.ts";
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
}

/** Settings shared by every run of {@link runSchedules}: a toy run's options without those a schedule or seed sets. */
export type SchedulesOptions = Omit<ToyGanOptions, "seed" | "steps" | "k" | "generatorSteps" | "onStep"> & {
  /** A mode counts as covered when it holds at least this fraction of G's samples. Default: 0.2. */
  coveredMass?: number;
  /** Label of the progress bar. Default: "schedules × seeds". */
  progressLabel?: string;
};

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
  const total = seeds.length * schedules.reduce((s, c) => s + c.steps * (c.k + c.generatorSteps), 0);
  const bar = new Progress(total, { label: base.progressLabel ?? "schedules × seeds" });
  const runs: ScheduleRun[] = [];
  let done = 0;
  for (const schedule of schedules) {
    for (const seed of seeds) {
      const r = await runToyGan({
        ...base,
        seed,
        steps: schedule.steps,
        k: schedule.k,
        generatorSteps: schedule.generatorSteps,
        onStep: (rec) =>
          bar.update(done + rec.step * (schedule.k + schedule.generatorSteps), { run: schedule.name, seed }),
      });
      done += schedule.steps * (schedule.k + schedule.generatorSteps);
      const masses = base.pData.kind === "mixture" ? modeMasses(r.samples, base.pData) : [];
      runs.push({
        schedule: schedule.name,
        seed,
        jsdStart: r.jsdStart,
        snapshots: r.snapshots,
        jsd: r.jsdEnd,
        modeMasses: masses,
        modesCovered: masses.filter((m) => m >= (base.coveredMass ?? 0.2)).length,
        pG: r.pG,
      });
    }
  }
  await bar.finish();
  return runs;
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
