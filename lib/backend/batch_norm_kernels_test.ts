import { describe, expect, it } from "vitest";
import { batchNormTrainForward } from "./batch_norm_kernels.ts";

describe("batchNormTrainForward", () => {
  it("matches a two-pass float64 reference, also for activations far from zero (offset 1000, std 0.5)", () => {
    const rows = 4096, c = 3;
    const x = new Float32Array(rows * c);
    let s = 12345;
    for (let i = 0; i < x.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      x[i] = 1000 + (i % c) * 10 + (s / 2 ** 32 - 0.5);
    }
    const gamma = Float32Array.from([1, 2, 0.5]), beta = Float32Array.from([0, -1, 3]);
    const { y, mean, variance } = batchNormTrainForward(x, c, gamma, beta, 1e-3);
    for (let k = 0; k < c; k++) {
      let m = 0;
      for (let r = 0; r < rows; r++) m += x[r * c + k];
      m /= rows;
      let v = 0;
      for (let r = 0; r < rows; r++) v += (x[r * c + k] - m) ** 2;
      v /= rows;
      expect(Math.abs(mean[k] - m)).toBeLessThan(1e-3);
      expect(Math.abs(variance[k] - v) / v).toBeLessThan(1e-4);
      for (let r = 0; r < rows; r += 97) {
        const want = ((x[r * c + k] - m) / Math.sqrt(v + 1e-3)) * gamma[k] + beta[k];
        expect(Math.abs(y[r * c + k] - want)).toBeLessThan(2e-3);
      }
    }
  });
});
