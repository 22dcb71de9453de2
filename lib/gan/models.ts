/**
 * Generator and discriminator networks as in GAN §5: a generator of rectifier (ReLU) hidden layers with a linear
 * (1-D) or sigmoid (images) output, and a discriminator of maxout hidden layers with dropout. Both are multilayer
 * perceptrons over the tf.layers functional API; the discriminator returns the logit t, with D(x) = σ(t).
 */
import * as tf from "@tensorflow/tfjs";
import { FreshDropout } from "./dropout.ts";
import { assertMaxoutPieces, Maxout } from "./maxout.ts";

/** Options of {@link buildGenerator}. */
export interface GeneratorOptions {
  /** Dimension of the noise z. Default: 1 (the 1-D toy of Figure 1). */
  noiseDim?: number;
  /** Widths of the ReLU hidden layers. Default: [32, 32]. */
  hidden?: number[];
  /** Dimension of x = G(z). Default: 1. */
  outputDim?: number;
  /** Output activation: "linear" for real-valued data, "sigmoid" for pixel intensities in [0, 1]. Default: "linear". */
  outputActivation?: "linear" | "sigmoid";
  /** Seed of the weight initialisers. Default: 1. */
  seed?: number;
}

/** Options of {@link buildDiscriminator}. */
export interface DiscriminatorOptions {
  /** Dimension of x. Default: 1. */
  inputDim?: number;
  /** Maxout units per hidden layer. Default: [32, 32]. */
  hidden?: number[];
  /** Linear pieces per maxout unit. Default: 5 (the paper's MNIST discriminator). */
  pieces?: number;
  /** Dropout rate after each hidden layer (applied in training only). Default: 0 for 1-D, set 0.5 for images. */
  dropout?: number;
  /** Dropout rate on the input layer. Default: 0 (the paper's image nets used 0.2). */
  inputDropout?: number;
  /** Seed of the weight initialisers and of the dropout masks' streams. Default: 2. */
  seed?: number;
}

/** Dense layer i of a network seeded s (the output layer: i = hidden layers) initialises with seed s·101 + i. */
const INIT_SEED_STRIDE = 101;
/**
 * Dropout layer j of a discriminator seeded s (j = 0 on the input, i + 1 after hidden layer i) draws its masks from the
 * stream seeded s·7 + j (a fresh mask per training pass, dropout.ts).
 */
const DROPOUT_SEED_STRIDE = 7;

function checkWidths(widths: number[], who: string): void {
  if (!Array.isArray(widths) || widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`${who}: hidden widths must be positive integers, got [${widths.join(", ")}]`);
  }
}

/**
 * Generator G(z; θ_g): an MLP with ReLU hidden layers — GAN §5 ("a mixture of rectifier linear activations and sigmoid
 * activations"); linear output for 1-D data, sigmoid output for images.
 */
export function buildGenerator(options: GeneratorOptions = {}): tf.LayersModel {
  const noiseDim = options.noiseDim ?? 1;
  const hidden = options.hidden ?? [32, 32];
  const seed = options.seed ?? 1;
  checkWidths(hidden, "buildGenerator");
  const z = tf.input({ shape: [noiseDim], name: "z" });
  let h: tf.SymbolicTensor = z;
  hidden.forEach((units, i) => {
    h = tf.layers.dense({
      units,
      activation: "relu",
      kernelInitializer: tf.initializers.heNormal({ seed: seed * INIT_SEED_STRIDE + i }),
      name: `g_relu_${i}`,
    }).apply(h) as tf.SymbolicTensor;
  });
  const x = tf.layers.dense({
    units: options.outputDim ?? 1,
    activation: options.outputActivation ?? "linear",
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * INIT_SEED_STRIDE + hidden.length }),
    name: "g_out",
  }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: z, outputs: x, name: "generator" });
}

/**
 * Discriminator D(x; θ_d): an MLP with maxout hidden layers and dropout — GAN §5 ("the discriminator net used maxout
 * activations", "dropout was applied in training the discriminator net"). Outputs the logit t; D(x) = σ(t).
 */
export function buildDiscriminator(options: DiscriminatorOptions = {}): tf.LayersModel {
  const hidden = options.hidden ?? [32, 32];
  const pieces = options.pieces ?? 5;
  const seed = options.seed ?? 2;
  checkWidths(hidden, "buildDiscriminator");
  assertMaxoutPieces(pieces, "buildDiscriminator: pieces");
  const x = tf.input({ shape: [options.inputDim ?? 1], name: "x" });
  let h: tf.SymbolicTensor = x;
  if ((options.inputDropout ?? 0) > 0) {
    h = new FreshDropout({ rate: options.inputDropout!, seed: seed * DROPOUT_SEED_STRIDE }).apply(
      h,
    ) as tf.SymbolicTensor;
  }
  hidden.forEach((units, i) => {
    h = tf.layers.dense({
      units: units * pieces,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * INIT_SEED_STRIDE + i }),
      name: `d_linear_${i}`,
    }).apply(h) as tf.SymbolicTensor;
    h = new Maxout({ pieces, name: `d_maxout_${i}` }).apply(h) as tf.SymbolicTensor;
    if ((options.dropout ?? 0) > 0) {
      h = new FreshDropout({ rate: options.dropout!, seed: seed * DROPOUT_SEED_STRIDE + i + 1 }).apply(
        h,
      ) as tf.SymbolicTensor;
    }
  });
  const logit = tf.layers.dense({
    units: 1,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * INIT_SEED_STRIDE + hidden.length }),
    name: "d_logit",
  }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: logit, name: "discriminator" });
}

/** The paper's MNIST-style generator (GAN §5): 100-D noise, ReLU hidden layers, 784 sigmoid outputs. */
export function buildImageGenerator(options: GeneratorOptions = {}): tf.LayersModel {
  return buildGenerator({ noiseDim: 100, hidden: [256, 256], outputDim: 784, outputActivation: "sigmoid", ...options });
}

/** The paper's MNIST-style discriminator (GAN §5): maxout hidden layers with dropout 0.5 (input dropout 0.2). */
export function buildImageDiscriminator(options: DiscriminatorOptions = {}): tf.LayersModel {
  return buildDiscriminator({
    inputDim: 784,
    hidden: [240, 240],
    pieces: 5,
    dropout: 0.5,
    inputDropout: 0.2,
    ...options,
  });
}
