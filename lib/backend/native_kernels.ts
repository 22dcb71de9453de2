/**
 * The native kernels (lib/backend/native/*.cc, built by native_build.ts) loaded through Deno's FFI, and their tfjs
 * glue: convolution forward, input gradient and filter gradient for tensors on the `wasm` backend, read and written
 * in place on the wasm heap, the inference convolution with bias, residual and ReLU in its epilogue, and the matrix
 * product of the fully connected layers (with bias and ReLU). Each returns null for a case it does not cover (another
 * data format, dilation, unequal strides, channel counts not a multiple of 8; a product too small to gain), and the
 * caller falls back to the wasm kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { type ConvGradAttrs, convInfo } from "./conv_kernels.ts";
import { type BackendHeap, wasmHeap } from "./heap.ts";
import { buildNativeLibrary, forcedVectorWidth, type NativeBuild, type VectorWidth } from "./native_build.ts";

const I = "i32" as const, B = "buffer" as const;

/** The C functions of the library and their FFI signatures. */
const SYMBOLS = {
  paper_conv2d: { parameters: [B, I, I, I, I, B, I, I, I, I, I, I, I, B, I, I], result: I },
  paper_conv2d_fused: { parameters: [B, I, I, I, I, B, I, I, I, I, I, I, I, B, B, I, B, I, I], result: I },
  paper_conv2d_backprop_input: { parameters: [B, I, I, I, I, B, I, I, I, I, I, I, B, I, I, I], result: I },
  paper_conv2d_backprop_filter: { parameters: [B, I, I, I, I, B, I, I, I, I, I, I, I, B, I, I], result: I },
  paper_bn_sums: { parameters: [B, I, I, B, B, B], result: "void" },
  paper_bn_apply: { parameters: [B, I, I, B, B, B], result: "void" },
  paper_bn_grad_sums: { parameters: [B, B, I, I, B, B, B], result: "void" },
  paper_bn_grad_apply: { parameters: [B, B, I, I, B, B, B, B, B], result: "void" },
  paper_matmul: { parameters: [B, I, B, I, I, I, I, I, I, I, B, I, B], result: I },
  paper_squared_distances: { parameters: [B, I, B, I, I, B], result: "void" },
  paper_vector_width: { parameters: [], result: I },
} as const;

/** The loaded library's functions. */
export type NativeSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** The loaded library (with the vector width it was built for, in bits), or why it is not available. */
export type NativeStatus =
  | { ok: true; symbols: NativeSymbols; build: NativeBuild; vectorWidth: number }
  | { ok: false; reason: string };

/** Loaded libraries by requested width ("auto": the compiler's choice or `$PAPER_VECTOR_WIDTH`). */
const loaded = new Map<string, Promise<NativeStatus>>();
let symbols: NativeSymbols | null = null;

/**
 * Builds (if needed) and loads the native kernels once per process and width; `PAPER_NATIVE=0` turns them off,
 * `PAPER_VECTOR_WIDTH=256|512` (or `options.vectorWidth`) forces a vector width. The library loaded last is the one
 * the kernels call, so a test or a benchmark can load each width in turn. Never throws: a missing compiler or a
 * failed build comes back as `{ ok: false, reason }`.
 */
export function loadNativeKernels(options: { vectorWidth?: VectorWidth } = {}): Promise<NativeStatus> {
  const key = String(options.vectorWidth ?? "auto");
  let status = loaded.get(key);
  if (status == null) {
    status = (async (): Promise<NativeStatus> => {
      const env = Deno.env.get("PAPER_NATIVE");
      if (env === "0" || env === "false") return { ok: false, reason: "PAPER_NATIVE=0" };
      if (typeof Deno.dlopen !== "function") return { ok: false, reason: "Deno.dlopen is not available" };
      try {
        const width = forcedVectorWidth(options) ?? undefined;
        const build = await buildNativeLibrary({ vectorWidth: width });
        const lib = Deno.dlopen(build.path, SYMBOLS);
        return { ok: true, symbols: lib.symbols, build, vectorWidth: lib.symbols.paper_vector_width() };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    })();
    loaded.set(key, status);
  }
  return status.then((s) => {
    if (s.ok) symbols = s.symbols;
    return s;
  });
}

let enabled = true;

/**
 * Turns the loaded native kernels off (false) or back on (true) in this process, so that a benchmark or a test can
 * run the wasm/XNNPACK and JavaScript paths beside them. Default: on.
 */
export function useNativeKernels(on: boolean): void {
  enabled = on;
}

/** True when {@link loadNativeKernels} succeeded in this process and the kernels are on. */
export function nativeKernelsOn(): boolean {
  return nativeSymbols() != null;
}

/** The native functions if {@link loadNativeKernels} succeeded in this process and they are on, else null. */
export function nativeSymbols(): NativeSymbols | null {
  return enabled ? symbols : null;
}

/** Convolution attributes as tfjs passes them to Conv2D, FusedConv2D and the two gradient kernels. */
export interface NativeConvAttrs extends Omit<ConvGradAttrs, "dataFormat"> {
  /** "NHWC" / "channelsLast" (anything else: the native path declines). */
  dataFormat?: string;
  dilations?: number | [number, number];
}

/** Stride and top/left padding when the native kernels cover the convolution, else null. */
function geometry(
  xShape: number[],
  filterShape: number[],
  attrs: NativeConvAttrs,
): { info: tf.backend_util.Conv2DInfo; s: number } | null {
  if (attrs.dataFormat != null && attrs.dataFormat !== "NHWC" && attrs.dataFormat !== "channelsLast") return null;
  const info = convInfo(xShape, filterShape, attrs);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  if (info.strideHeight !== info.strideWidth) return null;
  if (info.padInfo.top < 0 || info.padInfo.left < 0) return null;
  return { info, s: info.strideHeight };
}

/** What a native convolution call needs, or null when the native kernels do not cover the case. */
interface Prepared {
  f: NativeSymbols;
  h: BackendHeap;
  info: tf.backend_util.Conv2DInfo;
  s: number;
}

/**
 * Checks a convolution for the native path: library loaded, wasm backend, float32 tensors, a geometry it covers,
 * `channels` (the channel count its vectors run over) a multiple of 8, and `dy` (if given) of the output's size.
 */
function prepare(
  backend: unknown,
  conv: {
    tensors: tf.TensorInfo[];
    xShape: number[];
    filterShape: number[];
    attrs: NativeConvAttrs;
    channels: number;
    dy?: tf.TensorInfo;
  },
): Prepared | null {
  const { tensors, xShape, filterShape, attrs, channels, dy } = conv;
  const f = nativeSymbols(), h = wasmHeap(backend);
  if (f == null || h == null || channels % 8 !== 0 || tensors.some((t) => t.dtype !== "float32")) return null;
  const g = geometry(xShape, filterShape, attrs);
  if (g == null) return null;
  if (dy != null && (dy.shape[1] !== g.info.outHeight || dy.shape[2] !== g.info.outWidth)) return null;
  return { f, h, ...g };
}

function checkStatus(rc: number, call: { fn: string; shapes: string }): void {
  if (rc !== 0) throw new Error(`lib/backend native ${call.fn} returned ${rc} for ${call.shapes}.`);
}

/** y = x ⋆ W (NHWC, float32) on the wasm heap — the conv layers' forward pass (ResNet §3.3). */
export function nativeConv2d(
  backend: unknown,
  inputs: { x: tf.TensorInfo; filter: tf.TensorInfo },
  attrs: NativeConvAttrs,
): tf.TensorInfo | null {
  const { x, filter } = inputs;
  const [kh, kw, , co] = filter.shape;
  const p = prepare(backend, { tensors: [x, filter], xShape: x.shape, filterShape: filter.shape, attrs, channels: co });
  if (p == null) return null;
  const { f, h, info, s } = p;
  const [n, hi, wi, ci] = x.shape;
  const { top, left } = info.padInfo;
  const out = h.output([n, info.outHeight, info.outWidth, co]);
  const [xv, wv, yv] = [x, filter, out].map((t) => h.values(t));
  const rc = f.paper_conv2d(xv, n, hi, wi, ci, wv, kh, kw, co, s, s, top, left, yv, info.outHeight, info.outWidth);
  checkStatus(rc, { fn: "paper_conv2d", shapes: `x ${x.shape}, W ${filter.shape}` });
  return out;
}

/**
 * y = [ReLU](x ⋆ W + bias + residual) (NHWC, float32) on the wasm heap in one pass: a convolution with a batch norm
 * folded into W and bias, the shortcut of ResNet §3.2 Eq. (1) added and the ReLU applied as each output tile is stored.
 * For inference; returns null where the native kernels do not cover the case, or when `bias` is not [Cout] or
 * `residual` not of the output's shape.
 */
export function nativeConv2dFused(
  backend: unknown,
  inputs: { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo; residual?: tf.TensorInfo },
  attrs: NativeConvAttrs & { relu: boolean },
): tf.TensorInfo | null {
  const { x, filter, bias, residual } = inputs;
  const [kh, kw, , co] = filter.shape;
  const tensors = [x, filter, ...(bias ? [bias] : []), ...(residual ? [residual] : [])];
  const p = prepare(backend, { tensors, xShape: x.shape, filterShape: filter.shape, attrs, channels: co });
  if (p == null) return null;
  const { f, h, info, s } = p;
  const [n, hi, wi, ci] = x.shape;
  const outShape = [n, info.outHeight, info.outWidth, co];
  if (bias != null && (bias.shape.length !== 1 || bias.shape[0] !== co)) return null;
  if (residual != null && residual.shape.join() !== outShape.join()) return null;
  const { top, left } = info.padInfo;
  const out = h.output(outShape);
  const [xv, wv, yv] = [x, filter, out].map((t) => h.values(t));
  const bv = bias == null ? null : h.values(bias), rv = residual == null ? null : h.values(residual);
  const rc = f.paper_conv2d_fused(
    xv,
    n,
    hi,
    wi,
    ci,
    wv,
    kh,
    kw,
    co,
    s,
    s,
    top,
    left,
    bv,
    rv,
    attrs.relu ? 1 : 0,
    yv,
    info.outHeight,
    info.outWidth,
  );
  checkStatus(rc, { fn: "paper_conv2d_fused", shapes: `x ${x.shape}, W ${filter.shape}` });
  return out;
}

/** dL/dx of a convolution (NHWC, float32) on the wasm heap — backpropagation through the conv layers (ResNet §3.4). */
export function nativeConv2dBackpropInput(
  backend: unknown,
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo },
  attrs: NativeConvAttrs & { inputShape: number[] },
): tf.TensorInfo | null {
  const { dy, filter } = inputs, { inputShape } = attrs;
  const [kh, kw, ci, co] = filter.shape;
  const p = prepare(backend, {
    tensors: [dy, filter],
    xShape: inputShape,
    filterShape: filter.shape,
    attrs,
    channels: ci,
    dy,
  });
  if (p == null) return null;
  const { f, h, info, s } = p;
  const [n, hi, wi] = inputShape;
  const { top, left } = info.padInfo;
  const out = h.output(inputShape);
  const [dyv, wv, dxv] = [dy, filter, out].map((t) => h.values(t));
  const [ho, wo] = [info.outHeight, info.outWidth];
  const rc = f.paper_conv2d_backprop_input(dyv, n, ho, wo, co, wv, kh, kw, s, s, top, left, dxv, hi, wi, ci);
  checkStatus(rc, { fn: "paper_conv2d_backprop_input", shapes: `dy ${dy.shape}, W ${filter.shape}` });
  return out;
}

/** dL/dW of a convolution (NHWC, float32) on the wasm heap — the conv weights' gradient for SGD (ResNet §3.4). */
export function nativeConv2dBackpropFilter(
  backend: unknown,
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo },
  attrs: NativeConvAttrs & { filterShape: number[] },
): tf.TensorInfo | null {
  const { x, dy } = inputs, { filterShape } = attrs;
  const [kh, kw, , co] = filterShape;
  const p = prepare(backend, { tensors: [x, dy], xShape: x.shape, filterShape, attrs, channels: co, dy });
  if (p == null) return null;
  const { f, h, info, s } = p;
  const [n, hi, wi, ci] = x.shape;
  const { top, left } = info.padInfo;
  const out = h.output(filterShape);
  const [xv, dyv, dwv] = [x, dy, out].map((t) => h.values(t));
  const [ho, wo] = [info.outHeight, info.outWidth];
  const rc = f.paper_conv2d_backprop_filter(xv, n, hi, wi, ci, dyv, ho, wo, co, s, s, top, left, dwv, kh, kw);
  checkStatus(rc, { fn: "paper_conv2d_backprop_filter", shapes: `x ${x.shape}, dy ${dy.shape}` });
  return out;
}

/**
 * Products smaller than this many multiply-adds stay on XNNPACK: the call costs more than it saves there, and the
 * ResNets' 10-way classifier (64 features) keeps the sums it had before the native matmul.
 */
export const NATIVE_MATMUL_MIN_MACS = 1 << 18;

/**
 * C = op(A)·op(B) [+ bias] [ReLU] (float32, batched as tfjs's BatchMatMul: equal batch counts or one operand with 1)
 * on the wasm heap — the fully connected layers of GAN §5's generator and discriminator, forward (x·W) and backward
 * (xᵀ·dy, dy·Wᵀ). Returns null when the native kernels are off or do not cover the case (another dtype, batch counts
 * that do not broadcast this way, a bias that is not [N], under {@link NATIVE_MATMUL_MIN_MACS}).
 */
export function nativeMatMul(
  backend: unknown,
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo },
  attrs: { transposeA: boolean; transposeB: boolean; relu?: boolean },
): tf.TensorInfo | null {
  const { a, b, bias } = inputs, { transposeA, transposeB } = attrs;
  const f = nativeSymbols(), h = wasmHeap(backend);
  const tensors = [a, b, ...(bias ? [bias] : [])];
  if (f == null || h == null || tensors.some((t) => t.dtype !== "float32")) return null;
  if (a.shape.length < 2 || a.shape.length !== b.shape.length) return null;
  const r = a.shape.length;
  const [m, k] = transposeA ? [a.shape[r - 1], a.shape[r - 2]] : [a.shape[r - 2], a.shape[r - 1]];
  const [kb, n] = transposeB ? [b.shape[r - 1], b.shape[r - 2]] : [b.shape[r - 2], b.shape[r - 1]];
  const lead = (t: tf.TensorInfo) => t.shape.slice(0, -2);
  const count = (dims: number[]) => dims.reduce((x, y) => x * y, 1);
  const [aBatch, bBatch] = [count(lead(a)), count(lead(b))];
  if (kb !== k || (aBatch !== bBatch && aBatch !== 1 && bBatch !== 1)) return null;
  const batchDims = aBatch >= bBatch ? lead(a) : lead(b);
  const batch = Math.max(aBatch, bBatch);
  if (batch * m * k * n < NATIVE_MATMUL_MIN_MACS) return null;
  if (bias != null && (bias.shape.length !== 1 || bias.shape[0] !== n)) return null;
  const out = h.output([...batchDims, m, n]);
  const [av, bv, cv] = [a, b, out].map((t) => h.values(t));
  const biasv = bias == null ? null : h.values(bias);
  const rc = f.paper_matmul(
    av,
    aBatch,
    bv,
    bBatch,
    batch,
    m,
    k,
    n,
    transposeA ? 1 : 0,
    transposeB ? 1 : 0,
    biasv,
    attrs.relu ? 1 : 0,
    cv,
  );
  checkStatus(rc, { fn: "paper_matmul", shapes: `a ${a.shape}, b ${b.shape}` });
  return out;
}

/**
 * out[b·n + i] = ‖x_b − s_i‖² (differences and sums in double) for the m = x.length / d points of `x` and the n points
 * of `s` — the distances of GAN §5's Parzen-window estimate. Returns false, leaving `out` untouched, when the native
 * kernels are not loaded (or off) in this process: the caller computes them itself.
 */
export function nativeSquaredDistances(x: Float32Array, s: Float32Array, d: number, out: Float64Array): boolean {
  const f = nativeSymbols();
  if (f == null) return false;
  const m = x.length / d, n = s.length / d;
  if (!Number.isInteger(m) || !Number.isInteger(n) || out.length < m * n) {
    throw new RangeError(
      `nativeSquaredDistances: ${x.length} and ${s.length} values are not whole points of ${d}, or out holds ` +
        `${out.length} < ${m}·${n}`,
    );
  }
  f.paper_squared_distances(x, m, s, n, d, out);
  return true;
}
