import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import {
  compareStacks,
  fitIdentity,
  identityStack,
  stackPairs,
  stackRows,
  zeroBlockRows,
} from "./residual_learning.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

describe("§3.1 identity fitting", () => {
  it("an 8-layer residual stack fits H(x) = x far better than the plain stack, for two seeds, without leaks", () => {
    for (const seed of [0, 1]) {
      const before = tf.memory().numTensors;
      const tails = [false, true].map((residual) => {
        const m = identityStack({ layers: 8, residual, seed });
        const l = fitIdentity(m, { steps: 200, seed });
        m.dispose();
        return l.slice(-20).reduce((a, b) => a + b, 0) / 20;
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(tails[1]).toBeLessThan(tails[0] / 2);
    }
    expect(() => identityStack({ layers: 3 })).toThrow(/even/);
  });

  it("a near-identity target H(x) = ReLU(x + ε·Ax) is a different target from x, and compareStacks tails each curve", () => {
    const first = (perturbation: number) => {
      const m = identityStack({ layers: 2, residual: true, seed: 3 });
      const l = fitIdentity(m, { steps: 1, seed: 3, perturbation });
      m.dispose();
      return l[0];
    };
    expect(first(0.3)).not.toBeCloseTo(first(0), 6);
    expect(() => fitIdentity(identityStack({ layers: 2 }), { steps: 1, perturbation: -1 })).toThrow(/≥ 0/);
    const before = tf.memory().numTensors;
    const fits = compareStacks({ layers: 2, steps: 20, seeds: [1, 2], perturbation: 0.3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(fits.map((f) => f.seed)).toEqual([1, 2]);
    expect(fits[0].plain).toBeCloseTo(fits[0].plainCurve.reduce((a, b) => a + b, 0) / 20, 12);
    expect(stackPairs(fits)[1]).toEqual({
      seed: 2,
      higher: Math.log10(fits[1].plain),
      lower: Math.log10(fits[1].residual),
    });
    expect(stackRows("t", fits)[0]).toMatchObject({ target: "t", seed: 1 });
    expect(() => compareStacks({ layers: 2, steps: 10, seeds: [1] })).toThrow(/≥ 20/);
  });
});

describe("§3.1: a zero-residual block is the identity", () => {
  it("zeroBlockRows: residual block returns x exactly, plain block returns 0, no leaks", () => {
    const x = tf.randomUniform([2, 4, 4, 3], 0, 2, "float32", 7) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const [res, plain] = zeroBlockRows(x);
    expect(tf.memory().numTensors).toBe(before);
    expect(res["max |y − x|"]).toBe(0);
    expect(plain["max |y|"]).toBe(0);
    expect(plain["max |y − x|"]).toBeGreaterThan(1);
    x.dispose();
  });
});
