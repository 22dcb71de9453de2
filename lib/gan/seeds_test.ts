import { describe, expect, it } from "vitest";
import { checkSeeds, SEED_OFFSET } from "./seeds.ts";

describe("a run's seeds", () => {
  it("keep the offsets the GAN notebook's published numbers were computed with", () => {
    expect(SEED_OFFSET).toEqual({ discriminator: 1000, noise: 1, snapshotNoise: 7, generatedSamples: 10 });
  });

  it("are a non-empty list of distinct integers ≥ 0, or a RangeError naming the caller", () => {
    expect(() => checkSeeds([1, 2, 3], "f")).not.toThrow();
    for (const bad of [[], [1, 1], [-1], [1.5]]) {
      expect(() => checkSeeds(bad, "f")).toThrow(/^f: seeds must be a non-empty list of distinct integers ≥ 0/);
    }
  });
});
