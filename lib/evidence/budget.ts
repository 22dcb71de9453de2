/**
 * The budget of a training run, said beside its result: steps, images seen, epochs of the training set, wall time,
 * and where that sits on the paper's schedule ("1.2 of the paper's 164 epochs"). A quick run that shows early
 * training speed must not read like a converged one.
 */
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/bundle.ts";

/** What a run did. */
export interface RunBudget {
  /** Optimiser steps per run. */
  steps: number;
  /** Examples per step. */
  batchSize: number;
  /** Size of the training set the batches are drawn from. */
  trainImages: number;
  /** Wall-clock seconds the cell took (all its runs). */
  seconds: number;
  /** Runs trained in the cell (variants × seeds). Default: 1. */
  runs?: number;
}

/** The paper's schedule, to place the run on it. */
export interface PaperSchedule {
  /** Epochs the paper trains for (ResNet CIFAR-10: 64k iterations × 128 / 45k images ≈ 182; see the caller). */
  epochs: number;
  /** Where the number comes from, e.g. "ResNet §4.2". */
  source: string;
}

/** A run's budget as one displayable line. */
export class Budget implements Displayable {
  constructor(readonly budget: RunBudget, readonly paper: PaperSchedule | undefined, readonly text: string) {}

  /** Epochs of the training set one run saw. */
  get epochs(): number {
    return (this.budget.steps * this.budget.batchSize) / this.budget.trainImages;
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
 * "Budget: 150 steps × batch 64 = 9,600 images = 1.17 epochs of 8,192 (1.17 of the paper's 182 epochs, 0.6 %);
 * 12 runs in 93.2 s."
 */
export function budget(run: RunBudget, paper?: PaperSchedule): Budget {
  for (
    const [name, v] of Object.entries({ steps: run.steps, batchSize: run.batchSize, trainImages: run.trainImages })
  ) {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`budget: ${name} must be a positive integer, got ${v}`);
  }
  if (!(run.seconds >= 0)) throw new RangeError(`budget: seconds must be ≥ 0, got ${run.seconds}`);
  const images = run.steps * run.batchSize;
  const epochs = images / run.trainImages;
  const e = epochs < 10 ? epochs.toFixed(2) : epochs.toFixed(1);
  const where = paper
    ? ` (${e} of ${paper.source}'s ${fmt(paper.epochs)} epochs, ${(100 * epochs / paper.epochs).toFixed(1)} %)`
    : "";
  const runs = run.runs ?? 1;
  const text = `Budget: ${fmt(run.steps)} steps × batch ${run.batchSize} = ${fmt(images)} images = ${e} epochs of ` +
    `${fmt(run.trainImages)}${where}; ${runs === 1 ? "1 run" : `${runs} runs`} in ${run.seconds.toFixed(1)} s.`;
  return new Budget(run, paper, text);
}
