/**
 * Training kernels for the tfjs `wasm` backend: the stock backend has no Conv2DBackpropFilter, a naive
 * Conv2DBackpropInput, and matmuls with transposed operands off the XNNPACK path. Each kernel here composes the
 * backend's own XNNPACK-backed kernels (see conv_kernels.ts) and falls back to the stock kernel where it does not apply.
 * Batch norm in training mode runs as two fused kernels (batch_norm_kernels.ts); Identity, same-dtype Cast and Slice
 * avoid the stock kernels' needless copies (copy_kernels.ts). When the native kernels are loaded (native_kernels.ts),
 * convolutions and their gradients, and the matrix products of dense layers (BatchMatMul, _FusedMatMul), run there
 * first and fall back to the compositions or the stock kernels for what they do not cover.
 */
import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_KERNELS, registerBatchNormKernels } from "./batch_norm_kernels.ts";
import { patchBatchNormLayer } from "./batch_norm_layer.ts";
import { conv2dBackpropFilterComposed, conv2dBackpropInputComposed, type ConvGradAttrs } from "./conv_kernels.ts";
import { sliceCopy } from "./copy_kernels.ts";
import { type BackendHeap, wasmHeap } from "./heap.ts";
import { KernelCaller, replaceKernel, stockKernel } from "./kernel_call.ts";
import {
  nativeConv2d,
  nativeConv2dBackpropFilter,
  nativeConv2dBackpropInput,
  type NativeConvAttrs,
  nativeMatMul,
} from "./native_kernels.ts";
import { MOMENTUM_UPDATE_KERNEL, registerMomentumUpdateKernel } from "./sgd_kernels.ts";

/** The names of the kernels {@link registerWasmTrainingKernels} registers (or replaces) on `wasm`. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  "Conv2D",
  "FusedConv2D",
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "BatchMatMul",
  "_FusedMatMul",
  "Slice",
  "Identity",
  "Cast",
  ...Object.values(BATCH_NORM_KERNELS),
  MOMENTUM_UPDATE_KERNEL,
];

function heapOf(backend: unknown): BackendHeap {
  const heap = wasmHeap(backend);
  if (heap == null) throw new Error("lib/backend: a wasm training kernel ran on a backend without a wasm heap.");
  return heap;
}

let registered = false;

/**
 * Registers the training kernels on the `wasm` backend and the broadcasting batch-norm gradient — ResNet §3.4
 * (training: SGD with backpropagation through conv, batch norm and fc layers). Idempotent.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const name = "wasm";
  const replace = (kernelName: string, kernelFunc: tf.KernelFunc): void =>
    replaceKernel({ kernelName, backendName: name, kernelFunc });
  registerBatchNormKernels(name);
  patchBatchNormLayer();
  registerMomentumUpdateKernel(name);

  replace("Conv2D", (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    return nativeConv2d(args.backend, { x, filter }, args.attrs as unknown as NativeConvAttrs) ??
      stockKernel("Conv2D", name)(args);
  });

  // tf.layers' conv layers run FusedConv2D (conv + bias + activation); the native path covers a linear activation.
  replace("FusedConv2D", (args) => {
    const { x, filter, bias } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
    const a = args.attrs as unknown as NativeConvAttrs & { activation?: string };
    const stock = stockKernel("FusedConv2D", name);
    if (a.activation != null && a.activation !== "linear") return stock(args);
    const y = nativeConv2d(args.backend, { x, filter }, a);
    if (y == null) return stock(args);
    if (bias == null) return y;
    const k = KernelCaller.of(args.backend, name);
    const out = k.run("Add", { a: y, b: bias });
    k.free(y);
    return out;
  });

  replace("Conv2DBackpropFilter", ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = attrs as unknown as ConvGradAttrs & { filterShape: number[] };
    const native = nativeConv2dBackpropFilter(backend, { x, dy }, a);
    if (native != null) return native;
    const out = conv2dBackpropFilterComposed(KernelCaller.of(backend, name), { x, dy }, a);
    if (out == null) {
      throw new Error(`lib/backend Conv2DBackpropFilter: padding ${JSON.stringify(a.pad)} is not supported on wasm.`);
    }
    return out;
  });

  replace("Conv2DBackpropInput", (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
    const native = nativeConv2dBackpropInput(args.backend, { dy, filter }, a);
    if (native != null) return native;
    const out = conv2dBackpropInputComposed(KernelCaller.of(args.backend, name), { dy, filter }, a);
    return out ?? stockKernel("Conv2DBackpropInput", name)(args);
  });

  // The native matmul first; else XNNPACK, whose fully-connected path is taken only for untransposed operands:
  // transpose explicitly first.
  replace("BatchMatMul", (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const native = nativeMatMul(args.backend, { a, b }, { transposeA, transposeB });
    if (native != null) return native;
    const matmul = stockKernel("BatchMatMul", name);
    if (!transposeA && !transposeB) return matmul(args);
    const k = KernelCaller.of(args.backend, name);
    const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
      return k.transpose(t, perm);
    };
    const at = transposeA ? swapLast(a) : a;
    const bt = transposeB ? swapLast(b) : b;
    const out = matmul({
      inputs: { a: at, b: bt },
      backend: args.backend,
      attrs: { transposeA: false, transposeB: false },
    });
    if (transposeA) k.free(at);
    if (transposeB) k.free(bt);
    return out;
  });

  // tf.layers' dense layers run _FusedMatMul (x·W + bias, activation). Native for a linear or ReLU activation, and for
  // a sigmoid (GAN §5's generator output) applied after it; anything else (PReLU, leaky ReLU, ELU, …) stays stock.
  replace("_FusedMatMul", (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean; activation?: string };
    const activation = attrs.activation ?? "linear";
    const stock = stockKernel("_FusedMatMul", name);
    if (preluActivationWeights != null || !["linear", "relu", "sigmoid"].includes(activation)) return stock(args);
    const { transposeA, transposeB } = attrs;
    const y = nativeMatMul(args.backend, { a: a!, b: b!, bias }, {
      transposeA,
      transposeB,
      relu: activation === "relu",
    });
    if (y == null) return stock(args);
    if (activation !== "sigmoid") return y;
    const k = KernelCaller.of(args.backend, name);
    const out = k.run("Sigmoid", { x: y });
    k.free(y);
    return out;
  });

  // Tensors are immutable: Identity (used to save tensors for the backward pass) can share memory, as on cpu.
  replace("Identity", (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return stockKernel("Identity", name)(args);
    return heapOf(args.backend).share(x);
  });

  replace("Cast", (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: string };
    if (x.dtype !== dtype || dtype === "string") return stockKernel("Cast", name)(args);
    return heapOf(args.backend).share(x);
  });

  replace("Slice", (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return stockKernel("Slice", name)(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    const heap = heapOf(args.backend);
    const out = heap.output(s, x.dtype);
    if (s.every((d) => d > 0)) {
      sliceCopy(heap.typedValues(x), heap.typedValues(out), { shape: x.shape, begin: b, size: s });
    }
    return out;
  });
}
