/**
 * One training step — the gradients of a loss over a set of variables, then the optimiser's update — as every trainer
 * of this project runs it: trainModel (and so the grid's workers), the data-parallel workers (which all-reduce the
 * gradients between the two halves), the GAN's Algorithm 1 and the bench. The loss is a function the caller writes
 * ({@link supervisedLoss} for a classifier or a regressor on a batch).
 */
import * as tf from "@tensorflow/tfjs";
import { MomentumSgd } from "./sgd.ts";

/** Loss on a model's output: softmax cross-entropy on logits with integer labels, or mean squared error. */
export type LossName = "softmaxCrossEntropy" | "meanSquaredError";

/** An optimiser to create: momentum SGD with L2 decay (ResNet §3.4), or Adam. */
export type OptimizerSpec =
  | { kind: "momentum"; momentum?: number; weightDecay?: number }
  | { kind: "adam"; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number };

/** Options of {@link TrainStep}. */
export interface TrainStepOptions {
  /**
   * The optimiser: a spec the step creates and disposes, or a tf.Optimizer the caller owns (and disposes). Default:
   * { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } (the paper's).
   */
  optimizer?: OptimizerSpec | tf.Optimizer;
  /** Names of the variables under weight decay (momentum SGD). Default: all. */
  decayed?: ReadonlySet<string>;
}

/** Softmax cross-entropy of `logits` [n, classes] against integer `labels` [n]: the mean (default) or the sum. */
export function softmaxCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  options: { reduction?: "mean" | "sum" } = {},
): tf.Scalar {
  // tf.losses' fourth parameter is label smoothing; the reduction is the fifth.
  const reduction = options.reduction === "sum" ? tf.Reduction.SUM : tf.Reduction.SUM_BY_NONZERO_WEIGHTS;
  return tf.tidy(() =>
    tf.losses.softmaxCrossEntropy(
      tf.oneHot(labels as tf.Tensor1D, logits.shape[1]!),
      logits,
      undefined,
      0,
      reduction,
    ) as tf.Scalar
  );
}

/**
 * The loss of `model` (in training mode) on the batch (x, y): softmax cross-entropy of its logits against int32
 * labels, or mean squared error against float targets.
 */
export function supervisedLoss(
  model: tf.LayersModel,
  batch: { x: tf.Tensor; y: tf.Tensor; loss?: LossName },
): () => tf.Scalar {
  const { x, y } = batch;
  return () => {
    const out = model.apply(x, { training: true }) as tf.Tensor2D;
    if (batch.loss === "meanSquaredError") return tf.losses.meanSquaredError(y, out) as tf.Scalar;
    return softmaxCrossEntropy(out, y);
  };
}

/** A model's trainable variables, in `model.trainableWeights` order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Names of the variables of `model` under weight decay: the convolution and fc kernels, not biases nor batch norm's
 * γ and β — ResNet §3.4's weight decay, as its reference implementations apply it.
 */
export function decayedKernels(model: tf.LayersModel): Set<string> {
  return new Set(
    model.trainableWeights.filter((w) => /kernel/.test(w.originalName ?? w.name)).map((w) =>
      (w.read() as tf.Variable).name
    ),
  );
}

function isOptimizerSpec(o: OptimizerSpec | tf.Optimizer): o is OptimizerSpec {
  return !(o instanceof tf.Optimizer);
}

/**
 * Gradients and updates of a set of variables — mini-batch SGD of ResNet §3.4 ("momentum of 0.9 … weight decay of
 * 0.0001"), Adam, or any tf.Optimizer (GAN Algorithm 1's steps). {@link gradients} and {@link apply} can be called
 * separately (data-parallel workers average the gradients in between); {@link step} does both.
 */
export class TrainStep {
  readonly variables: readonly tf.Variable[];
  private readonly momentum?: MomentumSgd;
  private readonly optimizer?: tf.Optimizer;
  private readonly owned: boolean;

  constructor(variables: readonly tf.Variable[], options: TrainStepOptions = {}) {
    this.variables = variables;
    const opt = options.optimizer ?? { kind: "momentum" };
    this.owned = isOptimizerSpec(opt);
    if (!isOptimizerSpec(opt)) {
      this.optimizer = opt;
    } else if (opt.kind === "momentum") {
      this.momentum = new MomentumSgd(variables, {
        momentum: opt.momentum ?? 0.9,
        weightDecay: opt.weightDecay ?? 1e-4,
        decayed: options.decayed,
      });
    } else if (opt.kind === "adam") {
      this.optimizer = tf.train.adam(opt.learningRate ?? 1e-3, opt.beta1 ?? 0.9, opt.beta2 ?? 0.999, opt.epsilon);
    } else {
      throw new Error(`lib/train TrainStep: unknown optimizer ${JSON.stringify(opt)}; use "momentum" or "adam".`);
    }
  }

  /** The step for a model's trainable weights, with weight decay on its kernels only ({@link decayedKernels}). */
  static forModel(model: tf.LayersModel, options: { optimizer?: OptimizerSpec | tf.Optimizer } = {}): TrainStep {
    return new TrainStep(trainableVariables(model), { optimizer: options.optimizer, decayed: decayedKernels(model) });
  }

  /** The loss and its gradients (in the order of {@link variables}); the caller disposes all of them. */
  gradients(loss: () => tf.Scalar): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const { value, grads } = tf.variableGrads(loss, this.variables as tf.Variable[]);
    return { loss: value, grads: this.variables.map((v) => grads[v.name]) };
  }

  /**
   * One update with `grads` (in the order of {@link variables}) at learning rate `lr` (required for momentum SGD;
   * a tf.Optimizer keeps its own when it is omitted). Disposes nothing passed in.
   */
  apply(grads: readonly tf.Tensor[], lr?: number): void {
    const named: tf.NamedTensorMap = {};
    this.variables.forEach((v, i) => (named[v.name] = grads[i]));
    if (this.momentum) {
      this.momentum.step(named, this.learningRate(lr));
    } else {
      this.setLearningRate(lr);
      this.optimizer!.applyGradients(named);
    }
  }

  /** Gradients of `loss`, then the update; returns the loss (the caller disposes it). */
  step(loss: () => tf.Scalar, lr?: number): tf.Scalar {
    if (this.momentum) {
      const rate = this.learningRate(lr); // before the gradients, which a throw would leak
      const { value, grads } = tf.variableGrads(loss, this.variables as tf.Variable[]);
      this.momentum.step(grads, rate);
      tf.dispose(grads);
      return value;
    }
    this.setLearningRate(lr);
    return this.optimizer!.minimize(loss, true, this.variables as tf.Variable[])!;
  }

  /**
   * The optimiser's state for a checkpoint: the momentum velocities in the order of {@link variables}. Only momentum
   * SGD (the ResNet optimiser) has a state this class can save; other optimisers throw.
   */
  optimizerState(): Float32Array[] {
    return this.momentumSgd("optimizerState").velocities();
  }

  /** Restores a state {@link optimizerState} returned, so that a resumed run takes the same next step. */
  restoreOptimizerState(state: readonly Float32Array[]): void {
    this.momentumSgd("restoreOptimizerState").setVelocities(state);
  }

  private momentumSgd(who: string): MomentumSgd {
    if (!this.momentum) throw new Error(`lib/train TrainStep.${who}: only momentum SGD's state can be saved`);
    return this.momentum;
  }

  /** Frees the optimiser's state (and the optimiser, when the step created it). */
  dispose(): void {
    this.momentum?.dispose();
    if (this.owned) this.optimizer?.dispose();
  }

  private learningRate(lr: number | undefined): number {
    if (lr == null) throw new RangeError("lib/train TrainStep: momentum SGD needs a learning rate for each step.");
    return lr;
  }

  private setLearningRate(lr: number | undefined): void {
    if (lr != null) (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }
}
