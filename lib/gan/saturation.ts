/**
 * The saturation remark of GAN §3: "Early in learning, when G is poor, D can reject samples with high confidence …
 * log(1 − D(G(z))) saturates. Rather than training G to minimize log(1 − D(G(z))) we can train G to maximize
 * log D(G(z))." Here as the two losses' gradients against D(G(z)) (autodiff), and as gradient norms of real networks
 * once a trained D rejects G's samples.
 */
import * as tf from "@tensorflow/tfjs";
import type { Density1D } from "../math/mod.ts";
import { Progress } from "../display/mod.ts";
import { trainDiscriminator, variablesOf } from "./algorithm1.ts";
import { generatorLoss, type GeneratorLossKind } from "./losses.ts";
import { buildDiscriminator, buildGenerator, type DiscriminatorOptions, type GeneratorOptions } from "./models.ts";
import { checkSeeds, SEED_OFFSET } from "./seeds.ts";
import { densitySampler, uniformNoiseSampler } from "./toy.ts";

/**
 * Generator-loss gradients by autodiff for given values of D(G(z)): log(1 − D) has gradient −1/(1 − D) → −1 as
 * D → 0, while −log D has −1/D → −∞, so only the non-saturating loss pushes hard when D confidently rejects G's
 * samples. Also returns the gradients with respect to the logit t (what back-propagates into G): −σ(t) = −D for the
 * saturating loss vs −(1 − D).
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

/**
 * The global L2 norm of G's parameter gradient for one minibatch of noise under either generator loss: when D rejects
 * G's samples, log(1 − D(G(z))) gives a much smaller gradient than −log D(G(z)).
 */
export function generatorGradientNorm(
  generator: tf.LayersModel,
  discriminator: tf.LayersModel,
  z: tf.Tensor,
  kind: GeneratorLossKind,
): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => generatorLoss(discriminator.apply(generator.apply(z)) as tf.Tensor, kind),
      variablesOf(generator),
    );
    value.dispose();
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return Math.sqrt(tf.addN(squares).dataSync()[0]);
  });
}

/** One row of {@link measureSaturation}. */
export interface SaturationRow {
  seed: number;
  /** Mean D(G(z)) on the last pre-training minibatch. */
  dFake: number;
  /** ‖∇θ_g‖ of the saturating loss log(1 − D(G(z))). */
  saturating: number;
  /** ‖∇θ_g‖ of the non-saturating loss −log D(G(z)). */
  nonSaturating: number;
}

/** Options of {@link measureSaturation}. */
export interface SaturationOptions {
  /** Discriminator updates against the fresh generator. Default: 200. */
  dSteps?: number;
  /** Noise samples of the minibatch on which both gradients are measured. Default: 256. */
  batchSize?: number;
  /** Generator architecture (1-D noise). Default: buildGenerator's. */
  generator?: GeneratorOptions;
  /** Discriminator architecture. Default: buildDiscriminator's. */
  discriminator?: DiscriminatorOptions;
}

/**
 * The saturation remark measured on networks: for each seed, train D against a fresh 1-D generator until it rejects
 * G's samples, then compare both generator losses' gradient norms on one noise minibatch. Shows a progress bar.
 */
export async function measureSaturation(
  pData: Density1D,
  seeds: number[],
  options: SaturationOptions = {},
): Promise<SaturationRow[]> {
  checkSeeds(seeds, "measureSaturation");
  const dSteps = options.dSteps ?? 200;
  const bar = new Progress(seeds.length * dSteps, { label: "pre-train D" });
  const rows: SaturationRow[] = [];
  for (const [i, seed] of seeds.entries()) {
    const G = buildGenerator({ seed, ...options.generator, noiseDim: 1 });
    const D = buildDiscriminator({ seed: seed + SEED_OFFSET.discriminator, ...options.discriminator, inputDim: 1 });
    const noise = uniformNoiseSampler(1, seed + SEED_OFFSET.noise);
    try {
      const pre = await trainDiscriminator(D, {
        steps: dSteps,
        sampleData: densitySampler(pData, seed),
        sampleGenerated: (m) => tf.tidy(() => G.predict(noise(m)) as tf.Tensor),
        onStep: (s) => bar.update(i * dSteps + s),
      });
      const z = noise(options.batchSize ?? 256);
      rows.push({
        seed,
        dFake: pre[pre.length - 1].dFake,
        saturating: generatorGradientNorm(G, D, z, "saturating"),
        nonSaturating: generatorGradientNorm(G, D, z, "non-saturating"),
      });
      z.dispose();
    } finally {
      G.dispose();
      D.dispose();
    }
  }
  await bar.finish();
  return rows;
}
