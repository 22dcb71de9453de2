/**
 * Seeded pseudo-random numbers for reproducible experiments (fixed seeds, not picked results).
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * Seeded uniform generator (mulberry32) — reproducibility aid for the Monte Carlo estimates of GAN §3, Eq. (1).
 */
export function seededRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRng: seed must be a finite number, got ${seed}`);
  let a = Math.floor(seed) >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by the Box–Muller transform — the noise prior p_z of GAN §3 when it is Gaussian. */
export function standardNormals(n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - rng(); // in (0, 1]
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** Uniform draws in [low, high) — the uniform noise prior p_z of GAN §3 / Figure 1. */
export function uniforms(n: number, rng: Rng, low = 0, high = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = low + (high - low) * rng();
  return out;
}
