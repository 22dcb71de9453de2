import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/init_backend.ts";
import { lcgValues } from "../backend/test_values.ts";
import { cifarResNet } from "../resnet/mod.ts";
import { DataParallelTrainer } from "./data_parallel.ts";
import { supervisedLoss, TrainStep } from "./step.ts";
import { denseBatchNormClassifier } from "./test_models.ts";

/** One-core steps of `model` on (x, y) with TrainStep's defaults (momentum SGD of ResNet §3.4); the losses. */
function trainOneCore(model: tf.LayersModel, batch: { x: tf.Tensor; y: tf.Tensor }, lrs: number[]): number[] {
  const trainer = TrainStep.forModel(model);
  const losses = lrs.map((lr) => {
    const loss = trainer.step(supervisedLoss(model, batch), lr);
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  });
  trainer.dispose();
  return losses;
}

const MODEL = { depth: 8, widths: [4, 8, 16], inputShape: [8, 8, 3], classes: 5 };
const BATCH = 8, STEPS = 3, LR = 0.05;

const images = lcgValues(BATCH * 8 * 8 * 3, 5);
const labels = Int32Array.from({ length: BATCH }, (_, i) => (i * 3) % 5);
let initial: Float32Array[];
let reference: { losses: number[]; weights: Float32Array[] };

beforeAll(async () => {
  await initBackend({ prefer: "wasm", quiet: true });
  const before = tf.memory().numTensors;
  const model = cifarResNet(MODEL as never);
  initial = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  const x = tf.tensor4d(images, [BATCH, 8, 8, 3]);
  const y = tf.tensor1d(labels, "int32");
  const losses = trainOneCore(model, { x, y }, Array(STEPS).fill(LR));
  reference = { losses, weights: model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)) };
  tf.dispose([x, y]);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

async function trainParallel(syncBatchStats: boolean): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const trainer = await DataParallelTrainer.create({
    moduleUrl: new URL("../resnet/mod.ts", import.meta.url).href,
    exportName: "cifarResNet",
    modelOptions: MODEL,
    workers: 2,
    syncBatchStats,
  });
  try {
    await trainer.setWeights(initial);
    const losses: number[] = [];
    const tensors: number[][] = [];
    for (let i = 0; i < STEPS; i++) {
      losses.push(await trainer.step({ x: images, xShape: [BATCH, 8, 8, 3], y: labels }, LR));
      tensors.push(trainer.lastTiming.numTensors);
    }
    expect(tensors[STEPS - 1]).toEqual(tensors[1]); // no growth in the workers
    return { losses, weights: await trainer.getWeights() };
  } finally {
    await trainer.dispose();
  }
}

function maxRelDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((w, i) => {
    let scale = 1e-3, err = 0;
    for (let j = 0; j < w.length; j++) {
      err = Math.max(err, Math.abs(w[j] - b[i][j]));
      scale = Math.max(scale, Math.abs(b[i][j]));
    }
    worst = Math.max(worst, err / scale);
  });
  return worst;
}

describe("DataParallelTrainer on 2 workers", () => {
  it("trains exactly like one core (synchronised batch statistics)", async () => {
    const par = await trainParallel(true);
    for (let i = 0; i < STEPS; i++) expect(Math.abs(par.losses[i] - reference.losses[i])).toBeLessThan(1e-4);
    expect(maxRelDiff(par.weights, reference.weights)).toBeLessThan(1e-4);
  });

  it("differs from one core without synchronised batch statistics (the test can tell)", async () => {
    const par = await trainParallel(false);
    expect(maxRelDiff(par.weights, reference.weights)).toBeGreaterThan(1e-3);
  });

  it("synchronises the stock tf.layers batch-norm path (tf.moments) too", async () => {
    const x = Float32Array.from({ length: 8 * 12 }, (_, i) => Math.sin(i * 0.7) + (i % 5) * 0.3);
    const y = Int32Array.from({ length: 8 }, (_, i) => i % 3);
    const model = denseBatchNormClassifier();
    const xt = tf.tensor2d(x, [8, 12]), yt = tf.tensor1d(y, "int32");
    const ref = trainOneCore(model, { x: xt, y: yt }, [0.1, 0.1, 0.1]);
    const refWeights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
    tf.dispose([xt, yt]);
    model.dispose();
    const par = await DataParallelTrainer.create({
      moduleUrl: new URL("./test_models.ts", import.meta.url).href,
      exportName: "denseBatchNormClassifier",
      workers: 2,
    });
    try {
      const fresh = denseBatchNormClassifier();
      await par.setWeights(fresh.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)));
      fresh.dispose();
      const losses = [];
      for (let i = 0; i < 3; i++) losses.push(await par.step({ x, xShape: [8, 12], y }, 0.1));
      losses.forEach((l, i) => expect(Math.abs(l - ref[i])).toBeLessThan(1e-5));
      expect(maxRelDiff(await par.getWeights(), refWeights)).toBeLessThan(1e-4);
    } finally {
      await par.dispose();
    }
  });

  it("rejects a batch that does not split evenly", async () => {
    const trainer = await DataParallelTrainer.create({
      moduleUrl: new URL("../resnet/mod.ts", import.meta.url).href,
      exportName: "cifarResNet",
      modelOptions: MODEL,
      workers: 2,
    });
    await expect(
      trainer.step({ x: images.subarray(0, 3 * 192), xShape: [3, 8, 8, 3], y: labels.subarray(0, 3) }, LR),
    ).rejects.toThrow(
      /not divisible by 2 workers/,
    );
    await trainer.dispose();
  });
});

afterAll(() => undefined);
