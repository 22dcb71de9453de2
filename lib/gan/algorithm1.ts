/**
 * GAN Algorithm 1, minibatch stochastic gradient training of generative adversarial nets: for each iteration, k steps
 * ascending V(D, G) on the discriminator, then one step descending it on the generator. Also the discriminator trained
 * alone against a fixed generator (the inner loop run to convergence, as §4.1 assumes).
 */
import * as tf from "@tensorflow/tfjs";
import { TrainStep } from "../train/mod.ts";
import { discriminatorLoss, generatorLoss, type GeneratorLossKind } from "./losses.ts";

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
  /** Generator objective. Default: "non-saturating" (the paper's practical choice, §3). */
  generatorLoss?: GeneratorLossKind;
  /**
   * Optimizer for D. Default: Adam(lr 1e-3, β1 0.5), created and disposed by the loop (the paper used SGD with
   * momentum; Adam is a documented substitute that converges in fewer steps). A caller-supplied one is not disposed.
   */
  dOptimizer?: tf.Optimizer;
  /** Optimizer for G. Default: Adam(lr 1e-3, β1 0.5), as for D. */
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
  let dReal = NaN;
  let dFake = NaN;
  const cost = new TrainStep(variables, { optimizer }).step(() => {
    const r = discriminator.apply(real, { training: true }) as tf.Tensor;
    const f = discriminator.apply(generated, { training: true }) as tf.Tensor;
    dReal = tf.tidy(() => tf.mean(tf.sigmoid(r)).dataSync()[0]);
    dFake = tf.tidy(() => tf.mean(tf.sigmoid(f)).dataSync()[0]);
    return discriminatorLoss(r, f);
  });
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
  const ownD = options.dOptimizer === undefined;
  const ownG = options.gOptimizer === undefined;
  const dOpt = options.dOptimizer ?? tf.train.adam(1e-3, 0.5);
  const gOpt = options.gOptimizer ?? tf.train.adam(1e-3, 0.5);
  const dVars = variablesOf(discriminator);
  const gStep = new TrainStep(variablesOf(generator), { optimizer: gOpt });
  const every = options.snapshotEvery ?? 0;
  const history: GanStepRecord[] = [];
  const snapshots: GanSnapshot<S>[] = [];
  const snap = (step: number): void => {
    if (options.snapshot && every > 0) snapshots.push({ step, value: options.snapshot(step) });
  };
  try {
    snap(0);
    for (let step = 1; step <= steps; step++) {
      let dLoss = NaN;
      let dReal = NaN;
      let dFake = NaN;
      for (let i = 0; i < k; i++) {
        const x = options.sampleData(m);
        const z = options.sampleNoise(m);
        const fake = tf.tidy(() => generator.apply(z) as tf.Tensor);
        ({ dLoss, dReal, dFake } = discriminatorStep(discriminator, x, fake, dOpt, dVars));
        tf.dispose([x, z, fake]);
      }
      let gLoss = NaN;
      for (let i = 0; i < gSteps; i++) {
        const z = options.sampleNoise(m);
        const cost = gStep.step(() => {
          const logits = discriminator.apply(generator.apply(z, { training: true }), { training: true }) as tf.Tensor;
          return generatorLoss(logits, kind);
        });
        gLoss = cost.dataSync()[0];
        tf.dispose([z, cost]);
      }
      const record = { step, dLoss, gLoss, dReal, dFake };
      history.push(record);
      if (every > 0 && (step % every === 0 || step === steps)) snap(step);
      if (options.onStep) await options.onStep(record);
    }
  } finally {
    if (ownD) dOpt.dispose();
    if (ownG) gOpt.dispose();
  }
  return { history, snapshots };
}
