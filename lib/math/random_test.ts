import { describe, expect, it } from "vitest";
import { seededRng, standardNormals, uniforms } from "./mod.ts";

const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

describe("random", () => {
  it("standard normals have mean 0 and variance 1; seeds reproduce", () => {
    const z = standardNormals(100_001, seededRng(7));
    expect(Math.abs(mean(z))).toBeLessThan(0.01);
    expect(mean(Array.from(z, (x) => x * x))).toBeCloseTo(1, 1);
    expect(standardNormals(5, seededRng(3))).toEqual(standardNormals(5, seededRng(3)));
  });

  it("uniforms lie in [low, high) with mean (low + high)/2", () => {
    const u = uniforms(50_000, seededRng(2), -1, 3);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(mean(u)).toBeCloseTo(1, 1);
  });
});
