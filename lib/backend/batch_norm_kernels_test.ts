import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { batchNormTrainForward, movingAverages } from "./batch_norm.ts";
import { initBackend } from "./init_backend.ts";

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
    const { y, mean, variance } = batchNormTrainForward(x, { channels: c, gamma, beta, epsilon: 1e-3 });
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

describe("BN moving statistics (tf.layers' update, one kernel)", () => {
  it("movingAverages: moving − (moving − batch)·(1 − momentum) for mean and variance", () => {
    const r = movingAverages({ mean: Float32Array.from([0, 1]), variance: Float32Array.from([1, 4]) }, {
      batch: { mean: Float32Array.from([2, -1]), variance: Float32Array.from([3, 0]) },
      momentum: 0.99,
    });
    expect(Array.from(r.mean).map((v) => +v.toFixed(6))).toEqual([0.02, 0.98]);
    expect(Array.from(r.variance).map((v) => +v.toFixed(6))).toEqual([1.02, 3.96]);
  });

  it("a BatchNormalization layer in training mode updates its moving mean/variance from the batch, on wasm", async () => {
    await initBackend({ prefer: "wasm", quiet: true });
    const layer = tf.layers.batchNormalization({ momentum: 0.9 });
    const x = tf.tensor2d([[1, 10], [3, 14], [5, 12]]);
    layer.apply(x); // builds the weights
    const before = tf.memory().numTensors;
    tf.tidy(() => void layer.apply(x, { training: true }));
    expect(tf.memory().numTensors).toBe(before);
    const [, , movingMean, movingVariance] = layer.getWeights().map((w) => Array.from(w.dataSync()));
    // Batch mean [3, 12], biased variance [8/3, 8/3]; from moving 0 / 1 with momentum 0.9.
    [0.3, 1.2].forEach((m, k) => expect(movingMean[k]).toBeCloseTo(m, 6));
    [0.9 + 0.1 * 8 / 3, 0.9 + 0.1 * 8 / 3].forEach((v, k) => expect(movingVariance[k]).toBeCloseTo(v, 6));
    tf.dispose(x);
    layer.dispose();
  });
});
