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

/**
 * max over the last axis of [rows, units, pieces], with tf.max's gradient (dy · [z = max], to every piece equal to the
 * max) computed in one pass over the data: tfjs-wasm's broadcasting Equal and Multiply (and its Tile) take 8–13 ms a
 * call on GAN §5's D ([64, 240, 5]), more than the layer's matmul. Same values, bit for bit, as tf.max's gradient.
 * Built once, for every layer and call (tf.customGrad only wraps the function).
 */
const maxOverPiecesOp = tf.customGrad<tf.Tensor>((x, save) => {
  const y = tf.max(x as tf.Tensor3D, 2);
  (save as tf.GradSaveFunc)([x as tf.Tensor, y]);
  return {
    value: y,
    gradFunc: (dy, saved) => {
      const [x, y] = saved;
      const pieces = x.shape[2]!;
      const xs = x.dataSync(), max = y.dataSync(), g = (dy as tf.Tensor).dataSync();
      const grad = new Float32Array(xs.length);
      for (let j = 0, i = 0; j < max.length; j++) {
        for (let p = 0; p < pieces; p++, i++) grad[i] = g[j] * (xs[i] === max[j] ? 1 : 0);
      }
      return [tf.tensor(grad, x.shape, "float32")];
    },
  };
});
const maxOverPieces = (z: tf.Tensor3D): tf.Tensor2D => maxOverPiecesOp(z) as tf.Tensor2D;

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
      return maxOverPieces(tf.reshape(x, [-1, units, this.pieces]) as tf.Tensor3D);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pieces: this.pieces };
  }
}
tf.serialization.registerClass(Maxout);
