/**
 * CIFAR-10 in its binary version: files of 10000 records, each 1 label byte then 3072 pixel bytes (1024 red, 1024
 * green, 1024 blue, row-major 32×32). Train: data_batch_1.bin … data_batch_5.bin; test: test_batch.bin.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ImageSet, imageSetFromBytes } from "./image_set.ts";

/** Bytes of one CIFAR-10 record: label + 32·32·3 pixels. */
export const CIFAR10_RECORD_BYTES = 1 + 32 * 32 * 3;

const HOW_TO_GET = 'download the "CIFAR-10 binary version" (cifar-10-binary.tar.gz) from the CIFAR-10 page of the ' +
  "University of Toronto, extract it, and pass the folder cifar-10-batches-bin as { dir }";

/**
 * Parses the records of one CIFAR-10 binary file into an {@link ImageSet} (32×32×3, HWC, values in [0, 1]) — the
 * dataset of ResNet §4.2.
 */
export function parseCifar10(bytes: Uint8Array, source = "<bytes>"): ImageSet {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new Error(
      `${source}: ${bytes.length} bytes is not a whole number of CIFAR-10 records of ${CIFAR10_RECORD_BYTES} bytes ` +
        `(label + 3072 pixels); the file is truncated or not a CIFAR-10 binary batch — ${HOW_TO_GET}`,
    );
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const labels = new Uint8Array(n);
  const pixels = new Uint8Array(n * 3072);
  for (let i = 0; i < n; i++) {
    const o = i * CIFAR10_RECORD_BYTES;
    const label = bytes[o];
    if (label > 9) {
      throw new Error(
        `${source}: record ${i} has label ${label}, expected 0..9 — not a CIFAR-10 binary file ` +
          `(CIFAR-100 records have two label bytes)`,
      );
    }
    labels[i] = label;
    for (let p = 0; p < 1024; p++) {
      const d = i * 3072 + p * 3;
      pixels[d] = bytes[o + 1 + p];
      pixels[d + 1] = bytes[o + 1 + 1024 + p];
      pixels[d + 2] = bytes[o + 1 + 2048 + p];
    }
  }
  return imageSetFromBytes(pixels, labels, { height: 32, width: 32, channels: 3, source });
}

/** Options of {@link loadCifar10}. */
export interface Cifar10Options {
  /** Folder with data_batch_1.bin … data_batch_5.bin and test_batch.bin (cifar-10-batches-bin). Required. */
  dir: string;
  /** Which split. Default: "train". */
  split?: "train" | "test";
  /** Read at most this many images. Default: all. */
  limit?: number;
}

/** Loads the CIFAR-10 training (50k) or test (10k) images of ResNet §4.2 from the binary batch files. */
export async function loadCifar10(options: Cifar10Options): Promise<ImageSet> {
  const split = options.split ?? "train";
  const files = split === "train" ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ["test_batch.bin"];
  const limit = options.limit ?? Infinity;
  const parts: ImageSet[] = [];
  let total = 0;
  for (const name of files) {
    if (total >= limit) break;
    const path = join(options.dir, name);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") {
        throw new Error(`${path}: CIFAR-10 file not found (expected ${files.join(", ")}); ${HOW_TO_GET}`);
      }
      throw e;
    }
    const part = parseCifar10(bytes, path);
    parts.push(part);
    total += part.count;
  }
  const count = Math.min(total, limit);
  const images = new Float32Array(count * 3072);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    const k = Math.min(p.count, count - at);
    images.set(p.images.subarray(0, k * 3072), at * 3072);
    labels.set(p.labels.subarray(0, k), at);
    at += k;
  }
  return {
    images,
    labels,
    count,
    height: 32,
    width: 32,
    channels: 3,
    source: `CIFAR-10 ${split}, ${count} images from ${options.dir}`,
  };
}
