/**
 * ResNet §4.2, "Analysis of Layer Responses" (Figure 7): the standard deviation of each 3×3 layer's response, "the
 * outputs of each 3×3 layer, after BN and before other nonlinearity (ReLU/addition)". ResNets have generally smaller
 * responses than their plain counterparts: each residual function is closer to zero than a non-residual one — and
 * "the deeper ResNet has smaller magnitudes of responses". After batch norm in inference mode a response is
 * γ·(z − μ)/σ + β, so its std is about |γ| whenever the running statistics fit the batch: each response is shown with
 * the mean |γ| of its BN layer beside it, so a gap in std can be read as a gap in the learned scales.
 */
import * as tf from "@tensorflow/tfjs";
import { plot, type PlotlyFigure, type PlotlyTrace } from "../display/mod.ts";
import { adjacentOrderings, ordering, type OrderingEvidence } from "../evidence/mod.ts";
import { RESPONSE_SUFFIX } from "./blocks.ts";
import { findRun, type Run } from "./degradation.ts";
import type { ShortcutOption } from "./shortcut.ts";

/** The standard deviation of one layer's response. */
export interface LayerResponse {
  /** Layer name (e.g. "stage2_block1_conv1_bn_response"). */
  layer: string;
  /** Standard deviation over all elements (images × positions × channels) of the response. */
  std: number;
  /** Mean |γ| over the channels of the layer's batch norm (NaN for a layer without BN). */
  gamma: number;
}

/** Mean |γ| of a batch-norm layer's scale, NaN when it has none. */
function meanAbsGamma(layer: tf.layers.Layer): number {
  const gamma = layer.weights.find((w) => /gamma/.test(w.originalName ?? w.name));
  if (!gamma) return NaN;
  const values = gamma.read().dataSync();
  let sum = 0;
  for (const v of values) sum += Math.abs(v);
  return sum / values.length;
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
    return { layer: l.name, std: Math.sqrt(Math.max(0, sq[i] / count[i] - mean * mean)), gamma: meanAbsGamma(l) };
  });
}

/** A net's responses in three numbers: mean std, mean |γ|, and mean std/|γ| (about 1 when the std is set by γ). */
export function responseStats(
  responses: readonly LayerResponse[],
): { meanStd: number; meanGamma: number; stdOverGamma: number } {
  if (responses.length === 0) throw new RangeError("responseStats: no responses");
  const mean = (f: (r: LayerResponse) => number) => responses.reduce((a, r) => a + f(r), 0) / responses.length;
  return {
    meanStd: mean((r) => r.std),
    meanGamma: mean((r) => r.gamma),
    stdOverGamma: mean((r) => r.std / r.gamma),
  };
}

/**
 * Figure 7: std of each 3×3 layer's response, in layer order (top, with each layer's mean |γ| dotted beside it) and
 * sorted by magnitude (bottom), one line per net.
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
    const gamma = n.responses.map((r) => r.gamma);
    if (gamma.some((g) => Number.isFinite(g))) {
      traces.push({
        type: "scatter",
        mode: "lines",
        name: `${n.name} |γ|`,
        x,
        y: gamma,
        line: { color, dash: "dot", width: 1 },
        legendgroup: n.name,
      });
    }
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
    yaxis: { title: { text: "std (dotted: mean |γ|)" } },
    xaxis2: { title: { text: "layer index (sorted by magnitude)" } },
    yaxis2: { title: { text: "std" } },
    height: 600,
  });
}

/**
 * What this run's Figure 7 can and cannot show, from its numbers: how close std/|γ| is to 1 across the nets (when it
 * is, a gap in response std is a gap in the learned BN scales), how far γ moved from its initial 1, and the budget
 * beside the paper's (§4.2: 182 epochs with weight decay 1e-4, which pulls scales a net does not need toward 0).
 */
export function responseBudgetNote(
  nets: readonly { stdOverGamma: number; meanGamma: number }[],
  run: { epochs: number; weightDecay: number; paperEpochs: number },
): string {
  if (nets.length === 0) throw new RangeError("responseBudgetNote: no nets");
  const range = (f: (n: { stdOverGamma: number; meanGamma: number }) => number) => {
    const v = nets.map(f);
    return `${Math.min(...v).toFixed(2)} to ${Math.max(...v).toFixed(2)}`;
  };
  const ratios = nets.map((n) => n.stdOverGamma);
  const setByGamma = ratios.every((r) => r > 0.8 && r < 1.25);
  const decay = run.weightDecay > 0 ? `with weight decay ${run.weightDecay}` : "without weight decay";
  const late = run.epochs >= run.paperEpochs / 2;
  return `std/|γ| of the responses: ${range((n) => n.stdOverGamma)} across these nets (` +
    (setByGamma
      ? "about 1: each response's std is set by its BN scale |γ|, so the std orderings above are orderings of |γ|). "
      : "not all near 1: the running statistics do not fit these images, so a std gap is not only a |γ| gap). ") +
    `Mean |γ| is ${range((n) => n.meanGamma)} after ${run.epochs.toFixed(2)} epochs ${decay} (γ starts at 1); ` +
    `the paper trained ${run.paperEpochs} epochs with weight decay 1e-4. ` +
    (late
      ? "This run is within a factor of two of the paper's schedule: its magnitudes can be compared with Figure 7."
      : "This run can show where γ moved in early training, not the converged response magnitudes of Figure 7.");
}

/** One trained net's responses on the probe images, for Figure 7 across seeds. */
export interface NetResponses {
  seed: number;
  depth: number;
  plain: boolean;
  net: string;
  responses: LayerResponse[];
  meanStd: number;
  meanGamma: number;
  stdOverGamma: number;
}

/**
 * Figure 7 on every seed: the responses of the deepest plain net and of the ResNets of every depth (main shortcut
 * option), found among `runs` (trained with `keepModels`), on `images`.
 */
export function responsesAcrossSeeds(
  runs: readonly Run[],
  grid: { seeds: readonly number[]; depths: readonly number[]; shortcut: ShortcutOption; images: tf.Tensor4D },
): NetResponses[] {
  const deepest = Math.max(...grid.depths);
  const nets = [{ depth: deepest, plain: true }, ...grid.depths.map((depth) => ({ depth, plain: false }))];
  return grid.seeds.flatMap((seed) =>
    nets.map(({ depth, plain }) => {
      const run = findRun(runs, { depth, plain, seed, shortcut: grid.shortcut });
      if (!run.model) throw new RangeError(`responsesAcrossSeeds: ${run.label} was trained without keepModels`);
      const responses = layerResponseStd(run.model, grid.images);
      const net = `${plain ? "plain" : "ResNet"}-${depth}`;
      return { seed, depth, plain, net, responses, ...responseStats(responses) };
    })
  );
}

/** Rows for a table of {@link responsesAcrossSeeds}: seed, net, layers, mean std, mean |γ|, std/|γ| (3 digits). */
export function responseRows(nets: readonly NetResponses[]): Record<string, string | number>[] {
  const r3 = (v: number) => +v.toPrecision(3);
  return nets.map((n) => ({
    seed: n.seed,
    net: n.net,
    layers: n.responses.length,
    "mean std": r3(n.meanStd),
    "mean |γ|": r3(n.meanGamma),
    "std/|γ|": r3(n.stdOverGamma),
  }));
}

/** Per-seed pairs of one statistic of two nets (e.g. plain-44 vs ResNet-44 mean std), for lib/evidence `ordering`. */
export function responsePairs(
  nets: readonly NetResponses[],
  higher: { depth: number; plain: boolean },
  lower: { depth: number; plain: boolean },
  stat: "meanStd" | "meanGamma",
): { seed: number; higher: number; lower: number }[] {
  const of = (seed: number, n: { depth: number; plain: boolean }) => {
    const found = nets.find((x) => x.seed === seed && x.depth === n.depth && x.plain === n.plain);
    if (!found) throw new RangeError(`responsePairs: no ${n.plain ? "plain" : "ResNet"}-${n.depth} on seed ${seed}`);
    return found[stat];
  };
  return [...new Set(nets.map((n) => n.seed))].map((seed) => ({
    seed,
    higher: of(seed, higher),
    lower: of(seed, lower),
  }));
}

/** The ResNets' mean response std by depth and seed, for lib/evidence `adjacentOrderings` ("deeper, smaller"). */
export function responseChain(
  nets: readonly NetResponses[],
  depths: readonly number[],
): { labels: string[]; seeds: number[]; values: number[][] } {
  const seeds = [...new Set(nets.map((n) => n.seed))];
  return {
    labels: depths.map(String),
    seeds,
    values: seeds.map((seed) =>
      depths.map((d) => {
        const found = nets.find((x) => x.seed === seed && x.depth === d && !x.plain);
        if (!found) throw new RangeError(`responseChain: no ResNet-${d} on seed ${seed}`);
        return found.meanStd;
      })
    ),
  };
}

/** Figure 7's orderings, judged on every seed. */
export interface Figure7Judgement {
  /** At the deepest depth, the ResNet's mean response std is below the plain net's (claim 1). */
  smallerStd: OrderingEvidence;
  /** The same for the mean |γ| of the BN layers: a std gap that is a γ gap shows here too. */
  smallerGamma: OrderingEvidence;
  /** For each adjacent pair of depths, the deeper ResNet has the smaller mean std (claim 2). */
  deeperSmaller: OrderingEvidence[];
}

/**
 * Judges Figure 7 on `nets` ({@link responsesAcrossSeeds} of a quick grid, or the responses of a recorded run): the
 * ResNet's responses smaller than the plain net's at the deepest depth, with |γ| judged beside them, and the deeper
 * ResNet's smaller than the shallower one's along `depths`.
 */
export function judgeFigure7(nets: readonly NetResponses[], depths: readonly number[]): Figure7Judgement {
  const ladder = [...depths].sort((a, b) => a - b);
  const deepest = ladder.at(-1)!;
  const [plainDeep, resDeep] = [{ depth: deepest, plain: true }, { depth: deepest, plain: false }];
  return {
    smallerStd: ordering(
      `ResNet-${deepest} responses smaller than plain-${deepest} (mean std)`,
      responsePairs(nets, plainDeep, resDeep, "meanStd"),
      { digits: 3 },
    ),
    smallerGamma: ordering(
      `ResNet-${deepest} |γ| smaller than plain-${deepest} (mean |γ|)`,
      responsePairs(nets, plainDeep, resDeep, "meanGamma"),
      { digits: 3 },
    ),
    deeperSmaller: adjacentOrderings(
      (a, b) => `ResNet-${b} responses smaller than ResNet-${a} (mean std)`,
      responseChain(nets, ladder),
      { direction: "falling", digits: 3 },
    ),
  };
}
