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
import { type GanOptimizer, type GanSnapshot, type GanStepRecord, trainGan } from "./algorithm1.ts";
import type { GeneratorLossKind } from "./losses.ts";
import {
  buildImageDiscriminator,
  buildImageGenerator,
  type DiscriminatorOptions,
  type GeneratorOptions,
} from "./models.ts";
import { SEED_OFFSET } from "./seeds.ts";
import { type Sampler, uniformNoiseSampler } from "./toy.ts";

/** Minibatches {x^(1..m)} of Algorithm 1 from the rows of a row-major [count, dim] array (with replacement, seeded). */
export function rowSampler(rows: Float32Array, dim: number, seed: number): Sampler {
  const count = rows.length / dim;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`rowSampler: ${rows.length} values is not a whole number of rows of width ${dim}`);
  }
  const rng = seededRng(seed);
  return (m: number): tf.Tensor2D => {
    const out = new Float32Array(m * dim);
    for (let i = 0; i < m; i++) {
      const r = Math.floor(rng() * count);
      out.set(rows.subarray(r * dim, (r + 1) * dim), i * dim);
    }
    return tf.tensor2d(out, [m, dim]);
  };
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
}

/** What {@link runImageGan} returns. The caller owns (and disposes) the generator. */
export interface ImageGanResult {
  generator: tf.LayersModel;
  history: GanStepRecord[];
  /** Sample grids at fixed noise across training. */
  snapshots: GanSnapshot<Float32Array>[];
  /** Wall-clock seconds of the training (for the cell's budget line). */
  seconds: number;
}

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
  const G = buildImageGenerator({ seed, outputDim: dim, ...options.generator });
  const D = buildImageDiscriminator({
    seed: seed + SEED_OFFSET.discriminator,
    inputDim: dim,
    ...options.discriminator,
  });
  const noiseDim = G.inputs[0].shape[1] as number;
  const noise = (offset: number): Sampler => uniformNoiseSampler(noiseDim, seed + offset, IMAGE_NOISE);
  const fixed = noise(SEED_OFFSET.snapshotNoise)(options.snapshotCount ?? 32);
  const start = performance.now();
  try {
    const result = await trainGan(G, D, {
      steps: options.steps,
      k: options.k,
      batchSize: options.batchSize,
      generatorLoss: options.generatorLoss,
      optimizer: options.optimizer,
      learningRate: options.learningRate,
      sampleData: rowSampler(options.images, dim, seed),
      sampleNoise: noise(SEED_OFFSET.noise),
      snapshotEvery: options.snapshotEvery ?? 0,
      snapshot: () => tf.tidy(() => (G.predict(fixed) as tf.Tensor).dataSync() as Float32Array),
      onStep: options.onStep,
    });
    const seconds = (performance.now() - start) / 1000;
    return { generator: G, history: result.history, snapshots: result.snapshots, seconds };
  } catch (e) {
    G.dispose();
    throw e;
  } finally {
    fixed.dispose();
    D.dispose();
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
