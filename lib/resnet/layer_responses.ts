/**
 * ResNet §4.2, "Analysis of Layer Responses" (Figure 7): the standard deviation of each 3×3 layer's response, "the
 * outputs of each 3×3 layer, after BN and before other nonlinearity (ReLU/addition)". ResNets have generally smaller
 * responses than their plain counterparts: each residual function is closer to zero than a non-residual one.
 */
import * as tf from "@tensorflow/tfjs";
import { plot, type PlotlyFigure, type PlotlyTrace } from "../display/mod.ts";
import { RESPONSE_SUFFIX } from "./blocks.ts";

/** The standard deviation of one layer's response. */
export interface LayerResponse {
  /** Layer name (e.g. "stage2_block1_conv1_bn_response"). */
  layer: string;
  /** Standard deviation over all elements (images × positions × channels) of the response. */
  std: number;
}

/**
 * Std of each 3×3 layer's response (after BN, before ReLU or the addition) in layer order, computed in inference mode
 * on `images` (N×H×W×C). Projection shortcuts are left out.
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

/**
 * Figure 7: std of each 3×3 layer's response, in layer order (top) and sorted by magnitude (bottom), one line per net.
 */
export function responsesFigure(
  nets: readonly { name: string; responses: readonly LayerResponse[]; dash?: string }[],
  options: { title?: string } = {},
): PlotlyFigure {
  const traces: PlotlyTrace[] = [];
  nets.forEach((n, i) => {
    const color = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"][i % 6];
    const std = n.responses.map((r) => r.std);
    const x = std.map((_, k) => k + 1);
    const style = { color, ...(n.dash ? { dash: n.dash } : {}) };
    traces.push({ type: "scatter", mode: "lines+markers", name: n.name, x, y: std, line: style, legendgroup: n.name });
    traces.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${n.name} (sorted)`,
      x,
      y: [...std].sort((a, b) => b - a),
      line: style,
      legendgroup: n.name,
      showlegend: false,
      xaxis: "x2",
      yaxis: "y2",
    });
  });
  return plot(traces, {
    title: { text: options.title ?? "Figure 7: std of layer responses" },
    grid: { rows: 2, columns: 1, pattern: "independent" },
    xaxis: { title: { text: "layer index (original)" } },
    yaxis: { title: { text: "std" } },
    xaxis2: { title: { text: "layer index (sorted by magnitude)" } },
    yaxis2: { title: { text: "std" } },
    height: 600,
  });
}
