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

  it("a generator restored to a saved state continues with the same numbers", () => {
    const a = seededRng(11);
    for (let i = 0; i < 5; i++) a();
    const saved = a.state();
    const next = [a(), a(), a()];
    const b = seededRng(0);
    b.setState(saved);
    expect([b(), b(), b()]).toEqual(next);
    expect(() => b.setState(-1)).toThrow(/integer in \[0, 2\^32\)/);
  });
});
