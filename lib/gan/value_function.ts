/**
 * The GAN value function V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 − D(G(z)))] — GAN §3, Eq. (1) — estimated
 * by Monte Carlo from samples and by quadrature from densities on a grid (the integral form of §4.1, Eq. (3)).
 */
import { integrate, type QuadratureRule } from "../math/mod.ts";

function checkProbabilities(d: ArrayLike<number>, who: string): void {
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1)) {
      throw new RangeError(`${who}: discriminator outputs must lie in [0, 1]; index ${i} is ${d[i]}`);
    }
  }
}

function meanLog(values: ArrayLike<number>, complement: boolean): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.log(complement ? 1 - values[i] : values[i]);
  return s / values.length;
}

/**
 * Monte Carlo estimate of V(D, G) — GAN §3, Eq. (1): mean log D(x) over data samples plus mean log(1 − D(G(z))) over
 * generated samples. Pass D already evaluated on each set.
 */
export function valueMonteCarlo(dOnData: ArrayLike<number>, dOnGenerated: ArrayLike<number>): number {
  if (dOnData.length === 0 || dOnGenerated.length === 0) {
    throw new RangeError(
      `valueMonteCarlo: needs samples of both kinds, got ${dOnData.length} data and ${dOnGenerated.length} generated`,
    );
  }
  checkProbabilities(dOnData, "valueMonteCarlo (data)");
  checkProbabilities(dOnGenerated, "valueMonteCarlo (generated)");
  return meanLog(dOnData, false) + meanLog(dOnGenerated, true);
}

/** A Monte Carlo estimate with its standard error. */
export interface MonteCarloEstimate {
  /** The estimate of V(D, G). */
  value: number;
  /** Its standard error: √(Var log D(x)/n + Var log(1 − D(G(z)))/n'). */
  stdErr: number;
}

function varianceOfLogs(values: ArrayLike<number>, complement: boolean): number {
  const n = values.length;
  const mean = meanLog(values, complement);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (Math.log(complement ? 1 - values[i] : values[i]) - mean) ** 2;
  return n > 1 ? ss / (n - 1) : 0;
}

/** Monte Carlo estimate of V(D, G) with its standard error — GAN §3, Eq. (1), as a sample mean over minibatches. */
export function valueMonteCarloEstimate(
  dOnData: ArrayLike<number>,
  dOnGenerated: ArrayLike<number>,
): MonteCarloEstimate {
  const value = valueMonteCarlo(dOnData, dOnGenerated);
  const stdErr = Math.sqrt(
    varianceOfLogs(dOnData, false) / dOnData.length + varianceOfLogs(dOnGenerated, true) / dOnGenerated.length,
  );
  return { value, stdErr };
}

/**
 * The integrand p_data(x) log D(x) + p_g(x) log(1 − D(x)) of GAN §4.1, Eq. (3), pointwise on a grid (0·log 0 = 0).
 */
export function valueIntegrand(
  pData: ArrayLike<number>,
  pG: ArrayLike<number>,
  d: ArrayLike<number>,
): Float64Array {
  if (pData.length !== pG.length || pG.length !== d.length) {
    throw new RangeError(
      `valueIntegrand: p_data, p_g and D must share one grid, got lengths ${pData.length}, ${pG.length}, ${d.length}`,
    );
  }
  checkProbabilities(d, "valueIntegrand");
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const a = pData[i] === 0 ? 0 : pData[i] * Math.log(d[i]);
    const b = pG[i] === 0 ? 0 : pG[i] * Math.log(1 - d[i]);
    out[i] = a + b;
  }
  return out;
}

/** V(G, D) = ∫ p_data log D + p_g log(1 − D) dx by quadrature on a uniform grid — GAN §4.1, Eq. (3). */
export function valueQuadrature(
  pData: ArrayLike<number>,
  pG: ArrayLike<number>,
  d: ArrayLike<number>,
  dx: number,
  options: { rule?: QuadratureRule } = {},
): number {
  const f = valueIntegrand(pData, pG, d);
  const rule = (options.rule ?? "simpson") === "simpson" && f.length % 2 === 1 ? "simpson" : "trapezoid";
  return integrate(f, dx, rule);
}
