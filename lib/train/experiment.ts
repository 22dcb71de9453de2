/**
 * A long experiment to record (`deno task record <name>`): a list of nets to train, each a {@link GridRun} with its
 * planned steps and schedule, the data they train on, and what to measure on each trained net. lib/runs trains it on
 * all cores with checkpoints and writes its record (lib/train/record.ts); a paper folder declares its experiments.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/mod.ts";
import type { GridRun } from "./grid.ts";

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

/** An experiment to record. */
export interface RecordedExperiment {
  /** Name of the record (`data/runs/<name>.json`) and of `deno task record <name>`. */
  name: string;
  /** What it reproduces. */
  title: string;
  /** Its parameters, as the notebook's parameter set names them (kept in the record's provenance). */
  parameters: Record<string, unknown>;
  /** The nets, in the order they train (a partial record holds the first ones). */
  jobs: ExperimentJob[];
  /** Loads the data every net trains on; `source` describes it for the provenance. */
  data(): Promise<{ train: ImageSet; test?: ImageSet; source: string }>;
  /** Measures a trained net on the main thread (e.g. Figure 7's responses), stored with its job. */
  measure?(
    job: ExperimentJob,
    model: tf.LayersModel,
    data: { train: ImageSet; test?: ImageSet },
  ): Record<string, unknown>;
}
