import { describe, expect, it } from "vitest";
import { decode } from "fast-png";
import { base64, bundleOf, imageGrid } from "./mod.ts";

/** The PNG of a displayable, decoded back from its base64 image/png. */
function decoded(bundle: Record<string, unknown>) {
  const bytes = Uint8Array.from(atob(bundle["image/png"] as string), (c) => c.charCodeAt(0));
  return decode(bytes);
}

describe("imageGrid", () => {
  it("tiles grayscale images row-major with gaps, scales them, and decodes back to the same pixels", () => {
    // three 2×2 images, two per row: values 0, 1/3, 2/3, 1 and so on
    const px = Float32Array.from([0, 1 / 3, 2 / 3, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
    const img = imageGrid(px, { height: 2, width: 2, cols: 2, scale: 1, gap: 1, caption: "three tiles" });
    expect([img.width, img.height]).toEqual([5, 5]);
    const png = decoded(bundleOf(img));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([5, 5, 1, 8]);
    // rows of the decoded grid: image 0 | gap | image 1, gap row, image 2 | gap | empty (background)
    const rows = Array.from({ length: 5 }, (_, y) => Array.from(png.data.subarray(y * 5, y * 5 + 5)));
    expect(rows).toEqual([
      [0, 85, 255, 255, 255],
      [170, 255, 255, 255, 255],
      [255, 255, 255, 255, 255],
      [128, 128, 255, 255, 255],
      [128, 128, 255, 255, 255],
    ]);
    expect(bundleOf(img)["text/plain"]).toMatch(/^three tiles \(PNG 5×5, 0\.\d KiB\)$/);
  });

  it("repeats each pixel scale×scale times, clips to [0, 1], and keeps RGB channels", () => {
    const rgb = Float32Array.from([1, 0, 0, -0.5, 2, 0.25]); // one 1×2 RGB image: red, then (0, 1, 0.25) clipped
    const png = decoded(bundleOf(imageGrid(rgb, { height: 1, width: 2, channels: 3, scale: 3 })));
    expect([png.width, png.height, png.channels]).toEqual([6, 3, 3]);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 6; x++) {
        const p = Array.from(png.data.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3));
        expect(p, `pixel (${x}, ${y})`).toEqual(x < 3 ? [255, 0, 0] : [0, 255, 64]);
      }
    }
  });

  it("draws a number at the left of each grid row, in ink on the background, leaving the images as they were", () => {
    const black = new Float32Array(2 * 15 * 15); // two black 15×15 images, one per row
    const img = imageGrid(black, { height: 15, width: 15, cols: 1, scale: 1, gap: 0, rowLabels: [0, 1000] });
    const png = decoded(bundleOf(img));
    const labelWidth = 2 + 4 * 4 + 2; // a 2-pixel margin, four 3-pixel glyphs with 1-pixel spaces, a 2-pixel margin
    expect([png.width, png.height]).toEqual([labelWidth + 15, 30]);
    const at = (x: number, y: number) => png.data[y * png.width + x];
    const ink = (y0: number, y1: number) => {
      let count = 0;
      for (let y = y0; y < y1; y++) for (let x = 0; x < labelWidth; x++) count += at(x, y) < 128 ? 1 : 0;
      return count;
    };
    expect(ink(0, 15)).toBe(12); // "0": 12 inked pixels of its 3×5 glyph
    expect(ink(15, 30)).toBe(8 + 3 * 12); // "1000"
    // the "0", right-aligned beside its row and centred in it: left = 20 − 2 − 4, top = (15 − 5) / 2
    const glyph = Array.from(
      { length: 5 },
      (_, y) => Array.from({ length: 3 }, (_, x) => at(14 + x, 5 + y) < 128 ? "#" : ".").join(""),
    );
    expect(glyph).toEqual(["###", "#.#", "#.#", "#.#", "###"]);
    for (let y = 0; y < 30; y++) for (let x = labelWidth; x < png.width; x++) expect(at(x, y)).toBe(0);
  });

  it("stays small for the GAN's sample grid: 11 snapshots × 16 Fashion-MNIST-sized images", () => {
    let seed = 1;
    const noise = Float32Array.from({ length: 11 * 16 * 784 }, () => (seed = (seed * 16807) % 2147483647) / 2147483647);
    const img = imageGrid(noise, {
      height: 28,
      width: 28,
      cols: 16,
      rowLabels: Array.from({ length: 11 }, (_, i) => i * 100),
    });
    // random noise is the worst case for PNG's compression; real samples compress several times better
    expect(img.png.length).toBeLessThan(400_000);
  });

  it("names what is wrong: a ragged pixel count, a NaN pixel, labels it cannot draw or count", () => {
    expect(() => imageGrid(new Float32Array(5), { height: 2, width: 2 })).toThrow(
      /5 values is not a whole number of 2×2×1 images \(4 values each\)/,
    );
    const nan = new Float32Array(8).fill(0.5);
    nan[6] = NaN;
    expect(() => imageGrid(nan, { height: 2, width: 2 })).toThrow(/image 1, pixel \(1, 0\) channel 0 is NaN/);
    expect(() => imageGrid(new Float32Array(4), { height: 2, width: 2, rowLabels: ["step 5"] })).toThrow(
      /row label "step 5" has "s", which the label font cannot draw/,
    );
    expect(() => imageGrid(new Float32Array(8), { height: 2, width: 2, cols: 1, rowLabels: [1] })).toThrow(
      /1 row labels for 2 grid rows/,
    );
    expect(() => imageGrid(new Float32Array(4), { height: 2, width: 2, scale: 0 })).toThrow(/scale must be an integer/);
  });

  it("base64-encodes long data in chunks as btoa would in one piece", () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 256);
    expect(base64(bytes)).toBe(
      btoa(String.fromCharCode(...bytes.subarray(0, 50_000)) + String.fromCharCode(...bytes.subarray(50_000))),
    );
  });
});
