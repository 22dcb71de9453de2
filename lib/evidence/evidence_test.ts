import { describe, expect, it } from "vitest";
import { adjacentOrderings, budget, explainOutcome, ordering, outcomeOf } from "./mod.ts";
import { bundleOf } from "../display/mod.ts";

describe("ordering", () => {
  it("says on how many seeds a held ordering held, and by how much", () => {
    const e = ordering("deeper plain net trains worse (44 vs 20)", [
      { seed: 1, higher: 0.344, lower: 0.299 },
      { seed: 2, higher: 0.525, lower: 0.31 },
      { seed: 3, higher: 0.602, lower: 0.3 },
    ], { scale: 100, unit: "points" });
    expect(e.shown).toBe(true);
    expect(e.held).toBe(3);
    // gaps 4.5, 21.5, 30.2: mean 18.73, sd 13.07 (by hand)
    expect(e.sentence).toBe("deeper plain net trains worse (44 vs 20): held on 3 of 3 seeds, by 18.7 ± 13.1 points.");
    expect(bundleOf(e)["text/plain"]).toBe(e.sentence);
  });

  it("says an ordering that failed on a seed was not shown at this budget", () => {
    const e = ordering("deeper ResNet trains better (20 vs 44)", [
      { seed: 1, higher: 0.231, lower: 0.223 },
      { seed: 2, higher: 0.22, lower: 0.238 },
      { seed: 3, higher: 0.25, lower: 0.237 },
    ], { scale: 100, unit: "points" });
    expect(e.shown).toBe(false);
    expect(e.held).toBe(2);
    expect(e.sentence).toMatch(
      /^deeper ResNet trains better \(20 vs 44\): not shown at this budget — held on 2 of 3 seeds \(gap 0\.1 ± 1\.7 points\)\.$/,
    );
  });

  it("counts a tie as not held, and accepts a lower requirement when asked", () => {
    const pairs = [{ seed: 1, higher: 1, lower: 1 }, { seed: 2, higher: 2, lower: 1 }];
    expect(ordering("x", pairs).held).toBe(1);
    expect(ordering("x", pairs).shown).toBe(false);
    expect(ordering("x", pairs, { required: 1 }).shown).toBe(true);
  });

  it("rejects no seeds, non-finite values and an impossible requirement", () => {
    expect(() => ordering("x", [])).toThrow(/no seeds/);
    expect(() => ordering("x", [{ seed: 4, higher: NaN, lower: 1 }])).toThrow(/seed 4 has NaN vs 1/);
    expect(() => ordering("x", [{ seed: 1, higher: 2, lower: 1 }], { required: 2 })).toThrow(/required must be 1 to 1/);
  });

  it("judges every adjacent pair of a chain, not only its ends", () => {
    // Depths 8, 20, 44: the ends (8 vs 44) fall on both seeds, but 20 → 44 rises on seed 1.
    const chain = adjacentOrderings((a, b) => `ResNet-${b} better than ResNet-${a}`, {
      labels: ["8", "20", "44"],
      seeds: [1, 2],
      values: [[0.272, 0.223, 0.231], [0.287, 0.25, 0.238]],
    }, { direction: "falling", scale: 100, unit: "points" });
    expect(chain.map((c) => [c.claim, c.held, c.shown])).toEqual([
      ["ResNet-20 better than ResNet-8", 2, true],
      ["ResNet-44 better than ResNet-20", 1, false],
    ]);
    expect(() =>
      adjacentOrderings(() => "x", { labels: ["a", "b"], seeds: [1], values: [[1]] }, { direction: "rising" })
    )
      .toThrow(/one row per seed/);
  });
});

describe("explainOutcome", () => {
  it("says whether the reader agreed and explains the outcome the run had, not the paper's", () => {
    const held = ordering("B beats A", [{ seed: 1, higher: 0.3, lower: 0.2 }], { scale: 100, unit: "points" });
    const failed = ordering("B beats A", [{ seed: 1, higher: 0.2, lower: 0.3 }], { scale: 100, unit: "points" });
    const texts = { shown: "SHOWN-TEXT", notShown: "NOT-SHOWN-TEXT" };
    expect(explainOutcome(held, texts)(true)).toBe(
      "예측이 이번 실행과 일치 / your prediction agrees with this run. B beats A: held on 1 of 1 seed, by 10.0 points. " +
        "SHOWN-TEXT",
    );
    const why = explainOutcome(failed, texts)(false);
    expect(why).toMatch(/^예측이 이번 실행과 다름 \/ your prediction differs from this run\. B beats A: not shown/);
    expect(why).toMatch(/NOT-SHOWN-TEXT$/);
  });

  it("has no agreement to state when nobody predicted (a deck's reveal; lib/exercise's check drops the '. ')", () => {
    const held = ordering("B beats A", [{ seed: 1, higher: 0.3, lower: 0.2 }], { scale: 100, unit: "points" });
    const why = explainOutcome(held, { shown: "SHOWN-TEXT", notShown: "NOT-SHOWN-TEXT" });
    expect(why(undefined)).toBe(". B beats A: held on 1 of 1 seed, by 10.0 points. SHOWN-TEXT");
  });

  it("outcomeOf names all, none or some seeds", () => {
    const names = { all: "resnet", none: "plain", some: "mixed" };
    expect(outcomeOf({ held: 3, seeds: 3 }, names)).toBe("resnet");
    expect(outcomeOf({ held: 0, seeds: 3 }, names)).toBe("plain");
    expect(outcomeOf({ held: 2, seeds: 3 }, names)).toBe("mixed");
  });
});

describe("budget", () => {
  it("states steps, images, epochs, wall time and the place on the paper's schedule", () => {
    const b = budget({ steps: 150, batchSize: 64, trainImages: 8192, seconds: 93.21, runs: 12 }, {
      epochs: 182,
      source: "the paper",
    });
    expect(b.epochs).toBeCloseTo(1.171875, 12);
    expect(b.text).toBe(
      "Budget: 150 steps × batch 64 = 9,600 images = 1.17 epochs of 8,192 (1.17 of the paper's 182 epochs, 0.6 %); " +
        "12 runs in 93.2 s.",
    );
  });

  it("rejects a budget that cannot be", () => {
    expect(() => budget({ steps: 0, batchSize: 64, trainImages: 10, seconds: 1 })).toThrow(
      /steps must be a positive integer, got 0/,
    );
    expect(() => budget({ steps: 1, batchSize: 64, trainImages: 10, seconds: -1 })).toThrow(/seconds must be ≥ 0/);
  });
});
