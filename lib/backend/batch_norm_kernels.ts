/**
 * Batch normalization in training mode as two fused kernels (forward, backward) instead of the ~25 elementwise and
 * reduction kernels tf.layers runs (moments, batchNorm, and their gradients, each a full pass over the activations),
 * plus one kernel for tf.layers' update of the moving statistics (six elementwise ops before), and a gradient for the
 * stock FusedBatchNorm kernel that broadcasts instead of tiling. The maths is batch_norm.ts; in a data-parallel step
 * the kernels all-reduce the per-channel sums between its passes (sync_batch_stats.ts), so the statistics are those of
 * the whole batch. batch_norm_layer.ts routes tf.layers' BatchNormalization to these kernels.
 */
import * as tf from "@tensorflow/tfjs";
import {
  firstRow,
  gradientSums,
  gradientsWithSums,
  movingAverages,
  normalizeWithSums,
  shiftedSums,
} from "./batch_norm.ts";
import { backendHeap } from "./heap.ts";
import { allReduceFloat64, batchSyncFor, fromRankZero } from "./sync_batch_stats.ts";

/** Kernel names: the fused forward pass, its gradient, and the moving-statistics update. */
export const BATCH_NORM_KERNELS = {
  forward: "PaperBatchNormTrain",
  backward: "PaperBatchNormTrainGrad",
  moving: "PaperMovingAverages",
} as const;

const { forward: FORWARD, backward: BACKWARD, moving: MOVING } = BATCH_NORM_KERNELS;

/**
 * Gradient of y = γ (x − μ) / sqrt(σ² + ε) + β with respect to x, μ, σ², γ, β for the stock FusedBatchNorm kernel —
 * ResNet §3.4 (Ioffe & Szegedy 2015, Algorithm 1 backward pass). The stock tfjs gradient tiles 1/sqrt(var+eps) to
 * [N, H, W, C] first, a full extra pass that is slow on wasm; this one broadcasts the per-channel factors.
 */
export const batchNormGradConfig: tf.GradConfig = {
  kernelName: "FusedBatchNorm",
  inputsToSave: ["x", "mean", "variance", "scale"],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const g = dy as tf.Tensor;
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const rstd = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const gain = scale == null ? rstd : tf.mul(rstd, scale);
    // The two reductions every parameter gradient shares: Σ dy and Σ dy·(x − μ).
    const sumDy = tf.reshape(tf.sum(g, axes), mean.shape);
    const sumDyXc = tf.reshape(tf.sum(tf.mul(g, tf.sub(x, mean)), axes), mean.shape);
    return {
      x: () => tf.mul(g, gain),
      mean: () => tf.neg(tf.mul(gain, sumDy)),
      variance: () => tf.mul(tf.mul(tf.mul(gain, tf.square(rstd)), tf.scalar(-0.5)), sumDyXc),
      scale: () => tf.mul(rstd, sumDyXc),
      offset: () => tf.reshape(sumDy, mean.shape),
    };
  },
};

/** The fused kernels' gradient: the backward kernel on the saved input and batch statistics. */
const fusedGradConfig: tf.GradConfig = {
  kernelName: FORWARD,
  inputsToSave: ["x", "gamma"],
  outputsToSave: [false, true, true],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [dy, dMean, dVariance] = dys as tf.Tensor[];
    const [x, gamma, mean, variance] = saved;
    const [dx, dGamma, dBeta] = tf.engine().runKernel(
      BACKWARD,
      { dy, x, gamma, mean, variance, dMean, dVariance },
      attrs,
    ) as unknown as tf.Tensor[];
    return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
  },
};

const forwardKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon } = attrs as unknown as { epsilon: number };
  const c = x.shape[x.shape.length - 1];
  const heap = backendHeap(backend);
  const y = heap.output(x.shape), mean = heap.output([c]), variance = heap.output([c]);
  const xs = heap.values(x), rows = xs.length / c;
  const sync = batchSyncFor(x.shape[0]);
  // In a data-parallel step every worker shifts by worker 0's K and takes the whole batch's sums and count.
  const shift = sync == null ? firstRow(xs, c) : Float64Array.from(fromRankZero(sync, xs.subarray(0, c)));
  const shardSums = shiftedSums(xs, { channels: c, shift });
  const r = normalizeWithSums(xs, {
    channels: c,
    gamma: heap.values(gamma),
    beta: heap.values(beta),
    epsilon,
    y: heap.values(y),
    shift,
    sums: sync == null ? shardSums : allReduceFloat64(sync, shardSums),
    count: rows * (sync?.size ?? 1),
  });
  heap.values(mean).set(r.mean);
  heap.values(variance).set(r.variance);
  return [y, mean, variance];
};

const backwardKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, gamma, mean, variance, dMean, dVariance } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon } = attrs as unknown as { epsilon: number };
  const c = x.shape[x.shape.length - 1];
  const heap = backendHeap(backend);
  const dx = heap.output(x.shape), dGamma = heap.output([c]), dBeta = heap.output([c]);
  const xs = heap.values(x), dys = heap.values(dy), means = heap.values(mean);
  const sync = batchSyncFor(x.shape[0]);
  const shardSums = gradientSums(dys, { x: xs, channels: c, mean: means });
  const r = gradientsWithSums(dys, {
    x: xs,
    channels: c,
    gamma: heap.values(gamma),
    mean: means,
    variance: heap.values(variance),
    epsilon,
    dMean: Float32Array.from(heap.values(dMean)),
    dVariance: Float32Array.from(heap.values(dVariance)),
    dx: heap.values(dx),
    shardSums,
    batchSums: sync == null ? shardSums : allReduceFloat64(sync, shardSums),
    count: (xs.length / c) * (sync?.size ?? 1),
  });
  heap.values(dGamma).set(r.dGamma);
  heap.values(dBeta).set(r.dBeta);
  return [dx, dGamma, dBeta];
};

const movingKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { movingMean, movingVariance, mean, variance } = inputs as Record<string, tf.TensorInfo>;
  const { momentum } = attrs as unknown as { momentum: number };
  const heap = backendHeap(backend);
  const m = heap.output(mean.shape), v = heap.output(mean.shape);
  movingAverages({ mean: heap.values(movingMean), variance: heap.values(movingVariance) }, {
    batch: { mean: heap.values(mean), variance: heap.values(variance) },
    momentum,
    out: { mean: heap.values(m), variance: heap.values(v) },
  });
  return [m, v];
};

let gradientsRegistered = false;

/**
 * Registers the fused batch-norm kernels on `backendName` (wasm or cpu) and, once, their gradient and the broadcasting
 * gradient of the stock FusedBatchNorm kernel. Idempotent.
 */
export function registerBatchNormKernels(backendName: string): void {
  if (!gradientsRegistered) {
    gradientsRegistered = true;
    tf.registerGradient(batchNormGradConfig);
    tf.registerGradient(fusedGradConfig);
  }
  if (tf.getKernel(FORWARD, backendName) != null) return;
  tf.registerKernel({ kernelName: MOVING, backendName, kernelFunc: movingKernel });
  tf.registerKernel({ kernelName: FORWARD, backendName, kernelFunc: forwardKernel });
  tf.registerKernel({ kernelName: BACKWARD, backendName, kernelFunc: backwardKernel });
}

/** True when the fused batch-norm kernels are registered on `backendName`. */
export function hasBatchNormKernels(backendName: string): boolean {
  return tf.getKernel(FORWARD, backendName) != null;
}

/**
 * Batch normalization of a channels-last tensor in training mode with batch statistics, as one fused kernel with a
 * fused gradient — ResNet §3.4 ("we adopt batch normalization right after each convolution and before activation").
 * Returns the normalized tensor and the batch mean and (biased) variance per channel.
 */
export function batchNormTraining(
  x: tf.Tensor,
  options: { gamma: tf.Tensor1D; beta: tf.Tensor1D; epsilon: number },
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  const { gamma, beta, epsilon } = options;
  return tf.engine().runKernel(FORWARD, { x, gamma, beta }, { epsilon } as never) as unknown as [
    tf.Tensor,
    tf.Tensor1D,
    tf.Tensor1D,
  ];
}

/** tf.layers' moving-statistics update (see {@link movingAverages}) as one kernel: the new moving mean and variance. */
export function updateMovingStatistics(
  moving: { mean: tf.Tensor; variance: tf.Tensor },
  options: { batch: { mean: tf.Tensor; variance: tf.Tensor }; momentum: number },
): [tf.Tensor, tf.Tensor] {
  const { batch, momentum } = options;
  return tf.engine().runKernel(MOVING, {
    movingMean: moving.mean,
    movingVariance: moving.variance,
    mean: batch.mean,
    variance: batch.variance,
  }, { momentum }) as unknown as [tf.Tensor, tf.Tensor];
}
