import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerCpuTrainingKernels } from "../backend/cpu_kernels.ts";
import { initBackend } from "../backend/init_backend.ts";
import { MOMENTUM_UPDATE_KERNEL } from "../backend/sgd_kernels.ts";
import { lcgValues } from "../backend/test_values.ts";
import { MomentumSgd } from "./sgd.ts";

beforeAll(async () => {
  await initBackend({ prefer: "wasm", quiet: true });
  registerCpuTrainingKernels();
});

/** Three MomentumSgd steps with fixed gradients on `backend`; the separate-ops reference computed with tf ops. */
async function threeSteps(backend: string): Promise<{ fused: Float32Array[]; ops: Float32Array[] }> {
  await tf.setBackend(backend);
  expect(tf.getKernel(MOMENTUM_UPDATE_KERNEL, backend), `${MOMENTUM_UPDATE_KERNEL} on ${backend}`).toBeDefined();
  const before = tf.memory().numTensors;
  const shapes = [[3, 3, 2, 4], [4]];
  const init = shapes.map((s, i) => lcgValues(s.reduce((a, b) => a * b, 1), 20 + i));
  const grads = [0, 1, 2].map((t) => shapes.map((s, i) => lcgValues(s.reduce((a, b) => a * b, 1), 30 + 10 * t + i)));
  const vars = shapes.map((s, i) => {
    const t = tf.tensor(init[i], s);
    const v = tf.variable(t, true, `sgd_kernel_${backend}_${i}`);
    t.dispose();
    return v;
  });
  const opt = new MomentumSgd(vars, { momentum: 0.9, weightDecay: 0.01, decayed: new Set([vars[0].name]) });
  for (const g of grads) {
    const named = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(g[i], shapes[i])]));
    opt.step(named, 0.1);
    tf.dispose(Object.values(named));
  }
  const fused = vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  // Reference: v ← μv + g + λw (λ only on the first variable), w ← w − ηv, op by op.
  const ops = init.map((w0, i) => {
    let w = Float64Array.from(w0), v = new Float64Array(w0.length);
    for (const g of grads) {
      v = v.map((vi, j) => 0.9 * vi + g[i][j] + (i === 0 ? 0.01 * w[j] : 0));
      w = w.map((wj, j) => wj - 0.1 * v[j]);
    }
    return Float32Array.from(w);
  });
  opt.dispose();
  tf.dispose(vars);
  expect(tf.memory().numTensors).toBe(before);
  return { fused, ops };
}

describe("fused momentum-SGD update kernel", () => {
  for (const backend of ["wasm", "cpu"]) {
    it(`on ${backend}: three steps equal v ← μv + g + λw, w ← w − ηv (decay only where asked), no leaks`, async () => {
      const { fused, ops } = await threeSteps(backend);
      fused.forEach((f, i) => f.forEach((v, j) => expect(Math.abs(v - ops[i][j])).toBeLessThan(1e-6)));
      await tf.setBackend("wasm");
    });
  }
});
