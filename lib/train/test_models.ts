/**
 * Test helpers of lib/train and lib/runs: a tiny synthetic image set, and small models that exercise code paths of the
 * data-parallel trainer which lib/resnet's networks do not: batch norm over a non-last axis (the stock tf.layers path through tf.moments, whose Means are all-reduced across workers) and
 * dropout. The trainer imports a model builder by module URL, so these live in a module of their own: a test helper, not
 * exported from mod.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { lcgValues } from "../backend/test_values.ts";
import type { ImageSet } from "../data/mod.ts";

/** A tiny synthetic image set (8×8×1, 5 classes) from a linear congruential generator. */
export function tinySet(count: number, seed: number): ImageSet {
  const images = lcgValues(count * 64, seed);
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7 + (images[i * 64] > 0 ? 1 : 0)) % 5);
  return { images, labels, count, height: 8, width: 8, channels: 1, source: `tiny synthetic set ${seed}` };
}

/** Options of {@link denseBatchNormClassifier}. */
export interface DenseBatchNormOptions {
  /** Hidden units. Default: 16. */
  hidden?: number;
  /** Classes. Default: 3. */
  classes?: number;
  /** Dropout rate after the hidden layer. Default: 0. */
  dropout?: number;
}

/**
 * dense → reshape [groups = 4, hidden / 4] → batch norm over axis 1 → ReLU → [dropout] → dense logits, on 12 input
 * features: an MLP with the batch normalization of ResNet §3.4 on the stock tf.layers path. Seeded initialisers, so
 * every call builds the same weights.
 */
export function denseBatchNormClassifier(options: DenseBatchNormOptions = {}): tf.LayersModel {
  const hidden = options.hidden ?? 16;
  if (hidden % 4 !== 0) throw new RangeError(`denseBatchNormClassifier: hidden must be a multiple of 4, got ${hidden}`);
  const input = tf.input({ shape: [12] });
  let h = tf.layers.dense({
    units: hidden,
    useBias: false,
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
  }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.reshape({ targetShape: [4, hidden / 4] }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ axis: 1 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(tf.layers.reLU().apply(h)) as tf.SymbolicTensor;
  if ((options.dropout ?? 0) > 0) h = tf.layers.dropout({ rate: options.dropout! }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({
    units: options.classes ?? 3,
    kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
  }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
