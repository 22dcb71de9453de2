import { describe, expect, it } from "vitest";
import { type Density1D, grid, jsDivergence, mixture, normal, pdfOn, seededRng, uniform } from "../math/mod.ts";
import {
  logSigmoid,
  maximizePointwise,
  maximizePointwiseLogit,
  numericalOptimalDiscriminator,
  optimalDiscriminator,
  theoremOneTerms,
  virtualCriterion,
} from "./optimal.ts";
import { valueQuadrature } from "./value.ts";

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
    expect(logSigmoid(-1000)).toBe(-1000);
    expect(logSigmoid(0)).toBeCloseTo(-Math.LN2, 15);
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
});

function smoothDensity(rng: () => number): Density1D {
  if (rng() < 0.5) return normal(-4 + 8 * rng(), 0.3 + 1.5 * rng());
  return mixture([0.2 + rng(), 0.2 + rng()], [normal(-4 * rng(), 0.4 + rng()), normal(4 * rng(), 0.4 + rng())]);
}

describe("Theorem 1: C(G) = −log 4 + 2·JSD(p_data‖p_g)", () => {
  it("holds to 1e-6 for random pairs of distributions", () => {
    const rng = seededRng(17);
    for (let t = 0; t < 8; t++) {
      const a = pdfOn(smoothDensity(rng), g.xs);
      const b = pdfOn(smoothDensity(rng), g.xs);
      const c = virtualCriterion(a, b, g.dx);
      expect(Math.abs(c - (-Math.log(4) + 2 * jsDivergence(a, b, g.dx)))).toBeLessThan(1e-6);
      const terms = theoremOneTerms(a, b, g.dx);
      expect(Math.abs(terms.fromKl - terms.fromJsd)).toBeLessThan(1e-9);
      expect(Math.abs(terms.klData + terms.klG - 2 * terms.jsd)).toBeLessThan(1e-9);
      expect(c).toBeGreaterThan(-Math.log(4));
    }
  });

  it("reaches its minimum −log 4 exactly at p_g = p_data", () => {
    const p = pdfOn(mixture([1, 2], [normal(-2, 0.5), normal(2, 1)]), g.xs);
    expect(virtualCriterion(p, p, g.dx)).toBeCloseTo(-Math.log(4), 9);
    const shifted = pdfOn(mixture([1, 2], [normal(-1.9, 0.5), normal(2, 1)]), g.xs);
    expect(virtualCriterion(p, shifted, g.dx)).toBeGreaterThan(-Math.log(4) + 1e-4);
  });
});
