/**
 * Figures for the GAN notebook: Figure 1 of the paper (p_data, p_g, D and the mapping x = G(z)) as a plotly figure with
 * a slider across training, and generated images across training as one PNG (GAN §5, Figure 2).
 */
import type * as tf from "@tensorflow/tfjs";
import { imageGrid, plot, type PlotlyFigure, type PlotlyTrace, type PngImage } from "../display/mod.ts";
import { discriminatorOn, generatorDensityOn, stratifiedNoise } from "./toy.ts";
import type { GanSnapshot } from "./train.ts";

/** One frame of Figure 1: D and p_g on the grid, and a few arrows z → x = G(z). */
export interface ToySnapshot {
  /** D(x) on the grid. */
  d: Float64Array;
  /** p_g on the grid (KDE of G's outputs at stratified z). */
  pG: Float64Array;
  /** Noise values whose arrows are drawn. */
  z: Float64Array;
  /** Their images x = G(z). */
  x: Float64Array;
}

/** Options of {@link toySnapshot}. */
export interface ToySnapshotOptions {
  /** Arrows drawn from the z line to the x line. Default: 25. */
  arrows?: number;
  /** Stratified noise values used for the density of p_g. Default: 5000. */
  n?: number;
  /** Noise range of the uniform p_z. Default: [-1, 1]. */
  low?: number;
  high?: number;
}

/** Captures D, p_g and the mapping x = G(z) on a grid — one panel of GAN Figure 1. */
export function toySnapshot(
  generator: tf.LayersModel,
  discriminator: tf.LayersModel,
  xs: ArrayLike<number>,
  options: ToySnapshotOptions = {},
): ToySnapshot {
  const low = options.low ?? -1;
  const high = options.high ?? 1;
  const dens = generatorDensityOn(generator, xs, { n: options.n ?? 5000, low, high });
  const z = stratifiedNoise(options.arrows ?? 25, low, high);
  const idx = Array.from(z, (v) => Math.min(dens.z.length - 1, Math.floor(((v - low) / (high - low)) * dens.z.length)));
  return {
    d: discriminatorOn(discriminator, xs),
    pG: dens.density,
    z,
    x: Float64Array.from(idx, (i) => dens.x[i]),
  };
}

interface SliderFrame {
  name: string;
  data: PlotlyTrace[];
}

function sliderFigure(frames: SliderFrame[], layout: Record<string, unknown>, prefix: string): PlotlyFigure {
  if (frames.length === 0) throw new RangeError("sliderFigure: needs at least one frame (were snapshots taken?)");
  const steps = frames.map((f) => ({
    label: f.name,
    method: "animate",
    args: [[f.name], { mode: "immediate", frame: { duration: 0, redraw: true }, transition: { duration: 0 } }],
  }));
  return plot(frames[frames.length - 1].data, {
    ...layout,
    sliders: [{ active: frames.length - 1, currentvalue: { prefix }, steps, pad: { t: 40 } }],
  }, { frames: frames.map((f) => ({ name: f.name, data: f.data })) });
}

/**
 * GAN Figure 1 as one plotly figure with a slider across training: p_data (black dots), p_g (green), D (blue dashed)
 * and arrows from the z line (bottom, z ∈ [low, high] stretched over the x range) to x = G(z) (the x line at 0).
 */
export function figureOne(
  snapshots: GanSnapshot<ToySnapshot>[],
  xs: ArrayLike<number>,
  pData: ArrayLike<number>,
  options: { low?: number; high?: number; title?: string } = {},
): PlotlyFigure {
  const x = Array.from(xs);
  const lo = x[0];
  const hi = x[x.length - 1];
  const zLow = options.low ?? -1;
  const zHigh = options.high ?? 1;
  const every = Math.max(1, Math.floor(x.length / 80));
  // Curves on at most ~400 points: smooth on screen, and 21 frames stay far under lib/display's output limit.
  const lineEvery = Math.max(1, Math.floor(x.length / 400));
  const thin = (ys: ArrayLike<number>) => Array.from(ys).filter((_, i) => i % lineEvery === 0);
  const xLine = thin(x);
  const frames = snapshots.map((s) => {
    const arrowX: (number | null)[] = [];
    const arrowY: (number | null)[] = [];
    s.value.z.forEach((z, i) => {
      arrowX.push(lo + ((z - zLow) / (zHigh - zLow)) * (hi - lo), s.value.x[i], null);
      arrowY.push(-0.3, 0, null);
    });
    return {
      name: String(s.step),
      data: [
        {
          type: "scatter",
          mode: "markers",
          x: x.filter((_, i) => i % every === 0),
          y: Array.from(pData).filter((_, i) => i % every === 0),
          name: "p_data",
          marker: { color: "black", size: 4 },
        },
        { type: "scatter", mode: "lines", x: xLine, y: thin(s.value.pG), name: "p_g", line: { color: "green" } },
        {
          type: "scatter",
          mode: "lines",
          x: xLine,
          y: thin(s.value.d),
          name: "D(x)",
          line: { color: "blue", dash: "dash" },
        },
        {
          type: "scatter",
          mode: "lines",
          x: arrowX,
          y: arrowY,
          name: "x = G(z)",
          line: { color: "gray", width: 1 },
        },
      ],
    };
  });
  return sliderFigure(frames, {
    title: { text: options.title ?? "GAN Figure 1: D (blue), p_data (black), p_g (green), x = G(z) (arrows)" },
    xaxis: { title: { text: "x" }, range: [lo, hi] },
    yaxis: { range: [-0.35, 1.05] },
  }, "step ");
}

/** Options of {@link samplesAcrossTraining}. */
export interface SamplesAcrossTrainingOptions {
  /** Height of one sample in pixels. Default: 28. */
  height?: number;
  /** Width of one sample in pixels. Default: 28. */
  width?: number;
  /** Samples shown per snapshot (the first ones, the same fixed z in every row). Default: 16, or fewer if fewer. */
  samples?: number;
  /** Pixel scale of the PNG. Default: 2. */
  scale?: number;
  /** What the samples are, opening the caption. Default: "Generated samples (fixed z) across training". */
  title?: string;
}

/**
 * Samples of G at a fixed z across training, as one PNG with one row per snapshot (top: first) and the training step
 * at the left of each row, so a reader sees noise turn into images as in the sample grids of GAN §5, Figure 2. A PNG
 * of these pixels is tens of kilobytes where a plotly heatmap per snapshot was megabytes of JSON in the notebook.
 */
export function samplesAcrossTraining(
  snapshots: readonly GanSnapshot<Float32Array>[],
  options: SamplesAcrossTrainingOptions = {},
): PngImage {
  if (snapshots.length === 0) {
    throw new RangeError("samplesAcrossTraining: no snapshots (pass snapshotEvery > 0 to the training run)");
  }
  const h = options.height ?? 28;
  const w = options.width ?? 28;
  const available = Math.min(...snapshots.map((s) => Math.floor(s.value.length / (h * w))));
  const n = Math.min(options.samples ?? 16, available);
  if (n < 1) {
    throw new RangeError(`samplesAcrossTraining: a snapshot holds ${available} images of ${h}×${w} pixels, need ≥ 1`);
  }
  const pixels = new Float32Array(snapshots.length * n * h * w);
  snapshots.forEach((s, r) => pixels.set(s.value.subarray(0, n * h * w), r * n * h * w));
  const steps = snapshots.map((s) => s.step);
  const caption = `${options.title ?? "Generated samples (fixed z) across training"}: one row per snapshot, ` +
    `top to bottom at steps ${steps.join(", ")} (the number left of each row), ${n} samples each`;
  return imageGrid(pixels, { height: h, width: w, cols: n, scale: options.scale ?? 2, rowLabels: steps, caption });
}
