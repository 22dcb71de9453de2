import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { grid, normal, pdfOn, sample, seededRng, simpson } from "../math/mod.ts";
import { buildGenerator } from "./models.ts";
import {
  densitySampler,
  generatorDensityOn,
  kdeOn,
  meanAbsDeviation,
  stratifiedNoise,
  uniformNoiseSampler,
} from "./toy.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("1-D toy helpers", () => {
  it("KDE of normal samples integrates to one and approaches the density", () => {
    const g = grid(-6, 6, 601);
    const p = pdfOn(normal(0, 1), g.xs);
    const est = kdeOn(sample(normal(0, 1), 50_000, seededRng(1)), g.xs);
    expect(simpson(est, g.dx)).toBeCloseTo(1, 3);
    expect(Math.max(...est.map((v, i) => Math.abs(v - p[i])))).toBeLessThan(0.02);
  });

  it("a collapsed sample set still integrates to one on the grid", () => {
    const g = grid(-3, 3, 301);
    expect(simpson(kdeOn(new Float64Array(1000).fill(0.5), g.xs), g.dx)).toBeCloseTo(1, 6);
  });

  it("a linear generator x = 2z + 1 on U[−1, 1] has p_g = U[−1, 3]", () => {
    const gen = buildGenerator({ hidden: [1] });
    // z → relu(z + 1) → 2·h − 1: exact on [−1, 1] since z + 1 ≥ 0
    gen.setWeights([tf.tensor2d([[1]]), tf.tensor1d([1]), tf.tensor2d([[2]]), tf.tensor1d([-1])]);
    const g = grid(-3, 5, 801);
    const { density, x, z } = generatorDensityOn(gen, g.xs, { bandwidth: 0.01 });
    expect(x[0]).toBeCloseTo(2 * z[0] + 1, 5);
    expect(density[g.xs.findIndex((v) => v >= 1)]).toBeCloseTo(0.25, 2);
    expect(density[g.xs.findIndex((v) => v >= 4)]).toBeCloseTo(0, 6);
    gen.dispose();
  });

  it("samplers give tensors of the right shape and range; stratified noise is even", () => {
    const before = tf.memory().numTensors;
    const s = densitySampler(normal(5, 0.1), 1)(100);
    expect(s.shape).toEqual([100, 1]);
    expect(Math.abs(tf.tidy(() => s.mean().dataSync()[0]) - 5)).toBeLessThan(0.05);
    const z = uniformNoiseSampler(3, 2, { low: -1, high: 1 })(50);
    expect(z.shape).toEqual([50, 3]);
    expect(Math.max(...tf.tidy(() => Array.from(z.abs().dataSync())))).toBeLessThanOrEqual(1);
    tf.dispose([s, z]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(stratifiedNoise(4, 0, 1))).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it("mean absolute deviation is weighted by the density", () => {
    expect(meanAbsDeviation([0.5, 1], 0.5, [1, 3])).toBe(0.375);
    expect(meanAbsDeviation([0, 1], [1, 1], [1, 1])).toBe(0.5);
    expect(() => meanAbsDeviation([1], 0, [0])).toThrow(/sum to zero/);
  });
});
