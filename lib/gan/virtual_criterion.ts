/**
 * GAN §4.1, Theorem 1: the virtual training criterion C(G) = max_D V(G, D) (Eq. 4) reaches its global minimum −log 4
 * if and only if p_g = p_data, since C(G) = −log 4 + KL(p_data‖m) + KL(p_g‖m) = −log 4 + 2·JSD(p_data‖p_g) with
 * m = (p_data + p_g)/2 (Eqs. 5–6). C(G) is computed here without using D*'s closed form, then compared with the JSD.
 */
import { integrate, jsDivergence, klDivergence, midpoint } from "../math/mod.ts";
import { maximizePointwiseLogit } from "./optimal_discriminator.ts";

/** log σ(t) = −log(1 + e^{−t}) without overflow: log D for a discriminator given by its logit t. */
export function logSigmoid(t: number): number {
  return -(Math.max(-t, 0) + Math.log1p(Math.exp(-Math.abs(t))));
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
