/**
 * Runs ONE benchmark configuration in this process and prints one JSON line (bench/mod.ts starts one process per
 * configuration, so that the stock tfjs kernels and this project's kernels never share a process).
 * Usage: deno run -A bench/config_run.ts
 * <tfjs_cpu|ours_cpu|wasm_1|ours_1|ours_all|webgpu|gan_1|infer_1|infer_unfolded_1> <batch> <warmup> <steps>. `wasm_1` is `ours_1` without the native kernels (PAPER_NATIVE=0): the wasm/XNNPACK
 * compositions alone. `infer_1` is inference with batch norm folded (as evaluateModel runs it), `infer_unfolded_1` the
 * same pass through tf.layers layer by layer.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/mod.ts";
import { DataParallelTrainer } from "../lib/train/mod.ts";
import { ganStepper } from "./gan_step.ts";
import { cyclicLabels, lcgValues, resnetStepper } from "./resnet_step.ts";

/** What one configuration measured. */
export interface ConfigResult {
  config: string;
  backend: string;
  batch: number;
  steps: number;
  /** Milliseconds of each timed step. */
  stepMs: number[];
  /** Images (or, for the GAN, real+generated minibatch examples) per second over the timed steps. */
  imgPerS: number;
  /** Peak resident set size of the process (workers included), MiB. */
  peakRssMb: number;
  /** tf.memory() after the warm-up and after the timed steps (workers: tensors of each worker); null without warm-up. */
  tensorsBefore: number | number[] | null;
  tensorsAfter: number | number[];
  bytesBefore?: number;
  bytesAfter?: number;
}

let peak = 0;
const sample = (): void => void (peak = Math.max(peak, Deno.memoryUsage().rss));

/** Timed steps of one configuration: `warmup` untimed, then `steps` timed. */
interface RunSizes {
  warmup: number;
  steps: number;
}

async function timeSteps(step: () => unknown | Promise<unknown>, sizes: RunSizes): Promise<number[]> {
  const { warmup, steps } = sizes;
  for (let i = 0; i < warmup; i++) {
    await step();
    sample();
  }
  const ms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    ms.push(performance.now() - t0);
    sample();
  }
  return ms;
}

async function run(config: string, sizes: RunSizes & { batch: number }): Promise<ConfigResult> {
  const { batch, warmup, steps } = sizes;
  const perS = (ms: number[], per = batch): number => (per * ms.length) / (ms.reduce((a, b) => a + b, 0) / 1000);
  if (config === "ours_all") {
    const workers = navigator.hardwareConcurrency || 1;
    const trainer = await DataParallelTrainer.create({
      moduleUrl: new URL("../lib/resnet/mod.ts", import.meta.url).href,
      exportName: "cifarResNet",
      modelOptions: { depth: 20 },
      workers,
      optimizer: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 },
    });
    const x = lcgValues(batch * 32 * 32 * 3, 1), y = cyclicLabels(batch);
    const step = () => trainer.step({ x, xShape: [batch, 32, 32, 3], y }, 0.01);
    await timeSteps(step, { warmup, steps: 0 });
    const before = trainer.lastTiming.numTensors;
    const ms = await timeSteps(step, { warmup: 0, steps });
    const after = trainer.lastTiming.numTensors;
    await trainer.dispose();
    return {
      config,
      backend: `${trainer.backend} ×${workers} workers`,
      batch,
      steps,
      stepMs: ms,
      imgPerS: perS(ms),
      peakRssMb: peak / 2 ** 20,
      tensorsBefore: before,
      tensorsAfter: after,
    };
  }
  let backend: string;
  if (config === "tfjs_cpu") {
    tf.enableProdMode();
    await tf.setBackend("cpu");
    backend = "cpu (stock tfjs kernels)";
  } else {
    const prefer = config === "ours_cpu" ? "cpu" : config === "webgpu" ? "webgpu" : "wasm";
    if (config === "wasm_1") Deno.env.set("PAPER_NATIVE", "0");
    const info = await initBackend({ prefer, quiet: true });
    if (info.name !== prefer) throw new Error(`bench: wanted backend ${prefer}, got ${info.name} (${info.reason})`);
    const native = /native conv/.test(info.reason) ? " + native kernels" : "";
    backend = info.name === "cpu" ? "cpu (typed-array filter gradient)" : `${info.name}${native}`;
  }
  let step: () => unknown;
  let dispose: () => void;
  let per = batch;
  if (config === "gan_1") {
    const gan = ganStepper(batch);
    step = () => gan.step();
    dispose = () => gan.dispose();
    per = 2 * batch; // the D step sees a real and a generated minibatch
  } else {
    const net = resnetStepper(batch);
    step = config === "infer_1"
      ? () => net.infer()
      : config === "infer_unfolded_1"
      ? () => net.inferUnfolded()
      : () => net.step();
    dispose = () => net.dispose();
  }
  await timeSteps(step, { warmup, steps: 0 });
  const before = tf.memory();
  const ms = await timeSteps(step, { warmup: 0, steps });
  const after = tf.memory();
  dispose();
  return {
    config,
    backend,
    batch,
    steps,
    stepMs: ms,
    imgPerS: perS(ms, per),
    peakRssMb: peak / 2 ** 20,
    tensorsBefore: warmup > 0 ? before.numTensors : null,
    tensorsAfter: after.numTensors,
    bytesBefore: before.numBytes,
    bytesAfter: after.numBytes,
  };
}

if (import.meta.main) {
  const [config, batch, warmup, steps] = Deno.args;
  if (!config || !batch) {
    console.error("usage: deno run -A bench/config_run.ts <config> <batch> <warmup> <steps>");
    Deno.exit(2);
  }
  const r = await run(config, { batch: Number(batch), warmup: Number(warmup ?? 1), steps: Number(steps ?? 3) });
  console.log(JSON.stringify(r));
  Deno.exit(0);
}
