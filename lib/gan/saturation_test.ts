import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { normal } from "../math/mod.ts";
import { trainDiscriminator } from "./algorithm1.ts";
import { buildDiscriminator, buildGenerator } from "./models.ts";
import { generatorGradientNorm, generatorLossGradients, measureSaturation } from "./saturation.ts";
import { densitySampler, uniformNoiseSampler } from "./toy.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe("the saturation remark of §3", () => {
  it("autodiff gradients match −1/(1 − D), −1/D, −D and −(1 − D)", () => {
    const before = tf.memory().numTensors;
    const d = [0.001, 0.1, 0.5, 0.9];
    const g = generatorLossGradients(d);
    d.forEach((v, i) => {
      expect(g.wrtD.saturating[i]).toBeCloseTo(-1 / (1 - v), 3);
      expect(g.wrtD["non-saturating"][i] / (-1 / v)).toBeCloseTo(1, 3);
      expect(g.wrtLogit.saturating[i]).toBeCloseTo(-v, 5);
      expect(g.wrtLogit["non-saturating"][i]).toBeCloseTo(-(1 - v), 5);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(() => generatorLossGradients([0])).toThrow(/\(0, 1\); index 0 is 0/);
  });

  it("when D rejects G's samples the saturating loss has the smaller generator gradient", async () => {
    const G = buildGenerator({ seed: 3 });
    const D = buildDiscriminator({ seed: 4 });
    const noise = uniformNoiseSampler(1, 5);
    const generated = (m: number): tf.Tensor => tf.tidy(() => G.predict(noise(m)) as tf.Tensor);
    await trainDiscriminator(D, {
      steps: 200,
      sampleData: densitySampler(normal(3, 0.5), 6),
      sampleGenerated: generated,
    });
    const before = tf.memory().numTensors;
    const z = noise(256);
    const sat = generatorGradientNorm(G, D, z, "saturating");
    const nonSat = generatorGradientNorm(G, D, z, "non-saturating");
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(nonSat / sat).toBeGreaterThan(5);
    G.dispose();
    D.dispose();
  });

  it("measureSaturation reports one row per seed and leaks nothing", async () => {
    const before = tf.memory().numTensors;
    const sat = await measureSaturation(normal(3, 0.5), [1], { dSteps: 100 });
    expect(tf.memory().numTensors).toBe(before);
    expect(sat.map((r) => r.seed)).toEqual([1]);
    expect(sat[0].nonSaturating).toBeGreaterThan(sat[0].saturating);
  });
});
