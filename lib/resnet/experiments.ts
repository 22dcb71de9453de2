/** Runs of the ResNet experiments (§4.2, Figure 6): several CIFAR-style nets trained with the same data and settings. */
import type * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/mod.ts";
import { tailMean, type TrainConfig, type TrainHistory, trainModel } from "../train/mod.ts";
import { cifarResNet, type CifarResNetOptions } from "./networks.ts";

/** One net to train: a label and its builder options. */
export interface Variant {
  label: string;
  options: CifarResNetOptions;
}

/** A finished run: the variant, its history, and the trained model when kept. */
export interface Run extends Variant {
  history: TrainHistory;
  /** Mean training error over the last `window` steps (fraction). */
  finalTrainError: number;
  /** Last test error (fraction), NaN without a test set. */
  finalTestError: number;
  /** The trained model (only when `keepModels`); the caller disposes it. */
  model?: tf.LayersModel;
}

/**
 * Trains each variant in turn with the same data and settings (each with its own progress bar) — the protocol of
 * ResNet §4.2 / Figure 6, where plain and residual nets of each depth share every other setting.
 */
export async function trainVariants(
  variants: readonly Variant[],
  data: { train: ImageSet; test?: ImageSet },
  config: TrainConfig & {
    /** Return the trained models (the caller disposes them). Default: false. */
    keepModels?: boolean;
    /** Steps averaged for the final training error. Default: 30. */
    window?: number;
  },
): Promise<Run[]> {
  const { keepModels, window: w, ...trainConfig } = config;
  const options = { keepModels };
  const window = w ?? 30;
  const runs: Run[] = [];
  for (const v of variants) {
    const model = cifarResNet({ name: v.label, ...v.options });
    let history: TrainHistory;
    try {
      history = await trainModel(model, data, { progress: v.label, ...trainConfig });
    } catch (e) {
      model.dispose();
      throw e;
    }
    if (!options.keepModels) model.dispose();
    runs.push({
      ...v,
      history,
      finalTrainError: tailMean(history.trainError, window),
      finalTestError: history.testError.length ? history.testError[history.testError.length - 1] : NaN,
      ...(options.keepModels ? { model } : {}),
    });
  }
  return runs;
}

/**
 * The first step at which the moving average (over `window` steps) of the training error falls below `threshold`, or
 * null if it never does — a measure of "converges faster" (ResNet §4.1).
 */
export function stepsToError(history: TrainHistory, threshold: number, window = 30): number | null {
  let sum = 0;
  for (let i = 0; i < history.trainError.length; i++) {
    sum += history.trainError[i];
    if (i >= window) sum -= history.trainError[i - window];
    if (i + 1 >= window && sum / window < threshold) return i + 1;
  }
  return null;
}

/**
 * Rows for a results table: net, training error over the last steps, test error, the first step whose smoothed
 * training error is below `threshold`, speed and seconds (errors in %).
 */
export function runRows(
  runs: readonly Run[],
  options: { threshold?: number; window?: number } = {},
): Record<string, string | number>[] {
  const threshold = options.threshold ?? 0.4;
  return runs.map((r) => ({
    net: r.label,
    "train err %": +(100 * r.finalTrainError).toFixed(1),
    "test err %": Number.isNaN(r.finalTestError) ? "" : +(100 * r.finalTestError).toFixed(1),
    [`steps to < ${100 * threshold}% train err`]: stepsToError(r.history, threshold, options.window ?? 30) ?? "never",
    "img/s": Math.round(r.history.imagesPerSecond),
    seconds: Math.round(r.history.seconds),
  }));
}

/** Options of {@link orderingAcrossSeeds}. */
export interface SeedCheckOptions {
  /** Seeds to try (each trains three nets). */
  seeds: readonly number[];
  /** Shallow and deep depths (6n+2). */
  shallow: number;
  deep: number;
  /** Builder options for a depth, plain flag and seed. */
  options: (depth: number, plain: boolean, seed: number) => CifarResNetOptions;
  /** Steps averaged for the final training error. Default: 30. */
  window?: number;
  /** Training settings shared by every run (the seed is replaced by each seed). */
  config: TrainConfig;
}

/**
 * For each seed, trains plain-shallow, plain-deep and ResNet-deep and reports whether the paper's two orderings hold —
 * degradation (deeper plain worse) and the residual fix (ResNet better at equal depth), ResNet §4.2 / Figure 6. An
 * effect claimed from a quick run must survive a change of seed.
 */
export async function orderingAcrossSeeds(
  data: { train: ImageSet; test?: ImageSet },
  check: SeedCheckOptions,
): Promise<Record<string, number | string | boolean>[]> {
  const rows: Record<string, number | string | boolean>[] = [];
  for (const seed of check.seeds) {
    const runs = await trainVariants(
      [
        { label: `plain-${check.shallow} seed ${seed}`, options: check.options(check.shallow, true, seed) },
        { label: `plain-${check.deep} seed ${seed}`, options: check.options(check.deep, true, seed) },
        { label: `ResNet-${check.deep} seed ${seed}`, options: check.options(check.deep, false, seed) },
      ],
      data,
      { ...check.config, seed, window: check.window },
    );
    const [ps, pd, rd] = runs.map((r) => r.finalTrainError);
    rows.push({
      seed,
      [`plain-${check.shallow} %`]: +(100 * ps).toFixed(1),
      [`plain-${check.deep} %`]: +(100 * pd).toFixed(1),
      [`ResNet-${check.deep} %`]: +(100 * rd).toFixed(1),
      "deeper plain worse": pd > ps,
      "ResNet better": rd < pd,
    });
  }
  return rows;
}
