import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { initBackend } from "../backend/init_backend.ts";
import { cifarResNet, type CifarResNetOptions } from "../resnet/mod.ts";
import { type GridRun, runGrid } from "./grid.ts";
import { livePoolWorkers } from "./worker_pool.ts";
import { tinySet } from "./test_models.ts";
import { type TrainConfig, type TrainHistory, trainModel } from "./train.ts";

const data = { train: tinySet(48, 3), test: tinySet(16, 4) };
const RESNET_URL = new URL("../resnet/mod.ts", import.meta.url).href;
const net = (depth: number, plain: boolean, seed: number): CifarResNetOptions => ({
  depth,
  plain,
  seed,
  widths: [2, 4, 4],
  inputShape: [8, 8, 1],
  classes: 5,
});
const config = (seed: number, learningRate = 0.05): TrainConfig => ({
  steps: 5,
  batchSize: 8,
  learningRate,
  seed,
  evalEvery: 2,
  progress: false,
});
const gridRun = (label: string, options: CifarResNetOptions, cfg: TrainConfig): GridRun => ({
  label,
  moduleUrl: RESNET_URL,
  exportName: "cifarResNet",
  modelOptions: options,
  config: cfg,
});

/** The run alone on the main thread: same builder, same seeds, same backend. */
async function alone(
  options: CifarResNetOptions,
  cfg: TrainConfig,
): Promise<{ history: TrainHistory; weights: Float32Array[] }> {
  const model = cifarResNet(options);
  const history = await trainModel(model, data, cfg);
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  model.dispose();
  return { history, weights };
}

const curves = (h: TrainHistory) => ({
  loss: h.loss,
  trainError: h.trainError,
  lr: h.lr,
  evalSteps: h.evalSteps,
  testError: h.testError,
  testLoss: h.testLoss,
});

beforeAll(async () => {
  await initBackend({ prefer: "wasm", quiet: true });
});

describe("runGrid (runs of ResNet §4.2 / Figure 6 on one worker per core)", () => {
  it("gives each run exactly the history and weights of the same run trained alone", async () => {
    const specs = [
      { label: "plain-8 seed 1", options: net(8, true, 1), cfg: config(1) },
      { label: "ResNet-8 seed 1", options: net(8, false, 1), cfg: config(1) },
      {
        label: "ResNet-8 seed 2",
        options: net(8, false, 2),
        cfg: { ...config(2), learningRate: (s: number) => 0.05 / (1 + s) },
      },
    ];
    const before = tf.memory().numTensors;
    const streamed = specs.map(() => [] as number[]);
    const results = await runGrid(specs.map((s) => gridRun(s.label, s.options, s.cfg)), {
      data,
      workers: 2,
      keepWeights: true,
      display: false,
      onStep: (i, r) => streamed[i].push(r.loss),
    });
    expect(livePoolWorkers()).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(results.map((r) => r.label)).toEqual(specs.map((s) => s.label));
    for (const [i, s] of specs.entries()) {
      const ref = await alone(s.options, s.cfg);
      expect(results[i].error).toBeUndefined();
      expect(curves(results[i].history!)).toEqual(curves(ref.history));
      expect(streamed[i]).toEqual(ref.history.loss);
      expect(results[i].weights!.length).toBe(ref.weights.length);
      results[i].weights!.forEach((w, k) => expect(w).toEqual(ref.weights[k]));
    }
    // the runs differ from each other, so equality above is not trivially true
    expect(results[0].history!.loss).not.toEqual(results[1].history!.loss);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reports a NaN loss, an exception and a worker crash by configuration, and finishes the other runs", async () => {
    const crash = "data:text/javascript," + encodeURIComponent(
      "export function crash() { setTimeout(() => { throw new Error('simulated crash'); }, 0); " +
        "return new Promise(() => {}); }",
    );
    const runs: GridRun[] = [
      gridRun("diverging", net(8, true, 1), config(1, 1e30)),
      gridRun("bad depth", net(7, true, 1), config(1)),
      { label: "crashing", moduleUrl: crash, exportName: "crash", config: config(1) },
      gridRun("good A", net(8, false, 1), config(1)),
      gridRun("good B", net(8, true, 2), config(2)),
    ];
    const results = await runGrid(runs, { data, workers: 2, display: false });
    expect(livePoolWorkers()).toBe(0);
    expect(results[0].error).toMatch(/^diverging \(cifarResNet .*seed 1\) failed: .*diverged/);
    expect(results[1].error).toMatch(/^bad depth .*depth must be 6n\+2/);
    expect(results[2].error).toMatch(/^crashing .*worker crashed.*simulated crash/);
    for (const i of [3, 4]) {
      expect(results[i].error).toBeUndefined();
      const ref = await alone(runs[i].modelOptions as CifarResNetOptions, runs[i].config);
      expect(curves(results[i].history!)).toEqual(curves(ref.history));
    }
  });

  it("starts the costliest runs first and still returns results in the order given", async () => {
    const started: number[] = [];
    const results = await runGrid([
      { ...gridRun("cheap", net(8, true, 1), { ...config(1), steps: 2 }), cost: 1 },
      { ...gridRun("costly", net(8, false, 1), { ...config(1), steps: 2 }), cost: 5 },
    ], { data, workers: 1, display: false, onStep: (i, r) => r.step === 0 && started.push(i) });
    expect(started).toEqual([1, 0]);
    expect(results.map((r) => r.label)).toEqual(["cheap", "costly"]);
    expect(livePoolWorkers()).toBe(0);
  });

  it("names the field at fault for a malformed run", async () => {
    await expect(runGrid([{ label: "x", moduleUrl: "", exportName: "f", config: config(1) }], { data }))
      .rejects.toThrow(/run 0 needs label, moduleUrl and exportName/);
    expect(livePoolWorkers()).toBe(0);
  });

  it("outside Jupyter shows a final progress line per run (FAILED for a failed one) and the figure once", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    const before = tf.memory().numTensors;
    try {
      await runGrid([
        gridRun("good", net(8, false, 1), config(1)),
        gridRun("bad depth", net(7, true, 1), config(1)),
      ], { data, workers: 1, title: "Grid display test" });
    } finally {
      log.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(livePoolWorkers()).toBe(0);
    expect(lines.filter((l) => /^good {2}\[#+\] 5\/5 .* s=/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^bad depth .*FAILED=bad depth .*depth must be 6n\+2/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("Figure: Grid display test"))).toHaveLength(1);
    expect(lines.join("\n")).toMatch(/scatter "good train" \(5 points\)/);
  });
});
