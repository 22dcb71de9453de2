import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { useNativeKernels } from "../backend/native_kernels.ts";
import { lcgValues, relError } from "../backend/test_values.ts";
import { channelStats, loadFashionMnist, normalizeImages } from "../data/mod.ts";
import { cifarResNet, type CifarResNetOptions } from "../resnet/mod.ts";
import { evaluateModel, foldedInference } from "./mod.ts";

/**
 * Gives every batch norm of `model` the statistics and affine parameters of a trained net instead of the initial
 * γ = 1, β = 0, μ = 0, σ² = 1 (with which folding would be nearly the identity): γ in [0.5, 1.5], β and μ in
 * [−0.5, 0.5], σ² in [0.5, 2], from the tests' deterministic values.
 */
function trainedLookingBatchNorms(model: tf.LayersModel, seed = 7): void {
  let s = seed;
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    const c = layer.getWeights()[0].shape[0];
    const [g, b, m, v] = [0, 1, 2, 3].map(() => lcgValues(c, s++));
    const values = [
      g.map((u) => 1 + 0.5 * u),
      b.map((u) => 0.5 * u),
      m.map((u) => 0.5 * u),
      v.map((u) => 1.25 + 0.75 * u),
    ];
    const ts = values.map((a) => tf.tensor1d(a));
    layer.setWeights(ts);
    tf.dispose(ts);
  }
}

/** Folded and unfolded logits of `model` on a batch of deterministic images, and what the fold fused. */
function bothWays(model: tf.LayersModel, batch = 3) {
  const [h, w, c] = model.inputs[0].shape.slice(1) as number[];
  const x = tf.tensor4d(lcgValues(batch * h * w * c, 3), [batch, h, w, c]);
  const before = tf.memory().numTensors;
  const folded = foldedInference(model);
  const got = folded.predict(x);
  const gotValues = got.dataSync().slice();
  got.dispose();
  folded.dispose();
  expect(tf.memory().numTensors, "the fold and its pass leave no tensor behind").toBe(before);
  const want = tf.tidy(() => (model.apply(x, { training: false }) as tf.Tensor).dataSync().slice());
  x.dispose();
  return { got: gotValues, want, summary: folded.summary };
}

const small: Omit<CifarResNetOptions, "depth"> = { inputShape: [28, 28, 1], widths: [8, 16, 32], seed: 3 };

beforeAll(async () => {
  const info = await initBackend({ prefer: "wasm", quiet: true });
  expect(info.name).toBe("wasm");
});

describe("foldedInference: batch norm folded into the convolutions equals the unfolded net", () => {
  // ResNet §4.2's nets on Fashion-MNIST shapes: plain, option A (zero-padding shortcuts), option B (projections).
  const nets: [string, CifarResNetOptions][] = [
    ["plain-8", { ...small, depth: 8, plain: true }],
    ["ResNet-8, option A", { ...small, depth: 8, shortcut: "A" }],
    ["ResNet-8, option B", { ...small, depth: 8, shortcut: "B" }],
    ["ResNet-14, option A, widths 16/32/64 (the recorded run's)", { ...small, depth: 14, widths: [16, 32, 64] }],
    ["ResNet-14, option B, widths 16/32/64", { ...small, depth: 14, widths: [16, 32, 64], shortcut: "B" }],
  ];
  for (const [name, options] of nets) {
    it(`${name}: logits within 1e-5, every BN folded, every ReLU and shortcut addition fused`, () => {
      const model = cifarResNet(options);
      trainedLookingBatchNorms(model);
      const { got, want, summary } = bothWays(model);
      expect(relError(got, want)).toBeLessThan(1e-5);
      const count = (cls: string) => model.layers.filter((l) => l.getClassName() === cls).length;
      const blocks = 3 * ((options.depth - 2) / 6);
      expect(summary).toEqual({
        convs: count("Conv2D"),
        batchNorms: count("BatchNormalization"),
        relus: count("ReLU"),
        residuals: options.plain ? 0 : blocks,
        // pool and fc, and option A's zero-padding shortcuts where a stage begins
        layers: 2 + (options.plain || options.shortcut === "B" ? 0 : 2),
      });
      model.dispose();
    });
  }

  it("the same on the wasm kernels without the native ones, and with tfjs ops on the cpu backend", async () => {
    const model = cifarResNet({ ...small, depth: 8, shortcut: "B" });
    trainedLookingBatchNorms(model);
    useNativeKernels(false);
    try {
      const { got, want } = bothWays(model);
      expect(relError(got, want)).toBeLessThan(1e-5);
    } finally {
      useNativeKernels(true);
    }
    await tf.setBackend("cpu"); // no inference kernels registered there: conv2dInference composes tfjs ops
    try {
      const { got, want } = bothWays(model);
      expect(relError(got, want)).toBeLessThan(1e-5);
    } finally {
      await tf.setBackend("wasm");
      model.dispose();
    }
  });

  it("folds what it can in other graphs: conv biases and activations, a shared conv output, uncentred BN", () => {
    const input = tf.input({ shape: [9, 9, 8] });
    const init = (seed: number) => tf.initializers.glorotUniform({ seed });
    // conv with bias and a ReLU activation of its own: nothing to fold, the ReLU in the epilogue
    const a = tf.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      kernelInitializer: init(1),
      biasInitializer: "ones",
    })
      .apply(input) as tf.SymbolicTensor;
    // conv (bias) → BN without centre or scale → Activation('relu'), stride 2, valid padding
    const b0 = tf.layers.conv2d({
      filters: 16,
      kernelSize: 3,
      strides: 2,
      padding: "valid",
      kernelInitializer: init(2),
      biasInitializer: "ones",
    })
      .apply(a) as tf.SymbolicTensor;
    const b1 = tf.layers.batchNormalization({ axis: -1, center: false, scale: false }).apply(b0) as tf.SymbolicTensor;
    const b = tf.layers.activation({ activation: "relu" }).apply(b1) as tf.SymbolicTensor;
    // a conv output read twice (BN and a second branch): the BN cannot fold and runs as a layer
    const c0 = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false, kernelInitializer: init(3) })
      .apply(b) as tf.SymbolicTensor;
    const c1 = tf.layers.batchNormalization({ axis: -1 }).apply(c0) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([c1, c0]) as tf.SymbolicTensor;
    const capped = tf.layers.reLU({ maxValue: 1 }).apply(sum) as tf.SymbolicTensor; // a capped ReLU is not fused
    const pooled = tf.layers.globalAveragePooling2d({}).apply(capped) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 5, kernelInitializer: init(4) }).apply(pooled) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    for (const layer of model.layers) {
      if (layer.getClassName() !== "BatchNormalization") continue;
      const c = 16, w = layer.getWeights();
      const values = w.length === 2
        ? [lcgValues(c, 21).map((u) => 0.3 * u), lcgValues(c, 22).map((u) => 1.25 + 0.75 * u)]
        : [
          lcgValues(c, 23).map((u) => 1 + 0.5 * u),
          lcgValues(c, 24),
          lcgValues(c, 25),
          lcgValues(c, 26).map((u) => 1 + 0.5 * u),
        ];
      const ts = values.map((v) => tf.tensor1d(v));
      layer.setWeights(ts);
      tf.dispose(ts);
    }
    const { got, want, summary } = bothWays(model, 2);
    expect(relError(got, want)).toBeLessThan(1e-5);
    expect(summary).toEqual({ convs: 3, batchNorms: 1, relus: 2, residuals: 0, layers: 5 });
    model.dispose();
  });
});

describe("evaluateModel with folded batch norm", () => {
  it("gives the unfolded loss and error within 1e-5 on Fashion-MNIST test images", async () => {
    const train = await loadFashionMnist({ limit: 500 });
    const test = normalizeImages(await loadFashionMnist({ split: "test", limit: 300 }), channelStats(train));
    const model = cifarResNet({ ...small, depth: 8, shortcut: "A" });
    trainedLookingBatchNorms(model);
    const before = tf.memory().numTensors;
    const folded = evaluateModel(model, test, { batchSize: 128 });
    expect(tf.memory().numTensors).toBe(before);
    const plain = evaluateModel(model, test, { batchSize: 128, folded: false });
    expect(Math.abs(folded.loss - plain.loss)).toBeLessThan(1e-5 * plain.loss);
    expect(Math.abs(folded.error - plain.error)).toBeLessThan(1e-5);
    model.dispose();
  });
});
