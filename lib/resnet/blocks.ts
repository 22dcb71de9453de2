/**
 * Building blocks of ResNet §3 (Figure 2 and Figure 5): the basic block (two 3×3 convolutions), the bottleneck block
 * (1×1 reduce, 3×3, 1×1 restore), and their plain counterparts (the same layers without the shortcut).
 */
import * as tf from "@tensorflow/tfjs";
import { assertShortcutOption, type ShortcutOption, ZeroPadShortcut } from "./shortcut.ts";

/** Options shared by the blocks and the network builders. */
export interface LayerOptions {
  /** Batch normalisation after each convolution, before the nonlinearity (ResNet §3.4). Default: true. */
  batchNorm?: boolean;
  /** Base seed of the He-normal initialiser (each layer mixes it with its name, see layerSeed). Default: 0. */
  seed?: number;
  /** Kernel initialiser: "heNormal" (the paper's, [13]) or "zeros". Default: "heNormal". */
  initializer?: "heNormal" | "zeros";
}

/** Options of {@link basicBlock} and {@link bottleneckBlock}. */
export interface BlockOptions extends LayerOptions {
  /** Output channels of the block (for a bottleneck: the restored width, 4× its inner width). */
  filters: number;
  /** Stride of the first convolution (2 where the feature map is halved). Default: 1. */
  stride?: number;
  /** Shortcut option (§3.2). Default: "A" for the basic block, "B" for the bottleneck. */
  shortcut?: ShortcutOption;
  /** Leave out the shortcut: the plain network's block (§4.1 "Plain Networks"). Default: false. */
  plain?: boolean;
  /** Layer name prefix. Required, unique within a model. */
  name: string;
}

/** Options of {@link bottleneckBlock}: `width` is the inner (reduced) width, e.g. 64 for filters 256. */
export interface BottleneckOptions extends BlockOptions {
  /** Inner width of the 1×1 reduce and the 3×3 layer. Default: filters / 4. */
  width?: number;
}

/** Names of the layers whose outputs are the "responses" of Figure 7: each conv's BN output (conv output if no BN). */
export const RESPONSE_SUFFIX = "_response";

/** A layer's initialiser seed: the model seed mixed with a hash of the layer name (same name + seed, same weights). */
export function layerSeed(seed: number, name: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h % 2147483647;
}

function initializer(options: LayerOptions & { name: string }): ReturnType<typeof tf.initializers.zeros> {
  if (options.initializer === "zeros") return tf.initializers.zeros();
  return tf.initializers.heNormal({ seed: layerSeed(options.seed ?? 0, options.name) });
}

/**
 * conv → BN (the "response" of Figure 7) → optional ReLU — the unit every ResNet layer is made of (§3.4: "BN right
 * after each convolution and before activation").
 */
export function convBn(
  x: tf.SymbolicTensor,
  options: LayerOptions & { filters: number; kernel: number; stride?: number; name: string; relu?: boolean },
): tf.SymbolicTensor {
  const bn = options.batchNorm ?? true;
  let y = tf.layers.conv2d({
    filters: options.filters,
    kernelSize: options.kernel,
    strides: options.stride ?? 1,
    padding: "same",
    useBias: !bn,
    kernelInitializer: initializer(options),
    name: bn ? options.name : `${options.name}${RESPONSE_SUFFIX}`,
  }).apply(x) as tf.SymbolicTensor;
  if (bn) {
    y = tf.layers.batchNormalization({
      axis: -1,
      momentum: 0.9,
      epsilon: 1e-5,
      name: `${options.name}_bn${RESPONSE_SUFFIX}`,
    })
      .apply(y) as tf.SymbolicTensor;
  }
  return options.relu === false ? y : (tf.layers.reLU({ name: `${options.name}_relu` }).apply(y) as tf.SymbolicTensor);
}

function channelsOf(x: tf.SymbolicTensor): number {
  return x.shape[x.shape.length - 1] as number;
}

/** The shortcut branch W_s x (or x) for a block with `filters` outputs and `stride` — ResNet §3.2, Eq. (1)/(2). */
function shortcutBranch(
  x: tf.SymbolicTensor,
  options: LayerOptions & { filters: number; stride?: number; shortcut: ShortcutOption; name: string },
): tf.SymbolicTensor {
  assertShortcutOption(options.shortcut, `${options.name}: shortcut`);
  const stride = options.stride ?? 1;
  const grows = stride !== 1 || channelsOf(x) !== options.filters;
  if (options.shortcut === "C" || (grows && options.shortcut === "B")) {
    return convBn(x, { ...options, kernel: 1, stride, relu: false, name: `${options.name}_proj` });
  }
  if (!grows) return x;
  return new ZeroPadShortcut({ outChannels: options.filters, stride, name: `${options.name}_pad` }).apply(
    x,
  ) as tf.SymbolicTensor;
}

/**
 * The block's output: ReLU(F(x) + x), the shortcut added before the second nonlinearity — ResNet §3.2 Eq. (1) (Eq. 2
 * where the shortcut is a projection), Figure 2. The plain net's block (`plain`) has no addition: ReLU(F(x)).
 */
function merge(x: tf.SymbolicTensor, f: tf.SymbolicTensor, options: BlockOptions, shortcut: ShortcutOption) {
  if (options.plain) return tf.layers.reLU({ name: `${options.name}_out` }).apply(f) as tf.SymbolicTensor;
  const s = shortcutBranch(x, { ...options, shortcut });
  const sum = tf.layers.add({ name: `${options.name}_add` }).apply([f, s]) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${options.name}_out` }).apply(sum) as tf.SymbolicTensor;
}

/**
 * Basic residual block, y = ReLU(F(x) + x) with F = two 3×3 convolutions — ResNet §3.2 Eq. (1), Figure 2 / Figure 5
 * left. With `plain: true` the shortcut is left out (the plain net of Figure 3, middle).
 */
export function basicBlock(x: tf.SymbolicTensor, options: BlockOptions): tf.SymbolicTensor {
  const f1 = convBn(x, { ...options, kernel: 3, stride: options.stride ?? 1, name: `${options.name}_conv1` });
  const f2 = convBn(f1, { ...options, kernel: 3, stride: 1, relu: false, name: `${options.name}_conv2` });
  return merge(x, f2, options, options.shortcut ?? "A");
}

/**
 * Bottleneck block: 1×1 reduce, 3×3, 1×1 restore (×4) — ResNet §4.1 "Deeper Bottleneck Architectures", Figure 5
 * right. As in the paper's models, the stride of a downsampling block sits on the first 1×1 convolution.
 */
export function bottleneckBlock(x: tf.SymbolicTensor, options: BottleneckOptions): tf.SymbolicTensor {
  const width = options.width ?? options.filters / 4;
  const f1 = convBn(x, {
    ...options,
    filters: width,
    kernel: 1,
    stride: options.stride ?? 1,
    name: `${options.name}_conv1`,
  });
  const f2 = convBn(f1, { ...options, filters: width, kernel: 3, stride: 1, name: `${options.name}_conv2` });
  const f3 = convBn(f2, { ...options, kernel: 1, stride: 1, relu: false, name: `${options.name}_conv3` });
  return merge(x, f3, options, options.shortcut ?? "B");
}
