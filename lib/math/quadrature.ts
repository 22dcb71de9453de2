/** Grids and quadrature rules for the integrals of GAN §4.1 (V(G,D) = ∫ p_data log D + p_g log(1 − D) dx). */

/** A uniform 1-D grid: points x_0 … x_{n−1} from `low` to `high` and the spacing dx. */
export interface Grid {
  xs: Float64Array;
  dx: number;
}

/** n evenly spaced points from low to high inclusive — the integration grid for GAN §4.1. */
export function linspace(low: number, high: number, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`linspace: n must be an integer ≥ 2, got ${n}`);
  if (!(high > low)) throw new RangeError(`linspace: need high > low, got low=${low}, high=${high}`);
  const out = new Float64Array(n);
  const dx = (high - low) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = low + i * dx;
  out[n - 1] = high;
  return out;
}

/** A uniform grid with its spacing — integration domain for the integrals of GAN §4.1. */
export function grid(low: number, high: number, n: number): Grid {
  const xs = linspace(low, high, n);
  return { xs, dx: (high - low) / (n - 1) };
}

function checkSpacing(ys: ArrayLike<number>, dx: number, who: string): void {
  if (!(dx > 0) || !Number.isFinite(dx)) throw new RangeError(`${who}: dx must be positive and finite, got ${dx}`);
  if (ys.length < 2) throw new RangeError(`${who}: needs at least 2 samples, got ${ys.length}`);
}

/** Trapezoid rule ∫ y dx on a uniform grid — quadrature for V(G,D) in GAN §4.1. */
export function trapezoid(ys: ArrayLike<number>, dx: number): number {
  checkSpacing(ys, dx, "trapezoid");
  let s = 0.5 * (ys[0] + ys[ys.length - 1]);
  for (let i = 1; i < ys.length - 1; i++) s += ys[i];
  return s * dx;
}

/** Composite Simpson rule ∫ y dx on a uniform grid with an odd number of points — quadrature for GAN §4.1. */
export function simpson(ys: ArrayLike<number>, dx: number): number {
  checkSpacing(ys, dx, "simpson");
  const n = ys.length;
  if (n % 2 === 0) {
    throw new RangeError(`simpson: needs an odd number of grid points (even number of intervals), got ${n}`);
  }
  let s = ys[0] + ys[n - 1];
  for (let i = 1; i < n - 1; i++) s += (i % 2 === 1 ? 4 : 2) * ys[i];
  return (s * dx) / 3;
}

/** The quadrature rules available to {@link integrate}. */
export type QuadratureRule = "trapezoid" | "simpson";

/** ∫ y dx on a uniform grid with the chosen rule (Simpson by default) — quadrature for GAN §4.1. */
export function integrate(ys: ArrayLike<number>, dx: number, rule: QuadratureRule = "simpson"): number {
  return rule === "simpson" ? simpson(ys, dx) : trapezoid(ys, dx);
}

/** Applies f at every grid point — evaluates a density or integrand of GAN §4.1 on a grid. */
export function mapGrid(xs: ArrayLike<number>, f: (x: number) => number): Float64Array {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = f(xs[i]);
  return out;
}
