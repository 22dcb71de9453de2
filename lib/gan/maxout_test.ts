import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { Maxout } from "./maxout.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe("Maxout", () => {
  it("gives the max over each unit's pieces and tf.max's gradient bit for bit, ties included", () => {
    const [rows, units, pieces] = [7, 5, 3];
    // every other unit's last piece ties with the max of its first two
    const values = Array.from({ length: rows * units }, (_, u) => {
      const [a, b] = [((u * 3) % 5) / 4, ((u * 3 + 1) % 5) / 4];
      return [a, b, u % 2 === 0 ? Math.max(a, b) : -1];
    }).flat();
    const x = tf.tensor2d(values, [rows, units * pieces]);
    const w = tf.tensor2d(Array.from({ length: rows * units }, (_, i) => ((i * 13) % 7) - 3.5), [rows, units]);
    const layer = new Maxout({ pieces });
    const mine = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, w)));
    const stock = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.max(tf.reshape(t, [-1, units, pieces]), 2), w)));
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([rows, units]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(tf.max(tf.reshape(x, [rows, units, pieces]), 2).dataSync()));
    const [got, want] = [mine(x).dataSync(), stock(x).dataSync()];
    const xs = x.dataSync();
    let ties = 0;
    for (let u = 0; u < rows * units; u++) {
      const group = Array.from(xs.slice(u * pieces, (u + 1) * pieces));
      if (group.filter((v) => v === Math.max(...group)).length > 1) ties++;
    }
    expect(ties).toBeGreaterThan(0); // the case where a hand-written gradient most easily differs
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it("refuses a width that is not a multiple of pieces, naming both", () => {
    expect(() => new Maxout({ pieces: 4 }).computeOutputShape([null, 10])).toThrow(/10 is not a multiple of pieces=4/);
  });
});
