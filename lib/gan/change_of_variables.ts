/**
 * The step from Eq. (1) to Eq. (3) in the proof of Proposition 1 (GAN §4.1): E_{z∼p_z}[log(1 − D(G(z)))] =
 * ∫ p_g(x) log(1 − D(x)) dx = E_{x∼p_g}[log(1 − D(x))], the change of variables x = G(z) that the paper uses without
 * writing out. Computed here for a hand-made monotone 1-D generator, whose p_g the change-of-variables formula gives
 * in closed form: p_g(x) = p_z(G⁻¹(x)) / |G′(G⁻¹(x))|.
 *
 * Three numbers that never share a sample: Monte Carlo through z (draw z, push it through G), Monte Carlo through x
 * (draw x from the density p_g alone, by inverse CDF on a grid, without calling G), and the integral by quadrature.
 */
import { grid as makeGrid, integrate, seededRng } from "../math/mod.ts";

/** The hand-made generator: z ∼ U[−1, 1], G(z) = a + b·z + c·z³ (monotone when b > 0 and c ≥ 0). */
export interface CubicGenerator {
  a: number;
  b: number;
  c: number;
}

/** G(z) = 0.5 + 1.5 z + 0.5 z³ on z ∈ [−1, 1]: a skewed p_g on [−1.5, 2.5] with G′ ≥ 1.5 (no infinite density). */
export const CUBIC_GENERATOR: CubicGenerator = { a: 0.5, b: 1.5, c: 0.5 };

/** A Monte Carlo mean with its standard error. */
export interface McMean {
  value: number;
  stdErr: number;
  n: number;
}

/** What {@link changeOfVariables} returns. */
export interface ChangeOfVariablesResult {
  /** E_z[log(1 − D(G(z)))] by Monte Carlo through z. */
  viaZ: McMean;
  /** E_{x∼p_g}[log(1 − D(x))] by Monte Carlo on x drawn from p_g's density (G never called). */
  viaX: McMean;
  /** ∫ p_g(x) log(1 − D(x)) dx by Simpson's rule on the density's grid. */
  quadrature: number;
  /** |viaZ − viaX| / √(se_z² + se_x²): how many combined standard errors apart the two estimates are. */
  zScore: number;
  /** p_g on its grid (from the change-of-variables formula), for a plot. */
  grid: { xs: Float64Array; density: Float64Array };
}

/** Options of {@link changeOfVariables}. */
export interface ChangeOfVariablesOptions {
  /** The generator. Default: {@link CUBIC_GENERATOR}. */
  generator?: CubicGenerator;
  /** Monte Carlo samples on each side. Default: 100,000. */
  samples?: number;
  /** Seed of both samplers (each draws its own stream). Default: 1. */
  seed?: number;
  /** Points of p_g's grid. Default: 4001. */
  gridPoints?: number;
}

function checkGenerator(g: CubicGenerator): void {
  if (!(g.b > 0 && g.c >= 0 && Number.isFinite(g.a) && Number.isFinite(g.c))) {
    throw new RangeError(
      `changeOfVariables: G(z) = a + b z + c z³ must be increasing (b > 0, c ≥ 0), got ${JSON.stringify(g)}`,
    );
  }
}

const G = (g: CubicGenerator, z: number): number => g.a + g.b * z + g.c * z ** 3;

/** G⁻¹(x) by bisection on [−1, 1] (G is increasing there). */
function inverse(g: CubicGenerator, x: number): number {
  let lo = -1;
  let hi = 1;
  for (let i = 0; i < 80; i++) {
    const mid = 0.5 * (lo + hi);
    if (G(g, mid) < x) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** p_g(x) = p_z(G⁻¹(x)) / G′(G⁻¹(x)) with p_z = 1/2 on [−1, 1]: the change-of-variables formula. */
export function cubicGeneratorDensity(g: CubicGenerator, xs: ArrayLike<number>): Float64Array {
  checkGenerator(g);
  const [lo, hi] = [G(g, -1), G(g, 1)];
  return Float64Array.from(xs, (x) => {
    if (x < lo || x > hi) return 0;
    const z = inverse(g, x);
    return 0.5 / (g.b + 3 * g.c * z * z);
  });
}

function meanWithError(values: Float64Array): McMean {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { value: mean, stdErr: Math.sqrt(ss / (n - 1) / n), n };
}

/**
 * E_z[log(1 − D(G(z)))] and E_{x∼p_g}[log(1 − D(x))] for a discriminator `d` (a function to (0, 1)), both by Monte
 * Carlo with their standard errors, and the integral by quadrature — the change of variables between GAN Eqs. (1)
 * and (3).
 *
 * @example With the hand-made discriminator of the notebook's §1
 * ```ts
 * import { changeOfVariables } from "@lib/gan/mod.ts";
 *
 * const r = changeOfVariables((x) => 1 / (1 + Math.exp(-1.5 * (x - 1.2))));
 * [r.viaZ.value, r.viaX.value, r.quadrature, r.zScore]; // two estimates within a few standard errors of each other
 * ```
 */
export function changeOfVariables(
  d: (x: number) => number,
  options: ChangeOfVariablesOptions = {},
): ChangeOfVariablesResult {
  const g = options.generator ?? CUBIC_GENERATOR;
  checkGenerator(g);
  const n = options.samples ?? 100_000;
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`changeOfVariables: samples must be an integer ≥ 2, got ${n}`);
  }
  const seed = options.seed ?? 1;
  const logOneMinusD = (x: number): number => {
    const v = d(x);
    if (!(v >= 0 && v < 1)) throw new RangeError(`changeOfVariables: D(${x}) = ${v} is not in [0, 1)`);
    return Math.log1p(-v);
  };
  // Through z: z ∼ U[−1, 1], x = G(z).
  const rngZ = seededRng(seed);
  const viaZ = meanWithError(Float64Array.from({ length: n }, () => logOneMinusD(G(g, -1 + 2 * rngZ()))));
  // Through x: p_g from the formula on a grid over its support, then inverse-CDF sampling (G is not called).
  const points = options.gridPoints ?? 4001;
  const support = makeGrid(G(g, -1), G(g, 1), points);
  const density = cubicGeneratorDensity(g, support.xs);
  const cdf = new Float64Array(points);
  for (let i = 1; i < points; i++) cdf[i] = cdf[i - 1] + 0.5 * (density[i - 1] + density[i]) * support.dx;
  const total = cdf[points - 1];
  const rngX = seededRng(seed + 7919);
  const drawX = (): number => {
    const u = rngX() * total;
    let lo = 0;
    let hi = points - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid;
      else hi = mid;
    }
    // Within the cell the density is linear: solve the quadratic CDF for x (a flat cell falls back to linear).
    const [p0, p1] = [density[lo], density[hi]];
    const r = u - cdf[lo];
    const slope = (p1 - p0) / support.dx;
    const t = Math.abs(slope) < 1e-12 ? r / p0 : (-p0 + Math.sqrt(Math.max(0, p0 * p0 + 2 * slope * r))) / slope;
    return support.xs[lo] + Math.min(Math.max(t, 0), support.dx);
  };
  const viaX = meanWithError(Float64Array.from({ length: n }, () => logOneMinusD(drawX())));
  const quadrature = integrate(
    Float64Array.from(support.xs, (x, i) => density[i] * logOneMinusD(x)),
    support.dx,
    points % 2 === 1 ? "simpson" : "trapezoid",
  );
  const zScore = Math.abs(viaZ.value - viaX.value) / Math.sqrt(viaZ.stdErr ** 2 + viaX.stdErr ** 2);
  return { viaZ, viaX, quadrature, zScore, grid: { xs: Float64Array.from(support.xs), density } };
}
