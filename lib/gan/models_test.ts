import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Maxout } from "./maxout.ts";
import { buildDiscriminator, buildGenerator, buildImageDiscriminator, buildImageGenerator } from "./models.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("maxout", () => {
  it("takes the max over groups of pieces and passes gradients to the winning piece only", () => {
    const before = tf.memory().numTensors;
    const layer = new Maxout({ pieces: 3 });
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 5, 2, -1, -3, -2]], [1, 6]);
      expect(Array.from((layer.apply(x) as tf.Tensor).dataSync())).toEqual([5, -1]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v) as tf.Tensor))(x);
      expect(Array.from(g.dataSync())).toEqual([0, 1, 0, 1, 0, 0]);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(layer.computeOutputShape([null, 6])).toEqual([null, 2]);
    expect(() => layer.computeOutputShape([null, 7])).toThrow(/not a multiple of pieces=3/);
  });
});

describe("generator and discriminator builders", () => {
  it("have the paper's shapes and parameter counts", () => {
    const g = buildGenerator({ hidden: [8, 4] });
    // (1·8 + 8) + (8·4 + 4) + (4·1 + 1)
    expect(g.countParams()).toBe(16 + 36 + 5);
    const d = buildDiscriminator({ hidden: [6], pieces: 3 });
    // (1·18 + 18) + (6·1 + 1)
    expect(d.countParams()).toBe(36 + 7);
    const gi = buildImageGenerator({ hidden: [16] });
    expect(gi.outputs[0].shape).toEqual([null, 784]);
    const di = buildImageDiscriminator({ hidden: [10], pieces: 2 });
    expect(di.countParams()).toBe(784 * 20 + 20 + 10 + 1);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = gi.predict(tf.randomNormal([3, 100])) as tf.Tensor;
      const v = x.dataSync();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0); // sigmoid output: pixel intensities
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      expect((di.predict(x) as tf.Tensor).shape).toEqual([3, 1]);
    });
    expect(tf.memory().numTensors).toBe(before);
    for (const m of [g, d, gi, di]) m.dispose();
  });

  it("are reproducible from their seed", () => {
    const a = buildGenerator({ seed: 5 });
    const b = buildGenerator({ seed: 5 });
    const c = buildGenerator({ seed: 6 });
    const w = (m: tf.LayersModel): number[] => Array.from(m.getWeights()[0].dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    for (const m of [a, b, c]) m.dispose();
  });

  it("reject bad widths", () => {
    expect(() => buildGenerator({ hidden: [0] })).toThrow(/positive integers/);
  });
});
