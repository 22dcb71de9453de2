import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { lcgValues, relError } from "./test_values.ts";
import { batchNormTraining } from "./batch_norm_kernels.ts";
import { initBackend } from "./init_backend.ts";

type Fn = (...xs: tf.Tensor[]) => tf.Scalar;

/** Value and gradients of f at the given inputs, computed on `backend`, as plain arrays. */
async function valueAndGrads(backend: string, f: Fn, shapes: number[][], seed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const xs = shapes.map((s, i) => tf.tensor(lcgValues(s.reduce((a, b) => a * b, 1), seed + i), s));
  const { value, grads } = tf.valueAndGrads(f)(xs);
  const out = [value, ...grads].map((t) => t.dataSync() as Float32Array);
  tf.dispose([value, ...grads, ...xs]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** Largest |a − b| relative to the largest |b| of each output (scale floored at 1e-6). */
function relErrors(a: Float32Array[], b: Float32Array[]): number[] {
  return a.map((x, i) => relError(x, b[i], 1e-6));
}

async function expectMatchesCpu(f: Fn, shapes: number[][], seed = 7, tol = 1e-4): Promise<void> {
  const fast = await valueAndGrads("wasm", f, shapes, seed);
  const ref = await valueAndGrads("cpu", f, shapes, seed);
  await tf.setBackend("wasm");
  for (const e of relErrors(fast, ref)) expect(e).toBeLessThan(tol);
}

beforeAll(async () => {
  const info = await initBackend({ prefer: "wasm", quiet: true });
  expect(info.name).toBe("wasm");
});

describe("conv2d gradients on wasm match the stock cpu backend", () => {
  const cases: [string, number[], number[], number, "same" | "valid"][] = [
    ["3x3 s1 same", [2, 7, 7, 3], [3, 3, 3, 4], 1, "same"],
    ["3x3 s2 same, odd size", [2, 7, 9, 3], [3, 3, 3, 5], 2, "same"],
    ["3x3 s2 same, even size", [3, 8, 8, 4], [3, 3, 4, 6], 2, "same"],
    ["3x3 s1 valid", [2, 9, 7, 2], [3, 3, 2, 3], 1, "valid"],
    ["3x3 s2 valid, odd size", [2, 9, 9, 3], [3, 3, 3, 2], 2, "valid"],
    ["3x3 s2 valid, unused last row", [1, 8, 8, 2], [3, 3, 2, 2], 2, "valid"],
    ["1x1 s1", [2, 5, 5, 4], [1, 1, 4, 6], 1, "valid"],
    ["1x1 s2 (projection shortcut)", [2, 7, 7, 4], [1, 1, 4, 8], 2, "same"],
    ["5x5 s2 same", [2, 11, 11, 3], [5, 5, 3, 4], 2, "same"],
    ["4x4 s2 same (even kernel)", [2, 8, 8, 3], [4, 4, 3, 4], 2, "same"],
  ];
  for (const [name, xShape, wShape, stride, pad] of cases) {
    it(name, async () => {
      // Squared output so that dy differs per position.
      const f: Fn = (x, w) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad)));
      await expectMatchesCpu(f, [xShape, wShape]);
    });
  }
});

describe("transposed convolution (GAN generators) on wasm matches cpu", () => {
  const cases: [string, number[], number[], number[], number, "same" | "valid"][] = [
    ["5x5 s2 same 4->8", [2, 4, 4, 6], [5, 5, 3, 6], [2, 8, 8, 3], 2, "same"],
    ["4x4 s2 same 7->14", [2, 7, 7, 4], [4, 4, 2, 4], [2, 14, 14, 2], 2, "same"],
    ["3x3 s1 same", [1, 5, 5, 3], [3, 3, 2, 3], [1, 5, 5, 2], 1, "same"],
    ["4x4 s1 valid 1->4", [3, 1, 1, 8], [4, 4, 5, 8], [3, 4, 4, 5], 1, "valid"],
    ["3x3 s2 valid 3->7", [2, 3, 3, 4], [3, 3, 2, 4], [2, 7, 7, 2], 2, "valid"],
  ];
  for (const [name, xShape, wShape, outShape, stride, pad] of cases) {
    it(name, async () => {
      const f: Fn = (x, w) =>
        tf.sum(tf.square(tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, outShape as never, stride, pad)));
      await expectMatchesCpu(f, [xShape, wShape]);
    });
  }
});

describe("matmul with transposed operands, batch norm, and the GAN/ResNet op set on wasm match cpu", () => {
  it("matMul with every transpose combination", async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const f: Fn = (a, b) => tf.sum(tf.square(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb)));
      await expectMatchesCpu(f, [ta ? [5, 3] : [3, 5], tb ? [4, 5] : [5, 4]]);
    }
  });

  it("batch norm in training mode (moments + batchNorm) against elementary ops", async () => {
    const eps = 1e-3;
    const fused: Fn = (x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const y = tf.batchNorm4d(
        x as tf.Tensor4D,
        mean as tf.Tensor1D,
        variance as tf.Tensor1D,
        b as tf.Tensor1D,
        g as tf.Tensor1D,
        eps,
      );
      return tf.sum(tf.mul(y, tf.sin(y)));
    };
    const elementary: Fn = (x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const y = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), g), b);
      return tf.sum(tf.mul(y, tf.sin(y)));
    };
    const shapes = [[3, 5, 5, 4], [4], [4]];
    const a = await valueAndGrads("wasm", fused, shapes, 3);
    const b = await valueAndGrads("cpu", elementary, shapes, 3);
    await tf.setBackend("wasm");
    for (const e of relErrors(a, b)) expect(e).toBeLessThan(1e-4);
  });

  it("the fused training batch norm (values, batch mean/variance, and gradients through all three)", async () => {
    const eps = 1e-3;
    const fused: Fn = (x, g, b) => {
      const [y, mean, variance] = batchNormTraining(x, {
        gamma: g as tf.Tensor1D,
        beta: b as tf.Tensor1D,
        epsilon: eps,
      });
      return tf.addN([tf.sum(tf.mul(y, tf.sin(y))), tf.sum(tf.square(mean)), tf.sum(tf.sqrt(variance))]) as tf.Scalar;
    };
    const elementary: Fn = (x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const y = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), g), b);
      return tf.addN([tf.sum(tf.mul(y, tf.sin(y))), tf.sum(tf.square(mean)), tf.sum(tf.sqrt(variance))]) as tf.Scalar;
    };
    const shapes = [[3, 5, 5, 4], [4], [4]];
    const a = await valueAndGrads("wasm", fused, shapes, 9);
    const b = await valueAndGrads("cpu", elementary, shapes, 9);
    await tf.setBackend("wasm");
    for (const e of relErrors(a, b)) expect(e).toBeLessThan(1e-4);
  });

  it("ResNet ops: relu, add, pad, avgPool, dense, softmax cross-entropy", async () => {
    const f: Fn = (x, w, wd, labels) => {
      const h = tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"));
      const r = tf.add(h, tf.pad(tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 2]), [[0, 0], [0, 0], [0, 0], [1, 1]]));
      const pooled = tf.reshape(tf.avgPool(r as tf.Tensor4D, 6, 1, "valid"), [2, 4]);
      const logits = tf.matMul(pooled, wd as tf.Tensor2D);
      return tf.losses.softmaxCrossEntropy(tf.softmax(labels), logits) as tf.Scalar;
    };
    await expectMatchesCpu(f, [[2, 6, 6, 2], [3, 3, 2, 4], [4, 3], [2, 3]]);
  });

  it("slices of rank 2 to 6 (the option-A shortcut's x[:, ::2, ::2, :]) and their gradients", async () => {
    const f: Fn = (x) => {
      const r = tf.reshape(x, [2, 3, 2, 3, 2, 5]);
      const sub = tf.slice(r, [0, 0, 0, 0, 0, 0], [2, 3, 1, 3, 1, 5]);
      const mid = tf.slice(x, [1, 1, 0, 2], [1, 4, 5, 3]);
      const row = tf.slice(tf.reshape(x, [12, 30]), [3, 7], [5, 11]);
      return tf.addN([tf.sum(tf.square(sub)), tf.sum(tf.sin(mid)), tf.sum(tf.mul(row, row))]) as tf.Scalar;
    };
    await expectMatchesCpu(f, [[2, 6, 6, 5]]);
  });

  it("GAN ops: dense, leaky relu, maxout (reshape + max), sigmoid, tanh", async () => {
    const f: Fn = (z, w1, w2) => {
      const h = tf.leakyRelu(tf.matMul(z as tf.Tensor2D, w1 as tf.Tensor2D), 0.2);
      const maxout = tf.max(tf.reshape(h, [4, 3, 2]), 2);
      return tf.sum(tf.add(tf.sigmoid(tf.matMul(maxout, w2 as tf.Tensor2D)), tf.tanh(maxout)));
    };
    await expectMatchesCpu(f, [[4, 5], [5, 6], [3, 3]]);
  });
});

/** A tiny residual net over tf.layers: conv-bn-relu, an identity and a projection shortcut, avg pool, softmax. */
/** Widths [a, b]: a stem and block of width a, a strided block of width b with a projection shortcut. */
function tinyResNet([a, b]: [number, number] = [4, 8]): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const convBn = (x: tf.SymbolicTensor, filters: number, strides: number, relu: boolean): tf.SymbolicTensor => {
    const c = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: "same", useBias: false }).apply(x);
    const b = tf.layers.batchNormalization().apply(c) as tf.SymbolicTensor;
    return relu ? tf.layers.reLU().apply(b) as tf.SymbolicTensor : b;
  };
  const stem = convBn(input, a, 1, true);
  const block1 = tf.layers.reLU().apply(tf.layers.add().apply([convBn(convBn(stem, a, 1, true), a, 1, false), stem]));
  const short = tf.layers.conv2d({ filters: b, kernelSize: 1, strides: 2, useBias: false }).apply(block1);
  const body = convBn(convBn(block1 as tf.SymbolicTensor, b, 2, true), b, 1, false);
  const block2 = tf.layers.reLU().apply(tf.layers.add().apply([body, short as tf.SymbolicTensor]));
  const pooled = tf.layers.globalAveragePooling2d({}).apply(block2);
  const out = tf.layers.dense({ units: 5, activation: "softmax", kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }) })
    .apply(pooled);
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
}

async function trainLosses(
  backend: string,
  weights: Float32Array[],
  steps: number,
  widths: [number, number] = [4, 8],
): Promise<{ losses: number[]; final: Float32Array[] }> {
  await tf.setBackend(backend);
  // tfjs's SGD/momentum optimizer keeps one scalar after dispose(); count from after its creation.
  const opt = tf.train.momentum(0.01, 0.9);
  const before = tf.memory().numTensors;
  const model = tinyResNet(widths);
  const initial = weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape));
  model.setWeights(initial);
  tf.dispose(initial);
  const x = tf.tensor(lcgValues(8 * 8 * 8 * 3, 11), [8, 8, 8, 3]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], "int32"), 5);
  model.compile({ optimizer: opt, loss: "categoricalCrossentropy" });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(await model.trainOnBatch(x, y) as number);
  // All weights, including batch norm's moving mean and variance (updated by the fused kernel on wasm).
  const final = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  tf.dispose([x, y]);
  model.dispose();
  opt.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { losses, final };
}

describe("training on wasm follows the cpu backend", () => {
  // Widths 4/8 take the composed XNNPACK convolutions for width 4; widths 8/16 run every conv natively when the
  // native kernels are loaded (channel counts a multiple of 8).
  for (const widths of [[4, 8], [8, 16]] as [number, number][]) {
    it(`a tiny ResNet (widths ${widths}): loss over 6 momentum-SGD steps agrees within 1e-3`, async () => {
      await tf.setBackend("cpu");
      const init = tinyResNet(widths);
      const weights = init.getWeights().map((w) => w.dataSync() as Float32Array);
      init.dispose();
      const fast = await trainLosses("wasm", weights, 6, widths);
      const ref = await trainLosses("cpu", weights, 6, widths);
      await tf.setBackend("wasm");
      expect(ref.losses[5]).toBeLessThan(ref.losses[0]); // it trains at all
      ref.losses.forEach((l, i) => expect(Math.abs(fast.losses[i] - l)).toBeLessThan(1e-3 * Math.max(1, l)));
      expect(Math.max(...relErrors(fast.final, ref.final))).toBeLessThan(1e-3);
    });
  }
});
