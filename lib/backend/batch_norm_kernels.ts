/**
 * Batch normalization in training mode as two fused kernels (forward, backward) instead of the ~25 elementwise and
 * reduction kernels tf.layers runs (moments, batchNorm, and their gradients, each a full pass over the activations).
 * The per-element passes run in the native kernels when loaded (native/batch_norm.cc), else as plain typed-array
 * loops over the channels-last layout, with float64 per-channel accumulators either way; on wasm they read and write
 * the heap directly. In data-parallel workers the per-channel sums are all-reduced, so the statistics are those of the
 * whole batch. tf.layers' update of the moving statistics is one more kernel (six elementwise ops before).
 */
import * as tf from "@tensorflow/tfjs";
import { kernelIo as io } from "./kernel_io.ts";
import { nativeSymbols } from "./native_kernels.ts";
import { batchSyncCollective } from "./sync_batch_stats.ts";

const FORWARD = "PaperBatchNormTrain", BACKWARD = "PaperBatchNormTrainGrad", MOVING = "PaperMovingAverages";

/** All-reduces per-channel float64 sums when this shard is part of a data-parallel batch (else returns them). */
function syncSums(acc: Float64Array, leading: number): Float64Array {
  const collective = batchSyncCollective(leading);
  if (collective == null) return acc;
  const c = acc.length;
  // Exchange as two float32 halves (hi + lo) so the all-reduce keeps float64 accuracy.
  const both = new Float32Array(2 * c);
  for (let k = 0; k < c; k++) {
    both[k] = acc[k];
    both[c + k] = acc[k] - both[k];
  }
  collective.allReduceSum(both);
  return Float64Array.from({ length: c }, (_, k) => both[k] + both[c + k]);
}

/**
 * y = γ (x − μ_B) / sqrt(σ²_B + ε) + β with the mini-batch mean and (biased) variance over all axes but the last —
 * ResNet §3.4 (BN after each convolution; Ioffe & Szegedy 2015, Algorithm 1). Pure: arrays in, arrays out.
 */
export function batchNormTrainForward(
  x: Float32Array,
  channels: number,
  gamma: Float32Array,
  beta: Float32Array,
  epsilon: number,
  y: Float32Array = new Float32Array(x.length),
  leading = 0,
): { y: Float32Array; mean: Float32Array; variance: Float32Array } {
  const c = channels, rows = x.length / c;
  const count = rows * (batchSyncCollective(leading)?.size ?? 1);
  // One pass for Σ(x − K) and Σ(x − K)² in float64, shifted by K = the first example's value per channel (the
  // "shifted data" variance algorithm): no cancellation unless the batch mean is far from K in standard deviations.
  // In a data-parallel step every worker shifts by worker 0's K, sent along with the sums' all-reduce.
  const shiftK = new Float64Array(c);
  for (let k = 0; k < c; k++) shiftK[k] = x[k];
  const sync = batchSyncCollective(leading);
  if (sync != null) {
    const k0 = new Float32Array(c);
    if (sync.rank === 0) k0.set(x.subarray(0, c));
    sync.allReduceSum(k0);
    shiftK.set(k0);
  }
  const sum = new Float64Array(c), sq = new Float64Array(c);
  const f = nativeSymbols();
  if (f != null) {
    f.paper_bn_sums(x, rows, c, shiftK, sum, sq);
  } else {
    for (let r = 0, i = 0; r < rows; r++) {
      for (let k = 0; k < c; k++, i++) {
        const v = x[i] - shiftK[k];
        sum[k] += v;
        sq[k] += v * v;
      }
    }
  }
  const both = syncSums(Float64Array.from([...sum, ...sq]), leading);
  const centred = both.subarray(0, c).map((s) => s / count); // mean − K
  const mean = centred.map((m, k) => m + shiftK[k]);
  const variance = centred.map((m, k) => Math.max(both[c + k] / count - m * m, 0));
  const scale = new Float32Array(c), shift = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    scale[k] = gamma[k] / Math.sqrt(variance[k] + epsilon);
    shift[k] = beta[k] - mean[k] * scale[k];
  }
  if (f != null) f.paper_bn_apply(x, rows, c, scale, shift, y);
  else for (let r = 0, i = 0; r < rows; r++) for (let k = 0; k < c; k++, i++) y[i] = x[i] * scale[k] + shift[k];
  return { y, mean: Float32Array.from(mean), variance: Float32Array.from(variance) };
}

/**
 * Gradients of {@link batchNormTrainForward} through the batch statistics (Ioffe & Szegedy 2015, §3 backward pass):
 * dx = γ/σ (dy − mean(dy) − x̂·mean(dy·x̂)) plus the direct terms of upstream gradients on μ_B and σ²_B; dγ = Σ dy·x̂,
 * dβ = Σ dy. Pure: arrays in, arrays out.
 */
export function batchNormTrainBackward(
  dy: Float32Array,
  x: Float32Array,
  channels: number,
  gamma: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  epsilon: number,
  dMean: Float32Array | null = null,
  dVariance: Float32Array | null = null,
  dx: Float32Array = new Float32Array(x.length),
  leading = 0,
): { dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array } {
  const c = channels, rows = x.length / c;
  const count = rows * (batchSyncCollective(leading)?.size ?? 1);
  const rstd = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
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
  // dγ, dβ are this shard's sums (data-parallel workers average parameter gradients afterwards); dx needs the
  // whole batch's sums.
  const dGamma = Float32Array.from(sumDyXc, (v, k) => v * rstd[k]);
  const dBeta = Float32Array.from(sumDy);
  const sums = syncSums(Float64Array.from(sumDy), leading);
  const dots = syncSums(sumDyXc, leading).map((v, k) => v * rstd[k]); // Σ dy·x̂ over the batch
  const a = new Float32Array(c), b = new Float32Array(c), d = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    const g = gamma[k] * rstd[k];
    // dx = g·dy − g·mean(dy) − g·x̂·mean(dy·x̂) + dμ/N + dσ²·2(x − μ)/N, written as a·dy + b·(x − μ) + d.
    a[k] = g;
    b[k] = -g * rstd[k] * dots[k] / count + (dVariance ? (2 * dVariance[k]) / count : 0);
    d[k] = -g * sums[k] / count + (dMean ? dMean[k] / count : 0);
  }
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
 * tf.layers' update of BN's moving statistics, moving ← moving − (moving − batch)·(1 − momentum), for the mean and the
 * variance at once — the inference-time statistics of ResNet §3.4's batch normalization. Pure: arrays in, new out.
 */
export function movingAverages(
  movingMean: Float32Array,
  movingVariance: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  momentum: number,
  out: { mean: Float32Array; variance: Float32Array } = {
    mean: new Float32Array(mean.length),
    variance: new Float32Array(mean.length),
  },
): { mean: Float32Array; variance: Float32Array } {
  for (let k = 0; k < mean.length; k++) {
    out.mean[k] = movingMean[k] - (movingMean[k] - mean[k]) * (1 - momentum);
    out.variance[k] = movingVariance[k] - (movingVariance[k] - variance[k]) * (1 - momentum);
  }
  return out;
}

function registerFor(backendName: string): void {
  if (tf.getKernel(FORWARD, backendName) != null) return;
  tf.registerKernel({
    kernelName: MOVING,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { movingMean, movingVariance, mean, variance } = inputs as Record<string, tf.TensorInfo>;
      const { momentum } = attrs as unknown as { momentum: number };
      const k = io(backend);
      const m = k.output(mean.shape), v = k.output(mean.shape);
      movingAverages(
        k.values(movingMean),
        k.values(movingVariance),
        k.values(mean),
        k.values(variance),
        momentum,
        { mean: m.values(), variance: v.values() },
      );
      return [m.info, v.info];
    },
  });
  tf.registerKernel({
    kernelName: FORWARD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      const { epsilon } = attrs as unknown as { epsilon: number };
      const c = x.shape[x.shape.length - 1];
      const k = io(backend);
      const y = k.output(x.shape), mean = k.output([c]), variance = k.output([c]);
      const r = batchNormTrainForward(k.values(x), c, k.values(gamma), k.values(beta), epsilon, y.values(), x.shape[0]);
      mean.values().set(r.mean);
      variance.values().set(r.variance);
      return [y.info, mean.info, variance.info];
    },
  });
  tf.registerKernel({
    kernelName: BACKWARD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, gamma, mean, variance, dMean, dVariance } = inputs as Record<string, tf.TensorInfo>;
      const { epsilon } = attrs as unknown as { epsilon: number };
      const c = x.shape[x.shape.length - 1];
      const k = io(backend);
      const dx = k.output(x.shape), dGamma = k.output([c]), dBeta = k.output([c]);
      const r = batchNormTrainBackward(
        k.values(dy),
        k.values(x),
        c,
        k.values(gamma),
        k.values(mean),
        k.values(variance),
        epsilon,
        Float32Array.from(k.values(dMean)),
        Float32Array.from(k.values(dVariance)),
        dx.values(),
        x.shape[0],
      );
      dGamma.values().set(r.dGamma);
      dBeta.values().set(r.dBeta);
      return [dx.info, dGamma.info, dBeta.info];
    },
  });
}

/**
 * Batch normalization of a channels-last tensor in training mode with batch statistics, as one fused kernel with a
 * fused gradient — ResNet §3.4 ("we adopt batch normalization right after each convolution and before activation").
 * Returns the normalized tensor and the batch mean and (biased) variance per channel.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  return tf.engine().runKernel(FORWARD, { x, gamma, beta }, { epsilon } as never) as unknown as [
    tf.Tensor,
    tf.Tensor1D,
    tf.Tensor1D,
  ];
}

let installed = false;

/**
 * Registers the fused batch-norm kernels on `backendNames` and makes tf.layers' BatchNormalization use them in training
 * mode (channels-last, with centre and scale; anything else keeps the stock path). Moving averages are updated exactly
 * as tf.layers does. Idempotent.
 */
export function installFusedBatchNorm(backendNames: readonly string[]): void {
  for (const name of backendNames) registerFor(name);
  if (installed) return;
  installed = true;
  tf.registerGradient({
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
  });
  type BnLayer = {
    axis: number;
    center: boolean;
    scale: boolean;
    epsilon: number;
    momentum: number;
    gamma: { read(): tf.Tensor };
    beta: { read(): tf.Tensor };
    movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
    movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
  };
  // The class from the serialization registry (instantiating a layer would shift tf.layers' automatic layer names).
  const registry = tf.serialization.SerializationMap.getMap() as unknown as {
    classNameMap: Record<string, [{ prototype: unknown }, unknown] | undefined>;
  };
  const cls = registry.classNameMap["BatchNormalization"]?.[0];
  if (cls == null) {
    throw new Error("lib/backend: tf.layers' BatchNormalization class is not registered; is tfjs-layers loaded?");
  }
  const proto = cls.prototype as {
    call(this: BnLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor;
  };
  const stockCall = proto.call;
  proto.call = function (this: BnLayer, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const axis = this.axis < 0 ? this.axis + x.rank : this.axis;
    const fused = kwargs?.training === true && axis === x.rank - 1 && this.center && this.scale &&
      tf.getKernel(FORWARD, tf.getBackend()) != null && x.dtype === "float32";
    if (!fused) return stockCall.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTraining(
        x,
        this.gamma.read() as tf.Tensor1D,
        this.beta.read() as tf.Tensor1D,
        this.epsilon,
      );
      // tf.layers' update: moving ← moving − (moving − batch)·(1 − momentum), as one kernel for both statistics.
      const [m, v] = tf.engine().runKernel(MOVING, {
        movingMean: this.movingMean.read(),
        movingVariance: this.movingVariance.read(),
        mean,
        variance,
      }, { momentum: this.momentum }) as tf.Tensor[];
      this.movingMean.write(m);
      this.movingVariance.write(v);
      return y;
    });
  };
}
