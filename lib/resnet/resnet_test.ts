import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import {
  basicBlock,
  bottleneckBlock,
  cifarResNet,
  countComplexity,
  imagenetResNet,
  layerResponseStd,
  zeroPadShortcut,
} from "./mod.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

/** Runs `fn`, then asserts that it left no tensor behind. */
function noLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** A one-block model on an input of the given shape. */
function blockModel(
  inputShape: [number, number, number],
  block: (x: tf.SymbolicTensor) => tf.SymbolicTensor,
): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  return tf.model({ inputs: input, outputs: block(input) });
}

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
    const a = cifarResNet({ depth: 8, seed: 3 });
    const b = cifarResNet({ depth: 8, seed: 3 });
    const c = cifarResNet({ depth: 8, seed: 4 });
    const w = (m: tf.LayersModel): number[] => Array.from(m.getLayer("stage2_block1_conv1").getWeights()[0].dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((m) => m.dispose());
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
    const plain = imagenetResNet({ depth: 34, plain: true, initializer: "zeros" });
    const res = imagenetResNet({ depth: 34, initializer: "zeros" });
    const a = countComplexity(plain);
    const b = countComplexity(res);
    const projFlops = 28 * 28 * 64 * 128 + 14 * 14 * 128 * 256 + 7 * 7 * 256 * 512;
    expect(b.flops - a.flops).toBe(projFlops);
    expect(Math.abs(a.flops / 1e9 - 3.6) / 3.6).toBeLessThan(0.02);
    plain.dispose();
    res.dispose();
  });
});

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
    tf.tidy(() => {
      const y = p.predict(tf.ones([1, 6, 6, 4])) as tf.Tensor;
      expect(tf.max(tf.abs(y)).dataSync()[0]).toBe(0);
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
    const a = countComplexity(basic);
    const b = countComplexity(bottle);
    expect(a.params).toBe(2 * 3 * 3 * 64 * 64 + 2 * 2 * 64);
    expect(b.params).toBe(256 * 64 + 3 * 3 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256));
    expect(a.flops).toBe(56 * 56 * 2 * 3 * 3 * 64 * 64);
    expect(b.flops).toBe(56 * 56 * (256 * 64 + 3 * 3 * 64 * 64 + 64 * 256));
    basic.dispose();
    bottle.dispose();
  });
});

describe("layer responses (Figure 7)", () => {
  it("returns one std per 3×3 layer, positive, and leaks nothing", () => {
    const m = cifarResNet({ depth: 14, inputShape: [8, 8, 1], widths: [4, 8, 8], seed: 2 });
    const x = tf.randomNormal([10, 8, 8, 1], 0, 1, "float32", 5) as tf.Tensor4D;
    const r = noLeak(() => layerResponseStd(m, x, { batchSize: 4 }));
    expect(r.length).toBe(13);
    expect(r[0].layer).toBe("conv1_bn_response");
    for (const { std } of r) expect(std).toBeGreaterThan(0);
    x.dispose();
    m.dispose();
  });
});
