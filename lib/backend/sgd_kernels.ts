/**
 * The momentum-SGD update of one variable as one kernel on the wasm and cpu backends: a typed-array loop instead of
 * the five or six elementwise ops (each a kernel call and a full pass) that lib/train's MomentumSgd runs where the
 * kernel is missing. A ResNet-44 step updates ~140 variables.
 */
import * as tf from "@tensorflow/tfjs";
import { backendHeap } from "./heap.ts";

/**
 * Name of the fused kernel for one variable's update (inputs `w`, `v`, `g`; attrs `lr`, `momentum`, `weightDecay`;
 * outputs `[w', v']`), which lib/train's MomentumSgd runs where a backend registers it.
 */
export const MOMENTUM_UPDATE_KERNEL = "PaperMomentumSgdUpdate";

/** Hyper-parameters of one {@link momentumUpdate}. */
export interface MomentumUpdateOptions {
  lr: number;
  momentum: number;
  /** λ; 0 for variables without decay. */
  weightDecay: number;
  /** Where to write w' and v' (may alias w and v). Default: new arrays. */
  out?: { w: Float32Array; v: Float32Array };
}

/**
 * One momentum-SGD update of ResNet §3.4 on typed arrays: v' = μ·v + g + λ·w, w' = w − η·v'. Pure: arrays in, arrays
 * out.
 */
export function momentumUpdate(
  state: { w: Float32Array; v: Float32Array; g: Float32Array },
  options: MomentumUpdateOptions,
): { w: Float32Array; v: Float32Array } {
  const { w, v, g } = state;
  const { lr, momentum, weightDecay } = options;
  const wOut = options.out?.w ?? new Float32Array(w.length), vOut = options.out?.v ?? new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const next = Math.fround(momentum * v[i] + g[i] + weightDecay * w[i]);
    vOut[i] = next;
    wOut[i] = w[i] - lr * next;
  }
  return { w: wOut, v: vOut };
}

/**
 * Registers the fused momentum update (v' = μv + g + λw, w' = w − ηv' — ResNet §3.4's optimiser) on `backendName`.
 * Idempotent.
 */
export function registerMomentumUpdateKernel(backendName: string): void {
  if (tf.getKernel(MOMENTUM_UPDATE_KERNEL, backendName) != null) return;
  tf.registerKernel({
    kernelName: MOMENTUM_UPDATE_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { w, v, g } = inputs as Record<string, tf.TensorInfo>;
      const hyper = attrs as unknown as { lr: number; momentum: number; weightDecay: number };
      if (w.dtype !== "float32" || v.dtype !== "float32" || g.dtype !== "float32") {
        throw new Error(`lib/backend ${MOMENTUM_UPDATE_KERNEL}: float32 tensors expected, got ${w.dtype}/${g.dtype}.`);
      }
      const heap = backendHeap(backend);
      const wOut = heap.output(w.shape), vOut = heap.output(w.shape);
      momentumUpdate({ w: heap.values(w), v: heap.values(v), g: heap.values(g) }, {
        lr: hyper.lr,
        momentum: hyper.momentum,
        weightDecay: hyper.weightDecay,
        out: { w: heap.values(wOut), v: heap.values(vOut) },
      });
      return [wOut, vOut];
    },
  });
}
