/**
 * Losses of GAN Algorithm 1 written with the discriminator's logit t (D = σ(t)), so that log D = −softplus(−t) and
 * log(1 − D) = −softplus(t) stay finite when D saturates.
 */
import * as tf from "@tensorflow/tfjs";

/** Which generator objective to use — GAN §3: minimise log(1 − D(G(z))) ("saturating") or maximise log D(G(z)). */
export type GeneratorLossKind = "saturating" | "non-saturating";

/**
 * Discriminator loss −[mean log D(x) + mean log(1 − D(G(z)))] = −V on a minibatch — GAN Algorithm 1 (D ascends V).
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits))) as tf.Scalar);
}

/**
 * Generator loss — GAN Algorithm 1 and §3: "saturating" is mean log(1 − D(G(z))) (the minimax objective, Eq. 1),
 * "non-saturating" is −mean log D(G(z)) (the paper's recommended substitute: stronger gradients early in learning).
 */
export function generatorLoss(fakeLogits: tf.Tensor, kind: GeneratorLossKind = "non-saturating"): tf.Scalar {
  return tf.tidy(() =>
    kind === "saturating"
      ? tf.neg(tf.mean(tf.softplus(fakeLogits))) as tf.Scalar
      : tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar
  );
}

/**
 * Generator-loss gradients by autodiff for given values of D(G(z)) — the saturation remark of GAN §3: log(1 − D) has
 * gradient −1/(1 − D) → −1 as D → 0, while −log D has −1/D → −∞, so only the non-saturating loss pushes hard when D
 * confidently rejects G's samples. Also returns the gradients with respect to the logit (what back-propagates into G):
 * −σ(t) = −D vs −(1 − D).
 */
export function generatorLossGradients(
  dValues: ArrayLike<number>,
): { wrtD: Record<GeneratorLossKind, Float64Array>; wrtLogit: Record<GeneratorLossKind, Float64Array> } {
  for (let i = 0; i < dValues.length; i++) {
    if (!(dValues[i] > 0 && dValues[i] < 1)) {
      throw new RangeError(`generatorLossGradients: D values must lie in (0, 1); index ${i} is ${dValues[i]}`);
    }
  }
  const n = dValues.length;
  const result = {
    wrtD: {} as Record<GeneratorLossKind, Float64Array>,
    wrtLogit: {} as Record<GeneratorLossKind, Float64Array>,
  };
  for (const kind of ["saturating", "non-saturating"] as const) {
    const [gD, gT] = tf.tidy(() => {
      const d = tf.tensor1d(Array.from(dValues), "float32");
      const t = tf.log(tf.div(d, tf.sub(1, d)));
      // n · loss so that each entry is the gradient of the per-sample loss
      const perSample = (logits: tf.Tensor): tf.Scalar => tf.mul(n, generatorLoss(logits, kind)) as tf.Scalar;
      const perSampleD = (dd: tf.Tensor): tf.Scalar => perSample(tf.log(tf.div(dd, tf.sub(1, dd))));
      return [tf.grad(perSampleD)(d), tf.grad(perSample)(t)];
    });
    result.wrtD[kind] = Float64Array.from(gD.dataSync());
    result.wrtLogit[kind] = Float64Array.from(gT.dataSync());
    gD.dispose();
    gT.dispose();
  }
  return result;
}
