import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { grid, mixture, normal, seededRng, standardNormals } from "../math/mod.ts";
import {
  fitDiscriminators,
  generateSamples,
  measureSaturation,
  parzenForSamples,
  rowSampler,
  runImageGan,
  runSchedules,
  runToyGan,
} from "./experiments.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe("notebook experiments", () => {
  it("runToyGan trains, snapshots and cleans up after itself", async () => {
    const before = tf.memory().numTensors;
    const r = await runToyGan({
      pData: normal(2, 0.5),
      grid: grid(-4, 6, 301),
      seed: 1,
      steps: 150,
      snapshotEvery: 50,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.snapshots.map((s) => s.step)).toEqual([0, 50, 100, 150]);
    expect(r.snapshots[0].value.jsd).toBeCloseTo(r.jsdStart, 1); // same G, KDE with a different arrow subset
    expect(r.jsdEnd).toBeLessThan(r.jsdStart - 0.3);
    expect(r.snapshots.at(-1)!.value.jsd).toBeCloseTo(r.jsdEnd, 6);
  });

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

  it("fitDiscriminators and measureSaturation report per seed and leak nothing", async () => {
    const before = tf.memory().numTensors;
    const fits = await fitDiscriminators(normal(2, 0.5), normal(0, 1), grid(-4, 6, 201), [1, 2], { steps: 100 });
    const sat = await measureSaturation(normal(3, 0.5), [1], { dSteps: 100 });
    expect(tf.memory().numTensors).toBe(before);
    expect(fits.map((f) => f.seed)).toEqual([1, 2]);
    for (const f of fits) {
      expect(f.value).toBeLessThanOrEqual(f.optimum + 1e-9); // D* maximises V
      expect(f.meanAbsError).toBeLessThan(0.15);
    }
    expect(sat[0].nonSaturating).toBeGreaterThan(sat[0].saturating);
  });

  it("runImageGan returns the generator and sample grids; no tensors leak", async () => {
    const rng = seededRng(1);
    const images = Float32Array.from({ length: 50 * 16 }, () => rng());
    const before = tf.memory().numTensors;
    const r = await runImageGan({
      images,
      dim: 16,
      seed: 1,
      steps: 4,
      snapshotEvery: 2,
      snapshotCount: 3,
      generator: { noiseDim: 5, hidden: [8] },
      discriminator: { hidden: [4], pieces: 2 },
    });
    expect(r.snapshots.map((s) => [s.step, s.value.length])).toEqual([[0, 48], [2, 48], [4, 48]]);
    const samples = generateSamples(r.generator, 10, 3);
    expect(samples.length).toBe(160);
    r.generator.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rowSampler draws whole rows; parzenForSamples ranks the true distribution first", () => {
    const rows = Float32Array.from([0, 0, 1, 1, 2, 2]);
    const batch = rowSampler(rows, 2, 1)(20);
    const v = batch.dataSync();
    for (let i = 0; i < 20; i++) expect(v[2 * i]).toBe(v[2 * i + 1]);
    batch.dispose();
    expect(() => rowSampler(rows, 4, 1)).toThrow(/whole number of rows/);
    const rng = seededRng(4);
    const dim = 4;
    const draw = (n: number, shift = 0): Float32Array =>
      Float32Array.from(standardNormals(n * dim, rng), (x) => x + shift);
    const [val, test] = [draw(200), draw(200)];
    const good = parzenForSamples(draw(2000), val, test, { dim, sigmas: [0.2, 0.4, 0.6] });
    const bad = parzenForSamples(draw(2000, 1.5), val, test, { dim, sigmas: [0.2, 0.4, 0.6] });
    expect(good.mean).toBeGreaterThan(bad.mean + 3 * Math.hypot(good.stdErr, bad.stdErr));
  });
});
