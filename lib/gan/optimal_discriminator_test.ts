import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { type Density1D, grid, mixture, normal, pdfOn, seededRng, uniform } from "../math/mod.ts";
import {
  fitDiscriminators,
  maximizePointwise,
  maximizePointwiseLogit,
  numericalOptimalDiscriminator,
  optimalDiscriminator,
} from "./optimal_discriminator.ts";
import { valueQuadrature } from "./value_function.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

const g = grid(-14, 14, 2801);

function randomDensity(rng: () => number): Density1D {
  const r = rng();
  if (r < 0.4) return normal(-4 + 8 * rng(), 0.3 + 1.5 * rng());
  if (r < 0.6) return uniform(-5 + 3 * rng(), 1 + 3 * rng());
  return mixture([0.2 + rng(), 0.2 + rng()], [normal(-4 * rng(), 0.4 + rng()), normal(4 * rng(), 0.4 + rng())]);
}

describe("Proposition 1: the optimal discriminator", () => {
  it("numerical pointwise maximisation equals p_data/(p_data + p_g)", () => {
    expect(maximizePointwise(2, 6)).toBeCloseTo(0.25, 14);
    expect(maximizePointwise(0, 3)).toBe(0);
    expect(maximizePointwiseLogit(1, 1e-300)).toBeCloseTo(Math.log(1e300), 9);
    expect(maximizePointwise(3, 0)).toBe(1);
    const rng = seededRng(3);
    for (let t = 0; t < 5; t++) {
      const a = pdfOn(randomDensity(rng), g.xs);
      const b = pdfOn(randomDensity(rng), g.xs);
      const closed = optimalDiscriminator(a, b);
      const numeric = numericalOptimalDiscriminator(a, b);
      for (let i = 0; i < closed.length; i += 7) expect(Math.abs(numeric[i] - closed[i])).toBeLessThan(1e-12);
    }
  });

  it("D* = 1/2 wherever p_g = p_data", () => {
    const p = pdfOn(normal(0.3, 1.1), g.xs);
    expect(optimalDiscriminator(p, p).every((v) => v === 0.5)).toBe(true);
  });

  it("no other D gets a larger V(G, D)", () => {
    const a = pdfOn(normal(0, 1), g.xs);
    const b = pdfOn(normal(2, 1), g.xs);
    const best = valueQuadrature(a, b, optimalDiscriminator(a, b), g.dx);
    for (const w of [0.5, 1, 3]) {
      const d = g.xs.map((x) => 1 / (1 + Math.exp(-w * (1 - x))));
      expect(valueQuadrature(a, b, d, g.dx)).toBeLessThan(best);
    }
    // for two unit normals 2 apart, D* = σ(2(1 − x)) exactly (a logistic discriminator)
    const exact = valueQuadrature(a, b, g.xs.map((x) => 1 / (1 + Math.exp(-2 * (1 - x)))), g.dx);
    expect(exact).toBeCloseTo(best, 9);
  });

  it("fitDiscriminators: networks trained on samples approach D* and never beat V(D*, G); no tensors leak", async () => {
    const before = tf.memory().numTensors;
    const fits = await fitDiscriminators(normal(2, 0.5), normal(0, 1), grid(-4, 6, 201), [1, 2], { steps: 100 });
    expect(tf.memory().numTensors).toBe(before);
    expect(fits.map((f) => f.seed)).toEqual([1, 2]);
    for (const f of fits) {
      expect(f.value).toBeLessThanOrEqual(f.optimum + 1e-9); // D* maximises V
      expect(f.meanAbsError).toBeLessThan(0.15);
    }
  });
});
