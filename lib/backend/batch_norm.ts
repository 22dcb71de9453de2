/**
 * Batch normalization in training mode on channels-last typed arrays: the maths of the fused kernels
 * (batch_norm_kernels.ts). Forward and backward are each two passes over the elements with per-channel float64 sums in
 * between; a data-parallel kernel all-reduces its shard's sums between the passes, and this file knows nothing of
 * workers. The element passes run in the native kernels when loaded (native/batch_norm.cc), else as the loops here.
 */
import { nativeSymbols } from "./native_kernels.ts";

/** Per-channel batch statistics. */
export interface BatchStatistics {
  mean: Float32Array;
  variance: Float32Array;
}

/** Options of {@link batchNormTrainForward}. */
export interface BatchNormForwardOptions {
  /** Size of the last axis. */
  channels: number;
  gamma: Float32Array;
  beta: Float32Array;
  epsilon: number;
  /** Where to write y (a heap view in a kernel). Default: a new array. */
  y?: Float32Array;
}

/** Options of {@link batchNormTrainBackward}. */
export interface BatchNormBackwardOptions {
  /** The forward pass's input. */
  x: Float32Array;
  channels: number;
  gamma: Float32Array;
  /** The forward pass's batch statistics. */
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
  /** Upstream gradients on the batch mean and variance (outputs of the forward kernel). Default: none. */
  dMean?: Float32Array | null;
  dVariance?: Float32Array | null;
  /** Where to write dx. Default: a new array. */
  dx?: Float32Array;
}

/** The gradients {@link batchNormTrainBackward} returns. */
export interface BatchNormGradients {
  dx: Float32Array;
  dGamma: Float32Array;
  dBeta: Float32Array;
}

/** The shift K of the one-pass variance: the first example's value per channel. */
export function firstRow(x: Float32Array, channels: number): Float64Array {
  return Float64Array.from(x.subarray(0, channels));
}

/**
 * Forward pass 1: Σ(x − K) and Σ(x − K)² per channel in float64, as one array [sums | squares]. Shifting by K (the
 * "shifted data" variance algorithm) avoids cancellation unless the batch mean is far from K in standard deviations.
 */
export function shiftedSums(x: Float32Array, options: { channels: number; shift: Float64Array }): Float64Array {
  const { channels: c, shift } = options, rows = x.length / c;
  const sum = new Float64Array(c), sq = new Float64Array(c);
  const f = nativeSymbols();
  if (f != null) {
    f.paper_bn_sums(x, rows, c, shift, sum, sq);
  } else {
    for (let r = 0, i = 0; r < rows; r++) {
      for (let k = 0; k < c; k++, i++) {
        const v = x[i] - shift[k];
        sum[k] += v;
        sq[k] += v * v;
      }
    }
  }
  const both = new Float64Array(2 * c);
  both.set(sum);
  both.set(sq, c);
  return both;
}

/**
 * Forward pass 2: the batch mean and (biased) variance from {@link shiftedSums} over `count` rows (the whole batch's
 * sums and count in a data-parallel step), then y = γ (x − μ_B) / sqrt(σ²_B + ε) + β.
 */
export function normalizeWithSums(
  x: Float32Array,
  options: BatchNormForwardOptions & { shift: Float64Array; sums: Float64Array; count: number },
): BatchStatistics & { y: Float32Array } {
  const { channels: c, gamma, beta, epsilon, shift: shiftK, sums: both, count } = options;
  const rows = x.length / c;
  const y = options.y ?? new Float32Array(x.length);
  const centred = both.subarray(0, c).map((s) => s / count); // mean − K
  const mean = centred.map((m, k) => m + shiftK[k]);
  const variance = centred.map((m, k) => Math.max(both[c + k] / count - m * m, 0));
  const scale = new Float32Array(c), shift = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    scale[k] = gamma[k] / Math.sqrt(variance[k] + epsilon);
    shift[k] = beta[k] - mean[k] * scale[k];
  }
  const f = nativeSymbols();
  if (f != null) f.paper_bn_apply(x, rows, c, scale, shift, y);
  else for (let r = 0, i = 0; r < rows; r++) for (let k = 0; k < c; k++, i++) y[i] = x[i] * scale[k] + shift[k];
  return { y, mean: Float32Array.from(mean), variance: Float32Array.from(variance) };
}

/**
 * y = γ (x − μ_B) / sqrt(σ²_B + ε) + β with the mini-batch mean and (biased) variance over all axes but the last —
 * ResNet §3.4 (BN after each convolution; Ioffe & Szegedy 2015, Algorithm 1). Pure: arrays in, arrays out.
 */
export function batchNormTrainForward(
  x: Float32Array,
  options: BatchNormForwardOptions,
): BatchStatistics & { y: Float32Array } {
  const shift = firstRow(x, options.channels);
  const sums = shiftedSums(x, { channels: options.channels, shift });
  return normalizeWithSums(x, { ...options, shift, sums, count: x.length / options.channels });
}

/** Backward pass 1: Σ dy and Σ dy·(x − μ) per channel in float64, as one array [Σ dy | Σ dy·(x − μ)]. */
export function gradientSums(
  dy: Float32Array,
  options: { x: Float32Array; channels: number; mean: Float32Array },
): Float64Array {
  const { x, channels: c, mean } = options, rows = x.length / c;
  const sumDy = new Float64Array(c), sumDyXc = new Float64Array(c);
  const f = nativeSymbols();
  if (f != null) {
    f.paper_bn_grad_sums(dy, x, rows, c, mean, sumDy, sumDyXc);
  } else {
    for (let r = 0, i = 0; r < rows; r++) {
      for (let k = 0; k < c; k++, i++) {
        sumDy[k] += dy[i];
        sumDyXc[k] += dy[i] * (x[i] - mean[k]);
      }
    }
  }
  const both = new Float64Array(2 * c);
  both.set(sumDy);
  both.set(sumDyXc, c);
  return both;
}

/**
 * Backward pass 2: dγ and dβ from this shard's {@link gradientSums} (data-parallel workers average parameter gradients
 * afterwards), dx from the whole batch's sums over `count` rows (the same sums on one core).
 */
export function gradientsWithSums(
  dy: Float32Array,
  options: BatchNormBackwardOptions & { shardSums: Float64Array; batchSums: Float64Array; count: number },
): BatchNormGradients {
  const { x, channels: c, gamma, mean, variance, epsilon, count } = options;
  const dMean = options.dMean ?? null, dVariance = options.dVariance ?? null;
  const rows = x.length / c;
  const dx = options.dx ?? new Float32Array(x.length);
  const rstd = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
  const dGamma = Float32Array.from(options.shardSums.subarray(c), (v, k) => v * rstd[k]);
  const dBeta = Float32Array.from(options.shardSums.subarray(0, c));
  const sums = options.batchSums.subarray(0, c);
  const dots = options.batchSums.subarray(c).map((v, k) => v * rstd[k]); // Σ dy·x̂ over the batch
  const a = new Float32Array(c), b = new Float32Array(c), d = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    const g = gamma[k] * rstd[k];
    // dx = g·dy − g·mean(dy) − g·x̂·mean(dy·x̂) + dμ/N + dσ²·2(x − μ)/N, written as a·dy + b·(x − μ) + d.
    a[k] = g;
    b[k] = -g * rstd[k] * dots[k] / count + (dVariance ? (2 * dVariance[k]) / count : 0);
    d[k] = -g * sums[k] / count + (dMean ? dMean[k] / count : 0);
  }
  const f = nativeSymbols();
  if (f != null) {
    f.paper_bn_grad_apply(dy, x, rows, c, mean, a, b, d, dx);
  } else {
    for (let r = 0, i = 0; r < rows; r++) {
      for (let k = 0; k < c; k++, i++) dx[i] = a[k] * dy[i] + b[k] * (x[i] - mean[k]) + d[k];
    }
  }
  return { dx, dGamma, dBeta };
}

/**
 * Gradients of {@link batchNormTrainForward} through the batch statistics (Ioffe & Szegedy 2015, §3 backward pass):
 * dx = γ/σ (dy − mean(dy) − x̂·mean(dy·x̂)) plus the direct terms of upstream gradients on μ_B and σ²_B; dγ = Σ dy·x̂,
 * dβ = Σ dy. Pure: arrays in, arrays out.
 */
export function batchNormTrainBackward(dy: Float32Array, options: BatchNormBackwardOptions): BatchNormGradients {
  const sums = gradientSums(dy, options);
  return gradientsWithSums(dy, {
    ...options,
    shardSums: sums,
    batchSums: sums,
    count: options.x.length / options.channels,
  });
}

/**
 * tf.layers' update of BN's moving statistics, moving ← moving − (moving − batch)·(1 − momentum), for the mean and the
 * variance at once — the inference-time statistics of ResNet §3.4's batch normalization. Pure: arrays in, new out.
 */
export function movingAverages(
  moving: BatchStatistics,
  options: { batch: BatchStatistics; momentum: number; out?: BatchStatistics },
): BatchStatistics {
  const { batch, momentum } = options;
  const out = options.out ??
    { mean: new Float32Array(batch.mean.length), variance: new Float32Array(batch.mean.length) };
  for (let k = 0; k < batch.mean.length; k++) {
    out.mean[k] = moving.mean[k] - (moving.mean[k] - batch.mean[k]) * (1 - momentum);
    out.variance[k] = moving.variance[k] - (moving.variance[k] - batch.variance[k]) * (1 - momentum);
  }
  return out;
}
