/**
 * GAN §4.2, Proposition 2: "If G and D have enough capacity, and at each step of Algorithm 1, the discriminator is
 * allowed to reach its optimum given G, and p_g is updated so as to improve the criterion
 * E_{x∼p_data}[log D*_G(x)] + E_{x∼p_g}[log(1 − D*_G(x))], then p_g converges to p_data."
 *
 * The proof's step, computed on a 1-D grid: with D* = p_data/(p_data + p_g) recomputed at every step (Eq. 2), the
 * derivative of V(G, D*) with respect to p_g(x) is log(1 − D*(x)) (D* is optimal, so the dependence of D* on p_g adds
 * nothing: the subderivative of a supremum at its maximiser, as the proof says). p_g takes a gradient step in its log
 * density, log p_g ← log p_g − η·log(1 − D*) − log Z, which keeps it a density (Z renormalises on the grid). C(G) is
 * convex in p_g, so with a small enough step it never rises and falls to its minimum −log 4 (Theorem 1).
 */
import { integrate, jsDivergence } from "../math/mod.ts";
import { optimalDiscriminator } from "./optimal_discriminator.ts";
import { valueQuadrature } from "./value_function.ts";

/** Options of {@link proposition2Descent}. */
export interface Proposition2Options {
  /** Gradient steps on p_g. Default: 60. */
  steps?: number;
  /** Step size η of the update in the log density. Default: 0.5. */
  stepSize?: number;
  /** Keep p_g on the grid at these step numbers (0 = the start). Default: none. */
  keepAt?: readonly number[];
}

/** What {@link proposition2Descent} returns: the criterion along the descent. */
export interface Proposition2Result {
  /** Step numbers 0..steps. */
  steps: number[];
  /** C(G) = V(G, D*_G) at each step, by quadrature with D* recomputed from the current p_g. */
  criterion: number[];
  /** JSD(p_data‖p_g) in nats at each step. */
  jsd: number[];
  /** The largest rise of C(G) between consecutive steps (≤ 0 when it never rose). */
  largestRise: number;
  /** Whether C(G) never rose by more than 1e-12 (rounding) between steps. */
  nonIncreasing: boolean;
  /** C(G) at the last step minus −log 4: how far from Theorem 1's minimum the descent ended. */
  endGap: number;
  /** p_g on the grid at the steps of `keepAt`. */
  kept: { step: number; pG: Float64Array }[];
}

/**
 * Gradient descent on C(G) over p_g on a grid, with the optimal discriminator recomputed each step — §4.2,
 * Proposition 2. `pData` and `pG0` are densities on a uniform grid of spacing `dx` (p_g0 > 0 wherever p_data > 0).
 *
 * @example From p_g = N(0.5, 1) to p_data = N(2, 0.5²)
 * ```ts
 * import { proposition2Descent } from "@lib/gan/mod.ts";
 * import { grid, normal, pdfOn } from "@lib/math/mod.ts";
 *
 * const g = grid(-6, 8, 1401);
 * const run = proposition2Descent(pdfOn(normal(2, 0.5), g.xs), pdfOn(normal(0.5, 1), g.xs), { dx: g.dx });
 * [run.nonIncreasing, run.endGap]; // [true, ~1e-9]
 * ```
 */
export function proposition2Descent(
  pData: ArrayLike<number>,
  pG0: ArrayLike<number>,
  options: Proposition2Options & { dx: number },
): Proposition2Result {
  const { dx } = options;
  const steps = options.steps ?? 60;
  const eta = options.stepSize ?? 0.5;
  if (pData.length !== pG0.length) {
    throw new RangeError(`proposition2Descent: p_data and p_g lengths differ (${pData.length} vs ${pG0.length})`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`proposition2Descent: steps must be an integer ≥ 1, got ${steps}`);
  }
  if (!(eta > 0 && eta <= 1)) throw new RangeError(`proposition2Descent: stepSize must be in (0, 1], got ${eta}`);
  if (!(dx > 0)) throw new RangeError(`proposition2Descent: dx must be positive, got ${dx}`);
  for (let i = 0; i < pData.length; i++) {
    if (!(pG0[i] >= 0) || !(pData[i] >= 0)) {
      throw new RangeError(`proposition2Descent: densities must be finite and ≥ 0 (index ${i})`);
    }
    if (pData[i] > 0 && pG0[i] === 0) {
      throw new RangeError(
        `proposition2Descent: p_g is 0 at index ${i} where p_data is not; a step in log p_g cannot move mass there`,
      );
    }
  }
  const keep = new Set(options.keepAt ?? []);
  const rule = pData.length % 2 === 1 ? "simpson" : "trapezoid";
  let pG = normalise(Float64Array.from(pG0), dx, rule);
  const result: Proposition2Result = {
    steps: [],
    criterion: [],
    jsd: [],
    largestRise: -Infinity,
    nonIncreasing: true,
    endGap: NaN,
    kept: [],
  };
  for (let t = 0; t <= steps; t++) {
    const dStar = optimalDiscriminator(pData, pG); // Eq. (2), recomputed for the current p_g
    result.steps.push(t);
    result.criterion.push(valueQuadrature(pData, pG, dStar, dx));
    result.jsd.push(jsDivergence(pData, pG, dx));
    if (keep.has(t)) result.kept.push({ step: t, pG: Float64Array.from(pG) });
    if (t === steps) break;
    // ∂V(G, D*)/∂p_g(x) = log(1 − D*(x)); the step in log p_g, then renormalise.
    const next = new Float64Array(pG.length);
    for (let i = 0; i < pG.length; i++) {
      next[i] = pG[i] === 0 ? 0 : pG[i] * Math.exp(-eta * Math.log(1 - dStar[i]));
    }
    pG = normalise(next, dx, rule);
  }
  const c = result.criterion;
  for (let t = 1; t < c.length; t++) result.largestRise = Math.max(result.largestRise, c[t] - c[t - 1]);
  result.nonIncreasing = result.largestRise <= 1e-12;
  result.endGap = c[c.length - 1] + Math.log(4);
  return result;
}

function normalise(p: Float64Array, dx: number, rule: "simpson" | "trapezoid"): Float64Array {
  const z = integrate(p, dx, rule);
  if (!(z > 0)) throw new RangeError("proposition2Descent: p_g integrates to 0 on the grid");
  return p.map((v) => v / z);
}
