import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { dropoutPasses, FreshDropout, setDropoutPasses } from "./dropout.ts";
import { buildImageDiscriminator } from "./models.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const logits = (d: tf.LayersModel, x: tf.Tensor, training: boolean): number[] =>
  tf.tidy(() => Array.from((d.apply(x, { training }) as tf.Tensor).dataSync()));

describe("FreshDropout", () => {
  it("draws a new mask on every training pass (tf.layers.dropout with a seed repeats one) and none in inference", () => {
    const before = tf.memory().numTensors;
    const layer = new FreshDropout({ rate: 0.5, seed: 3 });
    tf.tidy(() => {
      const x = tf.ones([4, 64]);
      const a = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
      const b = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
      expect(Array.from(a)).not.toEqual(Array.from(b));
      // Inverted dropout: kept units are scaled by 1 / (1 − rate), about half are kept.
      expect(new Set([...a, ...b])).toEqual(new Set([0, 2]));
      const kept = [...a, ...b].filter((v) => v > 0).length / (a.length + b.length);
      expect(kept).toBeGreaterThan(0.35);
      expect(kept).toBeLessThan(0.65);
      expect(Array.from((layer.apply(x) as tf.Tensor).dataSync())).toEqual(Array(256).fill(1));
    });
    expect(layer.passes).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new FreshDropout({ rate: 1, seed: 1 })).toThrow(/rate must be in \[0, 1\)/);
  });

  it("a discriminator restored to its dropout state continues with the masks the saved one drew", () => {
    const x = tf.ones([3, 784]);
    const a = buildImageDiscriminator({ hidden: [8], pieces: 2, seed: 4 });
    const b = buildImageDiscriminator({ hidden: [8], pieces: 2, seed: 4 });
    const first = logits(a, x, true);
    expect(logits(b, x, true)).toEqual(first); // the same seed, the same first masks
    expect(logits(a, x, true)).not.toEqual(first); // then new ones
    expect(logits(a, x, false)).toEqual(logits(a, x, false));
    const saved = dropoutPasses(a);
    expect(saved).toEqual([2, 2]); // input dropout and one hidden layer, two training passes each
    const next = logits(a, x, true);
    setDropoutPasses(b, saved);
    expect(logits(b, x, true)).toEqual(next);
    expect(() => setDropoutPasses(b, [1])).toThrow(/has 2 dropout layers/);
    for (const m of [a, b]) m.dispose();
    x.dispose();
  });
});
