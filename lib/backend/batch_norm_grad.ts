/**
 * A batch-norm gradient that broadcasts the per-channel factors instead of tiling them to the full activation shape
 * (the stock tfjs gradient tiles 1/sqrt(var+eps) to [N, H, W, C] first, a full extra pass that is slow on wasm).
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Gradient of y = γ (x − μ) / sqrt(σ² + ε) + β with respect to x, μ, σ², γ, β — ResNet §3.4 ("batch normalization
 * right after each convolution", Ioffe & Szegedy 2015, Algorithm 1 backward pass). Registered for the FusedBatchNorm
 * kernel on every backend.
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
