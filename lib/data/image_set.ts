/**
 * A set of images with labels, stored as one Float32Array in N×H×W×C order (channels last, as tf.layers expects).
 */

/** Images in [0, 1] (or normalised), N×H×W×C, with one label per image. */
export interface ImageSet {
  /** Pixel values, N·H·W·C, image-major then row, column, channel. */
  images: Float32Array;
  /** Class index of each image. */
  labels: Uint8Array;
  /** Number of images N. */
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Where the images came from (files read, or a description). */
  source: string;
}

/** Checks that an image set's arrays agree with its shape; throws naming the set's source otherwise. */
function validateImageSet(set: ImageSet): ImageSet {
  const per = set.height * set.width * set.channels;
  if (set.images.length !== set.count * per) {
    throw new RangeError(
      `${set.source}: ${set.images.length} pixel values, expected ${set.count}×${set.height}×${set.width}×` +
        `${set.channels} = ${set.count * per}`,
    );
  }
  if (set.labels.length !== set.count) {
    throw new RangeError(`${set.source}: ${set.labels.length} labels for ${set.count} images`);
  }
  return set;
}

/** Per-channel mean and standard deviation over all pixels of a set. */
export function channelStats(set: ImageSet): { mean: number[]; std: number[] } {
  const c = set.channels;
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  const { images } = set;
  for (let i = 0; i < images.length; i++) {
    const v = images[i];
    sum[i % c] += v;
    sq[i % c] += v * v;
  }
  const n = images.length / c;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, k) => Math.sqrt(Math.max(s / n - mean[k] * mean[k], 1e-12)));
  return { mean, std };
}

/**
 * Subtracts a mean (and divides by a std) per channel, returning a new set — the paper's input normalisation
 * ("the per-pixel mean subtracted", ResNet §4.2); pass the training set's statistics to the test set.
 */
export function normalizeImages(set: ImageSet, stats: { mean: readonly number[]; std?: readonly number[] }): ImageSet {
  const c = set.channels;
  if (stats.mean.length !== c || (stats.std && stats.std.length !== c)) {
    throw new RangeError(`normalizeImages: ${set.source} has ${c} channels, stats have ${stats.mean.length}`);
  }
  const images = new Float32Array(set.images.length);
  for (let i = 0; i < images.length; i++) {
    const k = i % c;
    images[i] = (set.images[i] - stats.mean[k]) / (stats.std ? stats.std[k] : 1);
  }
  return { ...set, images, source: `${set.source} (normalised)` };
}

/** Converts uint8 pixels (N·H·W·C, 0..255) to an {@link ImageSet} with values in [0, 1]. */
export function imageSetFromBytes(
  pixels: Uint8Array,
  labels: Uint8Array,
  shape: { height: number; width: number; channels: number; source: string },
): ImageSet {
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = pixels[i] / 255;
  return validateImageSet({ images, labels, count: labels.length, ...shape });
}
