/**
 * The budget of an iteration-based run (a GAN's Algorithm 1: k discriminator steps and some generator steps per
 * iteration), said beside its result: iterations, the examples the discriminator saw, epochs of a training set when
 * there is one, wall time, and where that sits relative to the paper when the paper gives a number (or that it gives
 * none). The sibling of budget.ts for runs that are not counted in epochs of a fixed step.
 */
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/bundle.ts";

/** What an iteration-based run did. */
export interface IterationRun {
  /** Iterations of the outer loop, per run. */
  iterations: number;
  /** Discriminator steps per iteration (Algorithm 1's k). */
  dSteps: number;
  /** Generator steps per iteration. */
  gSteps: number;
  /** Real examples per discriminator step (minibatch size m). */
  batchSize: number;
  /** Wall-clock seconds of all the cell's runs. */
  seconds: number;
  /** Runs in the cell (schedules × seeds). Default: 1. */
  runs?: number;
  /** Size of the training set the batches come from; without one the data are drawn afresh from a density. */
  trainImages?: number;
  /** What was run (e.g. a schedule's name), opening the line. Default: none. */
  label?: string;
}

/** Where the paper stands on this run's length. */
export interface PaperIterations {
  /** Where the number or its absence comes from, e.g. "GAN §5". */
  source: string;
  /** The paper's iterations per run, when it states them. */
  iterations?: number;
}

/** A run's budget as one displayable line. */
export class IterationBudget implements Displayable {
  constructor(readonly run: IterationRun, readonly text: string) {}

  /** Real examples one run's discriminator saw. */
  get examples(): number {
    return this.run.iterations * this.run.dSteps * this.run.batchSize;
  }

  toString(): string {
    return this.text;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.text };
  }
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * "Budget: 1,000 iterations × (1 D step + 1 G step) × batch 64 = 64,000 real examples seen by D per run (7.11 epochs
 * of 9,000); 3 runs in 25.3 s. GAN §5 states no iteration count."
 */
export function iterationBudget(run: IterationRun, paper?: PaperIterations): IterationBudget {
  const ints: Record<string, number | undefined> = {
    iterations: run.iterations,
    dSteps: run.dSteps,
    gSteps: run.gSteps,
    batchSize: run.batchSize,
    runs: run.runs ?? 1,
    trainImages: run.trainImages ?? 1,
  };
  for (const [name, v] of Object.entries(ints)) {
    if (!(Number.isInteger(v) && v! > 0)) {
      throw new RangeError(`iterationBudget: ${name} must be a positive integer, got ${v}`);
    }
  }
  if (!(run.seconds >= 0)) throw new RangeError(`iterationBudget: seconds must be ≥ 0, got ${run.seconds}`);
  if (paper?.iterations !== undefined && !(Number.isInteger(paper.iterations) && paper.iterations > 0)) {
    throw new RangeError(`iterationBudget: the paper's iterations must be a positive integer, got ${paper.iterations}`);
  }
  const examples = run.iterations * run.dSteps * run.batchSize;
  const steps = (n: number, what: string) => `${n} ${what} step${n === 1 ? "" : "s"}`;
  let epochs = "";
  if (run.trainImages !== undefined) {
    const e = examples / run.trainImages;
    epochs = ` (${e < 10 ? e.toFixed(2) : e.toFixed(1)} epochs of ${fmt(run.trainImages)})`;
  }
  const runs = run.runs ?? 1;
  let where = "";
  if (paper) {
    where = paper.iterations === undefined
      ? ` ${paper.source} states no iteration count.`
      : ` ${paper.source}: ${fmt(paper.iterations)} iterations, so this is ` +
        `${(100 * run.iterations / paper.iterations).toFixed(1)} % of it.`;
  }
  const text =
    `${run.label ? `${run.label} — ` : ""}Budget: ${fmt(run.iterations)} iterations × (${steps(run.dSteps, "D")} + ${
      steps(run.gSteps, "G")
    }) × batch ${run.batchSize} = ${fmt(examples)} real examples seen by D per run${epochs}; ` +
    `${runs === 1 ? "1 run" : `${runs} runs`} in ${run.seconds.toFixed(1)} s.${where}`;
  return new IterationBudget(run, text);
}
