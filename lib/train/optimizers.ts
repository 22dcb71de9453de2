/**
 * Optimisers whose whole state can be saved and restored, so that a long run resumed from a checkpoint takes exactly
 * the steps the uninterrupted run took: Adam (its moments, its bias-correction powers and its step count) and SGD with
 * momentum (its velocities). Both are tf.Optimizers, so any loop that takes one (GAN Algorithm 1's `dOptimizer`,
 * `gOptimizer`, lib/train's `TrainStep`) runs them.
 *
 * Why not tf.train.adam: its `getWeights()` keeps the moments and the step count but not β1^t and β2^t, which
 * `setWeights()` recomputes as pow(β, t + 1) instead of the running float32 product the steps used, so a restored
 * tf Adam takes slightly different steps. {@link StatefulAdam} runs the same tensor operations as tf.train.adam 4.22 in
 * the same order (bit-identical steps, checked by optimizers_test.ts) and keeps β^t as state.
 */
import * as tf from "@tensorflow/tfjs";
import { MomentumSgd } from "./sgd.ts";

/** A tf.Optimizer whose state a checkpoint can hold. */
export interface StatefulOptimizer extends tf.Optimizer {
  /** The optimiser's whole state as float32 arrays (see each class for the layout). */
  state(): Float32Array[];
  /** Restores a state {@link state} returned (same variables, same order), so the next step is the one it would take. */
  setState(state: readonly Float32Array[]): void;
}

/** Gradients as the map a tf.Optimizer may be given, or the list `minimize` passes. */
type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

function gradientList(grads: Gradients): { name: string; tensor: tf.Tensor | undefined }[] {
  return Array.isArray(grads) ? grads : Object.keys(grads).map((name) => ({ name, tensor: grads[name] }));
}

function checkState(who: string, state: readonly Float32Array[], sizes: readonly number[]): void {
  if (state.length !== sizes.length) {
    throw new RangeError(
      `${who}.setState: ${state.length} arrays, expected ${sizes.length} (a state of other variables?)`,
    );
  }
  state.forEach((s, i) => {
    if (s.length !== sizes[i]) {
      throw new RangeError(`${who}.setState: array ${i} has ${s.length} values, expected ${sizes[i]}`);
    }
  });
}

/** Options of {@link StatefulAdam}; defaults are Adam's (Kingma & Ba, 2015) and tf.train.adam's. */
export interface StatefulAdamOptions {
  /** Step size. Default: 1e-3. */
  learningRate?: number;
  /** Decay of the first moment. Default: 0.9. */
  beta1?: number;
  /** Decay of the second moment. Default: 0.999. */
  beta2?: number;
  /** Added to √v̂. Default: the backend's epsilon (1e-7 on float32 backends), as tf.train.adam. */
  epsilon?: number;
}

/**
 * Adam over a fixed list of variables, with a state a checkpoint can hold: `state()` is
 * [m of each variable…, v of each variable…, [β1^(t+1), β2^(t+1), t]] after t steps (the powers the next step's bias
 * correction divides by, as tf.train.adam keeps them; the moments are zeros before the first step, as Adam starts).
 */
export class StatefulAdam extends tf.Optimizer implements StatefulOptimizer {
  /** The class name tfjs uses to (de)serialise the optimiser. */
  static className = "StatefulAdam";
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly variables: readonly tf.Variable[];
  private readonly index: Map<string, number>;
  private readonly m: (tf.Variable | undefined)[];
  private readonly v: (tf.Variable | undefined)[];
  private readonly accBeta1: tf.Variable;
  private readonly accBeta2: tf.Variable;
  private steps = 0;

  constructor(variables: readonly tf.Variable[], options: StatefulAdamOptions = {}) {
    super();
    this.variables = variables;
    this.index = new Map(variables.map((v, i) => [v.name, i]));
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? tf.backend().epsilon();
    this.m = variables.map(() => undefined);
    this.v = variables.map(() => undefined);
    // β^(t+1) as float32 variables updated by tf.train.adam's multiplication, so the steps are bit-identical.
    this.accBeta1 = tf.tidy(() => tf.scalar(this.beta1).variable(false));
    this.accBeta2 = tf.tidy(() => tf.scalar(this.beta2).variable(false));
  }

  /** One Adam step on the given gradients (tf.train.adam 4.22's operations, in its order). */
  override applyGradients(variableGradients: Gradients): void {
    const list = gradientList(variableGradients);
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, this.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, this.accBeta2);
      for (const { name, tensor: gradient } of list) {
        const i = this.index.get(name);
        if (i === undefined) {
          throw new RangeError(`StatefulAdam: a gradient for ${name}, which is not one of the optimiser's variables`);
        }
        const value = this.variables[i];
        const m = this.m[i] ??= tf.tidy(() => tf.zerosLike(value).variable(false));
        const v = this.v[i] ??= tf.tidy(() => tf.zerosLike(value).variable(false));
        if (gradient == null) continue;
        const newM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        const mHat = tf.div(newM, oneMinusAccBeta1);
        const vHat = tf.div(newV, oneMinusAccBeta2);
        m.assign(newM);
        v.assign(newV);
        value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value));
      }
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.steps++;
    this.incrementIterations();
  }

  /** [m…, v…, [β1^(t+1), β2^(t+1), t]]: every number the next step depends on besides the variables themselves. */
  state(): Float32Array[] {
    const moment = (list: (tf.Variable | undefined)[]) =>
      this.variables.map((w, i) => {
        const x = list[i];
        return x ? Float32Array.from(x.dataSync() as Float32Array) : new Float32Array(w.size);
      });
    const powers = Float32Array.of(this.accBeta1.dataSync()[0], this.accBeta2.dataSync()[0], this.steps);
    return [...moment(this.m), ...moment(this.v), powers];
  }

  /** Restores {@link state}'s arrays into this optimiser (built over the same variables, in the same order). */
  setState(state: readonly Float32Array[]): void {
    const n = this.variables.length;
    checkState("StatefulAdam", state, [...this.variables.map((w) => w.size), ...this.variables.map((w) => w.size), 3]);
    const restore = (list: (tf.Variable | undefined)[], offset: number) =>
      this.variables.forEach((w, i) => {
        const x = list[i] ??= tf.tidy(() => tf.zerosLike(w).variable(false));
        tf.tidy(() => x.assign(tf.tensor(state[offset + i], w.shape)));
      });
    restore(this.m, 0);
    restore(this.v, n);
    const [p1, p2, t] = state[2 * n];
    tf.tidy(() => {
      this.accBeta1.assign(tf.scalar(p1));
      this.accBeta2.assign(tf.scalar(p2));
    });
    this.steps = t;
  }

  override dispose(): void {
    tf.dispose([this.accBeta1, this.accBeta2]);
    tf.dispose([...this.m, ...this.v].filter((x): x is tf.Variable => x !== undefined));
    this.m.fill(undefined);
    this.v.fill(undefined);
    super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** Options of {@link StatefulMomentum}. */
export interface StatefulMomentumOptions {
  /** Step size η. Required. */
  learningRate: number;
  /** Momentum μ. Default: 0.9. */
  momentum?: number;
  /** L2 weight decay λ on every variable. Default: 0. */
  weightDecay?: number;
}

/**
 * SGD with momentum (lib/train's {@link MomentumSgd}: v ← μ·v + ∇L + λ·w; w ← w − η·v) as a tf.Optimizer whose state
 * is the velocities, one array per variable. GAN Algorithm 1's caption: "We used momentum in our experiments".
 */
export class StatefulMomentum extends tf.Optimizer implements StatefulOptimizer {
  /** The class name tfjs uses to (de)serialise the optimiser. */
  static className = "StatefulMomentum";
  learningRate: number;
  private readonly sgd: MomentumSgd;

  constructor(variables: readonly tf.Variable[], options: StatefulMomentumOptions) {
    super();
    if (!(options.learningRate > 0)) {
      throw new RangeError(`StatefulMomentum: learningRate must be positive, got ${options.learningRate}`);
    }
    this.learningRate = options.learningRate;
    this.sgd = new MomentumSgd(variables, { momentum: options.momentum ?? 0.9, weightDecay: options.weightDecay ?? 0 });
  }

  override applyGradients(variableGradients: Gradients): void {
    const named: tf.NamedTensorMap = {};
    for (const { name, tensor } of gradientList(variableGradients)) if (tensor) named[name] = tensor;
    this.sgd.step(named, this.learningRate);
    this.incrementIterations();
  }

  /** The velocity of each variable, zeros before the first step. */
  state(): Float32Array[] {
    return this.sgd.velocities();
  }

  setState(state: readonly Float32Array[]): void {
    this.sgd.setVelocities(state);
  }

  override dispose(): void {
    this.sgd.dispose();
    super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.sgd.momentum, weightDecay: this.sgd.weightDecay };
  }
}
