/**
 * The losses of GAN Algorithm 1, from the value function of Eq. (1), written with the discriminator's logit t
 * (D = σ(t)) so that log D = −softplus(−t) and log(1 − D) = −softplus(t) stay finite when D saturates.
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
