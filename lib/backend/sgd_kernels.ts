/**
 * The momentum-SGD update of one variable as one kernel (lib/train's {@link MOMENTUM_UPDATE_KERNEL}) on the wasm and
 * cpu backends: a typed-array loop instead of the five or six elementwise ops (each a kernel call and a full pass)
 * that MomentumSgd runs otherwise. A ResNet-44 step updates ~140 variables.
 */
import * as tf from "@tensorflow/tfjs";
import { MOMENTUM_UPDATE_KERNEL, momentumUpdate } from "../train/mod.ts";
import { kernelIo } from "./kernel_io.ts";

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
      const k = kernelIo(backend);
      const wOut = k.output(w.shape), vOut = k.output(w.shape);
      momentumUpdate(k.values(w), k.values(v), k.values(g), hyper, wOut.values(), vOut.values());
      return [wOut.info, vOut.info];
    },
  });
}
