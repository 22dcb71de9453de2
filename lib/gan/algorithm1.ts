/**
 * GAN Algorithm 1, minibatch stochastic gradient training of generative adversarial nets: for each iteration, k steps
 * ascending V(D, G) on the discriminator, then one step descending it on the generator. Also the discriminator trained
 * alone against a fixed generator (the inner loop run to convergence, as §4.1 assumes).
 */
import * as tf from "@tensorflow/tfjs";
import { TrainStep } from "../train/mod.ts";
import { Table, table } from "../display/mod.ts";
import { discriminatorLoss, generatorLoss, type GeneratorLossKind } from "./losses.ts";

/**
 * The update rule of Algorithm 1's steps. "adam": Adam (lr 1e-3, β1 0.5), this project's quick default. "momentum":
 * SGD with momentum, what the paper used ("We used momentum in our experiments", Algorithm 1's caption).
 */
export type GanOptimizer = "adam" | "momentum";

/** The update rules {@link trainGan} accepts, for messages and parameter declarations. */
export const GAN_OPTIMIZERS: readonly GanOptimizer[] = ["adam", "momentum"];

/**
 * Momentum SGD's settings when `optimizer` is "momentum": the paper's text gives none; these are the initial values of
 * the authors' released MNIST configuration (github.com/goodfeli/adversarial, mnist.yaml: learning rate 0.1, momentum
 * 0.5), without its momentum ramp to 0.7 and its learning-rate decay.
 */
export const MOMENTUM_DEFAULTS = { learningRate: 0.1, momentum: 0.5 } as const;

/** Adam's settings when `optimizer` is "adam" (the default). */
export const ADAM_DEFAULTS = { learningRate: 1e-3, beta1: 0.5 } as const;

/** One side's update rule (D or G): a TrainStep and the learning rate each step passes it (momentum SGD needs one). */
interface Updater {
  step: TrainStep;
  lr?: number;
}

function updater(variables: tf.Variable[], optimizer: GanOptimizer | tf.Optimizer, learningRate?: number): Updater {
  if (optimizer instanceof tf.Optimizer) return { step: new TrainStep(variables, { optimizer }) };
  if (optimizer === "momentum") {
    // lib/train's momentum SGD (no weight decay): tf.train.momentum leaks a scalar after dispose().
    const step = new TrainStep(variables, {
      optimizer: { kind: "momentum", momentum: MOMENTUM_DEFAULTS.momentum, weightDecay: 0 },
    });
    return { step, lr: learningRate ?? MOMENTUM_DEFAULTS.learningRate };
  }
  if (optimizer === "adam") {
    const step = new TrainStep(variables, {
      optimizer: { kind: "adam", learningRate: learningRate ?? ADAM_DEFAULTS.learningRate, beta1: ADAM_DEFAULTS.beta1 },
    });
    return { step };
  }
  throw new RangeError(
    `lib/gan trainGan: optimizer must be one of ${GAN_OPTIMIZERS.map((o) => `"${o}"`).join(", ")}, got ` +
      JSON.stringify(optimizer),
  );
}

/** One logged iteration of Algorithm 1. */
export interface GanStepRecord {
  /** Iteration number, 1-based. */
  step: number;
  /** Discriminator loss −V on the last D minibatch (log 4 ≈ 1.386 when D = 1/2 everywhere). */
  dLoss: number;
  /** Generator loss on the last G minibatch (the chosen kind). */
  gLoss: number;
  /** Mean D(x) on the last real minibatch. */
  dReal: number;
  /** Mean D(G(z)) on the last generated minibatch. */
  dFake: number;
}

/** A snapshot taken by the caller's function at a given iteration (0 = before training). */
export interface GanSnapshot<S> {
  step: number;
  value: S;
}

/** Options of {@link trainGan}. */
export interface TrainGanOptions<S> {
  /** Training iterations (the outer loop of Algorithm 1). */
  steps: number;
  /** Draws a minibatch of m examples {x^(1..m)} from p_data as an [m, dim] tensor (disposed by the loop). */
  sampleData: (m: number) => tf.Tensor;
  /** Draws a minibatch of m noise samples {z^(1..m)} from p_z as an [m, noiseDim] tensor (disposed by the loop). */
  sampleNoise: (m: number) => tf.Tensor;
  /** Discriminator steps per iteration, k in Algorithm 1. Default: 1 (the paper's experiments). */
  k?: number;
  /** Generator steps per iteration. Default: 1 (Algorithm 1); more trains G "too much without updating D" (§6). */
  generatorSteps?: number;
  /** Minibatch size m. Default: 64. */
  batchSize?: number;
  /**
   * Generator objective. Default: "non-saturating", −log D(G(z)) (§3 recommends it in practice); "saturating" is
   * log(1 − D(G(z))), the loss Algorithm 1 writes.
   */
  generatorLoss?: GeneratorLossKind;
  /**
   * Update rule of both networks, created and disposed by the loop. Default: "adam" (Adam, lr 1e-3, β1 0.5: converges
   * in fewer steps than the paper's rule); "momentum" is the paper's momentum SGD ({@link MOMENTUM_DEFAULTS}).
   */
  optimizer?: GanOptimizer;
  /** Learning rate of `optimizer`. Default: 1e-3 for Adam, 0.1 for momentum SGD. */
  learningRate?: number;
  /** A tf.Optimizer for D instead of `optimizer` (the caller owns and disposes it). */
  dOptimizer?: tf.Optimizer;
  /** A tf.Optimizer for G instead of `optimizer` (the caller owns and disposes it). */
  gOptimizer?: tf.Optimizer;
  /** Take a snapshot every this many iterations (and before the first and after the last). Default: 0 (none). */
  snapshotEvery?: number;
  /** Builds a snapshot (e.g. D and p_g on a grid); called with the iteration number. Must not leak tensors. */
  snapshot?: (step: number) => S;
  /** Called after every iteration with its record (e.g. to update a progress bar). */
  onStep?: (record: GanStepRecord) => void | Promise<void>;
}

/** What {@link trainGan} returns: the per-iteration history and the snapshots. */
export interface GanTrainResult<S> {
  history: GanStepRecord[];
  snapshots: GanSnapshot<S>[];
}

/** The trainable variables of a model, in the order its optimizer updates them. */
export function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Loss and mean outputs of one discriminator step. */
export interface DiscriminatorStepResult {
  /** −V on the minibatch. */
  dLoss: number;
  /** Mean D(x) on the real minibatch. */
  dReal: number;
  /** Mean D on the generated minibatch. */
  dFake: number;
}

/**
 * One discriminator update of Algorithm 1: ascend V(D, G) = mean log D(x) + mean log(1 − D(x̃)) on a minibatch of real
 * x and generated x̃ (dropout on). Returns the loss −V and the mean outputs; disposes nothing it did not create.
 */
export function discriminatorStep(
  discriminator: tf.LayersModel,
  real: tf.Tensor,
  generated: tf.Tensor,
  optimizer: tf.Optimizer,
  variables: tf.Variable[] = variablesOf(discriminator),
): DiscriminatorStepResult {
  return discriminatorUpdate(discriminator, real, generated, { step: new TrainStep(variables, { optimizer }) });
}

function discriminatorUpdate(
  discriminator: tf.LayersModel,
  real: tf.Tensor,
  generated: tf.Tensor,
  update: Updater,
): DiscriminatorStepResult {
  let dReal = NaN;
  let dFake = NaN;
  const cost = update.step.step(() => {
    const r = discriminator.apply(real, { training: true }) as tf.Tensor;
    const f = discriminator.apply(generated, { training: true }) as tf.Tensor;
    dReal = tf.tidy(() => tf.mean(tf.sigmoid(r)).dataSync()[0]);
    dFake = tf.tidy(() => tf.mean(tf.sigmoid(f)).dataSync()[0]);
    return discriminatorLoss(r, f);
  }, update.lr);
  const dLoss = cost.dataSync()[0];
  cost.dispose();
  return { dLoss, dReal, dFake };
}

/** Options of {@link trainDiscriminator}. */
export interface TrainDiscriminatorOptions {
  /** Number of updates. */
  steps: number;
  /** Minibatch of real data, [m, dim] (disposed by the loop). */
  sampleData: (m: number) => tf.Tensor;
  /** Minibatch from the fixed generator's distribution p_g, [m, dim] (disposed by the loop). */
  sampleGenerated: (m: number) => tf.Tensor;
  /** Minibatch size. Default: 64. */
  batchSize?: number;
  /** Optimizer. Default: Adam(lr 1e-3, β1 0.5), created and disposed here. */
  optimizer?: tf.Optimizer;
  /** Called after every update. */
  onStep?: (step: number, result: DiscriminatorStepResult) => void | Promise<void>;
}

/**
 * Trains D alone against a fixed p_g (the inner loop of Algorithm 1 run to convergence) — GAN §4.1, Proposition 1:
 * D then approaches D*_G = p_data/(p_data + p_g). Returns the per-step results.
 */
export async function trainDiscriminator(
  discriminator: tf.LayersModel,
  options: TrainDiscriminatorOptions,
): Promise<DiscriminatorStepResult[]> {
  const steps = positiveInt(options.steps, "steps");
  const m = positiveInt(options.batchSize ?? 64, "batchSize");
  const own = options.optimizer === undefined;
  const opt = options.optimizer ?? tf.train.adam(1e-3, 0.5);
  const vars = variablesOf(discriminator);
  const out: DiscriminatorStepResult[] = [];
  try {
    for (let step = 1; step <= steps; step++) {
      const x = options.sampleData(m);
      const f = options.sampleGenerated(m);
      const r = discriminatorStep(discriminator, x, f, opt, vars);
      tf.dispose([x, f]);
      out.push(r);
      if (options.onStep) await options.onStep(step, r);
    }
  } finally {
    if (own) opt.dispose();
  }
  return out;
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`lib/gan training: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Trains a generator and a discriminator (which outputs logits) with GAN Algorithm 1: per iteration, k discriminator
 * steps on minibatches of data and noise, then `generatorSteps` generator steps on fresh noise.
 * D runs in training mode (dropout on) in both kinds of step, as it did in the paper's dropout-trained D.
 */
export async function trainGan<S = never>(
  generator: tf.LayersModel,
  discriminator: tf.LayersModel,
  options: TrainGanOptions<S>,
): Promise<GanTrainResult<S>> {
  const steps = positiveInt(options.steps, "steps");
  const k = positiveInt(options.k ?? 1, "k");
  const gSteps = positiveInt(options.generatorSteps ?? 1, "generatorSteps");
  const m = positiveInt(options.batchSize ?? 64, "batchSize");
  const kind = options.generatorLoss ?? "non-saturating";
  if (kind !== "non-saturating" && kind !== "saturating") {
    throw new RangeError(
      `lib/gan trainGan: generatorLoss must be "non-saturating" or "saturating", got ${JSON.stringify(kind)}`,
    );
  }
  const rule = options.optimizer ?? "adam";
  const lr = options.learningRate;
  if (lr !== undefined && !(lr > 0 && Number.isFinite(lr))) {
    throw new RangeError(`lib/gan trainGan: learningRate must be a positive number, got ${lr}`);
  }
  const dUpdate = updater(variablesOf(discriminator), options.dOptimizer ?? rule, lr);
  const gUpdate = updater(variablesOf(generator), options.gOptimizer ?? rule, lr);
  const every = options.snapshotEvery ?? 0;
  const history: GanStepRecord[] = [];
  const snapshots: GanSnapshot<S>[] = [];
  const snap = (step: number): void => {
    if (options.snapshot && every > 0) snapshots.push({ step, value: options.snapshot(step) });
  };
  try {
    snap(0);
    // #region Algorithm 1
    for (let step = 1; step <= steps; step++) {
      let dLoss = NaN;
      let dReal = NaN;
      let dFake = NaN;
      // k steps on D: m data and m noise samples, ascend (1/m) Σ [log D(x) + log(1 − D(G(z)))] (Algorithm 1, inner loop)
      for (let i = 0; i < k; i++) {
        const x = options.sampleData(m);
        const z = options.sampleNoise(m);
        const fake = tf.tidy(() => generator.apply(z) as tf.Tensor);
        ({ dLoss, dReal, dFake } = discriminatorUpdate(discriminator, x, fake, dUpdate));
        tf.dispose([x, z, fake]);
      }
      // then G on fresh noise: descend (1/m) Σ log(1 − D(G(z))), or ascend log D(G(z)) (§3's advice; `kind`)
      let gLoss = NaN;
      for (let i = 0; i < gSteps; i++) {
        const z = options.sampleNoise(m);
        const cost = gUpdate.step.step(() => {
          const logits = discriminator.apply(generator.apply(z, { training: true }), { training: true }) as tf.Tensor;
          return generatorLoss(logits, kind);
        }, gUpdate.lr);
        gLoss = cost.dataSync()[0];
        tf.dispose([z, cost]);
      }
      const record = { step, dLoss, gLoss, dReal, dFake };
      history.push(record);
      if (every > 0 && (step % every === 0 || step === steps)) snap(step);
      if (options.onStep) await options.onStep(record);
    }
    // #endregion
  } finally {
    // A TrainStep disposes only what it created: a caller's tf.Optimizer stays the caller's.
    dUpdate.step.dispose();
    gUpdate.step.dispose();
  }
  return { history, snapshots };
}

/**
 * What this run's Algorithm 1 uses beside what the paper used, as a table: the update rule (the paper: "We used
 * momentum in our experiments", Algorithm 1's caption), the generator loss (Algorithm 1 writes log(1 − D(G(z)));
 * §3 recommends maximising log D(G(z)) in practice) and k (the paper: "We used k = 1").
 */
export function trainingSetup(
  setup: { optimizer: GanOptimizer; generatorLoss: GeneratorLossKind },
  options: { k?: number } = {},
): Table {
  const rule = setup.optimizer === "momentum"
    ? `momentum SGD (lr ${MOMENTUM_DEFAULTS.learningRate}, momentum ${MOMENTUM_DEFAULTS.momentum})`
    : setup.optimizer === "adam"
    ? `Adam (lr ${ADAM_DEFAULTS.learningRate}, β1 ${ADAM_DEFAULTS.beta1})`
    : undefined;
  if (!rule) throw new RangeError(`trainingSetup: unknown optimizer ${JSON.stringify(setup.optimizer)}`);
  const loss = setup.generatorLoss === "saturating"
    ? "saturating: minimise log(1 − D(G(z)))"
    : setup.generatorLoss === "non-saturating"
    ? "non-saturating: maximise log D(G(z))"
    : undefined;
  if (!loss) throw new RangeError(`trainingSetup: unknown generatorLoss ${JSON.stringify(setup.generatorLoss)}`);
  return table([
    {
      "": "update rule / 갱신 규칙",
      "this run / 이번 실행": rule,
      "the paper / 논문": 'momentum SGD (Algorithm 1\'s caption: "We used momentum in our experiments")',
    },
    {
      "": "generator loss / 생성자 손실",
      "this run / 이번 실행": loss,
      "the paper / 논문": "Algorithm 1 writes log(1 − D(G(z))); §3 recommends maximising log D(G(z)) in practice",
    },
    { "": "k (D steps per G step)", "this run / 이번 실행": String(options.k ?? 1), "the paper / 논문": "1" },
  ], { caption: "Algorithm 1: this run vs the paper / 이번 실행과 논문" });
}
