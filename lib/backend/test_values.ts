/**
 * Deterministic pseudo-random values in [-1, 1) from a linear congruential generator: inputs for the kernel and
 * training tests, the same on every machine. A test helper, not exported from mod.ts.
 */
export function lcgValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Largest |a − b| relative to the largest |b|: values near zero make an elementwise ratio meaningless. `floor` bounds
 * the scale from below, so that outputs that are all (nearly) zero compare by absolute difference.
 */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  if (a.length !== b.length) throw new RangeError(`relError: ${a.length} values against ${b.length}`);
  let err = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / Math.max(scale, floor);
}
