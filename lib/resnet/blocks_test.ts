import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { basicBlock, bottleneckBlock } from "./blocks.ts";
import { countComplexity } from "./complexity.ts";
import { zeroPadShortcut } from "./shortcut.ts";
import { noLeak } from "./test_util.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

/** A one-block model on an input of the given shape. */
function blockModel(
  inputShape: [number, number, number],
  block: (x: tf.SymbolicTensor) => tf.SymbolicTensor,
): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  return tf.model({ inputs: input, outputs: block(input) });
}

describe("blocks (ResNet §3.1–3.2, Figure 2, Figure 5)", () => {
  it("a block whose residual weights are zero is the identity: y = ReLU(0 + x) = x for x ≥ 0", () => {
    const m = blockModel([6, 6, 4], (x) => basicBlock(x, { filters: 4, name: "b", initializer: "zeros" }));
    noLeak(() => {
      tf.tidy(() => {
        const x = tf.randomUniform([2, 6, 6, 4], 0, 3, "float32", 1);
        const y = m.predict(x) as tf.Tensor;
        expect(tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]).toBe(0);
      });
    });
    m.dispose();
    // The plain block with zero weights outputs zeros, not x: it has to learn the identity.
    const p = blockModel([6, 6, 4], (x) => basicBlock(x, { filters: 4, name: "b", initializer: "zeros", plain: true }));
    noLeak(() => {
      tf.tidy(() => {
        const y = p.predict(tf.ones([1, 6, 6, 4])) as tf.Tensor;
        expect(tf.max(tf.abs(y)).dataSync()[0]).toBe(0);
      });
    });
    p.dispose();
  });

  it("option A at a stride-2 block: every second pixel, zero channels appended, gradient through the taken pixels", () => {
    noLeak(() => {
      tf.tidy(() => {
        const x = tf.reshape(tf.range(1, 1 + 5 * 5 * 2), [1, 5, 5, 2]) as tf.Tensor4D;
        const y = zeroPadShortcut(x, { outChannels: 4, stride: 2 });
        expect(y.shape).toEqual([1, 3, 3, 4]);
        const ya = y.arraySync() as number[][][][];
        const xa = x.arraySync() as number[][][][];
        expect(ya[0][1][2]).toEqual([...xa[0][2][4], 0, 0]);
        const g = tf.grad((t: tf.Tensor) => tf.sum(zeroPadShortcut(t as tf.Tensor4D, { outChannels: 4, stride: 2 })))(
          x,
        );
        const ga = g.arraySync() as number[][][][];
        expect(ga[0].map((r) => r.map((c) => c[0]))).toEqual(
          [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => (i % 2 === 0 && j % 2 === 0 ? 1 : 0))),
        );
      });
    });
  });

  it("bottleneck vs basic block at the paper's widths: similar cost (§4.1)", () => {
    // basic: two 3×3 on 64-d; bottleneck: 1×1 256→64, 3×3 64→64, 1×1 64→256, each conv followed by BN (γ, β)
    const basic = blockModel([56, 56, 64], (x) => basicBlock(x, { filters: 64, name: "b", initializer: "zeros" }));
    const bottle = blockModel(
      [56, 56, 256],
      (x) => bottleneckBlock(x, { filters: 256, name: "b", initializer: "zeros" }),
    );
    const [a, b] = noLeak(() => [countComplexity(basic), countComplexity(bottle)]);
    expect(a.params).toBe(2 * 3 * 3 * 64 * 64 + 2 * 2 * 64);
    expect(b.params).toBe(256 * 64 + 3 * 3 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256));
    expect(a.flops).toBe(56 * 56 * 2 * 3 * 3 * 64 * 64);
    expect(b.flops).toBe(56 * 56 * (256 * 64 + 3 * 3 * 64 * 64 + 64 * 256));
    basic.dispose();
    bottle.dispose();
  });
});
