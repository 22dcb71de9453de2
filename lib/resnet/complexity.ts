/** Parameter and multiply-add counts of a model, as ResNet Table 1 ("FLOPs") and Table 6 ("# params") count them. */
import * as tf from "@tensorflow/tfjs";

/** Model size and cost for one input image. */
export interface Complexity {
  /** Trainable parameters (convolution kernels, biases, BN scale and shift, fc); BN running statistics excluded. */
  params: number;
  /** Multiply-adds of the convolutional and fully-connected layers for one image. */
  flops: number;
}

/** Multiply-adds of one layer for one image (conv: H_out·W_out·k_h·k_w·C_in·C_out; dense: in·out); 0 otherwise. */
function layerFlops(layer: tf.layers.Layer): number {
  const cls = layer.getClassName();
  // Conv2D and Dense keep their kernel variable as `kernel` (variable names are made unique across models, so the
  // name cannot be matched).
  const kernel = (layer as unknown as { kernel?: { shape: number[] } }).kernel?.shape;
  if (!kernel) return 0;
  if (cls === "Conv2D") {
    const out = layer.outputShape as number[];
    const [kh, kw, cin, cout] = kernel;
    return out[1] * out[2] * kh * kw * cin * cout;
  }
  if (cls === "Dense") return kernel[0] * kernel[1];
  return 0;
}

/**
 * `{ params, flops }` of a model for one image — FLOPs as multiply-adds of conv and fc layers, the convention of
 * ResNet Table 1 (ResNet-34: 3.6×10^9); params as trainable weights, the convention of Table 6 (ResNet-20: 0.27M).
 */
export function countComplexity(model: tf.LayersModel): Complexity {
  let params = 0;
  for (const w of model.trainableWeights) params += (w.shape as number[]).reduce((a, b) => a * b, 1);
  let flops = 0;
  for (const layer of model.layers) flops += layerFlops(layer);
  return { params, flops };
}
