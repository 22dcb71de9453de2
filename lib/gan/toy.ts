/**
 * The 1-D setting of GAN Figure 1, shared by §4.1, Figure 1 and §6: samplers that feed Algorithm 1 from lib/math
 * densities, networks evaluated on a grid, and p_g estimated on a grid from the generator's outputs.
 */
import * as tf from "@tensorflow/tfjs";
import { type Density1D, sample, sampleMeanVariance, type SeededRng, seededRng } from "../math/mod.ts";

/** A minibatch sampler for Algorithm 1: m rows as a tensor. */
export type Sampler = (m: number) => tf.Tensor2D;

/** A sampler whose random stream a checkpoint can save and restore (`rng.state()`, `rng.setState()`). */
export type StatefulSampler = Sampler & { readonly rng: SeededRng };

/** Samples p_data as [m, 1] tensors from a 1-D density with a seeded generator: the x ~ p_data of Algorithm 1. */
export function densitySampler(p: Density1D, seed: number): Sampler {
  const rng = seededRng(seed);
  return (m: number): tf.Tensor2D => tf.tensor2d(Float32Array.from(sample(p, m, rng)), [m, 1]);
}

/** Samples the noise prior z ~ U[low, high]^dim (default U[−1, 1]) as [m, dim] tensors: the z ~ p_z of Algorithm 1. */
export function uniformNoiseSampler(
  dim: number,
  seed: number,
  range: { low?: number; high?: number } = {},
): StatefulSampler {
  const low = range.low ?? -1;
  const high = range.high ?? 1;
  const rng = seededRng(seed);
  const draw = (m: number): tf.Tensor2D => {
    const data = new Float32Array(m * dim);
    for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng();
    return tf.tensor2d(data, [m, dim]);
  };
  return Object.assign(draw, { rng });
}

/** A model with one input and one output column on a list of 1-D values (inference mode). */
function evaluateOn(model: tf.LayersModel, values: ArrayLike<number>): Float64Array {
  const inputDim = model.inputs[0].shape[1];
  if (inputDim !== 1) throw new RangeError(`evaluateOn: the model must take 1-D input, its input width is ${inputDim}`);
  const out = tf.tidy(() => model.predict(tf.tensor2d(Float32Array.from(values), [values.length, 1])) as tf.Tensor);
  const result = Float64Array.from(out.dataSync());
  out.dispose();
  return result;
}

/** D(x) = σ(logit) of a logit-output discriminator on a grid: the blue dashed curve of Figure 1. */
export function discriminatorOn(discriminator: tf.LayersModel, xs: ArrayLike<number>): Float64Array {
  return evaluateOn(discriminator, xs).map((t) => 1 / (1 + Math.exp(-t)));
}

/** Stratified noise z_i = low + (i + ½)(high − low)/n: a deterministic stand-in for U[low, high] (Figure 1's z line). */
export function stratifiedNoise(n: number, low = -1, high = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = low + ((i + 0.5) * (high - low)) / n;
  return out;
}

/**
 * Gaussian kernel density estimate on a sorted grid. Bandwidth by Silverman's rule unless given, and never below twice
 * the grid spacing, so that the estimate of a collapsed generator (all samples at one point) still integrates to one
 * on the grid.
 */
export function kdeOn(
  samples: ArrayLike<number>,
  xs: ArrayLike<number>,
  options: { bandwidth?: number } = {},
): Float64Array {
  const { bandwidth } = options;
  const n = samples.length;
  const std = Math.sqrt(sampleMeanVariance(samples, "kdeOn").variance);
  const spacing = xs.length > 1 ? Math.abs(xs[1] - xs[0]) : 0;
  const h = bandwidth ?? Math.max(1.06 * std * n ** -0.2, 2 * spacing, 1e-6);
  if (!(h > 0)) throw new RangeError(`kdeOn: bandwidth must be positive, got ${h}`);
  // bin the samples finely, then smooth the bins: O(bins · grid) instead of O(n · grid)
  const lo = Math.min(...Array.from(xs)) - 6 * h;
  const hi = Math.max(...Array.from(xs)) + 6 * h;
  const bins = 4000;
  const w = (hi - lo) / bins;
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((samples[i] - lo) / w);
    if (b >= 0 && b < bins) counts[b]++; // samples far outside the grid contribute nothing on it
  }
  const out = new Float64Array(xs.length);
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  for (let j = 0; j < xs.length; j++) {
    let s = 0;
    for (let b = 0; b < bins; b++) {
      if (counts[b] === 0) continue;
      const u = (xs[j] - (lo + (b + 0.5) * w)) / h;
      if (u * u < 80) s += counts[b] * Math.exp(-0.5 * u * u);
    }
    out[j] = s * norm;
  }
  return out;
}

/** Options of {@link generatorDensityOn}. */
export interface GeneratorDensityOptions {
  /** Number of stratified noise values. Default: 20000. */
  n?: number;
  /** Noise range [low, high] of the uniform p_z. Default: [-1, 1]. */
  low?: number;
  high?: number;
  /** KDE bandwidth. Default: Silverman's rule. */
  bandwidth?: number;
}

/**
 * p_g on a grid for a generator with 1-D uniform noise: x = G(z) at stratified z, smoothed by a Gaussian KDE (the
 * green curve of Figure 1). Also returns the mapping (z, x), Figure 1's arrows.
 */
export function generatorDensityOn(
  generator: tf.LayersModel,
  xs: ArrayLike<number>,
  options: GeneratorDensityOptions = {},
): { density: Float64Array; z: Float64Array; x: Float64Array } {
  const z = stratifiedNoise(options.n ?? 20_000, options.low ?? -1, options.high ?? 1);
  const x = evaluateOn(generator, z);
  return { density: kdeOn(x, xs, { bandwidth: options.bandwidth }), z, x };
}

/**
 * Σ w_i |v_i − t_i| / Σ w_i: how far D is from a target (D*, or 1/2) on average under a density. Compares a trained D
 * with Proposition 1's D* (§4.1) and shows D flatten to 1/2 in Figure 1.
 */
export function meanAbsDeviation(
  values: ArrayLike<number>,
  target: number | ArrayLike<number>,
  weights: ArrayLike<number>,
): number {
  if (values.length !== weights.length || (typeof target !== "number" && target.length !== values.length)) {
    throw new RangeError(`meanAbsDeviation: values, target and weights must have the same length`);
  }
  let e = 0;
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    const t = typeof target === "number" ? target : target[i];
    e += weights[i] * Math.abs(values[i] - t);
    w += weights[i];
  }
  if (!(w > 0)) throw new RangeError("meanAbsDeviation: the weights sum to zero");
  return e / w;
}
