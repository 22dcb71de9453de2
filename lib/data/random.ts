/**
 * Seeded pseudo-random numbers for reproducible shuffling and augmentation (mulberry32: a 32-bit state, period 2^32).
 */

/** A function returning uniform numbers in [0, 1), reproducible from its seed. */
export type Rng = () => number;

/** A seeded uniform generator on [0, 1) — reproducibility of the shuffles behind ResNet §3.4's SGD mini-batches. */
export function seededRandom(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRandom: seed must be a finite number, got ${seed}`);
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random permutation of 0..n-1 (Fisher–Yates) — the per-epoch shuffle of ResNet §3.4. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
