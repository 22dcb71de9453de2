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
  config: TrainConfig,
  options: { keepModels?: boolean; window?: number } = {},
): Promise<Run[]> {
  const window = options.window ?? 30;
  const runs: Run[] = [];
  for (const v of variants) {
    const model = cifarResNet({ name: v.label, ...v.options });
    let history: TrainHistory;
    try {
      history = await trainModel(model, data, { progress: v.label, ...config });
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

/** Rows for a results table: net, training error over the last steps, test error, seconds (percentages). */
export function runRows(runs: readonly Run[]): Record<string, string | number>[] {
  return runs.map((r) => ({
    net: r.label,
    "train err %": +(100 * r.finalTrainError).toFixed(1),
    "test err %": Number.isNaN(r.finalTestError) ? "" : +(100 * r.finalTestError).toFixed(1),
    "img/s": Math.round(r.history.imagesPerSecond),
    seconds: Math.round(r.history.seconds),
  }));
}
