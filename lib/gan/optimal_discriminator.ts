/**
 * GAN §4.1, Proposition 1: for G fixed, the optimal discriminator is D*_G(x) = p_data(x)/(p_data(x) + p_g(x)) (Eq. 2).
 * Computed in closed form and by maximising the integrand of V pointwise, and approached by discriminator networks
 * trained on samples.
 */
import { type Density1D, type Grid, pdfOn } from "../math/mod.ts";
import { Progress } from "../display/mod.ts";
import { trainDiscriminator } from "./algorithm1.ts";
import { buildDiscriminator, type DiscriminatorOptions } from "./models.ts";
import { checkSeeds, SEED_OFFSET } from "./seeds.ts";
import { densitySampler, discriminatorOn, meanAbsDeviation } from "./toy.ts";
import { valueQuadrature } from "./value_function.ts";

/** Optimal discriminator D*_G(x) = p_data(x)/(p_data(x) + p_g(x)) — Eq. (2); 1/2 where both are 0. */
export function optimalDiscriminator(pData: ArrayLike<number>, pG: ArrayLike<number>): Float64Array {
  if (pData.length !== pG.length) {
    throw new RangeError(`optimalDiscriminator: p_data and p_g lengths differ (${pData.length} vs ${pG.length})`);
  }
  const out = new Float64Array(pData.length);
  for (let i = 0; i < out.length; i++) {
    const s = pData[i] + pG[i];
    out[i] = s > 0 ? pData[i] / s : 0.5;
  }
  return out;
}

/**
 * The pointwise maximisation in the proof of Proposition 1, in logit form: the t maximising a·log σ(t) + b·log σ(−t)
 * (a·log D + b·log(1 − D) with D = σ(t)), found by bisection on the derivative a·σ(−t) − b·σ(t) (closed form
 * t = log(a/b)). The logit keeps log D and log(1 − D) finite where D rounds to 0 or 1.
 */
export function maximizePointwiseLogit(a: number, b: number): number {
  if (!(a >= 0) || !(b >= 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`maximizePointwiseLogit: need finite a, b ≥ 0, got a=${a}, b=${b}`);
  }
  if (a === 0 && b === 0) return 0;
  if (b === 0) return Infinity;
  if (a === 0) return -Infinity;
  const sig = (t: number): number => 1 / (1 + Math.exp(-t));
  let lo = -800;
  let hi = 800;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (a * sig(-mid) - b * sig(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** argmax_{y∈[0,1]} a·log y + b·log(1 − y), numerically — the step of Proposition 1's proof (closed form a/(a + b)). */
export function maximizePointwise(a: number, b: number): number {
  const t = maximizePointwiseLogit(a, b);
  return 1 / (1 + Math.exp(-t));
}

/** D maximising the integrand p_data·log D + p_g·log(1 − D) of V pointwise, numerically: Proposition 1 without Eq. (2). */
export function numericalOptimalDiscriminator(pData: ArrayLike<number>, pG: ArrayLike<number>): Float64Array {
  if (pData.length !== pG.length) {
    throw new RangeError(`numericalOptimalDiscriminator: lengths differ (${pData.length} vs ${pG.length})`);
  }
  const out = new Float64Array(pData.length);
  for (let i = 0; i < out.length; i++) out[i] = maximizePointwise(pData[i], pG[i]);
  return out;
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

/** Options of {@link fitDiscriminators}. */
export interface FitDiscriminatorsOptions {
  /** Discriminator updates per seed. Default: 600. */
  steps?: number;
  /** Minibatch size of both the data and the p_g samples. Default: 128. */
  batchSize?: number;
  /** Discriminator architecture (1-D input). Default: buildDiscriminator's. */
  discriminator?: DiscriminatorOptions;
  /** Label of the progress bar. Default: "train D". */
  progressLabel?: string;
}

/**
 * Proposition 1 learned from samples: trains one discriminator network per seed against a fixed p_g and compares it
 * with D* on a grid. Shows a progress bar.
 *
 * @example D against p_g = N(0.5, 1), two seeds
 * ```ts
 * import { fitDiscriminators } from "@lib/gan/mod.ts";
 * import { grid, normal } from "@lib/math/mod.ts";
 *
 * const fits = await fitDiscriminators(normal(2, 0.5), normal(0.5, 1), grid(-6, 8, 1401), [1, 2], { steps: 600 });
 * fits.map((f) => [f.meanAbsError, f.value, f.optimum]); // V(D_net, G) ≤ V(D*, G) = C(G)
 * ```
 */
export async function fitDiscriminators(
  pData: Density1D,
  pG: Density1D,
  grid: Grid,
  seeds: number[],
  options: FitDiscriminatorsOptions = {},
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
    // D is this run's only network, so it takes the run's seed itself.
    const D = buildDiscriminator({ seed, ...options.discriminator, inputDim: 1 });
    try {
      await trainDiscriminator(D, {
        steps,
        batchSize: options.batchSize ?? 128,
        sampleData: densitySampler(pData, seed),
        sampleGenerated: densitySampler(pG, seed + SEED_OFFSET.generatedSamples),
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
