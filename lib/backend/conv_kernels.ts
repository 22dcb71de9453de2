/**
 * Convolution gradients composed from a backend's fast forward convolution (XNNPACK on wasm), so that the conv layers
 * of the ResNet (ResNet §3.3, §4.2) and the transposed-conv GAN generators train at forward-pass speed.
 *
 * - dW (Conv2DBackpropFilter) is ONE convolution: x transposed to [Cin, H, W, N] is the input, dy transposed to
 *   [Ho, Wo, N, Cout] is the filter, with dilation = the forward stride; the result is [Cin, kh, kw, Cout].
 * - dx (Conv2DBackpropInput, also the forward pass of a transposed convolution) is the full correlation of dy, dilated
 *   by the stride (zeros inserted), with the spatially flipped, in/out-swapped filter, at stride 1.
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

function convInfo(
  xShape: number[],
  filterShape: number[],
  attrs: ConvGradAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
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
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: number[],
  attrs: ConvGradAttrs,
): tf.TensorInfo | null {
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

/**
 * Input gradient dL/dx of a 2-D convolution (NHWC) — also the forward pass of a transposed convolution
 * (the GAN generators' upsampling) — as a stride-1 forward convolution of the stride-dilated dy with the flipped filter.
 * Returns null when the padding is one this composition does not cover (the caller then falls back).
 */
export function conv2dBackpropInputComposed(
  k: KernelCaller,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  inputShape: number[],
  attrs: ConvGradAttrs,
): tf.TensorInfo | null {
  checkFormat("Conv2DBackpropInput", attrs);
  const info = convInfo(inputShape, filter.shape, attrs);
  const [kh, kw] = filter.shape;
  const [n, h, w] = inputShape;
  const { top, left } = info.padInfo;
  const sh = info.strideHeight, sw = info.strideWidth;
  const [, ho, wo, co] = dy.shape;
  const padTop = kh - 1 - top, padLeft = kw - 1 - left;
  if (padTop < 0 || padLeft < 0) return null;
  const owned: tf.TensorInfo[] = [];
  let d = dy;
  // Rows/cols of d beyond the last dy sample (trailing zeros left by the dilation).
  let extraH = 0, extraW = 0;
  if (sh > 1 || sw > 1) {
    const r6 = k.reshape(dy, [n, ho, 1, wo, 1, co]);
    const p6 = k.run("PadV2", { x: r6 }, {
      paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
      constantValue: 0,
    });
    d = k.reshape(p6, [n, ho * sh, wo * sw, co]);
    owned.push(r6, p6, d);
    extraH = sh - 1;
    extraW = sw - 1;
  }
  const hd = (ho - 1) * sh + 1, wd = (wo - 1) * sw + 1;
  let padBottom = h - hd + top - extraH;
  let padRight = w - wd + left - extraW;
  if (padBottom < 0 || padRight < 0) {
    const size = [n, d.shape[1] + Math.min(padBottom, 0), d.shape[2] + Math.min(padRight, 0), co];
    d = k.run("Slice", { x: d }, { begin: [0, 0, 0, 0], size });
    owned.push(d);
    padBottom = Math.max(padBottom, 0);
    padRight = Math.max(padRight, 0);
  }
  const flipped = k.run("Reverse", { x: filter }, { dims: [0, 1] });
  const wf = k.transpose(flipped, [0, 1, 3, 2]); // [kh, kw, Cout, Cin]
  owned.push(flipped, wf);
  const out = k.run("Conv2D", { x: d, filter: wf }, {
    strides: [1, 1],
    pad: [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]],
    dataFormat: "NHWC",
    dilations: [1, 1],
  });
  k.free(...owned);
  return out;
}
