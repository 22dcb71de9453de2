/**
 * The notebook's experiments as functions, so that cells stay thin: the 1-D toy GAN of Figure 1 / §6 and the image
 * GAN of §5 trained with Algorithm 1, and the Parzen-window evaluation of Table 1.
 */
import * as tf from "@tensorflow/tfjs";
import { type Density1D, type Grid, jsDivergence, pdfOn, seededRng } from "../math/mod.ts";
import { Progress } from "../display/mod.ts";
import { type ToySnapshot, toySnapshot } from "./figures.ts";
import type { GeneratorLossKind } from "./losses.ts";
import {
  buildDiscriminator,
  buildGenerator,
  buildImageDiscriminator,
  buildImageGenerator,
  type DiscriminatorOptions,
  type GeneratorOptions,
} from "./models.ts";
import { parzenEstimate, type ParzenResult, type Points } from "./parzen.ts";
import {
  densitySampler,
  discriminatorOn,
  generatorDensityOn,
  meanAbsDeviation,
  modeMasses,
  type Sampler,
  uniformNoiseSampler,
} from "./toy.ts";
import { optimalDiscriminator } from "./optimal.ts";
import { valueQuadrature } from "./value.ts";
import { type GanSnapshot, type GanStepRecord, generatorGradientNorm, trainDiscriminator, trainGan } from "./train.ts";

/** Throws a RangeError naming `who`'s seeds unless they are a non-empty list of distinct integers ≥ 0. */
function checkSeeds(seeds: readonly number[], who: string): void {
  if (
    !Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0) ||
    new Set(seeds).size !== seeds.length
  ) {
    throw new RangeError(
      `${who}: seeds must be a non-empty list of distinct integers ≥ 0 (every seed is one run), got ${
        JSON.stringify(seeds)
      }`,
    );
  }
}

/** Options of {@link runToyGan}. */
export interface ToyGanOptions {
  /** The data density p_data. */
  pData: Density1D;
  /** Grid on which densities, D and the JSD are evaluated. */
  grid: Grid;
  /** Seed of the networks, the data and the noise. */
  seed: number;
  /** Iterations of Algorithm 1. */
  steps: number;
  /** D steps per iteration. Default: 1. */
  k?: number;
  /** G steps per iteration. Default: 1. */
  generatorSteps?: number;
  /** Minibatch size. Default: 64. */
  batchSize?: number;
  /** Generator objective. Default: "non-saturating". */
  generatorLoss?: GeneratorLossKind;
  /** Generator architecture (1-D noise is assumed by the density estimate). Default: buildGenerator's defaults. */
  generator?: GeneratorOptions;
  /** Discriminator architecture. Default: buildDiscriminator's defaults. */
  discriminator?: DiscriminatorOptions;
  /** Take a Figure 1 snapshot every this many iterations. Default: 0 (only the JSD at start and end). */
  snapshotEvery?: number;
  /** Called after every iteration. */
  onStep?: (record: GanStepRecord) => void | Promise<void>;
}

/** What {@link runToyGan} returns. */
export interface ToyGanResult {
  /** JSD(p_data‖p_g) in nats before training. */
  jsdStart: number;
  /** JSD(p_data‖p_g) in nats after training. */
  jsdEnd: number;
  /** p_g on the grid after training. */
  pG: Float64Array;
  /** G(z) at stratified z after training (for mode masses). */
  samples: Float64Array;
  /** Per-iteration losses and mean D outputs. */
  history: GanStepRecord[];
  /** Figure 1 snapshots (empty unless snapshotEvery > 0), each with its JSD. */
  snapshots: GanSnapshot<ToySnapshot & { jsd: number }>[];
}

/**
 * Trains a fresh 1-D GAN with Algorithm 1 on p_data and measures JSD(p_data‖p_g) — GAN Figure 1 and §6. Builds and
 * disposes its own networks; leaves no tensors behind.
 */
export async function runToyGan(options: ToyGanOptions): Promise<ToyGanResult> {
  const { grid, seed } = options;
  const pd = pdfOn(options.pData, grid.xs);
  const G = buildGenerator({ seed, ...options.generator, noiseDim: 1 });
  const D = buildDiscriminator({ seed: seed + 1000, ...options.discriminator, inputDim: 1 });
  const jsdOf = (pG: Float64Array): number => jsDivergence(pd, pG, grid.dx);
  try {
    const jsdStart = jsdOf(generatorDensityOn(G, grid.xs, { n: 5000 }).density);
    const result = await trainGan(G, D, {
      steps: options.steps,
      k: options.k,
      generatorSteps: options.generatorSteps,
      batchSize: options.batchSize,
      generatorLoss: options.generatorLoss,
      sampleData: densitySampler(options.pData, seed),
      sampleNoise: uniformNoiseSampler(1, seed + 1),
      snapshotEvery: options.snapshotEvery ?? 0,
      snapshot: () => {
        const s = toySnapshot(G, D, grid.xs);
        return { ...s, jsd: jsdOf(s.pG) };
      },
      onStep: options.onStep,
    });
    const end = generatorDensityOn(G, grid.xs, { n: 5000 });
    return {
      jsdStart,
      jsdEnd: jsdOf(end.density),
      pG: end.density,
      samples: end.x,
      history: result.history,
      snapshots: result.snapshots,
    };
  } finally {
    G.dispose();
    D.dispose();
  }
}

/** A training schedule of Algorithm 1: k D steps and `generatorSteps` G steps per iteration. */
export interface Schedule {
  /** Label shown in tables. */
  name: string;
  k: number;
  generatorSteps: number;
  /** Iterations. */
  steps: number;
}

/** One run of {@link runSchedules}. */
export interface ScheduleRun {
  schedule: string;
  seed: number;
  /** JSD(p_data‖p_g) in nats before training. */
  jsdStart: number;
  /** Figure 1 snapshots (empty unless `snapshotEvery` > 0 in the base options). */
  snapshots: GanSnapshot<ToySnapshot & { jsd: number }>[];
  /** JSD(p_data‖p_g) in nats after training. */
  jsd: number;
  /** Fraction of G's samples within 2σ of each mixture component (empty unless p_data is a normal mixture). */
  modeMasses: number[];
  /** Components holding at least `coveredMass` of G's samples. */
  modesCovered: number;
  /** p_g on the grid after training. */
  pG: Float64Array;
}

/**
 * Trains the 1-D toy GAN under several schedules × seeds and measures JSD and mode coverage — GAN §6, the "Helvetica
 * scenario": G trained too much without updating D collapses many z onto the same x. Shows a progress bar.
 */
export async function runSchedules(
  schedules: Schedule[],
  seeds: number[],
  base: Omit<ToyGanOptions, "seed" | "steps" | "k" | "generatorSteps" | "onStep"> & {
    /** A mode counts as covered when it holds at least this fraction of G's samples. Default: 0.2. */
    coveredMass?: number;
    /** Label of the progress bar. Default: "schedules × seeds". */
    progressLabel?: string;
  },
): Promise<ScheduleRun[]> {
  checkSeeds(seeds, "runSchedules");
  if (schedules.length === 0) throw new RangeError("runSchedules: schedules is empty; give at least one");
  for (const s of schedules) {
    for (const key of ["k", "generatorSteps", "steps"] as const) {
      if (!Number.isInteger(s[key]) || s[key] < 1) {
        throw new RangeError(
          `runSchedules: schedule "${s.name}" has ${key} ${JSON.stringify(s[key])}; give an integer ≥ 1`,
        );
      }
    }
  }
  const total = seeds.length * schedules.reduce((s, c) => s + c.steps * (c.k + c.generatorSteps), 0);
  const bar = new Progress(total, { label: base.progressLabel ?? "schedules × seeds" });
  const runs: ScheduleRun[] = [];
  let done = 0;
  for (const schedule of schedules) {
    for (const seed of seeds) {
      const r = await runToyGan({
        ...base,
        seed,
        steps: schedule.steps,
        k: schedule.k,
        generatorSteps: schedule.generatorSteps,
        onStep: (rec) =>
          bar.update(done + rec.step * (schedule.k + schedule.generatorSteps), { run: schedule.name, seed }),
      });
      done += schedule.steps * (schedule.k + schedule.generatorSteps);
      const masses = base.pData.kind === "mixture" ? modeMasses(r.samples, base.pData) : [];
      runs.push({
        schedule: schedule.name,
        seed,
        jsdStart: r.jsdStart,
        snapshots: r.snapshots,
        jsd: r.jsdEnd,
        modeMasses: masses,
        modesCovered: masses.filter((m) => m >= (base.coveredMass ?? 0.2)).length,
        pG: r.pG,
      });
    }
  }
  await bar.finish();
  return runs;
}

/** One row of {@link measureSaturation}. */
export interface SaturationRow {
  seed: number;
  /** Mean D(G(z)) on the last pre-training minibatch. */
  dFake: number;
  /** ‖∇θ_g‖ of the saturating loss log(1 − D(G(z))). */
  saturating: number;
  /** ‖∇θ_g‖ of the non-saturating loss −log D(G(z)). */
  nonSaturating: number;
}

/**
 * The saturation remark of GAN §3 measured on networks: for each seed, train D against a fresh 1-D generator until it
 * rejects G's samples, then compare both generator losses' gradient norms on one noise minibatch. Shows a progress bar.
 */
export async function measureSaturation(
  pData: Density1D,
  seeds: number[],
  options: { dSteps?: number; batchSize?: number; generator?: GeneratorOptions; discriminator?: DiscriminatorOptions } =
    {},
): Promise<SaturationRow[]> {
  checkSeeds(seeds, "measureSaturation");
  const dSteps = options.dSteps ?? 200;
  const bar = new Progress(seeds.length * dSteps, { label: "pre-train D" });
  const rows: SaturationRow[] = [];
  for (const [i, seed] of seeds.entries()) {
    const G = buildGenerator({ seed, ...options.generator, noiseDim: 1 });
    const D = buildDiscriminator({ seed: seed + 1000, ...options.discriminator, inputDim: 1 });
    const noise = uniformNoiseSampler(1, seed + 1);
    try {
      const pre = await trainDiscriminator(D, {
        steps: dSteps,
        sampleData: densitySampler(pData, seed),
        sampleGenerated: (m) => tf.tidy(() => G.predict(noise(m)) as tf.Tensor),
        onStep: (s) => bar.update(i * dSteps + s),
      });
      const z = noise(options.batchSize ?? 256);
      rows.push({
        seed,
        dFake: pre[pre.length - 1].dFake,
        saturating: generatorGradientNorm(G, D, z, "saturating"),
        nonSaturating: generatorGradientNorm(G, D, z, "non-saturating"),
      });
      z.dispose();
    } finally {
      G.dispose();
      D.dispose();
    }
  }
  await bar.finish();
  return rows;
}

/** One discriminator of {@link fitDiscriminators}. */
export interface FittedDiscriminator {
  seed: number;
  /** D(x) of the trained network on the grid. */
  d: Float64Array;
  /** Mean |D − D*| weighted by (p_data + p_g)/2. */
  meanAbsError: number;
  /** V(D_net, G) by quadrature. */
  value: number;
  /** C(G) = V(D*, G) by quadrature. */
  optimum: number;
}

/**
 * Trains one discriminator network per seed against a fixed p_g and compares it with D* on a grid — GAN §4.1,
 * Proposition 1 learned from samples. Shows a progress bar.
 */
export async function fitDiscriminators(
  pData: Density1D,
  pG: Density1D,
  grid: Grid,
  seeds: number[],
  options: { steps?: number; batchSize?: number; discriminator?: DiscriminatorOptions; progressLabel?: string } = {},
): Promise<FittedDiscriminator[]> {
  checkSeeds(seeds, "fitDiscriminators");
  const steps = options.steps ?? 600;
  const pd = pdfOn(pData, grid.xs);
  const pg = pdfOn(pG, grid.xs);
  const target = optimalDiscriminator(pd, pg);
  const weights = pd.map((v, i) => 0.5 * (v + pg[i]));
  const bar = new Progress(seeds.length * steps, { label: options.progressLabel ?? "train D" });
  const out: FittedDiscriminator[] = [];
  for (const [i, seed] of seeds.entries()) {
    const D = buildDiscriminator({ seed, ...options.discriminator, inputDim: 1 });
    try {
      await trainDiscriminator(D, {
        steps,
        batchSize: options.batchSize ?? 128,
        sampleData: densitySampler(pData, seed),
        sampleGenerated: densitySampler(pG, seed + 10),
        onStep: (s) => bar.update(i * steps + s),
      });
      const d = discriminatorOn(D, grid.xs);
      out.push({
        seed,
        d,
        meanAbsError: meanAbsDeviation(d, target, weights),
        value: valueQuadrature(pd, pg, d, grid.dx),
        optimum: valueQuadrature(pd, pg, target, grid.dx),
      });
    } finally {
      D.dispose();
    }
  }
  await bar.finish();
  return out;
}

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
}

/** Uniform noise U[−1, 1]^noiseDim for image generators — p_z of GAN §5. */
const IMAGE_NOISE_LOW = -1;

/**
 * Trains an MLP GAN on images with Algorithm 1 (ReLU/sigmoid generator, maxout + dropout discriminator) — GAN §5.
 * The discriminator is disposed; the generator is returned.
 */
export async function runImageGan(options: ImageGanOptions): Promise<ImageGanResult> {
  const dim = options.dim ?? 784;
  const seed = options.seed;
  const G = buildImageGenerator({ seed, outputDim: dim, ...options.generator });
  const D = buildImageDiscriminator({ seed: seed + 1000, inputDim: dim, ...options.discriminator });
  const noiseDim = G.inputs[0].shape[1] as number;
  const fixed = uniformNoiseSampler(noiseDim, seed + 7, IMAGE_NOISE_LOW, 1)(options.snapshotCount ?? 32);
  try {
    const result = await trainGan(G, D, {
      steps: options.steps,
      k: options.k,
      batchSize: options.batchSize,
      sampleData: rowSampler(options.images, dim, seed),
      sampleNoise: uniformNoiseSampler(noiseDim, seed + 1, IMAGE_NOISE_LOW, 1),
      snapshotEvery: options.snapshotEvery ?? 0,
      snapshot: () => tf.tidy(() => (G.predict(fixed) as tf.Tensor).dataSync() as Float32Array),
      onStep: options.onStep,
    });
    return { generator: G, history: result.history, snapshots: result.snapshots };
  } catch (e) {
    G.dispose();
    throw e;
  } finally {
    fixed.dispose();
    D.dispose();
  }
}

/** n samples x = G(z), z ~ U[−1, 1]^noiseDim, as a row-major Float32Array — the samples of GAN §5's Parzen estimate. */
export function generateSamples(generator: tf.LayersModel, n: number, seed: number): Float32Array {
  const noiseDim = generator.inputs[0].shape[1] as number;
  return tf.tidy(() => {
    const z = uniformNoiseSampler(noiseDim, seed, IMAGE_NOISE_LOW, 1)(n);
    return (generator.predict(z) as tf.Tensor).dataSync() as Float32Array;
  });
}

/**
 * Parzen-window log-likelihood of held-out images under samples — GAN §5, Table 1: σ chosen on `validation` among
 * `sigmas`, mean ± standard error on `test`.
 */
export function parzenForSamples(
  samples: Float32Array,
  validation: Float32Array,
  test: Float32Array,
  options: { dim?: number; sigmas?: number[] } = {},
): ParzenResult {
  const dim = options.dim ?? 784;
  const pts = (data: Float32Array): Points => ({ data, dim });
  const sigmas = options.sigmas ?? [0.05, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4];
  return parzenEstimate(pts(samples), pts(validation), pts(test), sigmas);
}
