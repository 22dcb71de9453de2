import { describe, expect, it } from "vitest";
import { iterationBudget } from "./iteration_budget.ts";
import { bundleOf } from "../display/mod.ts";

describe("iterationBudget", () => {
  it("states iterations, steps, examples seen by D, epochs, wall time and the paper's count or its absence", () => {
    const b = iterationBudget({
      iterations: 1000,
      dSteps: 1,
      gSteps: 1,
      batchSize: 64,
      seconds: 25.26,
      trainImages: 9000,
    }, { source: "GAN §5" });
    expect(b.examples).toBe(64_000);
    expect(b.text).toBe(
      "Budget: 1,000 iterations × (1 D step + 1 G step) × batch 64 = 64,000 real examples seen by D per run " +
        "(7.11 epochs of 9,000); 1 run in 25.3 s. GAN §5 states no iteration count.",
    );
    expect(bundleOf(b)["text/plain"]).toBe(b.text);
  });

  it("places a run on the paper's count, names the run, and counts k D steps per iteration", () => {
    const b = iterationBudget(
      { label: "k=5", iterations: 100, dSteps: 5, gSteps: 10, batchSize: 64, seconds: 3, runs: 3 },
      { source: "the paper", iterations: 400 },
    );
    expect(b.text).toBe(
      "k=5 — Budget: 100 iterations × (5 D steps + 10 G steps) × batch 64 = 32,000 real examples seen by D per run; " +
        "3 runs in 3.0 s. the paper: 400 iterations, so this is 25.0 % of it.",
    );
  });

  it("rejects a budget that cannot be", () => {
    expect(() => iterationBudget({ iterations: 0, dSteps: 1, gSteps: 1, batchSize: 1, seconds: 1 })).toThrow(
      /iterations must be a positive integer, got 0/,
    );
    expect(() => iterationBudget({ iterations: 1, dSteps: 1, gSteps: 1, batchSize: 1, seconds: -1 })).toThrow(
      /seconds must be ≥ 0/,
    );
  });
});
