/**
 * Routes tf.layers' BatchNormalization to the fused batch-norm kernels (batch_norm_kernels.ts) in training mode, by
 * patching the layer class's `call`: channels-last, with centre and scale, on a backend where the kernels are
 * registered; anything else keeps the stock path. The moving statistics are updated exactly as tf.layers does.
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormTraining, hasBatchNormKernels, updateMovingStatistics } from "./batch_norm_kernels.ts";

/** The fields of tf.layers' BatchNormalization that the patched `call` reads. */
interface BatchNormLayer {
  axis: number;
  center: boolean;
  scale: boolean;
  epsilon: number;
  momentum: number;
  gamma: { read(): tf.Tensor };
  beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
}

let patched = false;

/**
 * Makes tf.layers' BatchNormalization run the fused kernels in training mode — ResNet §3.4 (batch normalization
 * after each convolution, with the mini-batch's statistics while training). Idempotent.
 */
export function patchBatchNormLayer(): void {
  if (patched) return;
  patched = true;
  // The class from the serialization registry (instantiating a layer would shift tf.layers' automatic layer names).
  const registry = tf.serialization.SerializationMap.getMap() as unknown as {
    classNameMap: Record<string, [{ prototype: unknown }, unknown] | undefined>;
  };
  const cls = registry.classNameMap["BatchNormalization"]?.[0];
  if (cls == null) {
    throw new Error("lib/backend: tf.layers' BatchNormalization class is not registered; is tfjs-layers loaded?");
  }
  const proto = cls.prototype as {
    call(this: BatchNormLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor;
  };
  const stockCall = proto.call;
  proto.call = function (this: BatchNormLayer, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const axis = this.axis < 0 ? this.axis + x.rank : this.axis;
    const fused = kwargs?.training === true && axis === x.rank - 1 && this.center && this.scale &&
      hasBatchNormKernels(tf.getBackend()) && x.dtype === "float32";
    if (!fused) return stockCall.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTraining(x, {
        gamma: this.gamma.read() as tf.Tensor1D,
        beta: this.beta.read() as tf.Tensor1D,
        epsilon: this.epsilon,
      });
      const [m, v] = updateMovingStatistics(
        { mean: this.movingMean.read(), variance: this.movingVariance.read() },
        { batch: { mean, variance }, momentum: this.momentum },
      );
      this.movingMean.write(m);
      this.movingVariance.write(v);
      return y;
    });
  };
}
