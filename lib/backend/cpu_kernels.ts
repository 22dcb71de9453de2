/**
 * The cpu fallback's filter gradient: the stock tfjs cpu Conv2DBackpropFilter reads every element through
 * `TensorBuffer.get` (about 100× slower than its own forward conv); this one walks the typed arrays directly.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { batchNormGradConfig } from "./batch_norm_grad.ts";
import { installFusedBatchNorm } from "./batch_norm_kernels.ts";
import { registerMomentumUpdateKernel } from "./sgd_kernels.ts";
import type { ConvGradAttrs } from "./conv_kernels.ts";
import { replaceKernel } from "./kernel_call.ts";

/**
 * dL/dW[i, j, c, o] = Σ_{n, y, x} x[n, y·s + i − pad, x·s + j − pad, c] · dy[n, y, x, o] over typed arrays (NHWC) —
 * ResNet §3.4 (SGD on conv weights). Pure: arrays and shapes in, a new Float32Array [kh, kw, Cin, Cout] out.
 */
export function conv2dFilterGradient(
  x: Float32Array,
  xShape: readonly number[],
  dy: Float32Array,
  dyShape: readonly number[],
  filterShape: readonly number[],
  geometry: { strideH: number; strideW: number; padTop: number; padLeft: number },
): Float32Array {
  const [n, h, w, ci] = xShape;
  const [, ho, wo, co] = dyShape;
  const [kh, kw] = filterShape;
  if (filterShape[2] !== ci || filterShape[3] !== co || dyShape[0] !== n) {
    throw new Error(
      `lib/backend conv2dFilterGradient: shapes x ${xShape}, dy ${dyShape}, filter ${filterShape} do not agree.`,
    );
  }
  const { strideH, strideW, padTop, padLeft } = geometry;
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

/** Registers the typed-array Conv2DBackpropFilter and the broadcasting batch-norm gradient on `cpu`. Idempotent. */
export function registerCpuTrainingKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient(batchNormGradConfig);
  installFusedBatchNorm(["cpu"]);
  registerMomentumUpdateKernel("cpu");
  replaceKernel("Conv2DBackpropFilter", "cpu", ({ inputs, backend, attrs }) => {
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
    const cpu = backend as tf.KernelBackend & { readSync(id: unknown): tf.TypedArray };
    const dw = conv2dFilterGradient(
      cpu.readSync(x.dataId) as Float32Array,
      x.shape,
      cpu.readSync(dy.dataId) as Float32Array,
      dy.shape,
      a.filterShape,
      {
        strideH: info.strideHeight,
        strideW: info.strideWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
      },
    );
    return (backend as unknown as { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo })
      .makeTensorInfo(a.filterShape, "float32", dw);
  });
}
