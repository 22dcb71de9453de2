/**
 * One ResNet-20 training step on CIFAR-shaped input (ResNet §4.2: 32×32×3 images, momentum SGD with weight decay),
 * the unit the benchmark times on every backend, with lib/resnet's network and lib/backend's StepTrainer.
 */
import * as tf from "@tensorflow/tfjs";
import { StepTrainer } from "../lib/backend/mod.ts";
import { cifarResNet } from "../lib/resnet/mod.ts";
import { lcgValues } from "../lib/backend/lcg.ts";

export { lcgValues };

/** A ResNet with its optimiser and a fixed random batch, ready to step. */
export interface ResNetStepper {
  /** One forward + backward + update; returns the loss. */
  step(): number;
  /** One forward pass in inference mode (waits for the result). */
  infer(): void;
  dispose(): void;
}

/** Labels 0, 1, …, 9, 0, 1, … of a batch. */
export function cyclicLabels(batch: number): Int32Array {
  return Int32Array.from({ length: batch }, (_, i) => i % 10);
}

/** Builds a CIFAR ResNet (option A shortcuts) of `depth` on the current backend with a batch of random images. */
export function resnetStepper(batch: number, depth = 20): ResNetStepper {
  const model = cifarResNet({ depth });
  const x = tf.tensor4d(lcgValues(batch * 32 * 32 * 3, 1), [batch, 32, 32, 3]);
  const y = tf.tensor1d(cyclicLabels(batch), "int32");
  const trainer = new StepTrainer(model, { optimizer: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } });
  return {
    step: () => trainer.step(x, y, 0.01),
    infer(): void {
      tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    },
    dispose(): void {
      tf.dispose([x, y]);
      trainer.dispose();
      model.dispose();
    },
  };
}
