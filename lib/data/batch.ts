/** Mini-batches for SGD: shuffled each epoch, optionally augmented, as plain arrays. */
import { padCropFlip } from "./augment.ts";
import type { ImageSet } from "./image_set.ts";
import { permutation, type Rng, seededRandom } from "./random.ts";

/** One mini-batch: images N×H×W×C and labels. */
export interface Batch {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** Options of {@link BatchSampler}. */
export interface BatchSamplerOptions {
  /** Images per batch. Default: 128 (the paper's CIFAR batch). */
  batchSize?: number;
  /** Seed of the shuffle and the augmentation. Default: 0. */
  seed?: number;
  /** Apply the paper's pad-4 / random crop / flip augmentation. Default: false. */
  augment?: boolean;
  /** Shuffle each epoch. Default: true. */
  shuffle?: boolean;
}

/**
 * Draws mini-batches without replacement, reshuffling at each epoch — the SGD sampling of ResNet §3.4 / §4.2.
 * Batches always hold `batchSize` images (an epoch's tail continues into the next epoch's shuffle).
 */
export class BatchSampler {
  readonly set: ImageSet;
  readonly batchSize: number;
  readonly augment: boolean;
  private readonly shuffle: boolean;
  private readonly rng: Rng;
  private order: Uint32Array;
  private pos = 0;
  /** Completed passes over the data. */
  epoch = 0;

  constructor(set: ImageSet, options: BatchSamplerOptions = {}) {
    this.set = set;
    this.batchSize = options.batchSize ?? 128;
    if (!(this.batchSize >= 1) || !Number.isInteger(this.batchSize)) {
      throw new RangeError(`BatchSampler: batchSize must be a positive integer, got ${this.batchSize}`);
    }
    if (set.count === 0) throw new RangeError(`BatchSampler: ${set.source} has no images`);
    this.augment = options.augment ?? false;
    this.shuffle = options.shuffle ?? true;
    this.rng = seededRandom(options.seed ?? 0);
    this.order = this.newOrder();
  }

  private newOrder(): Uint32Array {
    return this.shuffle
      ? permutation(this.set.count, this.rng)
      : Uint32Array.from({ length: this.set.count }, (_, i) => i);
  }

  /** The indices of the next batch. */
  nextIndices(): Uint32Array {
    const idx = new Uint32Array(this.batchSize);
    for (let i = 0; i < this.batchSize; i++) {
      if (this.pos >= this.order.length) {
        this.order = this.newOrder();
        this.pos = 0;
        this.epoch++;
      }
      idx[i] = this.order[this.pos++];
    }
    return idx;
  }

  /** The next batch (augmented when the sampler was made with `augment`). */
  next(): Batch {
    return gatherBatch(this.set, this.nextIndices(), { augmentRng: this.augment ? this.rng : undefined });
  }
}

/** Copies the images at `indices` into one batch; with an `augmentRng`, applies {@link padCropFlip}. */
export function gatherBatch(
  set: ImageSet,
  indices: ArrayLike<number>,
  options: { augmentRng?: Rng } = {},
): Batch {
  const { augmentRng } = options;
  const per = set.height * set.width * set.channels;
  const images = new Float32Array(indices.length * per);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    images.set(set.images.subarray(j * per, (j + 1) * per), i * per);
    labels[i] = set.labels[j];
  }
  const out = augmentRng
    ? padCropFlip(images, { count: indices.length, height: set.height, width: set.width, channels: set.channels }, {
      rng: augmentRng,
    })
    : images;
  return { images: out, labels, count: indices.length };
}
