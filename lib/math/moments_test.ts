import { describe, expect, it } from "vitest";
import { sampleMeanVariance } from "./mod.ts";

describe("sampleMeanVariance", () => {
  it("gives the mean and the unbiased variance", () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32, so variance 32/7
    const { mean, variance } = sampleMeanVariance([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean).toBe(5);
    expect(variance).toBeCloseTo(32 / 7, 12);
  });

  it("names the caller when there are too few values", () => {
    expect(() => sampleMeanVariance([1], "kdeOn")).toThrow(/kdeOn: needs at least 2 values, got 1/);
  });
});
