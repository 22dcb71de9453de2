/** Sample moments: pure functions over numbers. */

/**
 * Sample mean and unbiased variance (divisor n − 1) — the spread behind GAN §5's "mean ± s.e." (Table 1) and the
 * kernel bandwidth of the Figure 1 density estimate. Needs at least two values; `caller` names the function in the
 * error.
 */
export function sampleMeanVariance(values: ArrayLike<number>, caller = "sampleMeanVariance"): {
  mean: number;
  variance: number;
} {
  const n = values.length;
  if (n < 2) throw new RangeError(`${caller}: needs at least 2 values, got ${n}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, variance: ss / (n - 1) };
}
