import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { countComplexity } from "./complexity.ts";
import { cifarResNet, imagenetResNet } from "./networks.ts";
import { noLeak } from "./test_util.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

describe("CIFAR-10 family (ResNet §4.2, Table 6)", () => {
  // Table 6 "# params": ResNet-20/32/44/56/110 = 0.27/0.46/0.66/0.85/1.7 M (option A). Tolerance: our count rounded to
  // the paper's printed precision (two significant digits) equals the paper's number.
  const table6: [number, number][] = [[20, 0.27], [32, 0.46], [44, 0.66], [56, 0.85], [110, 1.7]];
  for (const [depth, paper] of table6) {
    it(`ResNet-${depth} has ${paper}M parameters`, () => {
      noLeak(() => {
        const m = cifarResNet({ depth, initializer: "zeros" });
        const { params } = countComplexity(m);
        expect(Number((params / 1e6).toPrecision(2))).toBe(paper);
        expect(m.layers.filter((l) => l.getClassName() === "Conv2D" || l.getClassName() === "Dense").length)
          .toBe(depth);
        m.dispose();
      });
    });
  }

  it("option A adds no parameters; B adds exactly the two projections; C projects every block", () => {
    noLeak(() => {
      const count = (o: Parameters<typeof cifarResNet>[0]): number => {
        const m = cifarResNet({ initializer: "zeros", ...o });
        const p = countComplexity(m).params;
        m.dispose();
        return p;
      };
      const plain = count({ depth: 20, plain: true });
      expect(count({ depth: 20, shortcut: "A" })).toBe(plain);
      // B: 1×1 projections 16→32 and 32→64, each with BN scale and shift
      expect(count({ depth: 20, shortcut: "B" }) - plain).toBe(16 * 32 + 2 * 32 + 32 * 64 + 2 * 64);
      // C: each of the 9 blocks gets a 1×1 projection + BN: stage 1 3×(16→16), stage 2 16→32 + 2×(32→32), stage 3 …
      const c = 3 * (16 * 16 + 32) + (16 * 32 + 64) + 2 * (32 * 32 + 64) + (32 * 64 + 128) + 2 * (64 * 64 + 128);
      expect(count({ depth: 20, shortcut: "C" }) - plain).toBe(c);
    });
  });

  it("takes Fashion-MNIST shapes and returns 10 logits per image, without leaking tensors", () => {
    const m = cifarResNet({ depth: 8, inputShape: [28, 28, 1], widths: [4, 8, 16], seed: 1 });
    noLeak(() => {
      const y = tf.tidy(() => m.predict(tf.randomUniform([3, 28, 28, 1])) as tf.Tensor);
      expect(y.shape).toEqual([3, 10]);
      y.dispose();
    });
    m.dispose();
    expect(() => cifarResNet({ depth: 21 })).toThrow(/6n\+2/);
  });

  it("the same seed gives the same weights, another seed different ones", () => {
    const before = tf.memory().numTensors;
    const a = cifarResNet({ depth: 8, seed: 3 });
    const b = cifarResNet({ depth: 8, seed: 3 });
    const c = cifarResNet({ depth: 8, seed: 4 });
    const w = (m: tf.LayersModel): number[] => Array.from(m.getLayer("stage2_block1_conv1").getWeights()[0].dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((m) => m.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("ImageNet family (ResNet Table 1)", () => {
  // Table 1 FLOPs (multiply-adds): 1.8 / 3.6 / 3.8 / 7.6 / 11.3 ×10^9, tolerance 2% (the paper prints two digits).
  // Parameters: the independent reference is torchvision's resnet18…152, which have the same layers.
  const table1: [number, number, number][] = [
    [18, 1.8, 11689512],
    [34, 3.6, 21797672],
    [50, 3.8, 25557032],
    [101, 7.6, 44549160],
    [152, 11.3, 60192808],
  ];
  for (const [depth, gflops, params] of table1) {
    it(`ResNet-${depth}: ${gflops}×10^9 FLOPs, ${params} parameters`, () => {
      noLeak(() => {
        const m = imagenetResNet({ depth, initializer: "zeros" });
        const c = countComplexity(m);
        expect(Math.abs(c.flops / 1e9 - gflops) / gflops).toBeLessThan(0.02);
        expect(c.params).toBe(params);
        m.dispose();
      });
    });
  }

  it("plain-34 costs the same as ResNet-34 up to its projection shortcuts (§4.1: 3.6 billion FLOPs)", () => {
    const before = tf.memory().numTensors;
    const plain = imagenetResNet({ depth: 34, plain: true, initializer: "zeros" });
    const res = imagenetResNet({ depth: 34, initializer: "zeros" });
    const a = countComplexity(plain);
    const b = countComplexity(res);
    const projFlops = 28 * 28 * 64 * 128 + 14 * 14 * 128 * 256 + 7 * 7 * 256 * 512;
    expect(b.flops - a.flops).toBe(projFlops);
    expect(Math.abs(a.flops / 1e9 - 3.6) / 3.6).toBeLessThan(0.02);
    plain.dispose();
    res.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
