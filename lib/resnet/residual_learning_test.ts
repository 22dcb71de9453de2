import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { fitIdentity, identityStack, zeroBlockRows } from "./residual_learning.ts";

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
