/**
 * The Gaussian Parzen-window log-likelihood estimate of GAN §5, Table 1: fit an isotropic Gaussian kernel density to
 * generated samples, choose its width σ on a validation split, and report the mean test log-likelihood with its
 * standard error.
 */
import { nativeKernelsOn, nativeSquaredDistances } from "../backend/mod.ts";
import { ordering, type OrderingEvidence } from "../evidence/mod.ts";
import { logMeanExp, sampleMeanVariance } from "../math/mod.ts";

/** A set of n points in d dimensions, row-major. */
export interface Points {
  /** Row-major values, length n·d. */
  data: ArrayLike<number>;
  /** Dimension d of each point. */
  dim: number;
}

function count(p: Points, who: string): number {
  if (!Number.isInteger(p.dim) || p.dim < 1) {
    throw new RangeError(`${who}: dim must be a positive integer, got ${p.dim}`);
  }
  if (p.data.length % p.dim !== 0 || p.data.length === 0) {
    throw new RangeError(`${who}: data length ${p.data.length} is not a positive multiple of dim ${p.dim}`);
  }
  return p.data.length / p.dim;
}

/**
 * Points whose distances to the samples are computed together (see {@link parzenLogLikelihoods}): 8 in JavaScript,
 * 32 through the native kernel (fewer passes over the samples, whose block of distances still fits in L2).
 */
const PARZEN_BLOCK = 8;
const NATIVE_PARZEN_BLOCK = 32;

/**
 * dist[b·n + i] = ‖x_{first+b} − s_i‖² for `count` points of `x` from `first` and the n samples, in double with four
 * partial sums per distance (the JavaScript path of {@link parzenLogLikelihoods}).
 */
function squaredDistances(
  x: ArrayLike<number>,
  s: ArrayLike<number>,
  block: { first: number; count: number; n: number; d: number },
  dist: Float64Array,
): void {
  const { first, count, n, d } = block;
  const d4 = d - (d % 4);
  for (let i = 0; i < n; i++) {
    const so = i * d;
    for (let b = 0; b < count; b++) {
      const xo = (first + b) * d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let k = 0;
      for (; k < d4; k += 4) {
        const e0 = x[xo + k] - s[so + k];
        const e1 = x[xo + k + 1] - s[so + k + 1];
        const e2 = x[xo + k + 2] - s[so + k + 2];
        const e3 = x[xo + k + 3] - s[so + k + 3];
        a0 += e0 * e0;
        a1 += e1 * e1;
        a2 += e2 * e2;
        a3 += e3 * e3;
      }
      for (; k < d; k++) {
        const e = x[xo + k] - s[so + k];
        a0 += e * e;
      }
      dist[b * n + i] = a0 + a1 + a2 + a3;
    }
  }
}

/**
 * Per-point Parzen log-likelihoods log p̂(x) = log (1/n) Σ_i N(x; s_i, σ² I) for several σ at once — GAN §5, Table 1.
 * Returns one Float64Array per σ, each with one entry per point of `points`.
 */
export function parzenLogLikelihoods(samples: Points, points: Points, sigmas: number[]): Float64Array[] {
  const n = count(samples, "parzenLogLikelihoods (samples)");
  const m = count(points, "parzenLogLikelihoods (points)");
  if (samples.dim !== points.dim) {
    throw new RangeError(`parzenLogLikelihoods: samples have dim ${samples.dim}, points have dim ${points.dim}`);
  }
  if (sigmas.length === 0 || sigmas.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new RangeError(`parzenLogLikelihoods: sigmas must be positive, got [${sigmas.join(", ")}]`);
  }
  const d = samples.dim;
  const s = samples.data;
  const x = points.data;
  const out = sigmas.map(() => new Float64Array(m));
  // Squared distances for a block of points at a time: each sample row is read once per block instead of once per
  // point (at Table 1's sizes, 9,000 samples of 784 pixels are 28 MB, far more than the caches), with four partial
  // sums per distance. Measured: about twice the points per second of one point at a time. Float32 inputs go to the
  // native kernel when it is loaded (the same differences and double sums, vectorised; the record's 11,000 × 9,000
  // × 784 took minutes in JavaScript).
  const native = s instanceof Float32Array && x instanceof Float32Array && nativeKernelsOn();
  const block = native ? NATIVE_PARZEN_BLOCK : PARZEN_BLOCK;
  const dist = new Float64Array(block * n);
  const terms = new Float64Array(n);
  for (let j0 = 0; j0 < m; j0 += block) {
    const jb = Math.min(block, m - j0);
    if (native) nativeSquaredDistances((x as Float32Array).subarray(j0 * d, (j0 + jb) * d), s as Float32Array, d, dist);
    else squaredDistances(x, s, { first: j0, count: jb, n, d }, dist);
    for (let b = 0; b < jb; b++) {
      for (let t = 0; t < sigmas.length; t++) {
        const inv = -0.5 / (sigmas[t] * sigmas[t]);
        for (let i = 0; i < n; i++) terms[i] = dist[b * n + i] * inv;
        out[t][j0 + b] = logMeanExp(terms) - 0.5 * d * Math.log(2 * Math.PI * sigmas[t] * sigmas[t]);
      }
    }
  }
  return out;
}

/** Mean and standard error of per-point log-likelihoods, as Table 1 of GAN §5 reports them. */
export interface LogLikelihoodEstimate {
  /** Mean log-likelihood over the points (nats). */
  mean: number;
  /** Standard error of the mean: sample std / √m. */
  stdErr: number;
  /** Number of points averaged. */
  count: number;
}

/** Mean ± standard error of per-point log-likelihoods — the "mean ± s.e." entries of GAN §5, Table 1. */
export function meanWithStdErr(values: ArrayLike<number>): LogLikelihoodEstimate {
  const { mean, variance } = sampleMeanVariance(values, "meanWithStdErr");
  return { mean, stdErr: Math.sqrt(variance / values.length), count: values.length };
}

/** Result of {@link parzenEstimate}: the chosen σ, validation scores, and the test estimate. */
export interface ParzenResult extends LogLikelihoodEstimate {
  /** The σ with the best mean validation log-likelihood. */
  sigma: number;
  /** Mean validation log-likelihood for every candidate σ. */
  validation: { sigma: number; mean: number }[];
}

/**
 * Gaussian Parzen-window estimate of GAN §5, Table 1: choose σ among `sigmas` by mean log-likelihood on `validation`,
 * then report mean ± standard error of log p̂ on `test`.
 */
export function parzenEstimate(samples: Points, validation: Points, test: Points, sigmas: number[]): ParzenResult {
  const scores = parzenLogLikelihoods(samples, validation, sigmas).map((ll, i) => ({
    sigma: sigmas[i],
    mean: meanWithStdErr(ll).mean,
  }));
  const best = scores.reduce((a, b) => (b.mean > a.mean ? b : a));
  const [testLl] = parzenLogLikelihoods(samples, test, [best.sigma]);
  return { ...meanWithStdErr(testLl), sigma: best.sigma, validation: scores };
}

/** Options of {@link parzenForSamples}. */
export interface ParzenForSamplesOptions {
  /** Pixels per image. Default: 784 (28×28). */
  dim?: number;
  /** Candidate widths σ, chosen among on the validation images. Default: 0.05 to 0.4 (nine values). */
  sigmas?: number[];
}

/**
 * Table 1's estimate for row-major images: σ chosen on `validation` among `sigmas`, then mean ± standard error of the
 * log-likelihood of `test` under a Gaussian Parzen window on `samples`.
 *
 * @example Generated samples against held-out Fashion-MNIST
 * ```ts
 * import { generateSamples, parzenForSamples, runImageGan } from "@lib/gan/mod.ts";
 * import { loadFashionMnist } from "@lib/data/mod.ts";
 *
 * const train = await loadFashionMnist({ split: "train", limit: 9500 });
 * const test = await loadFashionMnist({ split: "test", limit: 1000 });
 * const gan = await runImageGan({ images: train.images.subarray(0, 9000 * 784), seed: 1, steps: 1000 });
 * const samples = generateSamples(gan.generator, 1000, 99);
 * const { mean, stdErr, sigma } = parzenForSamples(samples, train.images.subarray(9000 * 784), test.images);
 * gan.generator.dispose();
 * ```
 */
export function parzenForSamples(
  samples: Float32Array,
  validation: Float32Array,
  test: Float32Array,
  options: ParzenForSamplesOptions = {},
): ParzenResult {
  const dim = options.dim ?? 784;
  const pts = (data: Float32Array): Points => ({ data, dim });
  const sigmas = options.sigmas ?? [0.05, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4];
  return parzenEstimate(pts(samples), pts(validation), pts(test), sigmas);
}

/** The Table 1 comparisons of this run (see {@link parzenEvidence}). */
export interface ParzenEvidence {
  /** Training raised the estimate: trained G above the untrained G. */
  trainingHelps: OrderingEvidence;
  /** Real training images (the same number, as samples) above the trained G. */
  realAbove: OrderingEvidence;
}

/**
 * GAN §5, Table 1's estimate read as comparisons on this run: the trained G's Parzen log-likelihood of the test images
 * against the untrained G's and against as many real training images used as samples, per seed trained, each with
 * its gap in nats and how many standard errors of the difference it spans.
 */
export function parzenEvidence(
  runs: readonly { seed: number; untrained: ParzenResult; trained: ParzenResult; real: ParzenResult }[],
): ParzenEvidence {
  const se = (a: ParzenResult, b: ParzenResult) => Math.sqrt(a.stdErr ** 2 + b.stdErr ** 2);
  const z = (pairs: { higher: ParzenResult; lower: ParzenResult }[]) =>
    pairs.map((p) => ((p.higher.mean - p.lower.mean) / se(p.higher, p.lower)).toFixed(1)).join(", ");
  const trained = runs.map((r) => ({ higher: r.trained, lower: r.untrained }));
  const real = runs.map((r) => ({ higher: r.real, lower: r.trained }));
  return {
    trainingHelps: ordering(
      `§5: 훈련된 G가 훈련 전 G보다 높은 로그우도 / the trained G scores above the untrained G (gap / s.e.: ${
        z(trained)
      })`,
      runs.map((r) => ({ seed: r.seed, higher: r.trained.mean, lower: r.untrained.mean })),
      { unit: "nats" },
    ),
    realAbove: ordering(
      `§5: 같은 수의 진짜 이미지가 훈련된 G보다 높은 로그우도 / as many real training images score above the trained G ` +
        `(gap / s.e.: ${z(real)})`,
      runs.map((r) => ({ seed: r.seed, higher: r.real.mean, lower: r.trained.mean })),
      { unit: "nats" },
    ),
  };
}
