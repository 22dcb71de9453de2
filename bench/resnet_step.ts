/**
 * One ResNet-20 training step on CIFAR-shaped input (ResNet §4.2: 32×32×3 images, momentum SGD with weight decay),
 * the unit the benchmark times on every backend, with lib/resnet's network and lib/train's TrainStep.
 */
import * as tf from "@tensorflow/tfjs";
import { cifarResNet, type CifarResNetOptions } from "../lib/resnet/mod.ts";
import { foldedInference, supervisedLoss, TrainStep } from "../lib/train/mod.ts";
import { lcgValues } from "../lib/backend/test_values.ts";

/** The benchmark's inputs: the tests' deterministic values in [-1, 1), the same on every machine and in every run. */
export { lcgValues };

/** A ResNet with its optimiser and a fixed random batch, ready to step. */
export interface ResNetStepper {
  /** One forward + backward + update; returns the loss. */
  step(): number;
  /**
   * One forward pass in inference mode as evaluateModel runs it: batch norm folded into the convolutions, with the
   * ReLU and shortcut addition in their epilogue (waits for the result).
   */
  infer(): void;
  /** The same pass through tf.layers, layer by layer (`model.predict`: conv, BN, Add, Relu each on its own). */
  inferUnfolded(): void;
  dispose(): void;
}

/** Labels 0, 1, …, 9, 0, 1, … of a batch. */
export function cyclicLabels(batch: number): Int32Array {
  return Int32Array.from({ length: batch }, (_, i) => i % 10);
}

/**
 * Builds a CIFAR ResNet of `depth` (default: option A shortcuts, widths 16/32/64, 32×32×3 input; `options` can give
 * the Figure 6 grid's widths 8/16/32 on 28×28×1) on the current backend with a batch of random images.
 */
export function resnetStepper(
  batch: number,
  depth = 20,
  options: Omit<CifarResNetOptions, "depth"> = {},
): ResNetStepper {
  const model = cifarResNet({ ...options, depth });
  const [h, w, c] = model.inputs[0].shape.slice(1) as number[];
  const x = tf.tensor4d(lcgValues(batch * h * w * c, 1), [batch, h, w, c]);
  const y = tf.tensor1d(cyclicLabels(batch), "int32");
  const trainer = TrainStep.forModel(model, { optimizer: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } });
  const loss = supervisedLoss(model, { x, y });
  let folded: ReturnType<typeof foldedInference> | null = null;
  return {
    step: (): number => {
      const value = trainer.step(loss, 0.01);
      const out = value.dataSync()[0];
      value.dispose();
      return out;
    },
    infer(): void {
      // Folded once: the benchmark times inference of fixed weights, as one evaluation pass does.
      folded ??= foldedInference(model);
      tf.tidy(() => folded!.predict(x).dataSync());
    },
    inferUnfolded(): void {
      tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    },
    dispose(): void {
      folded?.dispose();
      tf.dispose([x, y]);
      trainer.dispose();
      model.dispose();
    },
  };
}
