/** Layer responses of ResNet §4.2 "Analysis of Layer Responses" (Figure 7). */
import * as tf from "@tensorflow/tfjs";
import { RESPONSE_SUFFIX } from "./blocks.ts";

/** The standard deviation of one layer's response. */
export interface LayerResponse {
  /** Layer name (e.g. "stage2_block1_conv1_bn_response"). */
  layer: string;
  /** Standard deviation over all elements (images × positions × channels) of the response. */
  std: number;
}

/**
 * Std of each 3×3 layer's response — ResNet Figure 7: "the outputs of each 3×3 layer, after BN and before other
 * nonlinearity (ReLU/addition)", in layer order, computed in inference mode on `images` (N×H×W×C).
 * Projection shortcuts are left out.
 */
export function layerResponseStd(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  options: { batchSize?: number } = {},
): LayerResponse[] {
  const batchSize = options.batchSize ?? 128;
  const layers = model.layers.filter((l) => l.name.endsWith(RESPONSE_SUFFIX) && !l.name.includes("_proj"));
  if (layers.length === 0) {
    throw new Error(
      `layerResponseStd: ${model.name} has no layers named *${RESPONSE_SUFFIX} (build it with lib/resnet)`,
    );
  }
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tf.SymbolicTensor) });
  const sum = new Float64Array(layers.length);
  const sq = new Float64Array(layers.length);
  const count = new Float64Array(layers.length);
  const n = images.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const moments = tf.tidy(() => {
      const x = images.slice([start, 0, 0, 0], [Math.min(batchSize, n - start), -1, -1, -1]);
      const outs = probe.predict(x) as tf.Tensor | tf.Tensor[];
      const list = Array.isArray(outs) ? outs : [outs];
      return tf.stack(list.map((o) => tf.stack([tf.sum(o), tf.sum(tf.square(o)), tf.scalar(o.size)])));
    });
    const m = moments.arraySync() as number[][];
    moments.dispose();
    m.forEach(([s, q, c], i) => {
      sum[i] += s;
      sq[i] += q;
      count[i] += c;
    });
  }
  return layers.map((l, i) => {
    const mean = sum[i] / count[i];
    return { layer: l.name, std: Math.sqrt(Math.max(0, sq[i] / count[i] - mean * mean)) };
  });
}
