/**
 * One GAN training iteration of Algorithm 1 (GAN §4, k = 1): a discriminator step on real and generated minibatches,
 * then a generator step with the non-saturating loss, on the paper's MNIST-sized MLP nets (GAN §5) from lib/gan.
 */
import * as tf from "@tensorflow/tfjs";
import { buildImageDiscriminator, buildImageGenerator, discriminatorStep, generatorLoss } from "../lib/gan/mod.ts";
import { TrainStep } from "../lib/train/mod.ts";
import { lcgValues } from "./resnet_step.ts";

/** A GAN with optimisers and a fixed "real" minibatch, ready to step. */
export interface GanStepper {
  /** One D step then one G step; returns the discriminator loss. */
  step(): number;
  dispose(): void;
}

/** Builds the MNIST-sized generator and discriminator with SGD-momentum optimisers at minibatch `batch`. */
export function ganStepper(batch: number): GanStepper {
  const g = buildImageGenerator();
  const d = buildImageDiscriminator();
  const real = tf.tensor2d(lcgValues(batch * 784, 3).map((v) => (v + 1) / 2), [batch, 784]);
  const dOpt = tf.train.momentum(0.1, 0.5);
  const gOpt = tf.train.momentum(0.1, 0.5);
  const gStep = TrainStep.forModel(g, { optimizer: gOpt });
  return {
    step(): number {
      const z = tf.randomUniform([batch, 100], -1, 1);
      const fake = g.predict(z) as tf.Tensor;
      const { dLoss } = discriminatorStep(d, real, fake, dOpt);
      const cost = gStep.step(() =>
        generatorLoss(d.apply(g.apply(z, { training: true }), { training: true }) as tf.Tensor)
      );
      cost.dataSync();
      tf.dispose([z, fake, cost]);
      return dLoss;
    },
    dispose(): void {
      tf.dispose(real);
      dOpt.dispose();
      gOpt.dispose();
      g.dispose();
      d.dispose();
    },
  };
}
