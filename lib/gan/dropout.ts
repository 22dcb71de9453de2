/**
 * Dropout with a fresh seeded mask on every training pass — the discriminator of GAN §5 ("dropout was applied in
 * training the discriminator net"). tf.layers.dropout with a seed draws the same mask on every call (tfjs 4.22 seeds a
 * new generator from the fixed seed each time), which is not dropout: every minibatch row would keep the same units
 * for the whole run. Here the mask of the n-th training pass is seeded by (seed, n), so a run is reproducible, and n —
 * the layer's only state — goes into a checkpoint so that a resumed run draws the masks the uninterrupted run drew.
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link FreshDropout}. */
export interface FreshDropoutArgs {
  /** Fraction of the units set to zero in training, in [0, 1). */
  rate: number;
  /** Seed of the layer's stream of masks. */
  seed: number;
  /** Layer name. Default: tfjs chooses one. */
  name?: string;
}

/**
 * Inverted dropout (kept units scaled by 1/(1 − rate)) with a new mask for every training-mode call, drawn from a
 * stream seeded by `seed`; inference passes the input through.
 */
export class FreshDropout extends tf.layers.Layer {
  /** The class name tfjs uses to (de)serialise the layer. */
  static className = "FreshDropout";
  readonly rate: number;
  readonly seed: number;
  /** Training passes so far: the mask of the next one is seeded by (seed, passes). */
  passes = 0;

  constructor(args: FreshDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`FreshDropout: rate must be in [0, 1), got ${args.rate}`);
    }
    if (!Number.isInteger(args.seed)) throw new RangeError(`FreshDropout: seed must be an integer, got ${args.seed}`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs?.training || this.rate === 0) return x;
    // tf.dropout's seed may be a string: one mask per (seed, pass), independent of the other layers' streams.
    const seed = `${this.seed}/${this.passes++}`;
    return tf.dropout(x, this.rate, undefined, seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(FreshDropout);

/** The training passes of each {@link FreshDropout} layer of `model`, in layer order: its dropout state. */
export function dropoutPasses(model: tf.LayersModel): number[] {
  return model.layers.filter((l): l is FreshDropout => l instanceof FreshDropout).map((l) => l.passes);
}

/** Restores the state {@link dropoutPasses} returned, so that the next masks are those the saved run would draw. */
export function setDropoutPasses(model: tf.LayersModel, passes: readonly number[]): void {
  const layers = model.layers.filter((l): l is FreshDropout => l instanceof FreshDropout);
  if (passes.length !== layers.length || passes.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new RangeError(
      `setDropoutPasses: ${model.name} has ${layers.length} dropout layers, the state is [${passes.join(", ")}]`,
    );
  }
  layers.forEach((l, i) => (l.passes = passes[i]));
}
