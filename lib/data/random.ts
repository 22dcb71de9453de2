/** Seeded shuffling for reproducible mini-batches and augmentation. */

import { type Rng, seededRng } from "../math/random.ts";

export type { Rng } from "../math/random.ts";

/**
 * A seeded uniform generator on [0, 1) — reproducibility of the shuffles behind ResNet §3.4's SGD mini-batches.
 * The same mulberry32 generator as lib/math's `seededRng`, on a seed mixed with the golden-ratio constant so data
 * order and model noise drawn from the same seed number are different streams.
 */
export function seededRandom(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRandom: seed must be a finite number, got ${seed}`);
  return seededRng((Math.trunc(seed) ^ 0x9e3779b9) >>> 0);
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
