/**
 * Seeded pseudo-random numbers for reproducible experiments (fixed seeds, not picked results).
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * A seeded generator whose whole state can be read and restored: a long run's checkpoint saves it, and the resumed
 * run draws exactly the numbers the uninterrupted run would have drawn (mulberry32's state is one 32-bit integer).
 */
export interface SeededRng extends Rng {
  /** The generator's state now: an integer in [0, 2^32). */
  state(): number;
  /** Continues from a state {@link state} returned. */
  setState(state: number): void;
}

/**
 * Seeded uniform generator (mulberry32) — reproducibility aid for the Monte Carlo estimates of GAN §3, Eq. (1), and
 * the minibatch and noise streams of Algorithm 1, whose state a checkpoint keeps.
 */
export function seededRng(seed: number): SeededRng {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRng: seed must be a finite number, got ${seed}`);
  let a = Math.floor(seed) >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, {
    state: () => a,
    setState(state: number): void {
      if (!Number.isInteger(state) || state < 0 || state >= 2 ** 32) {
        throw new RangeError(`seededRng.setState: a state is an integer in [0, 2^32), got ${state}`);
      }
      a = state;
    },
  });
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
