/**
 * The training loop of the ResNet experiments (§3.4, §4.2): mini-batch SGD with momentum and weight decay on a step
 * schedule, recording training loss and error each step and test error at intervals. Tensors are freed as it goes.
 */
import * as tf from "@tensorflow/tfjs";
import { BatchSampler, type ImageSet } from "../data/mod.ts";
import { Progress } from "../display/mod.ts";
import { foldedInference } from "./inference.ts";
import { type LrSchedule, stepSchedule } from "./schedule.ts";
import { softmaxCrossEntropy, TrainStep } from "./step.ts";

/** Settings of {@link trainModel}; defaults are the paper's CIFAR settings where it has one. */
export interface TrainConfig {
  /** SGD iterations. Required. (Paper, CIFAR: 64000.) */
  steps: number;
  /** Images per mini-batch. Default: 128. */
  batchSize?: number;
  /** Learning rate: a number or a schedule of the step. Default: 0.1 (use paperCifarSchedule for the ÷10 steps). */
  learningRate?: number | LrSchedule;
  /** Momentum. Default: 0.9. */
  momentum?: number;
  /** L2 weight decay on convolution and fc kernels. Default: 1e-4. */
  weightDecay?: number;
  /** Seed of the batch order and the augmentation (the model's initial weights have their own seed). Default: 0. */
  seed?: number;
  /** Pad-4 / random-crop / flip augmentation (§4.2). Default: false. */
  augment?: boolean;
  /** Evaluate the test set every this many steps (and at the end); 0 = only at the end. Default: steps / 10. */
  evalEvery?: number;
  /** Test images used per evaluation (the first ones). Default: all. */
  evalLimit?: number;
  /** Batch size of evaluation. Default: 256. */
  evalBatchSize?: number;
  /** Progress bar label, or false for none. Default: the model's name. */
  progress?: string | false;
  /** Called after each step with the step's record (for custom displays). */
  onStep?: (record: { step: number; loss: number; trainError: number; lr: number }) => void;
  /**
   * Continue a run from a checkpoint: its weights and optimiser state are restored, its history continued, and the
   * batches of its first `resume.step` updates drawn and dropped, so that the run goes on exactly as if it had never
   * stopped. `steps` stays the total. Default: start from the model's current weights.
   */
  resume?: TrainState;
  /**
   * Called with the run's state after each evaluation before the last (every `evalEvery` steps): a checkpoint that
   * `resume` continues from. Training waits for the returned promise.
   */
  onCheckpoint?: (state: TrainState) => void | Promise<void>;
}

/** A run's state after `step` updates: what {@link trainModel} needs to continue it exactly (a checkpoint). */
export interface TrainState {
  /** Updates done. */
  step: number;
  /** `model.getWeights()` in order, batch norm's moving statistics included. */
  weights: Float32Array[];
  /** The optimiser's state: momentum velocities in `model.trainableWeights` order. */
  optimizer: Float32Array[];
  /** The history of the first `step` updates. */
  history: TrainHistory;
}

/** What {@link trainModel} records. */
export interface TrainHistory {
  /** Model name. */
  name: string;
  /** Per step: mini-batch loss (cross-entropy, without the decay term). */
  loss: number[];
  /** Per step: mini-batch training error (fraction misclassified, training-mode BN, augmented batches). */
  trainError: number[];
  /** Per step: learning rate. */
  lr: number[];
  /** Steps (1-based count of updates done) at which the test set was evaluated. */
  evalSteps: number[];
  /** Test error (fraction) at each of `evalSteps`. */
  testError: number[];
  /** Test loss at each of `evalSteps`. */
  testLoss: number[];
  /** Wall-clock seconds of the whole run, and of the training steps alone. */
  seconds: number;
  trainSeconds: number;
  /** Images processed per second in the training steps. */
  imagesPerSecond: number;
}

/** The mean of the last `k` entries (e.g. training error over the last 30 steps). */
export function tailMean(values: readonly number[], k: number): number {
  const tail = values.slice(-Math.max(1, k));
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** Images evaluated (the first ones). Default: all. */
  limit?: number;
  /** Images per forward pass. Default: 256. */
  batchSize?: number;
  /**
   * Batch norm folded into the convolutions, with the ReLU and residual addition in their epilogue
   * ({@link foldedInference}); false runs `model.apply(x, { training: false })` layer by layer. The two agree to float
   * rounding (about 1e-6 relative). Default: true.
   */
  folded?: boolean;
}

/**
 * Loss and error of `model` on `set` (first `limit` images) in inference mode: BN with its moving statistics
 * (ResNet §3.4), folded into the convolutions unless `folded: false`.
 */
export function evaluateModel(
  model: tf.LayersModel,
  set: ImageSet,
  options: EvaluateOptions = {},
): { loss: number; error: number } {
  const n = Math.min(set.count, options.limit ?? set.count);
  const bs = options.batchSize ?? 256;
  const per = set.height * set.width * set.channels;
  let lossSum = 0;
  let wrong = 0;
  const net = options.folded === false ? null : foldedInference(model);
  try {
    for (let start = 0; start < n; start += bs) {
      const k = Math.min(bs, n - start);
      const out = tf.tidy(() => {
        const x = tf.tensor4d(set.images.subarray(start * per, (start + k) * per), [
          k,
          set.height,
          set.width,
          set.channels,
        ]);
        const y = tf.tensor1d(set.labels.subarray(start, start + k), "int32");
        const logits = (net == null ? model.apply(x, { training: false }) : net.predict(x)) as tf.Tensor2D;
        const loss = softmaxCrossEntropy(logits, y, { reduction: "sum" });
        const miss = tf.sum(tf.cast(tf.notEqual(tf.argMax(logits, 1), y), "float32"));
        return tf.stack([loss, miss]);
      });
      const [l, m] = out.dataSync();
      out.dispose();
      lossSum += l;
      wrong += m;
    }
  } finally {
    net?.dispose();
  }
  return { loss: lossSum / n, error: wrong / n };
}

/** An empty history of a run: the curves of ResNet §4 (loss, training error, learning rate, test error per step). */
export function emptyHistory(name: string): TrainHistory {
  return {
    name,
    loss: [],
    trainError: [],
    lr: [],
    evalSteps: [],
    testError: [],
    testLoss: [],
    seconds: 0,
    trainSeconds: 0,
    imagesPerSecond: 0,
  };
}

/**
 * Trains a classifier with mini-batch SGD — ResNet §3.4 / §4.2 ("weight decay of 0.0001 and momentum of 0.9 …
 * mini-batch size of 128 … learning rate 0.1, divided by 10 at 32k and 48k iterations"). `model` is a model (left to
 * the caller) or a builder (the model is built, trained and disposed). Returns the history.
 */
export async function trainModel(
  model: tf.LayersModel | (() => tf.LayersModel),
  data: { train: ImageSet; test?: ImageSet },
  config: TrainConfig,
): Promise<TrainHistory> {
  const owned = typeof model === "function";
  const net = owned ? model() : model;
  try {
    return await train(net, data, config);
  } finally {
    if (owned) net.dispose();
  }
}

async function train(
  model: tf.LayersModel,
  data: { train: ImageSet; test?: ImageSet },
  config: TrainConfig,
): Promise<TrainHistory> {
  const { train: set, test } = data;
  const steps = config.steps;
  if (!(steps >= 1) || !Number.isInteger(steps)) throw new RangeError(`trainModel: steps must be ≥ 1, got ${steps}`);
  const inShape = model.inputs[0].shape.slice(1);
  if (inShape[0] !== set.height || inShape[1] !== set.width || inShape[2] !== set.channels) {
    throw new RangeError(
      `trainModel: ${model.name} takes ${inShape.join("×")} images, ${set.source} has ` +
        `${set.height}×${set.width}×${set.channels}; build the model with inputShape: [${set.height}, ${set.width}, ` +
        `${set.channels}]`,
    );
  }
  const lrOf: LrSchedule = typeof config.learningRate === "function"
    ? config.learningRate
    : stepSchedule(config.learningRate ?? 0.1);
  const evalEvery = config.evalEvery ?? Math.max(1, Math.round(steps / 10));
  const sampler = new BatchSampler(set, {
    batchSize: config.batchSize ?? 128,
    seed: config.seed ?? 0,
    augment: config.augment ?? false,
  });
  const trainer = TrainStep.forModel(model, {
    optimizer: { kind: "momentum", momentum: config.momentum ?? 0.9, weightDecay: config.weightDecay ?? 1e-4 },
  });
  const resume = config.resume;
  const first = resume ? resumeFrom(model, trainer, sampler, resume, steps) : 0;
  const history = resume ? copyHistory(resume.history) : emptyHistory(model.name);
  const progress = config.progress === false
    ? undefined
    : new Progress(steps, { label: config.progress ?? model.name });
  const started = performance.now() - 1000 * history.seconds;
  let trainMs = 1000 * history.trainSeconds;
  const checkpoint = async (done: number): Promise<void> => {
    if (!config.onCheckpoint) return;
    history.trainSeconds = trainMs / 1000;
    history.seconds = (performance.now() - started) / 1000;
    await config.onCheckpoint({
      step: done,
      weights: model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)),
      optimizer: trainer.optimizerState(),
      history: copyHistory(history),
    });
  };
  const evaluate = (done: number): void => {
    if (!test) return;
    const r = evaluateModel(model, test, { limit: config.evalLimit, batchSize: config.evalBatchSize });
    history.evalSteps.push(done);
    history.testError.push(r.error);
    history.testLoss.push(r.loss);
  };
  try {
    for (let step = first; step < steps; step++) {
      const t0 = performance.now();
      const batch = sampler.next();
      const lr = lrOf(step);
      let miss: tf.Tensor | undefined; // kept out of the gradient's scope, disposed below
      const stats = tf.tidy(() => {
        const x = tf.tensor4d(batch.images, [batch.count, set.height, set.width, set.channels]);
        const y = tf.tensor1d(batch.labels, "int32");
        const loss = trainer.step(() => {
          const logits = model.apply(x, { training: true }) as tf.Tensor2D;
          miss = tf.keep(tf.mean(tf.cast(tf.notEqual(tf.argMax(logits, 1), y), "float32")));
          return softmaxCrossEntropy(logits, y);
        }, lr);
        return tf.stack([loss, miss!]);
      });
      miss?.dispose();
      const [loss, err] = await stats.data();
      stats.dispose();
      trainMs += performance.now() - t0;
      if (!Number.isFinite(loss)) {
        throw new Error(
          `trainModel: ${model.name} diverged at step ${step + 1} (loss ${loss}, lr ${lr}); lower the lr`,
        );
      }
      history.loss.push(loss);
      history.trainError.push(err);
      history.lr.push(lr);
      config.onStep?.({ step, loss, trainError: err, lr });
      const done = step + 1;
      if (evalEvery > 0 && done % evalEvery === 0 && done < steps) {
        evaluate(done);
        await checkpoint(done);
      }
      if (done < steps) {
        await progress?.update(done, {
          loss,
          "train err": tailMean(history.trainError, 20),
          ...(history.testError.length ? { "test err": history.testError[history.testError.length - 1] } : {}),
        });
      }
    }
    evaluate(steps);
  } finally {
    trainer.dispose();
  }
  history.trainSeconds = trainMs / 1000;
  history.seconds = (performance.now() - started) / 1000;
  history.imagesPerSecond = (steps * sampler.batchSize) / history.trainSeconds;
  await progress?.update(steps, {
    "train err": tailMean(history.trainError, 20),
    ...(history.testError.length ? { "test err": history.testError[history.testError.length - 1] } : {}),
  });
  return history;
}

/** A deep copy of a history (a checkpoint must not change as the run goes on). */
function copyHistory(h: TrainHistory): TrainHistory {
  return {
    ...h,
    loss: [...h.loss],
    trainError: [...h.trainError],
    lr: [...h.lr],
    evalSteps: [...h.evalSteps],
    testError: [...h.testError],
    testLoss: [...h.testLoss],
  };
}

/**
 * Restores a checkpoint into `model` and `trainer` and advances `sampler` past the batches already trained on (drawn
 * and dropped, so the shuffle and the augmentation continue exactly). Returns the step to continue from.
 */
function resumeFrom(
  model: tf.LayersModel,
  trainer: TrainStep,
  sampler: BatchSampler,
  state: TrainState,
  steps: number,
): number {
  const who = `trainModel: resuming ${model.name}`;
  if (!Number.isInteger(state.step) || state.step < 0 || state.step >= steps) {
    throw new RangeError(`${who}: the checkpoint is at step ${state.step}, which must be ≥ 0 and < steps (${steps})`);
  }
  if (state.history.loss.length !== state.step) {
    throw new RangeError(`${who}: the checkpoint's history has ${state.history.loss.length} steps, not ${state.step}`);
  }
  const shapes = model.getWeights().map((w) => w.shape);
  if (state.weights.length !== shapes.length) {
    throw new RangeError(
      `${who}: the checkpoint has ${state.weights.length} weight arrays, the model ${shapes.length}`,
    );
  }
  const ts = state.weights.map((w, i) => tf.tensor(w, shapes[i]));
  try {
    model.setWeights(ts);
  } finally {
    tf.dispose(ts);
  }
  trainer.restoreOptimizerState(state.optimizer);
  for (let i = 0; i < state.step; i++) sampler.next();
  return state.step;
}

/** The first `limit` images of a set as one N×H×W×C tensor (the caller disposes it), e.g. to probe layer responses. */
export function imageTensor(set: ImageSet, limit = set.count): tf.Tensor4D {
  const n = Math.min(limit, set.count);
  const per = set.height * set.width * set.channels;
  return tf.tensor4d(set.images.subarray(0, n * per), [n, set.height, set.width, set.channels]);
}
