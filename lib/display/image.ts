/**
 * Pixel arrays as PNG images (encoded with fast-png): a grid of same-sized images, optionally with a number at the
 * left of each grid row, as a Jupyter displayable whose `image/png` is a few kilobytes where a plotly heatmap of the
 * same pixels is megabytes of JSON.
 */
import { encode } from "fast-png";
import { checkedBundle, type Displayable, JUPYTER_DISPLAY, type MimeBundle, show } from "./bundle.ts";

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Height of one image in pixels. */
  height: number;
  /** Width of one image in pixels. */
  width: number;
  /** 1 (grayscale) or 3 (RGB, channels last). Default: 1. */
  channels?: 1 | 3;
  /** Images per grid row. Default: all in one row, at most 8. */
  cols?: number;
  /** Each image pixel becomes a scale×scale block (nearest neighbour), so small images stay legible. Default: 2. */
  scale?: number;
  /** White space between images, in output pixels. Default: 2. */
  gap?: number;
  /**
   * One label per grid row, drawn at its left in a small pixel font: digits, "-", "." and spaces only (e.g. the
   * training step of the snapshot the row shows).
   */
  rowLabels?: readonly (string | number)[];
  /** The text/plain form shown where an image cannot be. Default: "n images, h×w". */
  caption?: string;
}

/** 3×5 pixel glyphs of the label font, one string per row, "#" for ink. */
const GLYPHS: Record<string, readonly string[]> = {
  "0": ["###", "#.#", "#.#", "#.#", "###"],
  "1": [".#.", "##.", ".#.", ".#.", "###"],
  "2": ["###", "..#", "###", "#..", "###"],
  "3": ["###", "..#", "###", "..#", "###"],
  "4": ["#.#", "#.#", "###", "..#", "..#"],
  "5": ["###", "#..", "###", "..#", "###"],
  "6": ["###", "#..", "###", "#.#", "###"],
  "7": ["###", "..#", "..#", "..#", "..#"],
  "8": ["###", "#.#", "###", "#.#", "###"],
  "9": ["###", "#.#", "###", "..#", "###"],
  "-": ["...", "...", "###", "...", "..."],
  ".": ["...", "...", "...", "...", ".#."],
  " ": ["...", "...", "...", "...", "..."],
};

const BACKGROUND = 255;
const INK = 40;

/** Base64 of binary data, in chunks so that long images do not overflow the argument list of fromCharCode. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** A PNG image as a displayable: `image/png` (base64) for Jupyter and the site, a caption as text/plain. */
export class PngImage implements Displayable {
  /** The encoded PNG file. */
  readonly png: Uint8Array;

  constructor(png: Uint8Array, readonly width: number, readonly height: number, readonly caption: string) {
    this.png = png;
  }

  /** The caption and the image's size. */
  toString(): string {
    return `${this.caption} (PNG ${this.width}×${this.height}, ${(this.png.length / 1024).toFixed(1)} KiB)`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return checkedBundle(
      { "image/png": base64(this.png), "text/plain": this.toString() },
      `the image "${this.caption}"`,
    );
  }

  /** Displays now (not only as a cell's last value). */
  show(): Promise<void> {
    return show(this);
  }
}

function checkSize(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`imageGrid: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
}

function labelText(label: string | number): string {
  const text = String(label);
  const bad = [...text].find((ch) => !(ch in GLYPHS));
  if (bad !== undefined) {
    throw new RangeError(
      `imageGrid: row label ${JSON.stringify(text)} has ${JSON.stringify(bad)}, which the label font cannot draw ` +
        `(digits, "-", "." and spaces only); put words in the caption`,
    );
  }
  return text;
}

/**
 * Tiles n images (values in [0, 1], image after image, each row-major with channels last) into a grid, `cols` per
 * row, and encodes it as an 8-bit PNG. Values outside [0, 1] are clipped; a value that is not a number is an error
 * naming the image and pixel.
 */
export function imageGrid(pixels: ArrayLike<number>, options: ImageGridOptions): PngImage {
  const { height: h, width: w } = options;
  const channels = options.channels ?? 1;
  const scale = options.scale ?? 2;
  const gap = options.gap ?? 2;
  checkSize("height", h, 1);
  checkSize("width", w, 1);
  checkSize("scale", scale, 1);
  checkSize("gap", gap, 0);
  if (channels !== 1 && channels !== 3) throw new RangeError(`imageGrid: channels must be 1 or 3, got ${channels}`);
  const per = h * w * channels;
  const n = pixels.length / per;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `imageGrid: ${pixels.length} values is not a whole number of ${h}×${w}×${channels} images (${per} values each)`,
    );
  }
  const cols = options.cols ?? Math.min(n, 8);
  checkSize("cols", cols, 1);
  const rows = Math.ceil(n / cols);
  const labels = options.rowLabels?.map(labelText);
  if (labels && labels.length !== rows) {
    throw new RangeError(`imageGrid: ${labels.length} row labels for ${rows} grid rows (${n} images, ${cols} per row)`);
  }
  // The label font is scaled so a label is about a third of a row high.
  const font = Math.max(1, Math.floor((h * scale) / 15));
  // Its column fits the longest label with two font pixels of margin on the left and, after a glyph's own spacing
  // pixel, two on the right.
  const labelWidth = labels ? Math.max(...labels.map((l) => l.length)) * 4 * font + 4 * font : 0;
  const cellW = w * scale;
  const cellH = h * scale;
  const width = labelWidth + cols * cellW + (cols - 1) * gap;
  const height = rows * cellH + (rows - 1) * gap;
  const data = new Uint8Array(width * height * channels).fill(BACKGROUND);

  for (let k = 0; k < n; k++) {
    const x0 = labelWidth + (k % cols) * (cellW + gap);
    const y0 = Math.floor(k / cols) * (cellH + gap);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let c = 0; c < channels; c++) {
          const v = pixels[k * per + (i * w + j) * channels + c];
          if (typeof v !== "number" || Number.isNaN(v)) {
            throw new RangeError(`imageGrid: image ${k}, pixel (${i}, ${j}) channel ${c} is ${v}, not a number`);
          }
          const byte = Math.round(Math.min(1, Math.max(0, v)) * 255);
          for (let dy = 0; dy < scale; dy++) {
            const row = (y0 + i * scale + dy) * width;
            for (let dx = 0; dx < scale; dx++) data[(row + x0 + j * scale + dx) * channels + c] = byte;
          }
        }
      }
    }
  }
  labels?.forEach((label, r) => {
    const top = r * (cellH + gap) + Math.floor((cellH - 5 * font) / 2);
    const left = labelWidth - 2 * font - label.length * 4 * font; // right-aligned beside the row
    [...label].forEach((ch, m) => {
      GLYPHS[ch].forEach((line, gy) => {
        for (let gx = 0; gx < 3; gx++) {
          if (line[gx] !== "#") continue;
          for (let dy = 0; dy < font; dy++) {
            for (let dx = 0; dx < font; dx++) {
              const p = (top + gy * font + dy) * width + left + (m * 4 + gx) * font + dx;
              data.fill(INK, p * channels, (p + 1) * channels);
            }
          }
        }
      });
    });
  });
  const caption = options.caption ?? `${n} images, ${h}×${w}`;
  const png = encode({ width, height, data, channels, depth: 8 });
  return new PngImage(png, width, height, caption);
}
