import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { channelStats, type ImageSet, loadFashionMnist, normalizeImages } from "../data/mod.ts";
import { cifarResNet } from "../resnet/mod.ts";
import { evaluateModel, MomentumSgd, paperCifarSchedule, stepSchedule, tailMean, trainModel } from "./mod.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

/** Softmax regression on 28×28×1 images: the loop is model-agnostic, and this trains fast on the cpu backend. */
function softmaxRegression(seed = 0): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed }), name: "fc" })
    .apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: "softmax-regression" });
}

async function fashion(): Promise<{ train: ImageSet; test: ImageSet }> {
  const rawTrain = await loadFashionMnist({ limit: 4000 });
  const rawTest = await loadFashionMnist({ split: "test", limit: 1000 });
  const stats = channelStats(rawTrain);
  return { train: normalizeImages(rawTrain, stats), test: normalizeImages(rawTest, stats) };
}

describe("learning-rate schedules (§4.2)", () => {
  it("divides by 10 at 32k and 48k of 64k, with an optional warm-up", () => {
    const s = paperCifarSchedule(64000);
    expect([s(0), s(31999), s(32000), s(47999), s(48000), s(63999)].map((v) => +v.toPrecision(6))).toEqual([
      0.1,
      0.1,
      0.01,
      0.01,
      0.001,
      0.001,
    ]);
    const w = stepSchedule(0.1, [100], { warmupSteps: 10, warmupLr: 0.01 });
    expect([w(0), w(9), w(10), w(100)].map((v) => +v.toPrecision(6))).toEqual([0.01, 0.01, 0.1, 0.01]);
  });
});

describe("MomentumSgd", () => {
  it("matches v ← μv + g + λw, w ← w − ηv computed by hand on f(w) = ½w², and frees its buffers", () => {
    const before = tf.memory().numTensors;
    const w0 = tf.tensor1d([2, -1]);
    const w = tf.variable(w0, true, "sgd_test_w");
    w0.dispose();
    const opt = new MomentumSgd([w], { momentum: 0.9, weightDecay: 0.1 });
    const ref = [2, -1].map((w0) => {
      let x = w0, v = 0;
      for (let t = 0; t < 3; t++) {
        v = 0.9 * v + x + 0.1 * x;
        x -= 0.5 * v;
      }
      return x;
    });
    for (let t = 0; t < 3; t++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.mul(0.5, tf.sum(tf.square(w))) as tf.Scalar, [w]);
        opt.step(grads, 0.5);
      });
    }
    const got = Array.from(w.dataSync());
    got.forEach((g, i) => expect(g).toBeCloseTo(ref[i], 5));
    opt.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("evaluateModel", () => {
  it("gives the mean cross-entropy −log softmax(logits)[label] and the error rate, batch by batch, without leaking", async () => {
    const data = await fashion();
    const m = softmaxRegression(4);
    const before = tf.memory().numTensors;
    const r = evaluateModel(m, data.test, { limit: 100, batchSize: 32 });
    // Independent reference: log-softmax by hand on all 100 images at once, in float64.
    const logits = tf.tidy(() => m.predict(tf.tensor4d(data.test.images.subarray(0, 100 * 784), [100, 28, 28, 1])));
    const rows = (logits as tf.Tensor2D).arraySync();
    tf.dispose(logits);
    let nll = 0, wrong = 0;
    rows.forEach((row, i) => {
      const label = data.test.labels[i], top = Math.max(...row);
      nll += Math.log(row.reduce((s, v) => s + Math.exp(v - top), 0)) + top - row[label];
      if (row.indexOf(top) !== label) wrong++;
    });
    expect(r.loss).toBeCloseTo(nll / 100, 5);
    expect(r.error).toBe(wrong / 100);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe("trainModel", () => {
  it("learns Fashion-MNIST (softmax regression below 25% test error), reproducibly, without leaking", async () => {
    const data = await fashion();
    const before = tf.memory().numTensors;
    const config = { steps: 150, batchSize: 64, learningRate: 0.01, evalEvery: 50, progress: false as const };
    const h = await trainModel(() => softmaxRegression(1), data, config);
    expect(tf.memory().numTensors).toBe(before);
    expect(h.loss.length).toBe(150);
    expect(h.trainError.length).toBe(150);
    expect(h.evalSteps).toEqual([50, 100, 150]);
    expect(h.testError[2]).toBeLessThan(0.25);
    expect(tailMean(h.loss, 20)).toBeLessThan(tailMean(h.loss.slice(0, 20), 20));
    const again = await trainModel(() => softmaxRegression(1), data, config);
    expect(again.loss).toEqual(h.loss);
    const otherOrder = await trainModel(() => softmaxRegression(1), data, { ...config, seed: 9 });
    expect(otherOrder.loss).not.toEqual(h.loss);
  });

  it("weight decay shrinks the kernels; the caller keeps a model it passed in", async () => {
    const data = await fashion();
    const norms: number[] = [];
    for (const weightDecay of [0, 0.05]) {
      const m = softmaxRegression(2);
      await trainModel(m, data, { steps: 60, batchSize: 32, learningRate: 0.01, weightDecay, progress: false });
      norms.push(tf.tidy(() => tf.norm(m.getLayer("fc").getWeights()[0]).dataSync()[0]));
      expect(evaluateModel(m, data.test, { limit: 100 }).error).toBeLessThan(0.5); // still usable: not disposed
      m.dispose();
    }
    expect(norms[1]).toBeLessThan(0.9 * norms[0]);
  });

  it("updates batch-norm statistics in a ResNet step, and names a shape mismatch", async () => {
    const data = await fashion();
    const m = cifarResNet({ depth: 8, inputShape: [28, 28, 1], widths: [2, 2, 2], seed: 3 });
    const before = tf.memory().numTensors;
    const mean0 = Array.from(m.getLayer("conv1_bn_response").getWeights()[2].dataSync());
    await trainModel(m, data, { steps: 2, batchSize: 8, evalLimit: 16, progress: false });
    expect(Array.from(m.getLayer("conv1_bn_response").getWeights()[2].dataSync())).not.toEqual(mean0);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    const wrong = cifarResNet({ depth: 8, widths: [2, 2, 2] });
    await expect(trainModel(wrong, data, { steps: 1 })).rejects.toThrow(
      /takes 32×32×3 images.*inputShape: \[28, 28, 1\]/,
    );
    wrong.dispose();
  });
});
