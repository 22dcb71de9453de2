/** Numerically stable log-sum-exp and log-mean-exp, the core of the Parzen-window estimate of GAN §5, Table 1. */

/** log Σ exp(x_i) without overflow — used by the Parzen-window log-likelihood of GAN §5, Table 1. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) return NaN;
    if (xs[i] > max) max = xs[i];
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp(xs[i] - max);
  return max + Math.log(sum);
}

/** log( (1/n) Σ exp(x_i) ) — the mixture average in the Parzen-window estimate of GAN §5, Table 1. */
export function logMeanExp(xs: ArrayLike<number>): number {
  if (xs.length === 0) throw new RangeError("logMeanExp: needs at least one value, got an empty array");
  return logSumExp(xs) - Math.log(xs.length);
}
