/**
 * A long experiment to record (`deno task record <name>`): a list of nets to train, each a {@link GridRun} with its
 * planned steps and schedule, the data they train on, and what to measure on each trained net. lib/runs trains it on
 * all cores with checkpoints and writes its record (lib/train/record.ts); a paper folder declares its experiments.
 *
 * An experiment whose training is not `trainModel`'s (e.g. GAN Algorithm 1: two nets, two optimisers, several random
 * streams) declares {@link CustomJob}s instead: its own training function, which lib/runs runs one job at a time on
 * the main thread with the same guarantees — a checkpoint at each evaluation, exact resume, progress with ETA, and the
 * record rewritten at each checkpoint.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/mod.ts";
import type { GridRun } from "./grid.ts";
import type { JobCurves } from "./record.ts";

/** One net of an experiment. */
export interface ExperimentJob {
  /** Unique key, used as the checkpoint's file name, e.g. "plain-20-s1". */
  key: string;
  /** What distinguishes the net, e.g. { depth: 20, plain: true, shortcut: "A", seed: 1 }. */
  meta: Record<string, string | number | boolean>;
  /**
   * The run: label, builder, and training settings with the planned `steps`. `learningRate` must be the planned
   * schedule (a run stopped early by `--steps` keeps the rates of the full plan).
   */
  run: GridRun;
}

/** The data an experiment's jobs train on: what {@link RecordedExperiment.data} loads. */
export interface ExperimentData {
  train: ImageSet;
  test?: ImageSet;
  /** The files the data come from (with their checksums where known), for the record's provenance. */
  source: string;
}

/**
 * A custom job's state after `step` steps: everything its next step depends on, which a checkpoint holds and
 * `CustomJobContext.resume` gives back. What the arrays and values mean is the job's business.
 */
export interface CustomJobState {
  /** Steps done. */
  step: number;
  /** Float32 arrays (weights, optimiser states), in the order the job reads them back. */
  arrays: Float32Array[];
  /** Small JSON values: random streams' states, counters, the shapes of `arrays`. */
  values: Record<string, unknown>;
  /** The curves of the first `step` steps and the evaluations so far. */
  curves: JobCurves;
}

/** What lib/runs gives a custom job's training function. */
export interface CustomJobContext {
  /**
   * Steps to stop after: the job's planned steps, or fewer for a `--steps` check (whose schedules stay the planned
   * run's). The job evaluates at its last step as well.
   */
  steps: number;
  /** The data {@link RecordedExperiment.data} loaded. */
  data: ExperimentData;
  /** Continue from this state, exactly as if the job had never stopped. Default: start afresh. */
  resume?: CustomJobState;
  /**
   * False to train without evaluating (e.g. to replay a record's first steps): the curves then hold no evaluations.
   * Default: true.
   */
  evaluate?: boolean;
  /** Called after every step with the number of steps done (progress and ETA); the job awaits it. */
  onStep(step: number): void | Promise<void>;
  /**
   * Called with the job's state after each evaluation before the last (a checkpoint); the job awaits it. Absent in a
   * `--steps` check, which keeps no checkpoint.
   */
  onCheckpoint?: (state: CustomJobState) => Promise<void>;
  /** Stops the job between two steps: its training function rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a custom job's training function returns. */
export interface CustomJobResult {
  /** The curves of every step done, and every evaluation. */
  curves: JobCurves;
  /** What the job measured once trained (stored with it when it trained all its planned steps). */
  measured?: Record<string, unknown>;
}

/** A job whose training loop the experiment provides (e.g. GAN Algorithm 1), recorded as named curves. */
export interface CustomJob {
  /** Unique key within the experiment, used as the checkpoint's file name, e.g. "gan-s1". */
  key: string;
  /** Display label, e.g. "GAN seed 1". */
  label: string;
  /** What distinguishes the job, e.g. { seed: 1 }. */
  meta: Record<string, string | number | boolean>;
  /** Steps planned. */
  steps: number;
  /** Relative cost of one step, for the ETA when jobs of different sizes share a record. Default: 1. */
  cost?: number;
  /**
   * Trains the job from `ctx.resume` (or afresh) up to `ctx.steps` steps, calling `ctx.onStep` after every step and
   * `ctx.onCheckpoint` after every evaluation but the last, and checking `ctx.signal` between steps. A job resumed
   * from a checkpoint must end with exactly the curves of one that never stopped.
   */
  train(ctx: CustomJobContext): Promise<CustomJobResult>;
}

/** An experiment to record. */
export interface RecordedExperiment {
  /** Name of the record (`data/runs/<name>.json`) and of `deno task record <name>`. */
  name: string;
  /** What it reproduces. */
  title: string;
  /** Its parameters, as the notebook's parameter set names them (kept in the record's provenance). */
  parameters: Record<string, unknown>;
  /** The nets, in the order they train (a partial record holds the first ones); may be empty. */
  jobs: ExperimentJob[];
  /** Jobs trained by the experiment's own loop, one at a time after the nets, in this order. Default: none. */
  customJobs?: CustomJob[];
  /** Loads the data every net trains on; `source` describes it for the provenance. */
  data(): Promise<ExperimentData>;
  /** Measures a trained net on the main thread (e.g. Figure 7's responses), stored with its job. */
  measure?(
    job: ExperimentJob,
    model: tf.LayersModel,
    data: { train: ImageSet; test?: ImageSet },
  ): Record<string, unknown>;
}
