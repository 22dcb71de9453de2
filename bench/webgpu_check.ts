/**
 * Checks the WebGPU path of lib/backend on a machine with a GPU: (1) what `navigator.gpu.requestAdapter()` returns
 * (its `GPUAdapterInfo`), (2) which backend `initBackend()` chooses from that, (3) whether lib/backend's StepTrainer
 * runs there, and (4) whether a small ResNet (ResNet §4.2's CIFAR net: depth 8, widths [8, 16, 32], 28×28×1 input,
 * seed 1) trained for a few momentum-SGD steps (ResNet §3.4: momentum 0.9, weight decay 1e-4) gives the same losses on
 * the chosen backend as on the cpu backend, from the same initial weights and the same batch. With a third argument
 * it also times ResNet-20 training steps on CIFAR-shaped input (bench/config_run.ts's workload) on the chosen backend.
 *
 * StepTrainer reads each loss with `dataSync()`, which tfjs-backend-webgpu 4.22 implements through an OffscreenCanvas
 * '2d' context that Deno does not provide. Where StepTrainer.step fails, this script says so (error verbatim) and
 * steps with {@link awaitedStep} instead: StepTrainer's loss and update with the loss read through `await data()`.
 *
 * initBackend() no longer picks webgpu on its own (these findings are why: lib/backend/select.ts), so on a real adapter
 * the script asks for it with `prefer: "webgpu"`. Prints one line per finding and a side-by-side loss table; exits 1 if
 * a loss differs by more than 1e-2 relative, 3 if webgpu was not loaded although nothing forced the backend, 4 on an
 * error, 0 otherwise.
 *
 * Usage: deno run -A bench/webgpu_check.ts [batch=32] [steps=5] [resnet20Batch=0]
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
import { cifarResNet, type CifarResNetOptions, zeroPadShortcut } from "../lib/resnet/mod.ts";
import { cyclicLabels } from "./resnet_step.ts";

/** One StepTrainer step (its loss and update — ResNet §3.4) with the loss read by `await data()` (no dataSync). */
export async function awaitedStep(trainer: StepTrainer, x: tf.Tensor, y: tf.Tensor, lr: number): Promise<number> {
  const { loss, grads } = lossAndGradients(trainer, x, y);
  const value = (await loss.data())[0];
  loss.dispose();
  trainer.apply(grads, lr);
  tf.dispose(grads);
  return value;
}

/** StepTrainer's softmax cross-entropy on the logits and its gradients (in the order of `trainer.variables`). */
function lossAndGradients(trainer: StepTrainer, x: tf.Tensor, y: tf.Tensor): { loss: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(() => {
    const out = trainer.model.apply(x, { training: true }) as tf.Tensor2D;
    return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, out.shape[1]), out) as tf.Scalar);
  }, trainer.variables);
  return { loss: value, grads: trainer.variables.map((v) => grads[v.name]) };
}

/** A training step of `trainer`: StepTrainer.step while it works, else {@link awaitedStep}; notes which ran. */
class Stepper {
  /** The error StepTrainer.step threw, if it did (then every later step is an awaited one). */
  syncError: string | null = null;

  constructor(private readonly trainer: StepTrainer) {}

  async step(x: tf.Tensor, y: tf.Tensor, lr: number): Promise<number> {
    if (this.syncError == null) {
      try {
        // The loss is read before the update, so a failed read leaves weights and momentum as they were; tidy frees
        // the tensors of the failed attempt.
        return tf.tidy(() => this.trainer.step(x, y, lr));
      } catch (e) {
        this.syncError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
    }
    return await awaitedStep(this.trainer, x, y, lr);
  }

  get path(): string {
    return this.syncError == null ? "StepTrainer.step" : `awaitedStep (StepTrainer.step threw: ${this.syncError})`;
  }
}

const NET: CifarResNetOptions = { depth: 8, widths: [8, 16, 32], inputShape: [28, 28, 1], seed: 1 };
const LR = 0.1;
const TOLERANCE = 1e-2;

/** One variable's gradient. */
interface Gradient {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** What one backend's training run gave. */
interface RunResult {
  backend: string;
  losses: number[];
  stepMs: number[];
  finalWeights: Float32Array[];
  leakedTensors: number;
  path: string;
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

/** Builds the net on the current backend with the weights `init` and a trainer for it (dispose both). */
function loadedNet(init: Float32Array[]): { model: tf.LayersModel; trainer: StepTrainer } {
  const model = cifarResNet(NET);
  const initial = model.getWeights().map((w, i) => tf.tensor(init[i], w.shape));
  model.setWeights(initial);
  tf.dispose(initial);
  const trainer = new StepTrainer(model, { optimizer: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } });
  return { model, trainer };
}

/** The gradient of each trainable variable at the weights `init` on the current backend, by variable position. */
async function initialGradients(init: Float32Array[], xs: Float32Array, ys: Int32Array): Promise<Gradient[]> {
  const { model, trainer } = loadedNet(init);
  const x = tf.tensor4d(xs, [ys.length, ...NET.inputShape!]);
  const y = tf.tensor1d(ys, "int32");
  const { loss, grads } = lossAndGradients(trainer, x, y);
  const out = await Promise.all(grads.map(async (g, i) => ({
    name: model.trainableWeights[i].originalName ?? model.trainableWeights[i].name,
    shape: g.shape,
    values: (await g.data()) as Float32Array,
  })));
  tf.dispose([loss, x, y, ...grads]);
  trainer.dispose();
  model.dispose();
  return out;
}

/** Builds the net on the current backend, loads `init` into it, and trains `steps` steps on (x, y). */
async function trainRun(init: Float32Array[], xs: Float32Array, ys: Int32Array, steps: number): Promise<RunResult> {
  const before = tf.memory().numTensors;
  const { model, trainer } = loadedNet(init);
  const x = tf.tensor4d(xs, [ys.length, ...NET.inputShape!]);
  const y = tf.tensor1d(ys, "int32");
  const stepper = new Stepper(trainer);
  const losses: number[] = [];
  const stepMs: number[] = [];
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    losses.push(await stepper.step(x, y, LR));
    stepMs.push(performance.now() - t0);
  }
  const finalWeights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  tf.dispose([x, y]);
  trainer.dispose();
  model.dispose();
  const leakedTensors = tf.memory().numTensors - before;
  return { backend: tf.getBackend(), losses, stepMs, finalWeights, leakedTensors, path: stepper.path };
}

/** Ops of the net whose results on a backend are worth comparing one by one: tf.pad by rank, and option A's gradient. */
const OP_PROBES: Record<string, () => tf.Tensor> = {
  "pad rank 4": () => tf.pad(tf.tensor(lcgValues(2 * 3 * 4 * 5, 2), [2, 3, 4, 5]), [[0, 0], [0, 1], [0, 0], [0, 3]]),
  "pad rank 5": () =>
    tf.pad(tf.tensor(lcgValues(2 * 3 * 1 * 4 * 5, 2), [2, 3, 1, 4, 5]), [[0, 0], [0, 0], [0, 1], [0, 0], [0, 1]]),
  "pad rank 6": () =>
    tf.pad(tf.tensor(lcgValues(2 * 3 * 1 * 4 * 1 * 5, 2), [2, 3, 1, 4, 1, 5]), [
      [0, 0],
      [0, 0],
      [0, 1],
      [0, 0],
      [0, 1],
      [
        0,
        0,
      ],
    ]),
  "option A shortcut forward": () =>
    zeroPadShortcut(tf.tensor4d(lcgValues(2 * 6 * 6 * 4, 3), [2, 6, 6, 4]), { outChannels: 8, stride: 2 }),
  "option A shortcut gradient": () =>
    tf.grad((x: tf.Tensor) => zeroPadShortcut(x as tf.Tensor4D, { outChannels: 8, stride: 2 }))(
      tf.tensor4d(lcgValues(2 * 6 * 6 * 4, 3), [2, 6, 6, 4]),
      tf.tensor4d(lcgValues(2 * 3 * 3 * 8, 4), [2, 3, 3, 8]),
    ),
};

/** Each probe's values on the current backend. */
async function runOpProbes(): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const probe of Object.values(OP_PROBES)) {
    const t = tf.tidy(probe);
    out.push((await t.data()) as Float32Array);
    t.dispose();
  }
  return out;
}

/** Times ResNet-20 steps on a CIFAR-shaped batch (bench/resnet_step.ts's workload: lr 0.01) on the current backend. */
async function timeResNet20(batch: number, warmup: number, steps: number): Promise<string> {
  const model = cifarResNet({ depth: 20 });
  const x = tf.tensor4d(lcgValues(batch * 32 * 32 * 3, 1), [batch, 32, 32, 3]);
  const y = tf.tensor1d(cyclicLabels(batch), "int32");
  const trainer = new StepTrainer(model, { optimizer: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } });
  const stepper = new Stepper(trainer);
  for (let i = 0; i < warmup; i++) await stepper.step(x, y, 0.01);
  const before = tf.memory().numTensors;
  const ms: number[] = [];
  let loss = NaN;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    loss = await stepper.step(x, y, 0.01);
    ms.push(performance.now() - t0);
  }
  const after = tf.memory().numTensors;
  tf.dispose([x, y]);
  trainer.dispose();
  model.dispose();
  const imgPerS = (batch * steps) / (ms.reduce((a, b) => a + b, 0) / 1000);
  return JSON.stringify({
    resnet20: tf.getBackend(),
    path: stepper.path,
    batch,
    warmup,
    steps,
    stepMs: ms.map((m) => Math.round(m * 10) / 10),
    imgPerS: Math.round(imgPerS * 10) / 10,
    lastLoss: loss,
    tensorsBefore: before,
    tensorsAfter: after,
  });
}

/** Largest |a − b| / max(|b|, 1e-12) over paired values. */
function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-12));
  return worst;
}

/** Largest |v|. */
function maxAbs(values: Float32Array): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
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
  const resnet20Batch = Number(Deno.args[2] ?? 0);
  if (
    !Number.isInteger(batch) || batch < 1 || !Number.isInteger(steps) || steps < 1 ||
    !Number.isInteger(resnet20Batch) || resnet20Batch < 0
  ) {
    console.error(
      `bench/webgpu_check.ts: batch, steps (≥ 1) and resnet20Batch (≥ 0) must be integers, got '${Deno.args}'.`,
    );
    console.error("usage: deno run -A bench/webgpu_check.ts [batch=32] [steps=5] [resnet20Batch=0]");
    return 2;
  }
  console.log(`adapter: ${await adapterReport()}`);
  const probe = await probeWebGpuAdapter();
  console.log(`lib/backend probe: ${JSON.stringify(probe)}; isRealGpu: ${isRealGpu(probe)}`);

  // initBackend never picks webgpu on its own (lib/backend/select.ts says why); on a real adapter, ask for it.
  const forced = (Deno.env.get("PAPER_BACKEND") ?? "") !== "";
  const info = await initBackend({ quiet: true, prefer: isRealGpu(probe) ? "webgpu" : undefined });
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

  const testOps = await runOpProbes();
  const testGrads = await initialGradients(init, xs, ys);
  const test = await trainRun(init, xs, ys, steps);
  console.log(`${test.backend} steps ran through: ${test.path}`);
  if (resnet20Batch > 0) console.log(`timing: ${await timeResNet20(resnet20Batch, 2, 5)}`);
  registerCpuTrainingKernels();
  if (!(await tf.setBackend("cpu"))) throw new Error("bench/webgpu_check.ts: tf.setBackend('cpu') returned false");
  const refOps = await runOpProbes();
  const refGrads = await initialGradients(init, xs, ys);
  const ref = await trainRun(init, xs, ys, steps);
  console.log(`cpu steps ran through: ${ref.path}`);

  Object.keys(OP_PROBES).forEach((name, i) => {
    const rel = weightDifference([testOps[i]], [refOps[i]]);
    console.log(
      `op ${name}: max |Δ| / max |cpu| = ${rel.toExponential(3)} (max |v| ${maxAbs(testOps[i])} vs ${
        maxAbs(refOps[i])
      })`,
    );
  });
  // Gradients at the initial weights, variable by variable: max |Δ| / max |g_cpu|, worst first.
  const gradDiffs = testGrads.map((g, i) => ({
    name: g.name,
    shape: g.shape.join("×"),
    rel: weightDifference([g.values], [refGrads[i].values]),
    maxTest: maxAbs(g.values),
    maxCpu: maxAbs(refGrads[i].values),
  })).sort((a, b) => b.rel - a.rel);
  const bad = gradDiffs.filter((d) => !(d.rel <= 1e-3));
  console.log(
    `initial gradients: ${bad.length} of ${gradDiffs.length} variables differ by more than 1e-3 (max |Δ| / max |g_cpu|)`,
  );
  for (const d of gradDiffs.slice(0, Math.max(5, Math.min(bad.length, 20)))) {
    const sizes = `max |g| ${d.maxTest.toExponential(3)} on ${tested}, ${d.maxCpu.toExponential(3)} on cpu`;
    console.log(`  ${d.name} [${d.shape}]: ${d.rel.toExponential(3)} (${sizes})`);
  }

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
  if (tested !== "webgpu" && !forced) return 3; // a real adapter, yet webgpu failed to load
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
