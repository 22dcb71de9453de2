/**
 * The optimal discriminator and the virtual training criterion — GAN §4.1, Proposition 1 (D*_G = p_data/(p_data + p_g))
 * and Theorem 1 (C(G) = max_D V(G, D) = −log 4 + 2·JSD(p_data‖p_g)).
 */
import { integrate, jsDivergence, klDivergence, midpoint } from "../math/mod.ts";

/**
 * Optimal discriminator D*_G(x) = p_data(x)/(p_data(x) + p_g(x)) — GAN §4.1, Proposition 1, Eq. (2). 1/2 where both
 * are 0.
 */
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

/** log D = log σ(t) = −log(1 + e^{−t}) without overflow, for a discriminator given by its logit — GAN §4.1, Eq. (3). */
export function logSigmoid(t: number): number {
  return -(Math.max(-t, 0) + Math.log1p(Math.exp(-Math.abs(t))));
}

/**
 * Proposition 1 (GAN §4.1) in logit form: the logit t maximising a·log σ(t) + b·log σ(−t) (i.e. a·log D + b·log(1 − D)
 * with D = σ(t)), found numerically by setting the derivative a·σ(−t) − b·σ(t) to zero with bisection — the pointwise
 * maximisation in the proof of GAN §4.1, Proposition 1 (closed form t = log(a/b)). Working with the logit keeps log D
 * and log(1 − D) finite where D rounds to 0 or 1.
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

/** argmax_{y∈[0,1]} a·log y + b·log(1 − y), numerically — GAN §4.1, Proposition 1 (closed form a/(a + b)). */
export function maximizePointwise(a: number, b: number): number {
  const t = maximizePointwiseLogit(a, b);
  return 1 / (1 + Math.exp(-t));
}

/** D maximising the integrand of V pointwise, found numerically — GAN §4.1, Proposition 1 without the closed form. */
export function numericalOptimalDiscriminator(pData: ArrayLike<number>, pG: ArrayLike<number>): Float64Array {
  if (pData.length !== pG.length) {
    throw new RangeError(`numericalOptimalDiscriminator: lengths differ (${pData.length} vs ${pG.length})`);
  }
  const out = new Float64Array(pData.length);
  for (let i = 0; i < out.length; i++) out[i] = maximizePointwise(pData[i], pG[i]);
  return out;
}

/**
 * C(G) = max_D V(G, D), computed by maximising the integrand pointwise numerically and integrating — GAN §4.1, Eq. (4).
 * Equals −log 4 + 2·JSD up to how well the quadrature integrates p_data and p_g to one on the grid (smooth densities
 * well inside the grid: to ~1e-9; densities with jumps such as a uniform: to O(dx)).
 */
export function virtualCriterion(pData: ArrayLike<number>, pG: ArrayLike<number>, dx: number): number {
  if (pData.length !== pG.length) {
    throw new RangeError(`virtualCriterion: lengths differ (${pData.length} vs ${pG.length})`);
  }
  const f = new Float64Array(pData.length);
  for (let i = 0; i < f.length; i++) {
    const t = maximizePointwiseLogit(pData[i], pG[i]);
    f[i] = (pData[i] === 0 ? 0 : pData[i] * logSigmoid(t)) + (pG[i] === 0 ? 0 : pG[i] * logSigmoid(-t));
  }
  return integrate(f, dx, f.length % 2 === 1 ? "simpson" : "trapezoid");
}

/** The terms of the KL form of C(G) — GAN §4.1, Theorem 1, Eq. (5): KL(p_data‖m), KL(p_g‖m), m = (p_data + p_g)/2. */
export interface TheoremOneTerms {
  /** KL(p_data ‖ (p_data + p_g)/2) in nats. */
  klData: number;
  /** KL(p_g ‖ (p_data + p_g)/2) in nats. */
  klG: number;
  /** JSD(p_data ‖ p_g) in nats. */
  jsd: number;
  /** −log 4 + klData + klG (Eq. 5). */
  fromKl: number;
  /** −log 4 + 2·jsd (Eq. 6). */
  fromJsd: number;
}

/** −log 4 + KL(p_data‖m) + KL(p_g‖m) = −log 4 + 2·JSD(p_data‖p_g), term by term — GAN §4.1, Theorem 1, Eqs. (5)–(6). */
export function theoremOneTerms(pData: ArrayLike<number>, pG: ArrayLike<number>, dx: number): TheoremOneTerms {
  const m = midpoint(pData, pG);
  const klData = klDivergence(pData, m, dx);
  const klG = klDivergence(pG, m, dx);
  const jsd = jsDivergence(pData, pG, dx);
  return { klData, klG, jsd, fromKl: -Math.log(4) + klData + klG, fromJsd: -Math.log(4) + 2 * jsd };
}
