/** Learning-rate schedules of ResNet §3.4 / §4.2, as pure functions of the step. */

/** A learning rate for each SGD step (0-based). */
export type LrSchedule = (step: number) => number;

/**
 * Step decay: `base` divided by `1/factor` at each milestone — ResNet §4.2: "start with a learning rate of 0.1, divide
 * it by 10 at 32k and 48k iterations". Optional warm-up at `warmupLr` for the first `warmupSteps` (§4.2, ResNet-110).
 */
export function stepSchedule(
  base: number,
  milestones: readonly number[] = [],
  options: { factor?: number; warmupSteps?: number; warmupLr?: number } = {},
): LrSchedule {
  const factor = options.factor ?? 0.1;
  const warmupSteps = options.warmupSteps ?? 0;
  const warmupLr = options.warmupLr ?? base / 10;
  return (step: number): number => {
    if (step < warmupSteps) return warmupLr;
    let lr = base;
    for (const m of milestones) if (step >= m) lr *= factor;
    return lr;
  };
}

/** The paper's CIFAR schedule scaled to `steps`: lr `base` ÷10 at 50% and 75% of training (32k, 48k of 64k) — §4.2. */
export function paperCifarSchedule(steps: number, base = 0.1): LrSchedule {
  checkSchedule("paperCifarSchedule", steps, base);
  return stepSchedule(base, [Math.round(steps / 2), Math.round((steps * 3) / 4)]);
}

/** The learning-rate schedules a notebook names: "constant", or "paper" (ResNet §4.2, see {@link paperCifarSchedule}). */
export type ScheduleName = "constant" | "paper";

/** The schedule names {@link learningRateSchedule} knows. */
export const SCHEDULE_NAMES: readonly ScheduleName[] = ["constant", "paper"];

function checkSchedule(who: string, steps: number, base: number): void {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(
      `${who}: steps must be an integer ≥ 1, got ${(typeof steps === "string" ? `"${steps}"` : String(steps))}`,
    );
  }
  if (typeof base !== "number" || !(base > 0) || !Number.isFinite(base)) {
    throw new RangeError(
      `${who}: base learning rate must be a number > 0, got ${(typeof base === "string" ? `"${base}"` : String(base))}`,
    );
  }
}

/**
 * The learning rate of a named schedule over `steps` from `base`: "constant" gives `base` itself, "paper" the ÷10
 * steps at 50% and 75% of training (ResNet §4.2). Any other name throws a RangeError naming the `schedule` argument,
 * instead of silently training at a constant rate.
 */
export function learningRateSchedule(schedule: ScheduleName, steps: number, base: number): number | LrSchedule {
  checkSchedule("learningRateSchedule", steps, base);
  if (schedule === "constant") return base;
  if (schedule === "paper") return paperCifarSchedule(steps, base);
  throw new RangeError(
    `learningRateSchedule: schedule must be ${
      SCHEDULE_NAMES.map((s) => `"${s}"`).join(" or ")
    }, got ${(typeof schedule === "string" ? `"${schedule}"` : String(schedule))}`,
  );
}
