import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { grid, jsDivergence, normal, pdfOn } from "../math/mod.ts";
import { buildDiscriminator, buildGenerator } from "./models.ts";
import { densitySampler, generatorDensityOn, uniformNoiseSampler } from "./toy.ts";
import { trainGan } from "./train.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
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
