/**
 * Shortcut connections of ResNet §3.2: identity (Eq. 1), and for a change of dimensions either zero-padding
 * (option A, parameter-free) or a 1×1 projection W_s (Eq. 2; option B where dimensions grow, option C everywhere).
 */
import * as tf from "@tensorflow/tfjs";

/** How shortcuts handle dimensions — ResNet §3.2 / §4.1 (Table 3): "A" | "B" | "C". */
export type ShortcutOption = "A" | "B" | "C";

/** The shortcut options of ResNet §3.2 / §4.1 (Table 3). */
export const SHORTCUT_OPTIONS: readonly ShortcutOption[] = ["A", "B", "C"];

/**
 * Throws a RangeError naming `argument` unless `value` is a shortcut option of ResNet §4.1 (Table 3) — any other
 * value would otherwise fall through to zero-padding.
 */
export function assertShortcutOption(value: unknown, argument: string): asserts value is ShortcutOption {
  if (!SHORTCUT_OPTIONS.includes(value as ShortcutOption)) {
    throw new RangeError(
      `${argument} must be "A" (zero-padding), "B" (projections where dimensions grow) or "C" (all projections) — ` +
        `ResNet §3.2 — got ${(typeof value === "string" ? `"${value}"` : String(value))}`,
    );
  }
}

/** Arguments of {@link ZeroPadShortcut}. */
export interface ZeroPadShortcutArgs {
  /** Channels after padding. */
  outChannels: number;
  /** Spatial subsampling factor. Default: 1. */
  stride?: number;
  name?: string;
}

/**
 * Option A shortcut — ResNet §3.2: "the shortcut still performs identity mapping, with extra zero entries padded for
 * increasing dimensions"; with stride s it takes every s-th pixel (x[:, ::s, ::s, :]). Has no parameters.
 */
export class ZeroPadShortcut extends tf.layers.Layer {
  static className = "ZeroPadShortcut";
  readonly outChannels: number;
  readonly stride: number;

  constructor(args: ZeroPadShortcutArgs) {
    super({ name: args.name });
    this.outChannels = args.outChannels;
    this.stride = args.stride ?? 1;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const sub = (d: number | null): number | null => (d === null ? null : Math.ceil(d / this.stride));
    return [s[0], sub(s[1]), sub(s[2]), this.outChannels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      return zeroPadShortcut(x, { outChannels: this.outChannels, stride: this.stride });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outChannels: this.outChannels, stride: this.stride };
  }
}
tf.serialization.registerClass(ZeroPadShortcut);

/**
 * x[:, ::s, ::s, :] with zero channels appended up to `outChannels` — the option A shortcut as a tensor function.
 * Built from pad/reshape/slice only, so every backend that trains a convnet can differentiate it.
 */
export function zeroPadShortcut(x: tf.Tensor4D, options: { outChannels: number; stride?: number }): tf.Tensor4D {
  const { outChannels } = options;
  const stride = options.stride ?? 1;
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    if (outChannels < c) throw new RangeError(`zeroPadShortcut: ${outChannels} output channels < ${c} input channels`);
    let y: tf.Tensor4D = x;
    if (stride > 1) {
      const hp = Math.ceil(h / stride) * stride;
      const wp = Math.ceil(w / stride) * stride;
      if (hp !== h || wp !== w) y = tf.pad(y, [[0, 0], [0, hp - h], [0, wp - w], [0, 0]]);
      const r = tf.reshape(y, [n, hp / stride, stride, wp / stride, stride, c]);
      y = tf.reshape(tf.slice(r, [0, 0, 0, 0, 0, 0], [n, hp / stride, 1, wp / stride, 1, c]), [
        n,
        hp / stride,
        wp / stride,
        c,
      ]);
    }
    return outChannels > c ? tf.pad(y, [[0, 0], [0, 0], [0, 0], [0, outChannels - c]]) : y;
  });
}
