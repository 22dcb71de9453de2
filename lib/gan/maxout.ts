/**
 * Maxout units (Goodfellow et al., 2013) — the discriminator activation of GAN §5 ("the discriminator net used maxout
 * activations"). tf.layers has no maxout layer, so this one reduces a dense layer's output over groups of `pieces`.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Throws a RangeError naming `argument` unless `pieces` is an integer ≥ 2: a maxout unit is the max over at least two
 * linear pieces (one piece would silently make it a linear unit).
 */
export function assertMaxoutPieces(pieces: unknown, argument: string): asserts pieces is number {
  if (!Number.isInteger(pieces) || (pieces as number) < 2) {
    throw new RangeError(
      `${argument} must be an integer ≥ 2 (a maxout unit is the max over at least 2 linear pieces; the paper's ` +
        `MNIST discriminator used 5), got ${(typeof pieces === "string" ? `"${pieces}"` : String(pieces))}`,
    );
  }
}

/** Options of {@link Maxout}. */
export interface MaxoutArgs {
  /** Linear pieces per unit (the input width must be units·pieces). */
  pieces: number;
  /** Layer name. Default: tfjs chooses one. */
  name?: string;
}

/** Maxout: h_i = max_j z_{i,j} over `pieces` linear pieces per unit — the D activation of GAN §5. */
export class Maxout extends tf.layers.Layer {
  /** The class name tfjs uses to (de)serialise the layer. */
  static className = "Maxout";
  readonly pieces: number;

  constructor(args: MaxoutArgs) {
    super({ name: args.name });
    assertMaxoutPieces(args.pieces, "Maxout: pieces");
    this.pieces = args.pieces;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const width = shape[shape.length - 1];
    if (width === null || width % this.pieces !== 0) {
      throw new RangeError(`Maxout: input width ${width} is not a multiple of pieces=${this.pieces}`);
    }
    return [...shape.slice(0, -1), width / this.pieces];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const width = x.shape[x.shape.length - 1];
      const units = width / this.pieces;
      return tf.max(tf.reshape(x, [-1, units, this.pieces]), 2);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pieces: this.pieces };
  }
}
tf.serialization.registerClass(Maxout);
