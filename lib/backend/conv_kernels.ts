/**
 * Convolution gradients composed from a backend's fast forward convolution (XNNPACK on wasm), so that the conv layers
 * of the ResNet (ResNet §3.3, §4.2) and the transposed-conv GAN generators train at forward-pass speed.
 *
 * - dW (Conv2DBackpropFilter) is ONE convolution: x transposed to [Cin, H, W, N] is the input, dy transposed to
 *   [Ho, Wo, N, Cout] is the filter, with dilation = the forward stride; the result is [Cin, kh, kw, Cout].
 * - dx (Conv2DBackpropInput, also the forward pass of a transposed convolution) is, at stride 1, the full correlation
 *   of dy with the spatially flipped, in/out-swapped filter. At stride s it splits into s×s sub-pixel phases: the dx
 *   pixels of one phase (row ≡ r, col ≡ c mod s) see only the filter taps ≡ r, c (mod s), so each phase is a stride-1
 *   correlation of dy with a sub-filter, and the phases are interleaved — no multiplications by inserted zeros.
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelCaller } from "./kernel_call.ts";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

/** Attributes tfjs passes to Conv2DBackpropFilter / Conv2DBackpropInput. */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function checkFormat(kernel: string, attrs: ConvGradAttrs): void {
  if (attrs.dataFormat != null && attrs.dataFormat !== "NHWC") {
    throw new Error(
      `lib/backend ${kernel}: dataFormat '${attrs.dataFormat}' is not supported; use channelsLast (NHWC).`,
    );
  }
}

/** tfjs's geometry (output size, padding, strides, dilations) of a channels-last 2-D convolution. */
export function convInfo(
  xShape: number[],
  filterShape: number[],
  attrs: Omit<ConvGradAttrs, "dataFormat"> & { dilations?: number | [number, number] },
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
}

/**
 * Filter gradient dL/dW of a 2-D convolution (NHWC), as one forward convolution — ResNet §3.4 (SGD on conv weights).
 * Returns null when the padding is one this composition does not cover (the caller then falls back).
 */
export function conv2dBackpropFilterComposed(
  k: KernelCaller,
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo },
  attrs: ConvGradAttrs & { filterShape: number[] },
): tf.TensorInfo | null {
  const { x, dy } = inputs, { filterShape } = attrs;
  checkFormat("Conv2DBackpropFilter", attrs);
  const info = convInfo(x.shape, filterShape, attrs);
  const [kh, kw] = filterShape;
  const [, h, w] = x.shape;
  const { top, left } = info.padInfo;
  const sh = info.strideHeight, sw = info.strideWidth;
  const ho = dy.shape[1], wo = dy.shape[2];
  if (top < 0 || left < 0) return null;
  let bottom = (ho - 1) * sh + kh - h - top;
  let right = (wo - 1) * sw + kw - w - left;
  const owned: tf.TensorInfo[] = [];
  let xT = k.transpose(x, [3, 1, 2, 0]); // [Cin, H, W, N]
  owned.push(xT);
  if (bottom < 0 || right < 0) {
    const hUsed = h + Math.min(bottom, 0), wUsed = w + Math.min(right, 0);
    xT = k.run("Slice", { x: xT }, { begin: [0, 0, 0, 0], size: [xT.shape[0], hUsed, wUsed, xT.shape[3]] });
    owned.push(xT);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const dyT = k.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Cout]
  owned.push(dyT);
  const r = k.run("Conv2D", { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: "NHWC",
    dilations: [sh, sw],
  }); // [Cin, kh, kw, Cout]
  owned.push(r);
  const out = k.transpose(r, [1, 2, 0, 3]);
  k.free(...owned);
  return out;
}

/** The flipped, in/out-swapped sub-filter of taps rh, rh+s, … × rw, rw+s, …: [Lh, Lw, Cout, Cin]. */
function subFilter(
  k: KernelCaller,
  filter: tf.TensorInfo,
  phase: { rh: number; rw: number; sh: number; sw: number },
): tf.TensorInfo {
  const { rh, rw, sh, sw } = phase;
  const [kh, kw] = filter.shape;
  const owned: tf.TensorInfo[] = [];
  let f = filter;
  if (sh > 1 || sw > 1) {
    f = k.run("StridedSlice", { x: filter }, {
      begin: [rh, rw, 0, 0],
      end: [kh, kw, filter.shape[2], filter.shape[3]],
      strides: [sh, sw, 1, 1],
      beginMask: 0,
      endMask: 0,
      ellipsisMask: 0,
      newAxisMask: 0,
      shrinkAxisMask: 0,
    });
    owned.push(f);
  }
  const flipped = k.run("Reverse", { x: f }, { dims: [0, 1] });
  const out = k.transpose(flipped, [0, 1, 3, 2]);
  k.free(...owned, flipped);
  return out;
}

/**
 * Input gradient dL/dx of a 2-D convolution (NHWC) — also the forward pass of a transposed convolution (the GAN
 * generators' upsampling) — as stride-1 forward convolutions of dy with flipped sub-filters, one per sub-pixel phase.
 * Returns null when the padding is one this composition does not cover (the caller then falls back).
 */
export function conv2dBackpropInputComposed(
  k: KernelCaller,
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo },
  attrs: ConvGradAttrs & { inputShape: number[] },
): tf.TensorInfo | null {
  const { dy, filter } = inputs, { inputShape } = attrs;
  checkFormat("Conv2DBackpropInput", attrs);
  const info = convInfo(inputShape, filter.shape, attrs);
  const [kh, kw] = filter.shape;
  const [n, h, w, ci] = inputShape;
  const { top, left } = info.padInfo;
  const sh = info.strideHeight, sw = info.strideWidth;
  const [, ho, wo] = dy.shape;
  if (top < 0 || left < 0 || top >= kh || left >= kw) return null;
  if (sh === 1 && sw === 1 && h - ho + top >= 0 && w - wo + left >= 0) {
    // Stride 1: one full correlation, padded to give exactly h × w.
    const wf = subFilter(k, filter, { rh: 0, rw: 0, sh: 1, sw: 1 });
    const out = k.run("Conv2D", { x: dy, filter: wf }, {
      strides: [1, 1],
      pad: [[0, 0], [kh - 1 - top, h - ho + top], [kw - 1 - left, w - wo + left], [0, 0]],
      dataFormat: "NHWC",
      dilations: [1, 1],
    });
    k.free(wf);
    return out;
  }
  // Phase (rh, rw) holds dx rows i = sh·q + rh − top for q in [0, qh): dx[i] = Σ_m dy[q − m]·W[rh + sh·m].
  const qh = Math.ceil((h + top) / sh), qw = Math.ceil((w + left) / sw);
  const owned: tf.TensorInfo[] = [];
  const phases: tf.TensorInfo[] = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const lh = Math.ceil((kh - rh) / sh), lw = Math.ceil((kw - rw) / sw);
      if (lh <= 0 || lw <= 0) {
        phases.push(k.run("Fill", {}, { shape: [n, qh, qw, ci], value: 0, dtype: "float32" }));
        continue;
      }
      const wf = subFilter(k, filter, { rh, rw, sh, sw });
      owned.push(wf);
      phases.push(k.run("Conv2D", { x: dy, filter: wf }, {
        strides: [1, 1],
        pad: [[0, 0], [lh - 1, qh - ho], [lw - 1, qw - wo], [0, 0]],
        dataFormat: "NHWC",
        dilations: [1, 1],
      }));
    }
  }
  owned.push(...phases);
  let full: tf.TensorInfo;
  if (sh === 1 && sw === 1) {
    full = phases[0];
  } else {
    // Interleave: [n, qh, sh, qw, sw, ci] from phases ordered (rh, rw).
    const rows: tf.TensorInfo[] = [];
    for (let rh = 0; rh < sh; rh++) {
      const cols = phases.slice(rh * sw, (rh + 1) * sw).map((p) => k.reshape(p, [n, qh, qw, 1, ci]));
      const row = k.run("Concat", cols, { axis: 3 }); // [n, qh, qw, sw, ci]
      owned.push(...cols, row);
      const r = k.reshape(row, [n, qh, 1, qw * sw * ci]);
      owned.push(r);
      rows.push(r);
    }
    const all = k.run("Concat", rows, { axis: 2 }); // [n, qh, sh, qw·sw·ci]
    full = k.reshape(all, [n, qh * sh, qw * sw, ci]);
    owned.push(all, full);
  }
  // dx[i] = full[i + top]: crop the rows/cols before 0 and after h.
  const out = k.run("Slice", { x: full }, { begin: [0, top, left, 0], size: [n, h, w, ci] });
  k.free(...owned);
  return out;
}
