import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { grid, mixture, normal, sample, seededRng } from "../math/mod.ts";
import { modeMasses, runSchedules } from "./helvetica.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe("§6: schedules of Algorithm 1 and the modes G covers", () => {
  it("runSchedules returns one row per schedule and seed with mode masses", async () => {
    const before = tf.memory().numTensors;
    const pData = mixture([1, 1], [normal(-2, 0.4), normal(2, 0.4)]);
    const runs = await runSchedules(
      [{ name: "a", k: 1, generatorSteps: 1, steps: 5 }, { name: "b", k: 2, generatorSteps: 3, steps: 2 }],
      [1, 2],
      { pData, grid: grid(-6, 6, 301) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(runs.map((r) => `${r.schedule}${r.seed}`)).toEqual(["a1", "a2", "b1", "b2"]);
    for (const r of runs) {
      expect(r.modeMasses).toHaveLength(2);
      expect(r.modesCovered).toBe(r.modeMasses.filter((m) => m >= 0.2).length);
      expect(r.jsd).toBeGreaterThan(0);
    }
  });

  it("mode masses count the samples near each mixture component", () => {
    const m = mixture([1, 1], [normal(-4, 0.5), normal(4, 0.5)]);
    const masses = modeMasses(sample(m, 20_000, seededRng(3)), m);
    masses.forEach((v) => expect(v).toBeCloseTo(0.5 * 0.9545, 1));
    expect(modeMasses([4, 4, 4.1, -4], m)).toEqual([0.25, 0.75]);
    expect(modeMasses([4, 4.9, -4], m, { halfWidths: 1 })).toEqual([1 / 3, 1 / 3]);
  });
});
