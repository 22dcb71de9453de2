import { describe, expect, it } from "vitest";
import {
  grid,
  logPdf,
  meanOf,
  mixture,
  normal,
  pdf,
  pdfOn,
  sample,
  seededRng,
  simpson,
  uniform,
  varianceOf,
} from "./mod.ts";

const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

describe("densities", () => {
  it("normal pdf matches the closed form and integrates to one", () => {
    expect(pdf(normal(1, 2), 1)).toBeCloseTo(1 / (2 * Math.sqrt(2 * Math.PI)), 12);
    expect(logPdf(normal(0, 1), 3)).toBeCloseTo(-4.5 - 0.5 * Math.log(2 * Math.PI), 12);
    const g = grid(-12, 12, 2001);
    expect(simpson(pdfOn(normal(0.5, 1.5), g.xs), g.dx)).toBeCloseTo(1, 9);
  });

  it("uniform is constant on its support and zero outside", () => {
    const u = uniform(-1, 3);
    expect(pdf(u, 0)).toBe(0.25);
    expect(pdf(u, 3.5)).toBe(0);
    expect(logPdf(u, -2)).toBe(-Infinity);
  });

  it("mixture density, mean and variance match the weighted components", () => {
    const m = mixture([1, 3], [normal(-2, 0.5), normal(2, 1)]);
    expect(m.weights).toEqual([0.25, 0.75]);
    expect(pdf(m, 0.3)).toBeCloseTo(0.25 * pdf(normal(-2, 0.5), 0.3) + 0.75 * pdf(normal(2, 1), 0.3), 14);
    expect(meanOf(m)).toBeCloseTo(1, 14);
    // Var = Σ w (σ² + μ²) − mean² = 0.25·4.25 + 0.75·5 − 1
    expect(varianceOf(m)).toBeCloseTo(0.25 * 4.25 + 0.75 * 5 - 1, 12);
    const g = grid(-10, 10, 4001);
    expect(simpson(pdfOn(m, g.xs), g.dx)).toBeCloseTo(1, 9);
  });

  it("samples have the density's mean and variance", () => {
    const m = mixture([1, 1], [normal(-3, 0.5), uniform(1, 4)]);
    const xs = sample(m, 200_000, seededRng(1));
    const mu = mean(xs);
    expect(mu).toBeCloseTo(meanOf(m), 1);
    expect(mean(Array.from(xs, (x) => (x - mu) ** 2))).toBeCloseTo(varianceOf(m), 1);
  });

  it("reject bad parameters with a message naming them", () => {
    expect(() => normal(0, 0)).toThrow(/std must be positive/);
    expect(() => uniform(2, 1)).toThrow(/low < high/);
    expect(() => mixture([1], [])).toThrow(/as many weights/);
  });
});
