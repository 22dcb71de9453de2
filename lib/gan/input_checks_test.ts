/** The GAN lib rejects inputs that would silently mean something else (issue 18): RangeErrors naming the argument. */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { grid, normal } from "../math/mod.ts";
import { runSchedules } from "./helvetica.ts";
import { fitDiscriminators } from "./optimal_discriminator.ts";
import { measureSaturation } from "./saturation.ts";
import { Maxout } from "./maxout.ts";
import { buildDiscriminator, buildImageDiscriminator } from "./models.ts";

await tf.setBackend("cpu");

describe("GAN lib input checks", () => {
  it("maxout pieces below 2 are a RangeError naming the argument, before tfjs's dense layer sees units 0", () => {
    for (const pieces of [0, 1, 2.5, -3]) {
      expect(() => buildDiscriminator({ pieces })).toThrow(RangeError);
      expect(() => buildImageDiscriminator({ hidden: [4], pieces })).toThrow(
        /buildDiscriminator: pieces must be an integer ≥ 2 \(a maxout unit is the max over at least 2 linear pieces/,
      );
      expect(() => new Maxout({ pieces })).toThrow(/Maxout: pieces must be an integer ≥ 2/);
    }
    expect(() => buildDiscriminator({ hidden: [] })).toThrow(/buildDiscriminator: hidden widths must be positive/);
  });

  it("an empty seed list is a RangeError naming the function and its seeds (the issue's seeds=[])", async () => {
    const xs = grid(-4, 6, 51);
    await expect(measureSaturation(normal(2, 0.5), [])).rejects.toThrow(
      /measureSaturation: seeds must be a non-empty list of distinct integers ≥ 0 .* got \[\]/,
    );
    await expect(fitDiscriminators(normal(2, 0.5), normal(0, 1), xs, [])).rejects.toThrow(/fitDiscriminators: seeds/);
    await expect(fitDiscriminators(normal(2, 0.5), normal(0, 1), xs, [1, 1])).rejects.toThrow(/distinct/);
    const schedule = { name: "balanced", k: 1, generatorSteps: 1, steps: 5 };
    await expect(runSchedules([schedule], [], { pData: normal(2, 0.5), grid: xs })).rejects.toThrow(
      /runSchedules: seeds must be a non-empty list/,
    );
  });

  it("a schedule with a fractional or zero step count is named before any schedule trains", async () => {
    const xs = grid(-4, 6, 51);
    const schedules = [
      { name: "balanced", k: 1, generatorSteps: 1, steps: 5 },
      { name: "G too long", k: 1, generatorSteps: 10, steps: 100.5 },
    ];
    await expect(runSchedules(schedules, [1], { pData: normal(2, 0.5), grid: xs })).rejects.toThrow(
      /runSchedules: schedule "G too long" has steps 100.5; give an integer ≥ 1/,
    );
  });
});
