/**
 * Kernels for inference (evaluation passes): a convolution whose epilogue adds a bias and a residual and applies the
 * ReLU, and a global average pool. With batch norm folded into the convolution's weights and bias (lib/train's
 * foldedInference), a ResNet unit conv → BN → ReLU, or a block's last conv → BN → + shortcut → ReLU (ResNet §3.2
 * Eq. 1, §3.4), is one pass over its output instead of four or five: tfjs's inference path runs the stock wasm
 * FusedBatchNorm (a scalar loop with a division and four wrapping index counters per element), Add and Relu, each a
 * full pass over the activations, and a Mean. The training kernels are not involved: nothing here runs under a
 * gradient tape.
 */
import * as tf from "@tensorflow/tfjs";
import { backendHeap } from "./heap.ts";
import { KernelCaller } from "./kernel_call.ts";
import { nativeConv2dFused } from "./native_kernels.ts";

/** Kernel names: the fused inference convolution and the global average pool. */
export const INFERENCE_KERNELS = {
  conv: "PaperConv2DInference",
  pool: "PaperGlobalAveragePool",
} as const;

/** Geometry of {@link conv2dInference}: channels-last, no dilation. */
export interface InferenceConvAttrs {
  strides: number | [number, number];
  pad: "same" | "valid";
  /** Apply max(·, 0) last. */
  relu: boolean;
}

/** The kernel's attributes as tfjs passes them (a NamedAttrMap). */
type ConvKernelAttrs = InferenceConvAttrs & Record<string, unknown>;

/**
 * The native kernel where it covers the case (wasm heap, Cout a multiple of 8), else the backend's own kernels in
 * sequence: FusedConv2D (bias, and the ReLU when there is no residual), then Add and Relu.
 */
const convKernel = (backendName: string): tf.KernelFunc => ({ inputs, backend, attrs }) => {
  const { x, filter, bias, residual } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { strides, pad, relu } = attrs as unknown as InferenceConvAttrs;
  const native = nativeConv2dFused(backend, { x: x!, filter: filter!, bias, residual }, {
    strides,
    pad,
    dataFormat: "NHWC",
    relu,
  });
  if (native != null) return native;
  const k = KernelCaller.of(backend, backendName);
  let y = k.run("FusedConv2D", { x: x!, filter: filter!, ...(bias ? { bias } : {}) }, {
    strides,
    pad,
    dataFormat: "NHWC",
    dilations: [1, 1],
    dimRoundingMode: undefined,
    activation: relu && residual == null ? "relu" : "linear",
    leakyreluAlpha: 0,
  });
  if (residual != null) {
    const sum = k.run("Add", { a: y, b: residual });
    k.free(y);
    y = sum;
    if (relu) {
      const r = k.run("Relu", { x: y });
      k.free(y);
      y = r;
    }
  }
  return y;
};

/** Mean over height and width of [N, H, W, C], accumulated in float64: [N, C]. */
const poolKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const [n, h, w, c] = x.shape;
  const heap = backendHeap(backend);
  const out = heap.output([n, c]);
  const xs = heap.values(x), ys = heap.values(out);
  const acc = new Float64Array(c), pixels = h * w;
  for (let b = 0, i = 0; b < n; b++) {
    acc.fill(0);
    for (let p = 0; p < pixels; p++) for (let k = 0; k < c; k++, i++) acc[k] += xs[i];
    for (let k = 0; k < c; k++) ys[b * c + k] = acc[k] / pixels;
  }
  return out;
};

/** Registers the inference kernels on `backendName` (wasm or cpu: backends whose memory heap.ts reads). Idempotent. */
export function registerInferenceKernels(backendName: string): void {
  if (tf.getKernel(INFERENCE_KERNELS.conv, backendName) != null) return;
  tf.registerKernel({ kernelName: INFERENCE_KERNELS.conv, backendName, kernelFunc: convKernel(backendName) });
  tf.registerKernel({ kernelName: INFERENCE_KERNELS.pool, backendName, kernelFunc: poolKernel });
}

/** True when the inference kernels are registered on `backendName`. */
export function hasInferenceKernels(backendName: string): boolean {
  return tf.getKernel(INFERENCE_KERNELS.conv, backendName) != null;
}

/**
 * y = [ReLU](conv2d(x, filter) + bias + residual) for inference — a ResNet unit with its batch norm folded into
 * `filter` and `bias` (§3.4), and for a block's last unit the shortcut `residual` (§3.2, Eq. 1) of y's shape. One
 * kernel where {@link registerInferenceKernels} ran for the current backend, else tfjs ops. Not differentiable.
 */
export function conv2dInference(
  x: tf.Tensor4D,
  options: InferenceConvAttrs & { filter: tf.Tensor4D; bias?: tf.Tensor1D; residual?: tf.Tensor4D },
): tf.Tensor4D {
  const { filter, bias, residual, strides, pad, relu } = options;
  if (hasInferenceKernels(tf.getBackend())) {
    const inputs = { x, filter, ...(bias ? { bias } : {}), ...(residual ? { residual } : {}) };
    const attrs: ConvKernelAttrs = { strides, pad, relu };
    return tf.engine().runKernel(INFERENCE_KERNELS.conv, inputs, attrs as never) as tf.Tensor4D;
  }
  return tf.tidy((): tf.Tensor4D => {
    const activation = relu && residual == null ? "relu" : "linear";
    const y = tf.fused.conv2d({ x, filter, bias, strides, pad, activation });
    if (residual == null) return y;
    const sum = tf.add<tf.Tensor4D>(y, residual);
    return relu ? tf.relu(sum) : sum;
  });
}

/**
 * Global average pooling of [N, H, W, C] to [N, C] — the end of the ResNets (§3.4, Table 1) — as one kernel where
 * {@link registerInferenceKernels} ran for the current backend, else tf.mean. Not differentiable.
 */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  if (hasInferenceKernels(tf.getBackend())) {
    return tf.engine().runKernel(INFERENCE_KERNELS.pool, { x }) as tf.Tensor2D;
  }
  return tf.mean(x, [1, 2]);
}
