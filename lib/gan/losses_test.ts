import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { discriminatorLoss, generatorLoss, generatorLossGradients } from "./losses.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Algorithm 1 losses", () => {
  it("equal −V and the two generator objectives in closed form", () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const zero = tf.zeros([4, 1]);
      expect(discriminatorLoss(zero, zero).dataSync()[0]).toBeCloseTo(Math.log(4), 6); // D = 1/2 everywhere
      const t = tf.tensor2d([[Math.log(0.2 / 0.8)]]); // D = 0.2
      expect(discriminatorLoss(t, t).dataSync()[0]).toBeCloseTo(-(Math.log(0.2) + Math.log(0.8)), 5);
      expect(generatorLoss(t, "saturating").dataSync()[0]).toBeCloseTo(Math.log(0.8), 5);
      expect(generatorLoss(t, "non-saturating").dataSync()[0]).toBeCloseTo(-Math.log(0.2), 5);
      expect(generatorLoss(tf.tensor1d([-200]), "non-saturating").dataSync()[0]).toBeCloseTo(200, 3); // finite
    });
    expect(tf.memory().numTensors).toBe(before);
  });

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
});
