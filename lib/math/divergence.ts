/**
 * KL and Jensen–Shannon divergences between densities sampled on a uniform grid — the quantities of GAN §4.1, Theorem 1
 * (C(G) = −log 4 + KL(p_data‖m) + KL(p_g‖m) = −log 4 + 2·JSD(p_data‖p_g), m = (p_data + p_g)/2).
 */
import { integrate, type QuadratureRule } from "./quadrature.ts";

/** The unit of a divergence: natural log (nats, as in the paper) or log base 2 (bits, JSD ≤ 1). */
export type InfoUnit = "nats" | "bits";

/** Options for the grid divergences. */
export interface DivergenceOptions {
  /** Unit of the result. Default: "nats" (the paper's −log 4 is in nats). */
  unit?: InfoUnit;
  /** Quadrature rule. Default: "simpson" (needs an odd number of points; falls back to trapezoid otherwise). */
  rule?: QuadratureRule;
}

function checkPair(p: ArrayLike<number>, q: ArrayLike<number>, who: string): void {
  if (p.length !== q.length) {
    throw new RangeError(`${who}: p and q must be on the same grid, got lengths ${p.length} and ${q.length}`);
  }
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0) || !(q[i] >= 0)) {
      throw new RangeError(`${who}: densities must be non-negative; index ${i} has p=${p[i]}, q=${q[i]}`);
    }
  }
}

function ruleFor(n: number, rule: QuadratureRule | undefined): QuadratureRule {
  return (rule ?? "simpson") === "simpson" && n % 2 === 1 ? "simpson" : "trapezoid";
}

function scale(nats: number, unit: InfoUnit | undefined): number {
  return unit === "bits" ? nats / Math.LN2 : nats;
}

/** Pointwise p log(p/q) with 0 log 0 = 0 — the integrand of KL in GAN §4.1, Theorem 1. */
export function klIntegrand(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  checkPair(p, q, "klIntegrand");
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    out[i] = p[i] === 0 ? 0 : q[i] === 0 ? Infinity : p[i] * Math.log(p[i] / q[i]);
  }
  return out;
}

/** KL(p‖q) = ∫ p log(p/q) dx on a uniform grid — the KL terms of GAN §4.1, Theorem 1 (Eq. 5). */
export function klDivergence(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  dx: number,
  options: DivergenceOptions = {},
): number {
  const f = klIntegrand(p, q);
  return scale(integrate(f, dx, ruleFor(f.length, options.rule)), options.unit);
}

/** The mixture m = (p + q)/2 — the reference density of the JSD in GAN §4.1, Theorem 1. */
export function midpoint(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  checkPair(p, q, "midpoint");
  const m = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) m[i] = 0.5 * (p[i] + q[i]);
  return m;
}

/**
 * JSD(p‖q) = ½KL(p‖m) + ½KL(q‖m), m = (p+q)/2 — GAN §4.1, Theorem 1 (Eq. 6). Symmetric, 0 iff p = q, ≤ log 2 nats
 * (≤ 1 bit).
 */
export function jsDivergence(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  dx: number,
  options: DivergenceOptions = {},
): number {
  const m = midpoint(p, q);
  const f = new Float64Array(p.length);
  const kp = klIntegrand(p, m);
  const kq = klIntegrand(q, m);
  for (let i = 0; i < f.length; i++) f[i] = 0.5 * (kp[i] + kq[i]);
  return scale(integrate(f, dx, ruleFor(f.length, options.rule)), options.unit);
}
