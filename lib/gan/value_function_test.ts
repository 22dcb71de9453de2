import { describe, expect, it } from "vitest";
import { grid, normal, pdfOn, sample, seededRng } from "../math/mod.ts";
import { valueIntegrand, valueMonteCarlo, valueMonteCarloEstimate, valueQuadrature } from "./value_function.ts";

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));

describe("value function V(D, G), GAN Eq. (1)", () => {
  const g = grid(-10, 10, 4001);
  const pData = normal(0, 1);
  const pG = normal(1.5, 0.7);
  const d = (x: number): number => sigmoid(0.3 - 1.2 * x);

  it("Monte Carlo and quadrature agree within the Monte Carlo standard error", () => {
    const quad = valueQuadrature(pdfOn(pData, g.xs), pdfOn(pG, g.xs), g.xs.map(d), g.dx);
    const rng = seededRng(5);
    const n = 100_000;
    const a = Array.from(sample(pData, n, rng), d);
    const b = Array.from(sample(pG, n, rng), d);
    const mc = valueMonteCarlo(a, b);
    const sd = (xs: number[]): number => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
    };
    const se = Math.hypot(sd(a.map(Math.log)), sd(b.map((y) => Math.log(1 - y)))) / Math.sqrt(n);
    expect(Math.abs(mc - quad)).toBeLessThan(3 * se);
    expect(se).toBeLessThan(0.01);
    const est = valueMonteCarloEstimate(a, b);
    expect(est.value).toBe(mc);
    expect(est.stdErr).toBeCloseTo(se, 12);
  });

  it("a constant D = 1/2 gives −log 4 both ways", () => {
    const half = new Float64Array(g.xs.length).fill(0.5);
    expect(valueQuadrature(pdfOn(pData, g.xs), pdfOn(pG, g.xs), half, g.dx)).toBeCloseTo(-Math.log(4), 9);
    expect(valueMonteCarlo([0.5, 0.5], [0.5])).toBeCloseTo(-Math.log(4), 14);
  });

  it("treats 0·log 0 as 0 and rejects D outside [0, 1]", () => {
    expect(Array.from(valueIntegrand([0, 1], [1, 0], [0, 1]))).toEqual([0, 0]);
    expect(() => valueMonteCarlo([1.2], [0.5])).toThrow(/\[0, 1\]; index 0 is 1.2/);
    expect(() => valueIntegrand([1], [1, 2], [0.5])).toThrow(/share one grid/);
  });
});
