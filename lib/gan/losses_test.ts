import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { discriminatorLoss, generatorLoss } from "./losses.ts";

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
});
