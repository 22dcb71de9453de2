/**
 * 1-D probability densities (normal, uniform, finite mixtures) as plain data with pure functions over them: the p_data
 * and p_g of GAN §3–§4 in the 1-D settings of Figure 1 and the §6 mode-collapse example.
 */
import { logSumExp } from "./logsumexp.ts";
import type { Rng } from "./random.ts";
import { standardNormals } from "./random.ts";

/** A normal density N(mean, std²). */
export interface Normal {
  kind: "normal";
  mean: number;
  std: number;
}

/** A uniform density on [low, high]. */
export interface Uniform {
  kind: "uniform";
  low: number;
  high: number;
}

/** A finite mixture Σ w_i p_i with weights summing to one. */
export interface Mixture {
  kind: "mixture";
  weights: number[];
  components: Density1D[];
}

/** Any of the 1-D densities above. */
export type Density1D = Normal | Uniform | Mixture;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** N(mean, std²) — the Gaussian p_data of GAN Figure 1. */
export function normal(mean: number, std: number): Normal {
  if (!Number.isFinite(mean)) throw new RangeError(`normal: mean must be finite, got ${mean}`);
  if (!(std > 0) || !Number.isFinite(std)) throw new RangeError(`normal: std must be positive, got ${std}`);
  return { kind: "normal", mean, std };
}

/** U[low, high] — the uniform noise prior p_z of GAN Figure 1. */
export function uniform(low: number, high: number): Uniform {
  if (!(high > low) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new RangeError(`uniform: need finite low < high, got low=${low}, high=${high}`);
  }
  return { kind: "uniform", low, high };
}

/**
 * Σ w_i p_i — a multi-modal p_data for the "Helvetica scenario" of GAN §6. Weights are normalised to sum to one.
 */
export function mixture(weights: number[], components: Density1D[]): Mixture {
  if (weights.length !== components.length || weights.length === 0) {
    throw new RangeError(
      `mixture: need as many weights as components (≥ 1), got ${weights.length} weights and ` +
        `${components.length} components`,
    );
  }
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) {
    throw new RangeError(`mixture: weights must be finite and non-negative, got [${weights.join(", ")}]`);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError("mixture: weights sum to zero");
  return { kind: "mixture", weights: weights.map((w) => w / total), components };
}

/** log p(x) — densities of GAN §4 evaluated in log space (−Infinity outside the support). */
export function logPdf(p: Density1D, x: number): number {
  switch (p.kind) {
    case "normal": {
      const z = (x - p.mean) / p.std;
      return -0.5 * z * z - Math.log(p.std) - LOG_SQRT_2PI;
    }
    case "uniform":
      return x >= p.low && x <= p.high ? -Math.log(p.high - p.low) : -Infinity;
    case "mixture":
      return logSumExp(p.components.map((c, i) => Math.log(p.weights[i]) + logPdf(c, x)));
  }
}

/** p(x) — a density of GAN §4 (p_data or p_g) at one point. */
export function pdf(p: Density1D, x: number): number {
  return Math.exp(logPdf(p, x));
}

/** p at every point of xs — p_data or p_g on a quadrature grid for GAN §4.1. */
export function pdfOn(p: Density1D, xs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = pdf(p, xs[i]);
  return out;
}

/** The mean E[x] — summary of p_g against p_data (GAN Figure 1). */
export function meanOf(p: Density1D): number {
  switch (p.kind) {
    case "normal":
      return p.mean;
    case "uniform":
      return 0.5 * (p.low + p.high);
    case "mixture":
      return p.components.reduce((s, c, i) => s + p.weights[i] * meanOf(c), 0);
  }
}

/** The variance Var[x] — summary of p_g against p_data (GAN Figure 1). */
export function varianceOf(p: Density1D): number {
  switch (p.kind) {
    case "normal":
      return p.std * p.std;
    case "uniform":
      return (p.high - p.low) ** 2 / 12;
    case "mixture": {
      const m = meanOf(p);
      return p.components.reduce((s, c, i) => s + p.weights[i] * (varianceOf(c) + (meanOf(c) - m) ** 2), 0);
    }
  }
}

/** n independent draws x ~ p — the minibatches {x^(1..m)} ~ p_data of GAN Algorithm 1. */
export function sample(p: Density1D, n: number, rng: Rng): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sample: n must be a non-negative integer, got ${n}`);
  switch (p.kind) {
    case "normal": {
      const z = standardNormals(n, rng);
      for (let i = 0; i < n; i++) z[i] = p.mean + p.std * z[i];
      return z;
    }
    case "uniform": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = p.low + (p.high - p.low) * rng();
      return out;
    }
    case "mixture": {
      const out = new Float64Array(n);
      const cum: number[] = [];
      p.weights.reduce((s, w, i) => (cum[i] = s + w), 0);
      for (let i = 0; i < n; i++) {
        const u = rng();
        let j = cum.findIndex((c) => u < c);
        if (j < 0) j = cum.length - 1;
        out[i] = sample(p.components[j], 1, rng)[0];
      }
      return out;
    }
  }
}
