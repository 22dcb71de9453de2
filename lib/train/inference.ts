/**
 * Inference with batch norm folded into the convolutions: at test time BN is a fixed affine map per channel, y =
 * γ (x − μ) / √(σ² + ε) + β with the moving statistics (Ioffe & Szegedy 2015, §3.1 and Algorithm 2), so a conv → BN
 * pair is one convolution with weights W·γ/√(σ²+ε) and bias β − γ·μ/√(σ²+ε). The ReLU that follows (ResNet §3.4: BN
 * "right after each convolution and before activation"), and a residual block's addition of its shortcut before that
 * ReLU (§3.2, Eq. 1), run in the same kernel's epilogue (lib/backend's conv2dInference). Works on any tf.layers
 * functional model: what it does not recognise runs as the layer itself, in inference mode.
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dInference, globalAveragePool } from "../backend/mod.ts";

/** What {@link foldedInference} fused. */
export interface FoldSummary {
  /** Convolutions run as fused inference convolutions. */
  convs: number;
  /** Batch norms folded into the convolution before them. */
  batchNorms: number;
  /** ReLUs applied in a convolution's epilogue. */
  relus: number;
  /** Additions (residual shortcuts) done in a convolution's epilogue. */
  residuals: number;
  /** Layers run as themselves (pooling, dense, shortcuts, anything not fused). */
  layers: number;
}

/** A model's forward pass in inference mode with batch norm folded into the convolutions. */
export interface InferenceModel {
  /** The model's output for `x` (the caller owns it; `x` is left alone). */
  predict(x: tf.Tensor): tf.Tensor;
  /** What was fused; null when the model's graph is not one this fold reads (it then runs `model.apply`). */
  readonly summary: FoldSummary | null;
  /** Frees the folded weights. */
  dispose(): void;
}

/** The parts of tf.layers' graph this reads (public fields of Layer, Node and SymbolicTensor). */
interface GraphLayer {
  name: string;
  getClassName(): string;
  getConfig(): tf.serialization.ConfigDict;
  getWeights(): tf.Tensor[];
  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  inboundNodes: { inputTensors: { id: number }[]; outputTensors: { id: number }[] }[];
}

type Step =
  | {
    kind: "conv";
    inputs: number[];
    output: number;
    filter: tf.Tensor4D;
    bias: tf.Tensor1D;
    strides: [number, number];
    pad: "same" | "valid";
    relu: boolean;
    residual: boolean;
  }
  | { kind: "pool"; inputs: number[]; output: number }
  | { kind: "layer"; inputs: number[]; output: number; layer: GraphLayer };

/** A layer's one call in the model: its input and output tensor ids, or null when it was called more than once. */
function callOf(layer: GraphLayer): { inputs: number[]; output: number } | null {
  if (layer.inboundNodes.length !== 1) return null;
  const node = layer.inboundNodes[0];
  if (node.outputTensors.length !== 1) return null;
  return { inputs: node.inputTensors.map((t) => t.id), output: node.outputTensors[0].id };
}

const pair = (v: unknown): [number, number] | null => {
  const a = Array.isArray(v) ? v : [v, v];
  return a.length === 2 && a.every((n) => typeof n === "number") ? [a[0], a[1]] : null;
};

/** A Conv2D this fold covers: channels-last, no dilation, linear or ReLU activation, "same" or "valid" padding. */
function convGeometry(layer: GraphLayer): { strides: [number, number]; pad: "same" | "valid"; act: string } | null {
  if (layer.getClassName() !== "Conv2D") return null;
  const c = layer.getConfig();
  const strides = pair(c.strides), dilation = pair(c.dilationRate ?? 1);
  const act = String(c.activation ?? "linear");
  if (strides == null || dilation == null || dilation[0] !== 1 || dilation[1] !== 1) return null;
  if (c.dataFormat != null && c.dataFormat !== "channelsLast") return null;
  if (c.padding !== "same" && c.padding !== "valid") return null;
  if (act !== "linear" && act !== "relu") return null;
  return { strides, pad: c.padding, act };
}

/** A batch norm over the last axis of a rank-4 tensor (the channels of a channels-last conv). */
function isChannelBatchNorm(layer: GraphLayer): boolean {
  if (layer.getClassName() !== "BatchNormalization") return false;
  const axis = layer.getConfig().axis;
  return axis === -1 || axis === 3;
}

/** ReLU as a layer: tf.layers.reLU() without a cap, or an Activation('relu'). */
function isRelu(layer: GraphLayer): boolean {
  const c = layer.getConfig();
  if (layer.getClassName() === "ReLU") return c.maxValue == null;
  return layer.getClassName() === "Activation" && c.activation === "relu";
}

/**
 * W' = W·s and b' = β + (c − μ)·s with s = γ/√(σ² + ε) per output channel (c: the conv's own bias, or 0), computed
 * in float64 — Ioffe & Szegedy 2015, §3.1: the inference-time BN is a linear transform, so it folds into the
 * preceding linear layer. Without a batch norm, the conv's weights and bias (or zeros) as they are.
 */
function foldedWeights(conv: GraphLayer, bn: GraphLayer | null): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  const [kernel, convBias] = conv.getWeights(); // the layer's own variables: read, never disposed
  const shape = kernel.shape as [number, number, number, number];
  const co = shape[3];
  const w = kernel.dataSync() as Float32Array;
  const c = convBias == null ? new Float32Array(co) : (convBias.dataSync() as Float32Array);
  const scale = new Float64Array(co).fill(1), shift = Float64Array.from(c);
  if (bn != null) {
    const config = bn.getConfig();
    const weights = bn.getWeights();
    let i = 0;
    const gamma = config.scale === false ? null : weights[i++].dataSync();
    const beta = config.center === false ? null : weights[i++].dataSync();
    const mean = weights[i++].dataSync(), variance = weights[i++].dataSync();
    const epsilon = Number(config.epsilon);
    for (let k = 0; k < co; k++) {
      scale[k] = (gamma == null ? 1 : gamma[k]) / Math.sqrt(variance[k] + epsilon);
      shift[k] = (beta == null ? 0 : beta[k]) + (c[k] - mean[k]) * scale[k];
    }
  }
  const wf = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) wf[i] = w[i] * scale[i % co];
  return { filter: tf.keep(tf.tensor4d(wf, shape)), bias: tf.keep(tf.tensor1d(Float32Array.from(shift))) };
}

/** The steps of a model's forward pass with conv → [BN] → [+ shortcut] → [ReLU] chains fused; null if unreadable. */
function plan(model: tf.LayersModel): { steps: Step[]; input: number; output: number; summary: FoldSummary } | null {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null;
  const layers = (model.layers as unknown as GraphLayer[]).filter((l) => l.getClassName() !== "InputLayer");
  const calls = new Map<GraphLayer, { inputs: number[]; output: number }>();
  for (const layer of layers) {
    const call = callOf(layer);
    if (call == null) return null;
    calls.set(layer, call);
  }
  // Who reads each tensor; the model's output counts as a reader, so it is never fused away.
  const readers = new Map<number, GraphLayer[]>();
  for (const layer of layers) {
    for (const id of calls.get(layer)!.inputs) readers.set(id, [...(readers.get(id) ?? []), layer]);
  }
  const output = model.outputs[0].id;
  const soleReader = (id: number): GraphLayer | null => {
    const r = readers.get(id) ?? [];
    return id !== output && r.length === 1 ? r[0] : null;
  };
  const summary: FoldSummary = { convs: 0, batchNorms: 0, relus: 0, residuals: 0, layers: 0 };
  const absorbed = new Set<GraphLayer>();
  // A fused step goes where its last layer was: by then (model.layers is in topological order) its inputs exist.
  const at = new Map<GraphLayer, Step>();
  const steps: Step[] = [];
  for (const layer of layers) {
    if (absorbed.has(layer)) {
      const step = at.get(layer);
      if (step) steps.push(step);
      continue;
    }
    const call = calls.get(layer)!;
    const geometry = convGeometry(layer);
    if (geometry == null) {
      const pool = layer.getClassName() === "GlobalAveragePooling2D" &&
        (layer.getConfig().dataFormat ?? "channelsLast") === "channelsLast";
      steps.push(pool ? { kind: "pool", ...call } : { kind: "layer", ...call, layer });
      summary.layers++;
      continue;
    }
    let last = layer, out = call.output, relu = geometry.act === "relu";
    let bn: GraphLayer | null = null, residual: number | null = null;
    // The next layer of the chain: the one reader of its output, unless another chain took it (the Add of a block
    // whose two branches are both convolutions, as with projection shortcuts).
    const next = (): GraphLayer | null => {
      const r = relu ? null : soleReader(out);
      return r == null || absorbed.has(r) ? null : r;
    };
    const absorb = (l: GraphLayer): void => {
      absorbed.add(l);
      last = l;
      out = calls.get(l)!.output;
    };
    let r = next();
    if (r != null && isChannelBatchNorm(r)) {
      bn = r;
      absorb(r);
      r = next();
    }
    if (r != null && r.getClassName() === "Add") {
      const addInputs = calls.get(r)!.inputs;
      if (addInputs.length === 2 && addInputs[0] !== addInputs[1]) {
        residual = addInputs[0] === out ? addInputs[1] : addInputs[0];
        absorb(r);
        r = next();
      }
    }
    if (r != null && isRelu(r)) {
      absorb(r);
      relu = true;
    }
    const step: Step = {
      kind: "conv",
      inputs: residual == null ? call.inputs : [...call.inputs, residual],
      output: out,
      ...foldedWeights(layer, bn),
      strides: geometry.strides,
      pad: geometry.pad,
      relu,
      residual: residual != null,
    };
    summary.convs++;
    summary.batchNorms += bn == null ? 0 : 1;
    summary.relus += relu ? 1 : 0;
    summary.residuals += residual == null ? 0 : 1;
    if (last === layer) steps.push(step);
    else at.set(last, step);
  }
  return { steps, input: model.inputs[0].id, output, summary };
}

/**
 * The forward pass of `model` in inference mode (`training: false`) with every conv → BN pair folded into one
 * convolution and the ReLU and residual addition that follow done in its epilogue — ResNet §3.4 (BN after each
 * convolution, before the activation), §3.2 Eq. (1) (y = ReLU(F(x) + x)); Ioffe & Szegedy 2015, §3.1 (the inference
 * BN is linear). The folded weights are read from the model now: fold again after training changes them. Equals
 * `model.apply(x, { training: false })` up to float32 rounding (about 1e-6 relative on the ResNets' logits).
 *
 * @example Evaluate a trained net with folded batch norm
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { foldedInference } from "@lib/train/mod.ts";
 *
 * const input = tf.input({ shape: [8, 8, 1] });
 * const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same", useBias: false }).apply(input);
 * const bn = tf.layers.batchNormalization({ axis: -1 }).apply(conv);
 * const model = tf.model({ inputs: input, outputs: tf.layers.reLU().apply(bn) as tf.SymbolicTensor });
 * const folded = foldedInference(model); // summary: 1 conv, 1 batch norm, 1 ReLU fused
 * const y = folded.predict(tf.ones([2, 8, 8, 1]));
 * folded.dispose();
 * model.dispose();
 * y.dispose();
 * ```
 */
export function foldedInference(model: tf.LayersModel): InferenceModel {
  const p = plan(model);
  if (p == null) {
    return {
      predict: (x) => tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor),
      summary: null,
      dispose: () => {},
    };
  }
  const { steps, input, output, summary } = p;
  const uses = new Map<number, number>([[output, 1]]);
  for (const s of steps) for (const id of s.inputs) uses.set(id, (uses.get(id) ?? 0) + 1);
  const owned = steps.flatMap((s) => (s.kind === "conv" ? [s.filter, s.bias] : []));
  return {
    summary,
    predict(x: tf.Tensor): tf.Tensor {
      return tf.tidy(() => {
        const values = new Map<number, tf.Tensor>([[input, x]]);
        const left = new Map(uses);
        const get = (id: number): tf.Tensor => {
          const t = values.get(id);
          if (t == null) throw new Error(`foldedInference(${model.name}): tensor ${id} is read before it is computed`);
          return t;
        };
        // Frees an intermediate after its last reader (the batch's activations, not all of them at once).
        const release = (id: number): void => {
          const n = left.get(id)! - 1;
          left.set(id, n);
          const t = values.get(id)!;
          if (n > 0) return;
          values.delete(id);
          if (t !== x && ![...values.values()].includes(t)) t.dispose();
        };
        for (const s of steps) {
          let y: tf.Tensor;
          if (s.kind === "conv") {
            y = conv2dInference(get(s.inputs[0]) as tf.Tensor4D, {
              filter: s.filter,
              bias: s.bias,
              residual: s.residual ? get(s.inputs[1]) as tf.Tensor4D : undefined,
              strides: s.strides,
              pad: s.pad,
              relu: s.relu,
            });
          } else if (s.kind === "pool") {
            y = globalAveragePool(get(s.inputs[0]) as tf.Tensor4D);
          } else {
            const ins = s.inputs.map(get);
            y = s.layer.apply(ins.length === 1 ? ins[0] : ins, { training: false }) as tf.Tensor;
          }
          values.set(s.output, y);
          for (const id of s.inputs) release(id);
        }
        return get(output);
      });
    },
    dispose: () => tf.dispose(owned),
  };
}
