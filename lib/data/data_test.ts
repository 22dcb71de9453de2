import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  BatchSampler,
  channelStats,
  CIFAR10_RECORD_BYTES,
  DEBIAN_FASHION_MNIST_DIR,
  encodeIdx,
  fullFashionMnistDir,
  loadCifar10,
  loadFashionMnist,
  loadImageData,
  normalizeImages,
  padCropFlip,
  parseCifar10,
  parseIdx,
  permutation,
  readIdx,
  seededRandom,
  SHIPPED_FASHION_MNIST_DIR,
} from "./mod.ts";

const tmp = (): string => mkdtempSync(join(tmpdir(), "paper-data-"));

describe("IDX reader", () => {
  it("round-trips raw and gzip, dims and values", () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
    for (const gzip of [false, true]) {
      const a = parseIdx(encodeIdx([2, 3, 4], data, { gzip }));
      expect(a.type).toBe("uint8");
      expect(a.dims).toEqual([2, 3, 4]);
      expect(Array.from(a.data)).toEqual(Array.from(data));
    }
  });

  it("decodes big-endian int32 and float32 files written by hand", () => {
    const bytes = new Uint8Array(4 + 4 + 8);
    const v = new DataView(bytes.buffer);
    v.setUint32(0, 0x00000c01); // int32, 1 dim
    v.setUint32(4, 2);
    v.setInt32(8, -5);
    v.setInt32(12, 1 << 20);
    expect(Array.from(parseIdx(bytes).data)).toEqual([-5, 1 << 20]);
    v.setUint32(0, 0x00000d01); // float32
    v.setFloat32(8, 1.5);
    v.setFloat32(12, -0.25);
    expect(Array.from(parseIdx(bytes).data)).toEqual([1.5, -0.25]);
  });

  it("rejects a wrong magic number, a truncated file and a truncated gzip stream, naming the file", () => {
    const good = encodeIdx([3, 2], new Uint8Array(6));
    const wrong = good.slice();
    wrong[0] = 0x50; // "P..." — e.g. a PNG or HTML page saved under the IDX name
    expect(() => parseIdx(wrong, "x/train-images")).toThrow(/x\/train-images: wrong magic number 0x50000802/);
    expect(() => parseIdx(good.subarray(0, good.length - 1), "f.idx")).toThrow(/f\.idx: truncated IDX file.*3×2/);
    const z = encodeIdx([3, 2], new Uint8Array(6), { gzip: true });
    expect(() => parseIdx(z.subarray(0, z.length - 6), "f.gz")).toThrow(/f\.gz: not a valid gzip stream/);
    expect(() => parseIdx(new Uint8Array([0, 0]), "tiny")).toThrow(/tiny: truncated IDX file: 2 bytes/);
  });

  it("names a missing file", async () => {
    await expect(readIdx("/nonexistent/labels.gz")).rejects.toThrow(/\/nonexistent\/labels\.gz: file not found/);
  });
});

describe("Fashion-MNIST loader", () => {
  it("reads the shipped subset: 10000 train / 2000 test, 28×28×1 in [0,1], all ten classes", async () => {
    const train = await loadFashionMnist({ dir: SHIPPED_FASHION_MNIST_DIR });
    expect([train.count, train.height, train.width, train.channels]).toEqual([10000, 28, 28, 1]);
    expect(train.images.length).toBe(10000 * 784);
    let min = Infinity, max = -Infinity;
    for (const v of train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
    expect(new Set(train.labels).size).toBe(10);
    const test = await loadFashionMnist({ dir: SHIPPED_FASHION_MNIST_DIR, split: "test", limit: 50 });
    expect(test.count).toBe(50);
    expect(test.source).toMatch(/test, 50 of 2000/);
  });

  // The full set is installed by `deno task test`'s setup step (lib/tooling), so this runs everywhere the suite does.
  it(
    "the shipped subset is the first images of the full set, byte for byte",
    async () => {
      const dir = fullFashionMnistDir();
      if (!dir) {
        throw new Error(
          `the full Fashion-MNIST set is in neither $FASHION_MNIST_DIR nor ${DEBIAN_FASHION_MNIST_DIR}: run ` +
            "`deno task test` (its setup step installs Debian's dataset-fashion-mnist) or set FASHION_MNIST_DIR",
        );
      }
      const full = await loadFashionMnist({ dir, split: "test" });
      expect(full.count).toBe(10000);
      const sub = await loadFashionMnist({ dir: SHIPPED_FASHION_MNIST_DIR, split: "test" });
      expect(Array.from(full.labels.subarray(0, 2000))).toEqual(Array.from(sub.labels));
      // One pass over the 1.6 M values; vitest's deep equality on a typed array this long takes seconds.
      const fullImages = full.images.subarray(0, 2000 * 784);
      expect(fullImages.length).toBe(sub.images.length);
      expect(fullImages.findIndex((v, i) => v !== sub.images[i]), "first differing value").toBe(-1);
      // Fashion-MNIST's published test label order starts 9 (ankle boot), 2, 1, 1, 6
      expect(Array.from(full.labels.subarray(0, 5))).toEqual([9, 2, 1, 1, 6]);
    },
  );

  it("explains missing files, label count mismatches and corrupt files", async () => {
    const dir = tmp();
    await expect(loadFashionMnist({ dir })).rejects.toThrow(
      /train-images-idx3-ubyte and train-labels-idx1-ubyte .* dataset-fashion-mnist/,
    );
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), encodeIdx([3, 28, 28], new Uint8Array(3 * 784)));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), encodeIdx([4], new Uint8Array(4), { gzip: true }));
    await expect(loadFashionMnist({ dir, split: "test" })).rejects.toThrow(
      /label count mismatch: .*t10k-labels-idx1-ubyte\.gz has 4 labels, .*t10k-images-idx3-ubyte has 3 images/,
    );
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 1])));
    await expect(loadFashionMnist({ dir, split: "test" })).rejects.toThrow(/truncated IDX file/);
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), encodeIdx([3], new Uint8Array([1, 12, 3]), { gzip: true }));
    await expect(loadFashionMnist({ dir, split: "test" })).rejects.toThrow(/label 12 at index 1, expected 0\.\.9/);
  });
});

describe("CIFAR-10 binary reader", () => {
  const record = (label: number, r: number, g: number, b: number): Uint8Array => {
    const rec = new Uint8Array(CIFAR10_RECORD_BYTES);
    rec[0] = label;
    rec.fill(r, 1, 1025);
    rec.fill(g, 1025, 2049);
    rec.fill(b, 2049);
    return rec;
  };

  it("converts planar RGB records to HWC in [0,1]", () => {
    const bytes = new Uint8Array(2 * CIFAR10_RECORD_BYTES);
    bytes.set(record(3, 255, 0, 51), 0);
    bytes.set(record(9, 0, 102, 0), CIFAR10_RECORD_BYTES);
    bytes[1 + 33] = 0; // red of pixel (row 1, col 1) of image 0
    const set = parseCifar10(bytes, "b.bin");
    expect(Array.from(set.labels)).toEqual([3, 9]);
    expect(Array.from(set.images.subarray(0, 3))).toEqual([1, 0, Math.fround(0.2)]);
    expect(set.images[33 * 3]).toBe(0);
    expect(set.images[3072 + 1]).toBeCloseTo(0.4, 6);
  });

  it("rejects truncated files and bad labels, and names missing batch files", async () => {
    expect(() => parseCifar10(new Uint8Array(CIFAR10_RECORD_BYTES + 5), "d.bin")).toThrow(/d\.bin: 3078 bytes/);
    expect(() => parseCifar10(record(42, 0, 0, 0), "c100.bin")).toThrow(/record 0 has label 42/);
    const dir = tmp();
    writeFileSync(join(dir, "test_batch.bin"), record(1, 1, 2, 3));
    const test = await loadCifar10({ dir, split: "test" });
    expect(test.count).toBe(1);
    await expect(loadCifar10({ dir })).rejects.toThrow(/data_batch_1\.bin: CIFAR-10 file not found/);
  });
});

describe("augmentation, normalisation and batching", () => {
  const shape = { count: 1, height: 4, width: 4, channels: 1 };
  const img = Float32Array.from({ length: 16 }, (_, i) => i + 1);

  it("padCropFlip with pad 0 and no flip is the identity; each output is a shifted (maybe mirrored) input", () => {
    expect(padCropFlip(img, shape, { rng: seededRandom(1), pad: 0, flip: false })).toEqual(img);
    const rng = seededRandom(7);
    for (let t = 0; t < 50; t++) {
      const out = padCropFlip(img, shape, { rng, pad: 2 });
      const nz = Array.from(out).filter((v) => v !== 0);
      // every non-zero value is an input pixel, and rows stay rows (value-1 div 4 constant along each output row)
      for (let y = 0; y < 4; y++) {
        const row = Array.from(out.subarray(4 * y, 4 * y + 4)).filter((v) => v !== 0);
        expect(new Set(row.map((v) => Math.floor((v - 1) / 4))).size).toBeLessThanOrEqual(1);
      }
      expect(nz.length).toBeGreaterThanOrEqual(4); // a 4×4 crop of the padded 8×8 overlaps at least 2×2 pixels
    }
  });

  it("mirrors with probability about 1/2 and shifts uniformly in [-4, 4]", () => {
    const n = 3000;
    const w = 9;
    const img = new Float32Array(n * w * w);
    for (let i = 0; i < n; i++) {
      for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) img[(i * w + y) * w + x] = x + 1;
    }
    const flipped = padCropFlip(img, { count: n, height: w, width: w, channels: 1 }, { rng: seededRandom(3), pad: 0 });
    let mirrored = 0;
    for (let i = 0; i < n; i++) if (flipped[i * w * w] === w) mirrored++;
    expect(mirrored / n).toBeGreaterThan(0.45);
    expect(mirrored / n).toBeLessThan(0.55);
    const shifted = padCropFlip(img, { count: n, height: w, width: w, channels: 1 }, {
      rng: seededRandom(3),
      flip: false,
    });
    const shifts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const row = shifted.subarray(i * w * w + 4 * w, i * w * w + 5 * w); // middle row survives any dy in [-4, 4]
      const x = row.findIndex((v) => v > 0);
      const dx = row[x] - 1 - x; // source column minus output column
      shifts.set(dx, (shifts.get(dx) ?? 0) + 1);
    }
    expect([...shifts.keys()].sort((a, b) => a - b)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    for (const c of shifts.values()) expect(Math.abs(c / n - 1 / 9)).toBeLessThan(0.03);
  });

  it("normalises with train statistics to zero mean and unit std", () => {
    const set = {
      images: Float32Array.from([0, 2, 4, 6]),
      labels: new Uint8Array(4),
      count: 4,
      height: 1,
      width: 1,
      channels: 1,
      source: "t",
    };
    const stats = channelStats(set);
    expect(stats.mean[0]).toBeCloseTo(3, 6);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(5), 6);
    const n = normalizeImages(set, stats);
    expect(channelStats(n).mean[0]).toBeCloseTo(0, 6);
    expect(channelStats(n).std[0]).toBeCloseTo(1, 5);
  });

  it("samples every image once per epoch, reproducibly from the seed", () => {
    const set = {
      images: Float32Array.from({ length: 10 }, (_, i) => i),
      labels: Uint8Array.from({ length: 10 }, (_, i) => i),
      count: 10,
      height: 1,
      width: 1,
      channels: 1,
      source: "t",
    };
    const a = new BatchSampler(set, { batchSize: 5, seed: 4 });
    const seen = [...a.next().labels, ...a.next().labels].sort((x, y) => x - y);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.epoch).toBe(0);
    a.next();
    expect(a.epoch).toBe(1);
    const b = new BatchSampler(set, { batchSize: 5, seed: 4 });
    const c = new BatchSampler(set, { batchSize: 5, seed: 5 });
    const first = Array.from(b.next().labels);
    expect(first).toEqual(Array.from(new BatchSampler(set, { batchSize: 5, seed: 4 }).next().labels));
    expect(first).not.toEqual(Array.from(c.next().labels));
    expect(Array.from(permutation(5, seededRandom(1))).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("loadImageData", () => {
  it("normalises train and test with the training statistics; CIFAR-10 without a folder says what to pass", async () => {
    const { train, test, stats } = await loadImageData({
      dir: SHIPPED_FASHION_MNIST_DIR,
      trainLimit: 500,
      testLimit: 50,
    });
    expect(Math.abs(channelStats(train).mean[0])).toBeLessThan(1e-5);
    expect(channelStats(train).std[0]).toBeCloseTo(1, 4);
    expect(test.count).toBe(50);
    expect(stats.mean[0]).toBeGreaterThan(0.2);
    await expect(loadImageData({ dataset: "cifar-10" })).rejects.toThrow(/needs \{ dir \}/);
  });
});
