/**
 * GAN §5, Experiments: adversarial nets trained on images (the paper: MNIST, TFD, CIFAR-10; here Fashion-MNIST). An
 * MLP generator (ReLU hidden layers, sigmoid output) against a maxout discriminator with dropout, trained with
 * Algorithm 1; its samples at a fixed z across training (Figure 2's sample grids), and fresh samples for the
 * Parzen-window estimate of Table 1 (parzen.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { seededRng } from "../math/mod.ts";
import { type IterationBudget, iterationBudget } from "../evidence/iteration_budget.ts";
import { imageGrid, type PngImage } from "../display/mod.ts";
import { StatefulAdam, StatefulMomentum, type StatefulOptimizer } from "../train/mod.ts";
import {
  ADAM_DEFAULTS,
  GAN_OPTIMIZERS,
  type GanOptimizer,
  type GanSnapshot,
  type GanStepRecord,
  MOMENTUM_DEFAULTS,
  trainGan,
  variablesOf,
} from "./algorithm1.ts";
import { dropoutPasses, setDropoutPasses } from "./dropout.ts";
import type { GeneratorLossKind } from "./losses.ts";
import {
  buildImageDiscriminator,
  buildImageGenerator,
  type DiscriminatorOptions,
  type GeneratorOptions,
} from "./models.ts";
import { SEED_OFFSET } from "./seeds.ts";
import { type StatefulSampler, uniformNoiseSampler } from "./toy.ts";

/**
 * Minibatches {x^(1..m)} of Algorithm 1 from the rows of a row-major [count, dim] array (with replacement, seeded; the
 * stream's state is `rng`, which a checkpoint keeps).
 */
export function rowSampler(rows: Float32Array, dim: number, seed: number): StatefulSampler {
  const count = rows.length / dim;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`rowSampler: ${rows.length} values is not a whole number of rows of width ${dim}`);
  }
  const rng = seededRng(seed);
  const draw = (m: number): tf.Tensor2D => {
    const out = new Float32Array(m * dim);
    for (let i = 0; i < m; i++) {
      const r = Math.floor(rng() * count);
      out.set(rows.subarray(r * dim, (r + 1) * dim), i * dim);
    }
    return tf.tensor2d(out, [m, dim]);
  };
  return Object.assign(draw, { rng });
}

/**
 * An image GAN run after `step` iterations of Algorithm 1: everything the next iteration depends on, so that a run
 * resumed from it (`runImageGan`'s `resume`) goes on exactly as if it had never stopped — a long run's checkpoint.
 */
export interface ImageGanState {
  /** Iterations done. */
  step: number;
  /** The records of those iterations. */
  history: GanStepRecord[];
  /** G's and D's weights, in `getWeights()` order. */
  generator: Float32Array[];
  discriminator: Float32Array[];
  /** D's and G's optimiser states (Adam: moments, bias-correction powers, step count; momentum SGD: velocities). */
  dOptimizer: Float32Array[];
  gOptimizer: Float32Array[];
  /**
   * The random streams: the states of the minibatch-row and noise generators, and the training passes of each of D's
   * dropout layers (the seed of its next mask).
   */
  rng: { data: number; noise: number; dropout: number[] };
}

/** Options of {@link runImageGan}. */
export interface ImageGanOptions {
  /** Training images, row-major [count, 784] in [0, 1]. */
  images: Float32Array;
  /** Pixels per image. Default: 784 (28×28). */
  dim?: number;
  /** Seed of networks, minibatches and noise. */
  seed: number;
  /** Iterations of Algorithm 1. */
  steps: number;
  /** D steps per iteration. Default: 1 (the paper's experiments). */
  k?: number;
  /** Minibatch size. Default: 64. */
  batchSize?: number;
  /** Generator objective. Default: "non-saturating" (§3's advice); "saturating" is Algorithm 1's log(1 − D(G(z))). */
  generatorLoss?: GeneratorLossKind;
  /** Update rule of both networks. Default: "adam"; "momentum" is the paper's momentum SGD. */
  optimizer?: GanOptimizer;
  /** Learning rate of `optimizer`. Default: trainGan's (1e-3 for Adam, 0.1 for momentum SGD). */
  learningRate?: number;
  /** Generator architecture. Default: buildImageGenerator's (100-D noise, ReLU, sigmoid output). */
  generator?: GeneratorOptions;
  /** Discriminator architecture. Default: buildImageDiscriminator's (maxout, dropout). */
  discriminator?: DiscriminatorOptions;
  /** Snapshot a grid of samples (fixed noise) every this many iterations. Default: 0 (none). */
  snapshotEvery?: number;
  /** Images per snapshot. Default: 32. */
  snapshotCount?: number;
  /** Called after every iteration. */
  onStep?: (record: GanStepRecord) => void | Promise<void>;
  /**
   * Continue a run from its state after `resume.step` iterations (`steps` stays the total): weights, both optimisers
   * and every random stream are restored, so the run goes on exactly as if it had never stopped. Snapshots cover the
   * iterations of this call only. Default: start from the seeded initial weights.
   */
  resume?: ImageGanState;
  /** Call `onCheckpoint` after every this many iterations (not after the last). Default: 0 (never). */
  checkpointEvery?: number;
  /**
   * Called with the run's state after every `checkpointEvery` iterations, and with the generator (e.g. to evaluate
   * it); training waits for the returned promise. Must leave the generator's weights unchanged.
   */
  onCheckpoint?: (state: ImageGanState, generator: tf.LayersModel) => void | Promise<void>;
  /** Stops the run between two iterations: runImageGan rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What {@link runImageGan} returns. The caller owns (and disposes) the generator. */
export interface ImageGanResult {
  generator: tf.LayersModel;
  history: GanStepRecord[];
  /** Sample grids at fixed noise across training. */
  snapshots: GanSnapshot<Float32Array>[];
  /** Wall-clock seconds of the training in this call (for the cell's budget line). */
  seconds: number;
}

/** The update rule of one network as an optimiser whose state a checkpoint holds (the same steps as trainGan's). */
function statefulOptimizer(
  variables: tf.Variable[],
  rule: GanOptimizer | undefined,
  learningRate: number | undefined,
): StatefulOptimizer {
  if (learningRate !== undefined && !(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new RangeError(`runImageGan: learningRate must be a positive number, got ${learningRate}`);
  }
  switch (rule ?? "adam") {
    case "adam":
      return new StatefulAdam(variables, {
        learningRate: learningRate ?? ADAM_DEFAULTS.learningRate,
        beta1: ADAM_DEFAULTS.beta1,
      });
    case "momentum":
      return new StatefulMomentum(variables, {
        learningRate: learningRate ?? MOMENTUM_DEFAULTS.learningRate,
        momentum: MOMENTUM_DEFAULTS.momentum,
      });
    default:
      throw new RangeError(
        `runImageGan: optimizer must be one of ${GAN_OPTIMIZERS.map((o) => `"${o}"`).join(", ")}, got ` +
          JSON.stringify(rule),
      );
  }
}

function setWeightsFrom(model: tf.LayersModel, values: readonly Float32Array[], who: string): void {
  const shapes = model.getWeights().map((w) => w.shape);
  if (values.length !== shapes.length || values.some((v, i) => v.length !== shapes[i].reduce((a, b) => a * b, 1))) {
    throw new RangeError(
      `runImageGan: the state's ${who} weights (${values.length} arrays) do not fit ${model.name} ` +
        `(${shapes.length} arrays): a state of another architecture; start the run afresh`,
    );
  }
  const ts = values.map((v, i) => tf.tensor(v, shapes[i]));
  try {
    model.setWeights(ts);
  } finally {
    tf.dispose(ts);
  }
}

const weightsOf = (model: tf.LayersModel): Float32Array[] =>
  model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));

/** The image generators' noise prior p_z = U[−1, 1]^noiseDim. */
const IMAGE_NOISE = { low: -1, high: 1 } as const;

/**
 * Trains an MLP GAN on images with Algorithm 1 (ReLU/sigmoid generator, maxout + dropout discriminator). The
 * discriminator is disposed; the generator is returned.
 *
 * @example 1,000 iterations on Fashion-MNIST, sample grids every 100
 * ```ts
 * import { runImageGan, samplesAcrossTraining } from "@lib/gan/mod.ts";
 * import { loadFashionMnist } from "@lib/data/mod.ts";
 *
 * const train = await loadFashionMnist({ split: "train", limit: 9000 });
 * const gan = await runImageGan({ images: train.images, seed: 1, steps: 1000, snapshotEvery: 100 });
 * samplesAcrossTraining(gan.snapshots);
 * gan.generator.dispose();
 * ```
 */
export async function runImageGan(options: ImageGanOptions): Promise<ImageGanResult> {
  const dim = options.dim ?? 784;
  const seed = options.seed;
  const resume = options.resume;
  const start = resume?.step ?? 0;
  if (resume && !(Number.isInteger(start) && start >= 0 && start < options.steps && resume.history.length === start)) {
    throw new RangeError(
      `runImageGan: the state to resume is at iteration ${start} with ${resume.history.length} records; it must be ` +
        `≥ 0 and < steps (${options.steps}), with one record per iteration`,
    );
  }
  const every = options.checkpointEvery ?? 0;
  if (!(Number.isInteger(every) && every >= 0)) {
    throw new RangeError(`runImageGan: checkpointEvery must be an integer ≥ 0, got ${every}`);
  }
  const G = buildImageGenerator({ seed, outputDim: dim, ...options.generator });
  const D = buildImageDiscriminator({
    seed: seed + SEED_OFFSET.discriminator,
    inputDim: dim,
    ...options.discriminator,
  });
  const noiseDim = G.inputs[0].shape[1] as number;
  const noise = (offset: number): StatefulSampler => uniformNoiseSampler(noiseDim, seed + offset, IMAGE_NOISE);
  const sampleData = rowSampler(options.images, dim, seed);
  const sampleNoise = noise(SEED_OFFSET.noise);
  const fixed = noise(SEED_OFFSET.snapshotNoise)(options.snapshotCount ?? 32);
  const optimizers: StatefulOptimizer[] = [];
  const begin = performance.now();
  try {
    const dOptimizer = statefulOptimizer(variablesOf(D), options.optimizer, options.learningRate);
    optimizers.push(dOptimizer);
    const gOptimizer = statefulOptimizer(variablesOf(G), options.optimizer, options.learningRate);
    optimizers.push(gOptimizer);
    if (resume) {
      setWeightsFrom(G, resume.generator, "generator");
      setWeightsFrom(D, resume.discriminator, "discriminator");
      dOptimizer.setState(resume.dOptimizer);
      gOptimizer.setState(resume.gOptimizer);
      sampleData.rng.setState(resume.rng.data);
      sampleNoise.rng.setState(resume.rng.noise);
      setDropoutPasses(D, resume.rng.dropout);
    }
    const history: GanStepRecord[] = resume ? resume.history.map((r) => ({ ...r })) : [];
    const state = (): ImageGanState => ({
      step: history.length,
      history: history.map((r) => ({ ...r })),
      generator: weightsOf(G),
      discriminator: weightsOf(D),
      dOptimizer: dOptimizer.state(),
      gOptimizer: gOptimizer.state(),
      rng: { data: sampleData.rng.state(), noise: sampleNoise.rng.state(), dropout: dropoutPasses(D) },
    });
    const result = await trainGan(G, D, {
      steps: options.steps - start,
      k: options.k,
      batchSize: options.batchSize,
      generatorLoss: options.generatorLoss,
      dOptimizer,
      gOptimizer,
      sampleData,
      sampleNoise,
      snapshotEvery: options.snapshotEvery ?? 0,
      snapshot: () => tf.tidy(() => (G.predict(fixed) as tf.Tensor).dataSync() as Float32Array),
      onStep: async (r) => {
        // trainGan counts this call's iterations from 1; the run's count goes on from the resumed state's.
        const record = { ...r, step: r.step + start };
        history.push(record);
        await options.onStep?.(record);
        if (every > 0 && record.step % every === 0 && record.step < options.steps && options.onCheckpoint) {
          await options.onCheckpoint(state(), G);
        }
        options.signal?.throwIfAborted();
      },
    });
    const seconds = (performance.now() - begin) / 1000;
    const snapshots = result.snapshots.map((s) => ({ step: s.step + start, value: s.value }));
    return { generator: G, history, snapshots, seconds };
  } catch (e) {
    G.dispose();
    throw e;
  } finally {
    fixed.dispose();
    D.dispose();
    for (const o of optimizers) o.dispose();
  }
}

/** n samples x = G(z), z ~ U[−1, 1]^noiseDim, as a row-major Float32Array (e.g. for the Parzen estimate of Table 1). */
export function generateSamples(generator: tf.LayersModel, n: number, seed: number): Float32Array {
  const noiseDim = generator.inputs[0].shape[1] as number;
  return tf.tidy(() => {
    const z = uniformNoiseSampler(noiseDim, seed, IMAGE_NOISE)(n);
    return (generator.predict(z) as tf.Tensor).dataSync() as Float32Array;
  });
}

/** Options of {@link samplesAcrossTraining}. */
export interface SamplesAcrossTrainingOptions {
  /** Height of one sample in pixels. Default: 28. */
  height?: number;
  /** Width of one sample in pixels. Default: 28. */
  width?: number;
  /** Samples shown per snapshot (the first ones, the same fixed z in every row). Default: 16, or fewer if fewer. */
  samples?: number;
  /** Pixel scale of the PNG. Default: 2. */
  scale?: number;
  /** What the samples are, opening the caption. Default: "Generated samples (fixed z) across training". */
  title?: string;
}

/**
 * Samples of G at a fixed z across training, as one PNG with one row per snapshot (top: first) and the training step
 * at the left of each row, so a reader sees noise turn into images as in the sample grids of Figure 2. A PNG of these
 * pixels is tens of kilobytes where a plotly heatmap per snapshot was megabytes of JSON in the notebook.
 */
export function samplesAcrossTraining(
  snapshots: readonly GanSnapshot<Float32Array>[],
  options: SamplesAcrossTrainingOptions = {},
): PngImage {
  if (snapshots.length === 0) {
    throw new RangeError("samplesAcrossTraining: no snapshots (pass snapshotEvery > 0 to the training run)");
  }
  const h = options.height ?? 28;
  const w = options.width ?? 28;
  const available = Math.min(...snapshots.map((s) => Math.floor(s.value.length / (h * w))));
  const n = Math.min(options.samples ?? 16, available);
  if (n < 1) {
    throw new RangeError(`samplesAcrossTraining: a snapshot holds ${available} images of ${h}×${w} pixels, need ≥ 1`);
  }
  const pixels = new Float32Array(snapshots.length * n * h * w);
  snapshots.forEach((s, r) => pixels.set(s.value.subarray(0, n * h * w), r * n * h * w));
  const steps = snapshots.map((s) => s.step);
  const caption = `${options.title ?? "Generated samples (fixed z) across training"}: one row per snapshot, ` +
    `top to bottom at steps ${steps.join(", ")} (the number left of each row), ${n} samples each`;
  return imageGrid(pixels, { height: h, width: w, cols: n, scale: options.scale ?? 2, rowLabels: steps, caption });
}

/**
 * The budget of an image GAN run: iterations, real images seen by D and epochs of the training set, wall time, and
 * that GAN §5 states no iteration count (the authors' released configuration sets none either: it trains until
 * stopped).
 */
export function imageGanBudget(
  result: Pick<ImageGanResult, "history" | "seconds">,
  options: { trainImages: number; k?: number; batchSize?: number },
): IterationBudget {
  return iterationBudget({
    iterations: result.history.length,
    dSteps: options.k ?? 1,
    gSteps: 1,
    batchSize: options.batchSize ?? 64,
    seconds: result.seconds,
    trainImages: options.trainImages,
  }, { source: "GAN §5" });
}
