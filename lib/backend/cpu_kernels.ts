/**
 * The cpu fallback's filter gradient: the stock tfjs cpu Conv2DBackpropFilter reads every element through
 * `TensorBuffer.get` (about 100× slower than its own forward conv); this one walks the typed arrays directly.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { registerBatchNormKernels } from "./batch_norm_kernels.ts";
import { patchBatchNormLayer } from "./batch_norm_layer.ts";
import type { ConvGradAttrs } from "./conv_kernels.ts";
import { backendHeap } from "./heap.ts";
import { replaceKernel } from "./kernel_call.ts";
import { registerMomentumUpdateKernel } from "./sgd_kernels.ts";

/** A tensor's values and shape as typed-array code takes them. */
export interface ArrayTensor {
  values: Float32Array;
  shape: readonly number[];
}

/** Stride and top/left padding of a convolution. */
export interface ConvGeometry {
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/**
 * dL/dW[i, j, c, o] = Σ_{n, y, x} x[n, y·s + i − pad, x·s + j − pad, c] · dy[n, y, x, o] over typed arrays (NHWC) —
 * ResNet §3.4 (SGD on conv weights). Pure: arrays and shapes in, a new Float32Array [kh, kw, Cin, Cout] out.
 */
export function conv2dFilterGradient(
  input: ArrayTensor,
  grad: ArrayTensor,
  options: ConvGeometry & { filterShape: readonly number[] },
): Float32Array {
  const { values: x, shape: xShape } = input, { values: dy, shape: dyShape } = grad;
  const { filterShape, strideH, strideW, padTop, padLeft } = options;
  const [n, h, w, ci] = xShape;
  const [, ho, wo, co] = dyShape;
  const [kh, kw] = filterShape;
  if (filterShape[2] !== ci || filterShape[3] !== co || dyShape[0] !== n) {
    throw new Error(
      `lib/backend conv2dFilterGradient: shapes x ${xShape}, dy ${dyShape}, filter ${filterShape} do not agree.`,
    );
  }
  const dw = new Float32Array(kh * kw * ci * co);
  for (let b = 0; b < n; b++) {
    for (let yo = 0; yo < ho; yo++) {
      for (let xo = 0; xo < wo; xo++) {
        const dyBase = ((b * ho + yo) * wo + xo) * co;
        for (let i = 0; i < kh; i++) {
          const yi = yo * strideH - padTop + i;
          if (yi < 0 || yi >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xi = xo * strideW - padLeft + j;
            if (xi < 0 || xi >= w) continue;
            const xBase = ((b * h + yi) * w + xi) * ci;
            const wBase = (i * kw + j) * ci * co;
            for (let c = 0; c < ci; c++) {
              const xv = x[xBase + c];
              if (xv === 0) continue;
              const row = wBase + c * co;
              for (let o = 0; o < co; o++) dw[row + o] += xv * dy[dyBase + o];
            }
          }
        }
      }
    }
  }
  return dw;
}

let registered = false;

/**
 * Registers on `cpu` the typed-array Conv2DBackpropFilter, the fused batch-norm kernels (with tf.layers routed to them)
 * and the fused momentum update. Idempotent.
 */
export function registerCpuTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerBatchNormKernels("cpu");
  patchBatchNormLayer();
  registerMomentumUpdateKernel("cpu");
  replaceKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "cpu",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as ConvGradAttrs & { filterShape: number[] };
      if (a.dataFormat != null && a.dataFormat !== "NHWC") {
        throw new Error(`lib/backend Conv2DBackpropFilter (cpu): dataFormat '${a.dataFormat}' is not supported.`);
      }
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        a.filterShape as [number, number, number, number],
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
      );
      const heap = backendHeap(backend);
      const dw = conv2dFilterGradient({ values: heap.values(x), shape: x.shape }, {
        values: heap.values(dy),
        shape: dy.shape,
      }, {
        filterShape: a.filterShape,
        strideH: info.strideHeight,
        strideW: info.strideWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
      });
      const out = heap.output(a.filterShape);
      heap.values(out).set(dw);
      return out;
    },
  });
}
