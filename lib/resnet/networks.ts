/**
 * The network families of ResNet §3.3 / §4: the CIFAR-10 nets of §4.2 (6n+2 layers) and the ImageNet nets of Table 1
 * (18, 34, 50, 101, 152 layers), each with its plain counterpart.
 */
import * as tf from "@tensorflow/tfjs";
import { basicBlock, bottleneckBlock, type BottleneckOptions, convBn, type LayerOptions } from "./blocks.ts";
import { assertShortcutOption, type ShortcutOption } from "./shortcut.ts";

/** Options of {@link cifarResNet}. */
export interface CifarResNetOptions extends LayerOptions {
  /** Weighted layers, 6n+2: 20, 32, 44, 56, 110 (also 8, 14, ... for small runs). */
  depth: number;
  /** Shortcut option of §3.2. Default: "A" (the paper's CIFAR choice: "all shortcuts are identity"). */
  shortcut?: ShortcutOption;
  /** Plain counterpart without shortcuts. Default: false. */
  plain?: boolean;
  /** Input [height, width, channels]. Default: [32, 32, 3] (CIFAR-10); [28, 28, 1] for Fashion-MNIST. */
  inputShape?: [number, number, number];
  /** Filters of the three stages. Default: [16, 32, 64] (the paper's). */
  widths?: [number, number, number];
  /** Output classes. Default: 10. */
  classes?: number;
  /** Model name. Default: "resnet-<depth>" or "plain-<depth>". */
  name?: string;
}

/** The end of both families — ResNet §3.4 / Table 1: global average pooling, then a fully connected layer. */
function classifierHead(
  x: tf.SymbolicTensor,
  o: { classes: number; pool: string; fc: string; initializer?: string; seed?: number },
): tf.SymbolicTensor {
  const pooled = tf.layers.globalAveragePooling2d({ name: o.pool }).apply(x) as tf.SymbolicTensor;
  return tf.layers.dense({
    units: o.classes,
    kernelInitializer: o.initializer === "zeros" ? "zeros" : tf.initializers.glorotUniform({ seed: o.seed ?? 0 }),
    name: o.fc,
  }).apply(pooled) as tf.SymbolicTensor;
}

/**
 * Checks the options of {@link cifarResNet} without building anything: depth 6n+2 (ResNet §4.2), a shortcut option
 * of §3.2, three stage widths. Throws a RangeError naming `who` and the argument at fault.
 */
export function checkCifarResNetOptions(options: CifarResNetOptions, who = "cifarResNet"): void {
  const { depth } = options;
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new RangeError(
      `${who}: depth must be 6n+2 with n ≥ 1 (8, 14, 20, 32, 44, 56, 110), got ${(typeof depth === "string"
        ? `"${depth}"`
        : String(depth))}`,
    );
  }
  if (options.shortcut !== undefined) assertShortcutOption(options.shortcut, `${who}: shortcut`);
  const widths = options.widths;
  if (
    widths !== undefined &&
    (!Array.isArray(widths) || widths.length !== 3 || !widths.every((w) => Number.isInteger(w) && w >= 1))
  ) {
    throw new RangeError(
      `${who}: widths must be 3 integers ≥ 1, one per stage (the paper's [16, 32, 64]), got ${JSON.stringify(widths)}`,
    );
  }
}

/**
 * CIFAR-10 network of ResNet §4.2: a 3×3 conv, then 3 stages of 2n 3×3 layers on maps of 32, 16, 8 pixels with
 * 16, 32, 64 filters, global average pooling and a 10-way fully-connected layer; 6n+2 weighted layers. Outputs logits.
 *
 * @example ResNet-20 and its plain counterpart: the same layers, without the shortcuts
 * ```ts
 * import { cifarResNet } from "@lib/resnet/mod.ts";
 *
 * const resnet20 = cifarResNet({ depth: 20, seed: 1 }); // 0.27M parameters, as in Table 6
 * const plain20 = cifarResNet({ depth: 20, plain: true, seed: 1 });
 * const small = cifarResNet({ depth: 8, inputShape: [28, 28, 1], widths: [8, 16, 32] }); // Fashion-MNIST
 * [resnet20, plain20, small].forEach((m) => m.dispose());
 * ```
 */
export function cifarResNet(options: CifarResNetOptions): tf.LayersModel {
  checkCifarResNetOptions(options);
  const n = (options.depth - 2) / 6;
  const widths = options.widths ?? [16, 32, 64];
  const plain = options.plain ?? false;
  const shortcut = options.shortcut ?? "A";
  const input = tf.input({ shape: options.inputShape ?? [32, 32, 3], name: "image" });
  let x = convBn(input, { ...options, filters: widths[0], kernel: 3, name: "conv1" });
  for (let s = 0; s < 3; s++) {
    for (let b = 0; b < n; b++) {
      x = basicBlock(x, {
        ...options,
        filters: widths[s],
        stride: s > 0 && b === 0 ? 2 : 1,
        shortcut,
        plain,
        name: `stage${s + 1}_block${b + 1}`,
      });
    }
  }
  const logits = classifierHead(x, { ...options, classes: options.classes ?? 10, pool: "pool", fc: "fc" });
  return tf.model({
    inputs: input,
    outputs: logits,
    name: options.name ?? `${plain ? "plain" : "resnet"}-${options.depth}`,
  });
}

/** Blocks per stage (conv2_x … conv5_x) and block type of the ImageNet nets — ResNet Table 1. */
const IMAGENET_CONFIGS: Record<number, { blocks: [number, number, number, number]; bottleneck: boolean }> = {
  18: { blocks: [2, 2, 2, 2], bottleneck: false },
  34: { blocks: [3, 4, 6, 3], bottleneck: false },
  50: { blocks: [3, 4, 6, 3], bottleneck: true },
  101: { blocks: [3, 4, 23, 3], bottleneck: true },
  152: { blocks: [3, 8, 36, 3], bottleneck: true },
};

/** Options of {@link imagenetResNet}. */
export interface ImagenetResNetOptions extends LayerOptions {
  /** 18, 34, 50, 101 or 152 (Table 1). */
  depth: number;
  /** Plain counterpart without shortcuts (the paper trains plain-18 and plain-34). Default: false. */
  plain?: boolean;
  /** Shortcut option. Default: "B" (projections only where dimensions grow, as in §4.1's deeper nets). */
  shortcut?: ShortcutOption;
  /** Input [height, width, channels]. Default: [224, 224, 3]. */
  inputShape?: [number, number, number];
  /** Output classes. Default: 1000. */
  classes?: number;
}

/**
 * ImageNet network of ResNet Table 1: 7×7/2 conv (64), 3×3/2 max pool, conv2_x … conv5_x (64, 128, 256, 512 filters;
 * ×4 outputs for bottlenecks) with downsampling by conv3_1, conv4_1 and conv5_1 (stride 2), average pool, 1000-way fc.
 */
export function imagenetResNet(options: ImagenetResNetOptions): tf.LayersModel {
  const config = IMAGENET_CONFIGS[options.depth];
  if (!config) {
    throw new RangeError(`imagenetResNet: depth must be one of 18, 34, 50, 101, 152 (Table 1), got ${options.depth}`);
  }
  const plain = options.plain ?? false;
  const shortcut = options.shortcut ?? "B";
  assertShortcutOption(shortcut, "imagenetResNet: shortcut");
  const input = tf.input({ shape: options.inputShape ?? [224, 224, 3], name: "image" });
  let x = convBn(input, { ...options, filters: 64, kernel: 7, stride: 2, name: "conv1" });
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same", name: "pool1" }).apply(x) as tf.SymbolicTensor;
  const widths = [64, 128, 256, 512];
  for (let s = 0; s < 4; s++) {
    for (let b = 0; b < config.blocks[s]; b++) {
      const common = { ...options, stride: s > 0 && b === 0 ? 2 : 1, shortcut, plain, name: `conv${s + 2}_${b + 1}` };
      x = config.bottleneck
        ? bottleneckBlock(x, { ...common, filters: 4 * widths[s], width: widths[s] })
        : basicBlock(x, { ...common, filters: widths[s] });
    }
  }
  const logits = classifierHead(x, { ...options, classes: options.classes ?? 1000, pool: "pool5", fc: "fc1000" });
  return tf.model({ inputs: input, outputs: logits, name: `${plain ? "plain" : "resnet"}-${options.depth}` });
}

/** Options of {@link singleBlock}. */
export interface SingleBlockOptions extends Omit<BottleneckOptions, "name"> {
  /** Bottleneck (Figure 5 right) instead of basic (Figure 5 left). Default: false. */
  bottleneck?: boolean;
  name?: string;
}

/** A model of one block on an input of `inputShape` — for looking at a block alone (§3.1, §3.2, Figure 5). */
export function singleBlock(inputShape: [number, number, number], options: SingleBlockOptions): tf.LayersModel {
  const input = tf.input({ shape: inputShape, name: "x" });
  const o = { ...options, name: options.name ?? "block" };
  const y = options.bottleneck ? bottleneckBlock(input, o) : basicBlock(input, o);
  return tf.model({ inputs: input, outputs: y, name: o.name });
}
