/**
 * One supervised training step of a tf.layers model split into its two halves — gradients, then the update — so that
 * data-parallel workers can average gradients in between. One core runs the same code without the averaging.
 */
import * as tf from "@tensorflow/tfjs";
import { MomentumSgd } from "../train/mod.ts";

/** Loss on the model's output: softmax cross-entropy on logits with integer labels, or mean squared error. */
export type LossName = "softmaxCrossEntropy" | "meanSquaredError";

/** The optimiser: momentum SGD with L2 decay on kernels (ResNet §3.4), or Adam. */
export type OptimizerSpec =
  | { kind: "momentum"; momentum?: number; weightDecay?: number }
  | { kind: "adam"; beta1?: number; beta2?: number; epsilon?: number };

/** Options of {@link StepTrainer}. */
export interface StepTrainerOptions {
  /** Default: "softmaxCrossEntropy". */
  loss?: LossName;
  /** Default: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } (the paper's). */
  optimizer?: OptimizerSpec;
}

/**
 * Gradients and updates of a model — mini-batch SGD of ResNet §3.4 ("momentum of 0.9 … weight decay of 0.0001"), or
 * Adam. `gradients` and `apply` can be called separately (data-parallel averaging happens in between).
 */
export class StepTrainer {
  readonly variables: tf.Variable[];
  private readonly loss: LossName;
  private readonly momentum?: MomentumSgd;
  private readonly adam?: tf.AdamOptimizer;
  private readonly decayed: Set<string>;

  constructor(readonly model: tf.LayersModel, options: StepTrainerOptions = {}) {
    this.loss = options.loss ?? "softmaxCrossEntropy";
    const opt = options.optimizer ?? { kind: "momentum" };
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.decayed = new Set(
      model.trainableWeights.filter((w) => /kernel/.test(w.originalName ?? w.name)).map((w) =>
        (w.read() as tf.Variable).name
      ),
    );
    if (opt.kind === "momentum") {
      this.momentum = new MomentumSgd(this.variables, {
        momentum: opt.momentum ?? 0.9,
        weightDecay: opt.weightDecay ?? 1e-4,
        decayed: this.decayed,
      });
    } else if (opt.kind === "adam") {
      this.adam = tf.train.adam(1e-3, opt.beta1 ?? 0.9, opt.beta2 ?? 0.999, opt.epsilon ?? 1e-7);
    } else {
      throw new Error(`lib/backend StepTrainer: unknown optimizer ${JSON.stringify(opt)}; use "momentum" or "adam".`);
    }
  }

  /** Loss on a batch (labels: int32 classes for softmax cross-entropy, float targets for MSE) and its gradients. */
  gradients(x: tf.Tensor, y: tf.Tensor): { loss: number; grads: tf.Tensor[] } {
    const { value, grads } = tf.variableGrads(() => {
      const out = this.model.apply(x, { training: true }) as tf.Tensor2D;
      if (this.loss === "meanSquaredError") return tf.losses.meanSquaredError(y, out) as tf.Scalar;
      return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, out.shape[1]), out) as tf.Scalar);
    }, this.variables);
    const loss = value.dataSync()[0];
    value.dispose();
    return { loss, grads: this.variables.map((v) => grads[v.name]) };
  }

  /** One update with `grads` (in the order of {@link variables}) at learning rate `lr`; disposes nothing passed in. */
  apply(grads: tf.Tensor[], lr: number): void {
    const named: tf.NamedTensorMap = {};
    this.variables.forEach((v, i) => (named[v.name] = grads[i]));
    if (this.momentum) {
      this.momentum.step(named, lr);
    } else {
      (this.adam as unknown as { learningRate: number }).learningRate = lr;
      this.adam!.applyGradients(named as unknown as Parameters<tf.AdamOptimizer["applyGradients"]>[0]);
    }
  }

  /** gradients + apply on one core; returns the loss. */
  step(x: tf.Tensor, y: tf.Tensor, lr: number): number {
    const { loss, grads } = this.gradients(x, y);
    this.apply(grads, lr);
    tf.dispose(grads);
    return loss;
  }

  dispose(): void {
    this.momentum?.dispose();
    this.adam?.dispose();
  }
}
