/**
 * GAN Algorithm 1: minibatch stochastic gradient training — for each iteration, k steps ascending V on the
 * discriminator, then one step on the generator ("GAN's training (D->G)" in the group's notes).
 */
import * as tf from "@tensorflow/tfjs";
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
  /** Generator steps per iteration. Default: 1 (Algorithm 1); larger values train G "too much without updating D" (§6). */
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

function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`trainGan: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Trains a generator and a discriminator (which outputs logits) with GAN Algorithm 1: per iteration, k discriminator
 * steps on minibatches of data and noise, then `generatorSteps` generator steps on fresh noise.
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
  const gVars = variablesOf(generator);
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
        const cost = dOpt.minimize(
          () => {
            const real = discriminator.apply(x, { training: true }) as tf.Tensor;
            const gen = discriminator.apply(fake, { training: true }) as tf.Tensor;
            if (i === k - 1) {
              dReal = tf.tidy(() => tf.mean(tf.sigmoid(real)).dataSync()[0]);
              dFake = tf.tidy(() => tf.mean(tf.sigmoid(gen)).dataSync()[0]);
            }
            return discriminatorLoss(real, gen);
          },
          true,
          dVars,
        );
        dLoss = cost!.dataSync()[0];
        tf.dispose([x, z, fake, cost!]);
      }
      let gLoss = NaN;
      for (let i = 0; i < gSteps; i++) {
        const z = options.sampleNoise(m);
        const cost = gOpt.minimize(
          () => {
            const logits = discriminator.apply(generator.apply(z, { training: true }), { training: true }) as tf.Tensor;
            return generatorLoss(logits, kind);
          },
          true,
          gVars,
        );
        gLoss = cost!.dataSync()[0];
        tf.dispose([z, cost!]);
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
