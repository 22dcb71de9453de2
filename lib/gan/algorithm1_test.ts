import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { grid, jsDivergence, normal, pdfOn } from "../math/mod.ts";
import { trainDiscriminator, trainGan } from "./algorithm1.ts";
import { optimalDiscriminator } from "./optimal_discriminator.ts";
import { buildDiscriminator, buildGenerator } from "./models.ts";
import { densitySampler, discriminatorOn, generatorDensityOn, uniformNoiseSampler } from "./toy.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe("Algorithm 1 on the 1-D toy of Figure 1", () => {
  const g = grid(-4, 6, 501);
  const pData = normal(2, 0.5);
  const pd = pdfOn(pData, g.xs);

  // Stated margin: with 200 iterations (k = 1, m = 64), JSD falls from ≈ log 2 (disjoint) by at least 0.4 nats and
  // ends below 0.15 nats, for each of two fixed seeds.
  it.each([1, 2])(
    "brings p_g closer to p_data in JSD by at least 0.4 nats (seed %i), without leaking tensors",
    async (seed) => {
      const G = buildGenerator({ seed });
      const D = buildDiscriminator({ seed: seed + 100 });
      const jsd = (): number => jsDivergence(pd, generatorDensityOn(G, g.xs, { n: 5000 }).density, g.dx);
      const before = tf.memory().numTensors;
      const result = await trainGan(G, D, {
        steps: 200,
        sampleData: densitySampler(pData, seed),
        sampleNoise: uniformNoiseSampler(1, seed + 1),
        snapshotEvery: 200,
        snapshot: jsd,
      });
      expect(tf.memory().numTensors).toBe(before);
      const [start, end] = result.snapshots.map((s) => s.value);
      expect(result.snapshots.map((s) => s.step)).toEqual([0, 200]);
      expect(start - end).toBeGreaterThan(0.4);
      expect(end).toBeLessThan(0.15);
      expect(result.history).toHaveLength(200);
      const last = result.history.at(-1)!;
      expect(Math.abs(last.dReal - 0.5)).toBeLessThan(0.1); // D near 1/2 once p_g ≈ p_data
      G.dispose();
      D.dispose();
    },
  );

  it("runs k discriminator and `generatorSteps` generator steps per iteration", async () => {
    const G = buildGenerator({ hidden: [4] });
    const D = buildDiscriminator({ hidden: [4] });
    let dCalls = 0;
    let gCalls = 0;
    const data = densitySampler(pData, 1);
    const noise = uniformNoiseSampler(1, 2);
    const dOpt = tf.train.sgd(0.01);
    const gOpt = tf.train.sgd(0.01);
    const origD = dOpt.minimize.bind(dOpt);
    const origG = gOpt.minimize.bind(gOpt);
    dOpt.minimize = (...a: Parameters<typeof origD>) => (dCalls++, origD(...a));
    gOpt.minimize = (...a: Parameters<typeof origG>) => (gCalls++, origG(...a));
    const before = tf.memory().numTensors;
    await trainGan(G, D, {
      steps: 3,
      k: 4,
      generatorSteps: 2,
      sampleData: data,
      sampleNoise: noise,
      dOptimizer: dOpt,
      gOptimizer: gOpt,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect([dCalls, gCalls]).toEqual([12, 6]);
    await expect(trainGan(G, D, { steps: 1, k: 0, sampleData: data, sampleNoise: noise })).rejects.toThrow(/k must be/);
    G.dispose();
    D.dispose();
  });
});

describe("the discriminator alone (the inner loop run to convergence, Proposition 1)", () => {
  const g = grid(-4, 6, 501);
  const pData = normal(2, 0.5);
  const pG = normal(0.5, 1);
  const pd = pdfOn(pData, g.xs);
  const pg = pdfOn(pG, g.xs);

  it("a trained D approaches D* = p_data/(p_data + p_g): mean |D − D*| under (p_data + p_g)/2 below 0.03", async () => {
    const D = buildDiscriminator({ seed: 1 });
    const before = tf.memory().numTensors;
    const steps = await trainDiscriminator(D, {
      steps: 300,
      batchSize: 128,
      sampleData: densitySampler(pData, 1),
      sampleGenerated: densitySampler(pG, 2),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toHaveLength(300);
    const d = discriminatorOn(D, g.xs);
    const dStar = optimalDiscriminator(pd, pg);
    let err = 0;
    let w = 0;
    g.xs.forEach((_, i) => {
      err += 0.5 * (pd[i] + pg[i]) * Math.abs(d[i] - dStar[i]);
      w += 0.5 * (pd[i] + pg[i]);
    });
    expect(err / w).toBeLessThan(0.03);
    D.dispose();
  });
});
