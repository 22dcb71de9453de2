/** Numerically stable log-sum-exp and log-mean-exp, the core of the Parzen-window estimate of GAN §5, Table 1. */

/** Math.exp(x) is exactly 0 for every double x below this (the smallest subnormal is exp(−744.44)). */
const EXP_IS_ZERO_BELOW = -746;

/** log Σ exp(x_i) without overflow — used by the Parzen-window log-likelihood of GAN §5, Table 1. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) return NaN;
    if (xs[i] > max) max = xs[i];
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const e = xs[i] - max;
    // exp of anything below −745.2 is 0 in double: skipping the call leaves the sum as it was, bit for bit. A Parzen
    // window of small σ (GAN §5, Table 1) puts most samples there, so most calls are skipped.
    if (e > EXP_IS_ZERO_BELOW) sum += Math.exp(e);
  }
  return max + Math.log(sum);
}

/** log( (1/n) Σ exp(x_i) ) — the mixture average in the Parzen-window estimate of GAN §5, Table 1. */
export function logMeanExp(xs: ArrayLike<number>): number {
  if (xs.length === 0) throw new RangeError("logMeanExp: needs at least one value, got an empty array");
  return logSumExp(xs) - Math.log(xs.length);
}
