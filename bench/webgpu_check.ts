/**
 * Checks the WebGPU path of lib/backend on a machine with a GPU: (1) what `navigator.gpu.requestAdapter()` returns
 * (its `GPUAdapterInfo`), (2) which backend `initBackend()` chooses from that, and (3) whether a small ResNet
 * (ResNet §4.2's CIFAR net: depth 8, widths [8, 16, 32], 28×28×1 input, seed 1) trained for a few momentum-SGD steps
 * (ResNet §3.4: momentum 0.9, weight decay 1e-4) with lib/backend's StepTrainer gives the same losses on the chosen
 * backend as on the cpu backend, from the same initial weights and the same batch.
 * Prints one line per finding and a side-by-side loss table; exits 1 if a loss differs by more than 1e-2 relative,
 * 3 if `initBackend()` did not choose webgpu although nothing forced its choice, 0 otherwise.
 *
 * Usage: deno run -A bench/webgpu_check.ts [batch=32] [steps=5]
 * (`PAPER_BACKEND=wasm` or `=webgpu` forces the backend compared with cpu, e.g. to try the script without a GPU.)
 */
import * as tf from "@tensorflow/tfjs";
import {
  initBackend,
  isRealGpu,
  probeWebGpuAdapter,
  registerCpuTrainingKernels,
  StepTrainer,
} from "../lib/backend/mod.ts";
import { lcgValues } from "../lib/backend/lcg.ts";
import { cifarResNet, type CifarResNetOptions } from "../lib/resnet/mod.ts";
import { cyclicLabels } from "./resnet_step.ts";

const NET: CifarResNetOptions = { depth: 8, widths: [8, 16, 32], inputShape: [28, 28, 1], seed: 1 };
const LR = 0.1;
const TOLERANCE = 1e-2;

/** What one backend's training run gave. */
interface RunResult {
  backend: string;
  losses: number[];
  stepMs: number[];
  finalWeights: Float32Array[];
  leakedTensors: number;
}

/** Everything the adapter says about itself, as plain JSON (GPUAdapterInfo's fields are getters). */
async function adapterReport(): Promise<string> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(o?: object): Promise<unknown> } } | undefined)?.gpu;
  if (gpu == null) return "navigator.gpu is missing";
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" }) as
    | { info?: Record<string, unknown>; features?: Iterable<string>; limits?: Record<string, unknown> }
    | null;
  if (adapter == null) return "navigator.gpu.requestAdapter() returned null";
  const info: Record<string, unknown> = {};
  for (const key of ["vendor", "architecture", "device", "description", "subgroupMinSize", "subgroupMaxSize"]) {
    info[key] = adapter.info?.[key];
  }
  info.isFallbackAdapter = adapter.info?.isFallbackAdapter;
  const limits = adapter.limits ?? {};
  return JSON.stringify({
    info,
    features: [...(adapter.features ?? [])],
    maxBufferSize: limits.maxBufferSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
  });
}

/** Builds the net on the current backend, loads `init` into it, and trains `steps` steps on (x, y). */
async function trainRun(init: Float32Array[], xs: Float32Array, ys: Int32Array, steps: number): Promise<RunResult> {
  const before = tf.memory().numTensors;
  const model = cifarResNet(NET);
  const initial = model.getWeights().map((w, i) => tf.tensor(init[i], w.shape));
  model.setWeights(initial);
  tf.dispose(initial);
  const batch = ys.length;
  const x = tf.tensor4d(xs, [batch, ...NET.inputShape!]);
  const y = tf.tensor1d(ys, "int32");
  const trainer = new StepTrainer(model, { optimizer: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } });
  const losses: number[] = [];
  const stepMs: number[] = [];
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    losses.push(trainer.step(x, y, LR));
    stepMs.push(performance.now() - t0);
  }
  const finalWeights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  tf.dispose([x, y]);
  trainer.dispose();
  model.dispose();
  return { backend: tf.getBackend(), losses, stepMs, finalWeights, leakedTensors: tf.memory().numTensors - before };
}

/** Largest |a − b| / max(|b|, 1e-12) over paired values. */
function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-12));
  return worst;
}

/** Largest |a − b| over all weights, divided by the largest |b|. */
function weightDifference(a: Float32Array[], b: Float32Array[]): number {
  let diff = 0, scale = 0;
  a.forEach((wa, k) => {
    for (let i = 0; i < wa.length; i++) {
      diff = Math.max(diff, Math.abs(wa[i] - b[k][i]));
      scale = Math.max(scale, Math.abs(b[k][i]));
    }
  });
  return diff / Math.max(scale, 1e-12);
}

async function main(): Promise<number> {
  const batch = Number(Deno.args[0] ?? 32);
  const steps = Number(Deno.args[1] ?? 5);
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(steps) || steps < 1) {
    console.error(`bench/webgpu_check.ts: batch and steps must be positive integers, got '${Deno.args.join(" ")}'.`);
    console.error("usage: deno run -A bench/webgpu_check.ts [batch=32] [steps=5]");
    return 2;
  }
  console.log(`adapter: ${await adapterReport()}`);
  const probe = await probeWebGpuAdapter();
  console.log(`lib/backend probe: ${JSON.stringify(probe)}; isRealGpu: ${isRealGpu(probe)}`);

  const info = await initBackend({ quiet: true });
  const forced = (Deno.env.get("PAPER_BACKEND") ?? "") !== "";
  console.log(`initBackend(): ${info.name} — ${info.reason}`);
  if (info.name === "cpu") {
    console.error("bench/webgpu_check.ts: initBackend() chose cpu, so there is nothing to compare with cpu.");
    return 3;
  }
  const tested = info.name;

  const xs = lcgValues(batch * NET.inputShape!.reduce((p, q) => p * q, 1), 1);
  const ys = cyclicLabels(batch);
  // Initial weights: the seeded initialisers' values, read once and loaded into both backends' models.
  const initModel = cifarResNet(NET);
  const init = await Promise.all(initModel.getWeights().map(async (w) => (await w.data()) as Float32Array));
  initModel.dispose();

  const test = await trainRun(init, xs, ys, steps);
  registerCpuTrainingKernels();
  if (!(await tf.setBackend("cpu"))) throw new Error("bench/webgpu_check.ts: tf.setBackend('cpu') returned false");
  const ref = await trainRun(init, xs, ys, steps);

  console.log(`step | ${tested.padEnd(12)} | cpu          | rel. diff`);
  test.losses.forEach((l, s) => {
    const r = ref.losses[s];
    const rel = Math.abs(l - r) / Math.max(Math.abs(r), 1e-12);
    console.log(
      `${String(s + 1).padStart(4)} | ${l.toFixed(8).padEnd(12)} | ${r.toFixed(8).padEnd(12)} | ${
        rel.toExponential(3)
      }`,
    );
  });
  const lossRel = maxRelativeDifference(test.losses, ref.losses);
  const weightRel = weightDifference(test.finalWeights, ref.finalWeights);
  const ms = (r: RunResult): string => r.stepMs.map((m) => m.toFixed(0)).join(", ");
  console.log(`step ms ${test.backend} [${ms(test)}]; cpu [${ms(ref)}] (first step includes compilation)`);
  console.log(`tensors left after each run: ${test.backend} ${test.leakedTensors}, cpu ${ref.leakedTensors}`);
  console.log(`max relative loss difference: ${lossRel.toExponential(3)} (tolerance ${TOLERANCE})`);
  console.log(`final weights: max |Δ| / max |w_cpu| = ${weightRel.toExponential(3)}`);
  const agree = lossRel <= TOLERANCE && test.losses.every(Number.isFinite);
  console.log(JSON.stringify({ tested: test.backend, batch, steps, lossRel, weightRel, agree }));
  if (!agree) return 1;
  if (tested !== "webgpu" && !forced) return 3;
  return 0;
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main();
  } catch (e) {
    console.error("bench/webgpu_check.ts failed:", e);
    code = 4;
  }
  Deno.exit(code);
}
