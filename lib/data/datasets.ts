/** One call for a notebook's data: train and test sets of a named dataset, normalised with the training statistics. */
import { loadCifar10 } from "./cifar10.ts";
import { loadFashionMnist } from "./fashion_mnist.ts";
import { channelStats, type ImageSet, normalizeImages } from "./image_set.ts";

/** Options of {@link loadImageData}. */
export interface ImageDataOptions {
  /** "fashion-mnist" (default; installed full set or the shipped subset) or "cifar-10" (needs `dir`). */
  dataset?: "fashion-mnist" | "cifar-10";
  /** Folder of the files. Default: Fashion-MNIST's search path; required for CIFAR-10. */
  dir?: string;
  /** Training images to use (the first ones). Default: all. */
  trainLimit?: number;
  /** Test images to use. Default: all. */
  testLimit?: number;
}

/**
 * Train and test sets with the per-channel mean (and std) of the training set removed — the input preprocessing of
 * ResNet §4.2 ("the per-pixel mean subtracted"), here per channel.
 */
export async function loadImageData(
  options: ImageDataOptions = {},
): Promise<{ train: ImageSet; test: ImageSet; stats: { mean: number[]; std: number[] } }> {
  const dataset = options.dataset ?? "fashion-mnist";
  let train: ImageSet;
  let test: ImageSet;
  if (dataset === "fashion-mnist") {
    train = await loadFashionMnist({ split: "train", limit: options.trainLimit, dir: options.dir });
    test = await loadFashionMnist({ split: "test", limit: options.testLimit, dir: options.dir });
  } else if (dataset === "cifar-10") {
    if (!options.dir) {
      throw new Error(
        'loadImageData: dataset "cifar-10" needs { dir } — the folder cifar-10-batches-bin of the CIFAR-10 binary version',
      );
    }
    train = await loadCifar10({ dir: options.dir, split: "train", limit: options.trainLimit });
    test = await loadCifar10({ dir: options.dir, split: "test", limit: options.testLimit });
  } else {
    throw new RangeError(
      `loadImageData: unknown dataset ${JSON.stringify(dataset)} (use "fashion-mnist" or "cifar-10")`,
    );
  }
  const stats = channelStats(train);
  return { train: normalizeImages(train, stats), test: normalizeImages(test, stats), stats };
}
