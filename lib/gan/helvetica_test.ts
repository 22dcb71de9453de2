import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { livePoolWorkers } from "../train/worker_pool.ts";
import { grid, mixture, normal, sample, seededRng } from "../math/mod.ts";
import { modeCoverageEvidence, modeMasses, runSchedules, type ScheduleRun, schedulesBudget } from "./helvetica.ts";

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

  it("runs on two workers compute, bit for bit, what they compute one after another on this thread", async () => {
    const pData = mixture([1, 1], [normal(-2, 0.4), normal(2, 0.4)]);
    const schedules = [{ name: "a", k: 1, generatorSteps: 1, steps: 6 }, {
      name: "b",
      k: 2,
      generatorSteps: 3,
      steps: 3,
    }];
    const base = { pData, grid: grid(-6, 6, 301), snapshotEvery: 3 };
    const here = await runSchedules(schedules, [1, 2], { ...base, workers: 1 });
    const pooled = await runSchedules(schedules, [1, 2], { ...base, workers: 2 });
    expect(livePoolWorkers()).toBe(0);
    const facts = (runs: ScheduleRun[]) =>
      runs.map((r) => ({
        run: `${r.schedule}${r.seed}`,
        jsdStart: r.jsdStart,
        jsd: r.jsd,
        pG: Array.from(r.pG),
        masses: r.modeMasses,
        snapshots: r.snapshots.map((s) => [s.step, s.value.jsd, Array.from(s.value.d)]),
      }));
    expect(facts(pooled)).toEqual(facts(here));
    expect(pooled.map((r) => `${r.schedule}${r.seed}`)).toEqual(["a1", "a2", "b1", "b2"]);
    // Different seeds train differently, so equal results are not two copies of one run.
    expect(pooled[0].jsd).not.toBe(pooled[1].jsd);
  });

  it("mode masses count the samples near each mixture component", () => {
    const m = mixture([1, 1], [normal(-4, 0.5), normal(4, 0.5)]);
    const masses = modeMasses(sample(m, 20_000, seededRng(3)), m);
    masses.forEach((v) => expect(v).toBeCloseTo(0.5 * 0.9545, 1));
    expect(modeMasses([4, 4, 4.1, -4], m)).toEqual([0.25, 0.75]);
    expect(modeMasses([4, 4.9, -4], m, { halfWidths: 1 })).toEqual([1 / 3, 1 / 3]);
  });
});

describe("§6's outcome judged on every seed, and each schedule's budget", () => {
  const run = (schedule: string, seed: number, masses: number[], seconds = 1): ScheduleRun => ({
    schedule,
    seed,
    jsdStart: 0.5,
    snapshots: [],
    jsd: 0.1,
    modeMasses: masses,
    modesCovered: masses.filter((m) => m >= 0.2).length,
    pG: new Float64Array(0),
    seconds,
  });
  const names = { balanced: "bal", tooLong: "long", moreD: "k5" };
  const runs = [
    run("bal", 1, [0.45, 0.45]),
    run("bal", 2, [0.4, 0.5]),
    run("long", 1, [0.9, 0.02]),
    run("long", 2, [0.3, 0.6]),
    run("k5", 1, [0.2, 0.7]),
    run("k5", 2, [0.1, 0.8]),
  ];

  it("counts the runs covering every mode and compares the weaker mode's mass seed by seed", () => {
    const e = modeCoverageEvidence(runs, names);
    expect(e.covering).toEqual({ bal: 2, long: 1, k5: 1 });
    expect(e.coverage).toMatch(/bal: 2 of 2; long: 1 of 2; k5: 1 of 2\.$/);
    // weaker modes: bal 0.45, 0.4; long 0.02, 0.3; k5 0.2, 0.1
    expect([e.collapse.held, e.collapse.shown]).toEqual([2, true]);
    expect(e.collapse.meanGap).toBeCloseTo(100 * ((0.45 - 0.02) + (0.4 - 0.3)) / 2, 10);
    expect([e.restored.held, e.restored.shown]).toEqual([1, false]);
    expect(() => modeCoverageEvidence(runs, { ...names, moreD: "none" })).toThrow(/no runs of schedule "none"/);
  });

  it("gives each schedule its budget line with the wall time of its runs", () => {
    const [b] = schedulesBudget([{ name: "bal", k: 1, generatorSteps: 1, steps: 1000 }], runs);
    expect(b.text).toBe(
      "bal — Budget: 1,000 iterations × (1 D step + 1 G step) × batch 64 = 64,000 real examples seen by D per run; " +
        "2 runs in 2.0 s. The paper states no iteration count.",
    );
  });
});
