/** The paper's CIFAR data augmentation, on plain arrays (no tfjs state). */
import type { Rng } from "./random.ts";

/** Options of {@link padCropFlip}. */
export interface AugmentOptions {
  /** Zero padding on each side before the random crop. Default: 4 (the paper's). */
  pad?: number;
  /** Mirror horizontally with probability 1/2. Default: true. */
  flip?: boolean;
  /** Source of the random offsets and flips (seeded for reproducibility). Required. */
  rng: Rng;
}

/**
 * "4 pixels are padded on each side, and a 32×32 crop is randomly sampled from the padded image or its horizontal
 * flip" — ResNet §4.2. Images are N×H×W×C; the output has the same shape. Padding is zero, i.e. the mean after
 * mean subtraction.
 */
export function padCropFlip(
  images: Float32Array,
  shape: { count: number; height: number; width: number; channels: number },
  options: AugmentOptions,
): Float32Array {
  const { rng } = options;
  const pad = options.pad ?? 4;
  const flip = options.flip ?? true;
  const { count, height: h, width: w, channels: c } = shape;
  if (images.length !== count * h * w * c) {
    throw new RangeError(`padCropFlip: ${images.length} values, expected ${count}×${h}×${w}×${c}`);
  }
  const out = new Float32Array(images.length);
  const per = h * w * c;
  for (let n = 0; n < count; n++) {
    const dy = Math.floor(rng() * (2 * pad + 1)) - pad; // crop offset in the padded image, minus pad
    const dx = Math.floor(rng() * (2 * pad + 1)) - pad;
    const mirror = flip && rng() < 0.5;
    const base = n * per;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      if (sy < 0 || sy >= h) continue; // zero row from the padding
      for (let x = 0; x < w; x++) {
        const cx = mirror ? w - 1 - x : x;
        const sx = cx + dx;
        if (sx < 0 || sx >= w) continue;
        const src = base + (sy * w + sx) * c;
        const dst = base + (y * w + x) * c;
        for (let k = 0; k < c; k++) out[dst + k] = images[src + k];
      }
    }
  }
  return out;
}
