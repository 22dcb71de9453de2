import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { grid, jsDivergence, normal, pdfOn } from "../math/mod.ts";
import { trainDiscriminator, trainGan, trainingSetup } from "./algorithm1.ts";
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

describe("Algorithm 1's update rule and generator loss (the paper's momentum SGD, Algorithm 1's saturating loss)", () => {
  const pData = normal(2, 0.5);
  const weightsAfter = async (options: Partial<Parameters<typeof trainGan>[2]>): Promise<number[]> => {
    const G = buildGenerator({ seed: 3, hidden: [8] });
    const D = buildDiscriminator({ seed: 4, hidden: [8] });
    const before = tf.memory().numTensors;
    await trainGan(G, D, {
      steps: 5,
      sampleData: densitySampler(pData, 5),
      sampleNoise: uniformNoiseSampler(1, 6),
      ...options,
    });
    expect(tf.memory().numTensors, "no tensor left behind").toBe(before);
    const w = G.getWeights().flatMap((t) => Array.from(t.dataSync()));
    G.dispose();
    D.dispose();
    return w;
  };

  it("each option trains G to other weights than the default, all finite, without leaking tensors", async () => {
    const adam = await weightsAfter({});
    const again = await weightsAfter({ optimizer: "adam", generatorLoss: "non-saturating" });
    const momentum = await weightsAfter({ optimizer: "momentum" });
    const saturating = await weightsAfter({ generatorLoss: "saturating" });
    const both = await weightsAfter({ optimizer: "momentum", generatorLoss: "saturating" });
    expect(again).toEqual(adam); // the defaults are Adam and the non-saturating loss
    const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    for (const w of [momentum, saturating, both]) {
      expect(w.every(Number.isFinite)).toBe(true);
      expect(maxDiff(w, adam)).toBeGreaterThan(1e-6);
    }
    expect(maxDiff(both, momentum)).toBeGreaterThan(1e-6);
  });

  it("refuses an unknown update rule, loss or learning rate", async () => {
    const G = buildGenerator({ hidden: [4] });
    const D = buildDiscriminator({ hidden: [4] });
    const base = { steps: 1, sampleData: densitySampler(pData, 1), sampleNoise: uniformNoiseSampler(1, 2) };
    const before = tf.memory().numTensors;
    // @ts-expect-error: not an update rule
    await expect(trainGan(G, D, { ...base, optimizer: "sgd" })).rejects.toThrow(/optimizer must be one of/);
    // @ts-expect-error: not a loss
    await expect(trainGan(G, D, { ...base, generatorLoss: "hinge" })).rejects.toThrow(/generatorLoss must be/);
    await expect(trainGan(G, D, { ...base, learningRate: -1 })).rejects.toThrow(/learningRate must be a positive/);
    expect(tf.memory().numTensors).toBe(before);
    G.dispose();
    D.dispose();
  });

  it("says which rule and loss the run uses beside the paper's", () => {
    const text = trainingSetup({ optimizer: "momentum", generatorLoss: "saturating" }).toString();
    expect(text).toMatch(/momentum SGD \(lr 0\.1, momentum 0\.5\)/);
    expect(text).toMatch(/saturating: minimise log\(1 − D\(G\(z\)\)\)/);
    expect(text).toMatch(/We used momentum in our experiments/);
    expect(trainingSetup({ optimizer: "adam", generatorLoss: "non-saturating" }).toString()).toMatch(
      /Adam \(lr 0\.001, β1 0\.5\)[\s\S]*non-saturating: maximise log D\(G\(z\)\)/,
    );
  });
});
