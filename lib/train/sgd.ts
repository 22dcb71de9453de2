/** SGD with momentum and L2 weight decay, the optimiser of ResNet §3.4, updating tf.Variables in place. */
import * as tf from "@tensorflow/tfjs";
import { MOMENTUM_UPDATE_KERNEL } from "../backend/sgd_kernels.ts";

/** Options of {@link MomentumSgd}. */
export interface MomentumSgdOptions {
  /** Momentum μ. Default: 0.9 (the paper's). */
  momentum?: number;
  /** L2 weight decay λ, applied to the variables in `decayed`. Default: 1e-4 (the paper's). */
  weightDecay?: number;
  /** Names of the variables under weight decay (e.g. the kernels, not BN's γ and β). Default: all. */
  decayed?: ReadonlySet<string>;
}

/**
 * v ← μ·v + ∇L + λ·w;  w ← w − η·v — "SGD with a mini-batch size of 256 … weight decay of 0.0001 and a momentum of 0.9"
 * (ResNet §3.4). Velocity buffers are created on the first step; call `dispose()` when done.
 */
export class MomentumSgd {
  readonly momentum: number;
  readonly weightDecay: number;
  private readonly variables: readonly tf.Variable[];
  private readonly decayed: ReadonlySet<string>;
  private readonly velocity = new Map<string, tf.Variable>();

  constructor(variables: readonly tf.Variable[], options: MomentumSgdOptions = {}) {
    this.variables = variables;
    this.momentum = options.momentum ?? 0.9;
    this.weightDecay = options.weightDecay ?? 1e-4;
    this.decayed = options.decayed ?? new Set(variables.map((v) => v.name));
  }

  /** One update of the variables from `grads` (keyed by variable name) with learning rate `lr`. */
  step(grads: tf.NamedTensorMap, lr: number): void {
    // One fused kernel per variable where lib/backend registers it, instead of five or six elementwise ops.
    const fused = this.momentum > 0 && tf.getKernel(MOMENTUM_UPDATE_KERNEL, tf.getBackend()) != null;
    const momentum = this.momentum;
    for (const w of this.variables) {
      const g = grads[w.name];
      if (!g) continue;
      const v = this.velocityOf(w);
      const weightDecay = this.decayed.has(w.name) ? this.weightDecay : 0;
      tf.tidy(() => {
        if (fused) {
          const attrs = { lr, momentum, weightDecay };
          const [w2, v2] = tf.engine().runKernel(MOMENTUM_UPDATE_KERNEL, { w, v, g }, attrs) as tf.Tensor[];
          v.assign(v2);
          w.assign(w2);
          return;
        }
        const grad = weightDecay > 0 ? tf.add(g, tf.mul(w, weightDecay)) : g;
        const next = momentum > 0 ? tf.add(tf.mul(v, momentum), grad) : grad;
        if (momentum > 0) v.assign(next);
        w.assign(tf.sub(w, tf.mul(next, lr)));
      });
    }
  }

  private velocityOf(w: tf.Variable): tf.Variable {
    let v = this.velocity.get(w.name);
    if (!v) {
      v = tf.tidy(() => tf.variable(tf.zerosLike(w), false, `${w.name}/velocity`));
      this.velocity.set(w.name, v);
    }
    return v;
  }

  /**
   * The velocity of each variable (in the order given to the constructor), zeros where no step has made one yet: the
   * optimiser's state, for a checkpoint.
   */
  velocities(): Float32Array[] {
    return this.variables.map((w) => {
      const v = this.velocity.get(w.name);
      return v ? Float32Array.from(v.dataSync() as Float32Array) : new Float32Array(w.size);
    });
  }

  /** Restores the velocities {@link velocities} returned (same variables, same order), e.g. when a run resumes. */
  setVelocities(values: readonly Float32Array[]): void {
    if (values.length !== this.variables.length) {
      throw new RangeError(`MomentumSgd.setVelocities: ${values.length} arrays for ${this.variables.length} variables`);
    }
    this.variables.forEach((w, i) => {
      if (values[i].length !== w.size) {
        throw new RangeError(
          `MomentumSgd.setVelocities: ${w.name} has ${w.size} values, the state has ${values[i].length}`,
        );
      }
      const v = this.velocityOf(w);
      tf.tidy(() => v.assign(tf.tensor(values[i], w.shape)));
    });
  }

  /** Frees the velocity buffers. */
  dispose(): void {
    for (const v of this.velocity.values()) v.dispose();
    this.velocity.clear();
  }
}
