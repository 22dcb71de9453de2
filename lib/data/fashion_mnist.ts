/**
 * Fashion-MNIST (Zalando, MIT license): 28×28 grayscale images of 10 clothing classes, 60000 train + 10000 test, in
 * IDX format. Used here as the small real dataset on which the ResNet experiments run in minutes on a CPU.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readIdx } from "./idx.ts";
import { type ImageSet, imageSetFromBytes } from "./image_set.ts";

/** Where Debian's `dataset-fashion-mnist` package installs the full set. */
export const DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** The subset shipped with this repository (first 10000 train and 2000 test images, see its README.md). */
export const SHIPPED_FASHION_MNIST_DIR: string = fileURLToPath(new URL("../../data/fashion-mnist/", import.meta.url));

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions {
  /** Which split. Default: "train". */
  split?: "train" | "test";
  /** Read at most this many images (the first ones). Default: all. */
  limit?: number;
  /**
   * Folder holding the IDX files. Default: the first of $FASHION_MNIST_DIR, /usr/share/datasets/fashion-mnist and the
   * subset shipped in data/fashion-mnist/ that has them.
   */
  dir?: string;
}

const STEMS = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
} as const;

function envDir(): string | undefined {
  try {
    return (globalThis as { Deno?: { env: { get(k: string): string | undefined } } }).Deno?.env.get(
      "FASHION_MNIST_DIR",
    );
  } catch {
    return undefined; // no --allow-env
  }
}

/** The folders {@link loadFashionMnist} looks in, in order, when no `dir` is given. */
export function fashionMnistSearchPath(): string[] {
  return [envDir(), DEBIAN_FASHION_MNIST_DIR, SHIPPED_FASHION_MNIST_DIR].filter((d): d is string => !!d);
}

function findFile(dir: string, stem: string, exists: (path: string) => boolean = existsSync): string | undefined {
  for (const name of [`${stem}.gz`, stem]) {
    const p = join(dir, name);
    if (exists(p)) return p;
  }
  return undefined;
}

/**
 * The folder holding the full set (all four IDX files, gzipped or not): $FASHION_MNIST_DIR, else Debian's
 * `dataset-fashion-mnist` folder; undefined when neither has them. The shipped subset never counts as the full set.
 * `env` and `exists` stand in for the environment and the file system in tests.
 */
export function fullFashionMnistDir(
  env: string | undefined = envDir(),
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const shipped = join(SHIPPED_FASHION_MNIST_DIR, ".");
  return [env, DEBIAN_FASHION_MNIST_DIR].find((dir): dir is string =>
    !!dir && join(dir, ".") !== shipped &&
    Object.values(STEMS).every((s) => findFile(dir, s.images, exists) && findFile(dir, s.labels, exists))
  );
}

const HOW_TO_GET = "Install the full set with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu; it goes to " +
  `${DEBIAN_FASHION_MNIST_DIR}), or download the four IDX .gz files from the Fashion-MNIST project (Zalando Research) ` +
  "and pass their folder as { dir } or in $FASHION_MNIST_DIR";

/**
 * Loads Fashion-MNIST as an {@link ImageSet} (28×28×1, values in [0, 1]) — the stand-in for CIFAR-10 (ResNet §4.2) in
 * the quick experiments. Reads the full set when installed, else the subset shipped in data/fashion-mnist/.
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<ImageSet> {
  const split = options.split ?? "train";
  if (split !== "train" && split !== "test") {
    throw new RangeError(`loadFashionMnist: split must be "train" or "test", got ${JSON.stringify(split)}`);
  }
  const stems = STEMS[split];
  const dirs = options.dir ? [options.dir] : fashionMnistSearchPath();
  let imagesPath: string | undefined;
  let labelsPath: string | undefined;
  for (const dir of dirs) {
    imagesPath = findFile(dir, stems.images);
    labelsPath = findFile(dir, stems.labels);
    if (imagesPath && labelsPath) break;
    if (options.dir) break;
  }
  if (!imagesPath || !labelsPath) {
    const missing = [!imagesPath && stems.images, !labelsPath && stems.labels].filter(Boolean).join(" and ");
    throw new Error(
      `Fashion-MNIST ${split} files not found: expected ${missing} (.gz or raw IDX) in ` +
        `${dirs.join(" or ")}. ${HOW_TO_GET}.`,
    );
  }
  const images = await readIdx(imagesPath);
  const labels = await readIdx(labelsPath);
  if (images.type !== "uint8" || images.dims.length !== 3) {
    throw new Error(
      `${imagesPath}: expected uint8 images N×28×28 (magic 0x00000803), got ${images.type} ${images.dims.join("×")}`,
    );
  }
  if (labels.type !== "uint8" || labels.dims.length !== 1) {
    throw new Error(`${labelsPath}: expected uint8 labels N (magic 0x00000801), got ${labels.type} ${labels.dims}`);
  }
  const [n, h, w] = images.dims;
  if (labels.dims[0] !== n) {
    throw new Error(
      `label count mismatch: ${labelsPath} has ${labels.dims[0]} labels, ${imagesPath} has ${n} images — ` +
        `the two files do not belong together; ${HOW_TO_GET}`,
    );
  }
  const bad = (labels.data as Uint8Array).findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`${labelsPath}: label ${labels.data[bad]} at index ${bad}, expected 0..9`);
  const count = Math.min(n, options.limit ?? n);
  const pixels = (images.data as Uint8Array).subarray(0, count * h * w);
  const source = `Fashion-MNIST ${split}, ${count} of ${n} images from ${imagesPath}`;
  return imageSetFromBytes(pixels, (labels.data as Uint8Array).slice(0, count), {
    height: h,
    width: w,
    channels: 1,
    source,
  });
}
