/**
 * GAN Figure 1: a 1-D generative adversarial net trained with Algorithm 1, drawn as the paper draws it: p_data (black
 * dots), p_g (green), D (blue dashed) and the mapping x = G(z) from the z line to the x line, here as one plotly figure
 * with a slider across training. Each frame records JSD(p_data‖p_g), which Theorem 1 says training drives to 0.
 */
import type * as tf from "@tensorflow/tfjs";
import { type Density1D, type Grid, jsDivergence, pdfOn } from "../math/mod.ts";
import { ordering, type OrderingEvidence } from "../evidence/mod.ts";
import { plot, type PlotlyFigure, type PlotlyTrace } from "../display/mod.ts";
import { type GanOptimizer, type GanSnapshot, type GanStepRecord, trainGan } from "./algorithm1.ts";
import type { GeneratorLossKind } from "./losses.ts";
import { buildDiscriminator, buildGenerator, type DiscriminatorOptions, type GeneratorOptions } from "./models.ts";
import { SEED_OFFSET } from "./seeds.ts";
import {
  densitySampler,
  discriminatorOn,
  generatorDensityOn,
  meanAbsDeviation,
  stratifiedNoise,
  uniformNoiseSampler,
} from "./toy.ts";

/**
 * Stratified noise values behind p_g in a snapshot and in a run's JSD at start and end, so that the last snapshot's
 * JSD is the run's final JSD.
 */
const P_G_NOISE_VALUES = 5000;

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

/** Captures D, p_g and the mapping x = G(z) on a grid: one panel of Figure 1. */
export function toySnapshot(
  generator: tf.LayersModel,
  discriminator: tf.LayersModel,
  xs: ArrayLike<number>,
  options: ToySnapshotOptions = {},
): ToySnapshot {
  const low = options.low ?? -1;
  const high = options.high ?? 1;
  const dens = generatorDensityOn(generator, xs, { n: options.n ?? P_G_NOISE_VALUES, low, high });
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
 * Figure 1 as one plotly figure with a slider across training: p_data (black dots), p_g (green), D (blue dashed) and
 * arrows from the z line (bottom, z ∈ [low, high] stretched over the x range) to x = G(z) (the x line at 0).
 *
 * @example The first seed's run of the toy, one frame per snapshot
 * ```ts
 * import { figureOne, runSchedules } from "@lib/gan/mod.ts";
 * import { grid, normal, pdfOn } from "@lib/math/mod.ts";
 *
 * const xGrid = grid(-6, 8, 1401);
 * const pData = normal(2, 0.5);
 * const [run] = await runSchedules([{ name: "k = 1", k: 1, generatorSteps: 1, steps: 1000 }], [1], {
 *   pData,
 *   grid: xGrid,
 *   snapshotEvery: 50,
 * });
 * figureOne(run.snapshots, xGrid.xs, pdfOn(pData, xGrid.xs));
 * ```
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

/** Options of {@link runToyGan}. */
export interface ToyGanOptions {
  /** The data density p_data. */
  pData: Density1D;
  /** Grid on which densities, D and the JSD are evaluated. */
  grid: Grid;
  /** Seed of the networks, the data and the noise. */
  seed: number;
  /** Iterations of Algorithm 1. */
  steps: number;
  /** D steps per iteration. Default: 1. */
  k?: number;
  /** G steps per iteration. Default: 1. */
  generatorSteps?: number;
  /** Minibatch size. Default: 64. */
  batchSize?: number;
  /** Generator objective. Default: "non-saturating". */
  generatorLoss?: GeneratorLossKind;
  /** Update rule of both networks. Default: "adam"; "momentum" is the paper's momentum SGD. */
  optimizer?: GanOptimizer;
  /** Learning rate of `optimizer`. Default: trainGan's (1e-3 for Adam, 0.1 for momentum SGD). */
  learningRate?: number;
  /** Generator architecture (1-D noise is assumed by the density estimate). Default: buildGenerator's defaults. */
  generator?: GeneratorOptions;
  /** Discriminator architecture. Default: buildDiscriminator's defaults. */
  discriminator?: DiscriminatorOptions;
  /** Take a Figure 1 snapshot every this many iterations. Default: 0 (only the JSD at start and end). */
  snapshotEvery?: number;
  /** Called after every iteration. */
  onStep?: (record: GanStepRecord) => void | Promise<void>;
}

/** What {@link runToyGan} returns. */
export interface ToyGanResult {
  /** JSD(p_data‖p_g) in nats before training. */
  jsdStart: number;
  /** JSD(p_data‖p_g) in nats after training. */
  jsdEnd: number;
  /** p_g on the grid after training. */
  pG: Float64Array;
  /** G(z) at stratified z after training (for mode masses). */
  samples: Float64Array;
  /** Per-iteration losses and mean D outputs. */
  history: GanStepRecord[];
  /** Figure 1 snapshots (empty unless snapshotEvery > 0), each with its JSD. */
  snapshots: GanSnapshot<ToySnapshot & { jsd: number }>[];
}

/**
 * Trains a fresh 1-D GAN with Algorithm 1 on p_data and measures JSD(p_data‖p_g) before and after, with Figure 1
 * snapshots along the way. Builds and disposes its own networks; leaves no tensors behind.
 */
export async function runToyGan(options: ToyGanOptions): Promise<ToyGanResult> {
  const { grid, seed } = options;
  const pd = pdfOn(options.pData, grid.xs);
  const G = buildGenerator({ seed, ...options.generator, noiseDim: 1 });
  const D = buildDiscriminator({ seed: seed + SEED_OFFSET.discriminator, ...options.discriminator, inputDim: 1 });
  const jsdOf = (pG: Float64Array): number => jsDivergence(pd, pG, grid.dx);
  try {
    const jsdStart = jsdOf(generatorDensityOn(G, grid.xs, { n: P_G_NOISE_VALUES }).density);
    const result = await trainGan(G, D, {
      steps: options.steps,
      k: options.k,
      generatorSteps: options.generatorSteps,
      batchSize: options.batchSize,
      generatorLoss: options.generatorLoss,
      optimizer: options.optimizer,
      learningRate: options.learningRate,
      sampleData: densitySampler(options.pData, seed),
      sampleNoise: uniformNoiseSampler(1, seed + SEED_OFFSET.noise),
      snapshotEvery: options.snapshotEvery ?? 0,
      snapshot: () => {
        const s = toySnapshot(G, D, grid.xs);
        return { ...s, jsd: jsdOf(s.pG) };
      },
      onStep: options.onStep,
    });
    const end = generatorDensityOn(G, grid.xs, { n: P_G_NOISE_VALUES });
    return {
      jsdStart,
      jsdEnd: jsdOf(end.density),
      pG: end.density,
      samples: end.x,
      history: result.history,
      snapshots: result.snapshots,
    };
  } finally {
    G.dispose();
    D.dispose();
  }
}

/** A trained Figure 1 run as {@link figureOneEvidence} reads it (a `runSchedules` run with snapshots). */
export interface FigureOneRun {
  seed: number;
  jsdStart: number;
  jsd: number;
  snapshots: GanSnapshot<ToySnapshot>[];
}

/** Mean |D − 1/2| under p_data at each snapshot: how far D is from the flat 1/2 of Figure 1 (d). */
export function flatnessAcrossTraining(run: FigureOneRun, pData: ArrayLike<number>): number[] {
  return run.snapshots.map((s) => meanAbsDeviation(s.value.d, 0.5, pData));
}

/** The two outcomes Figure 1 draws, judged on every seed of this run. */
export interface FigureOneEvidence {
  /** JSD(p_data‖p_g) lower at the end than at the start (Theorem 1: training drives it to 0). */
  jsdFalls: OrderingEvidence;
  /** D further from 1/2 at its most separating snapshot than at the end (Figure 1 (b) → (d)). */
  dFlattens: OrderingEvidence;
}

/**
 * Figure 1's outcomes judged on this run's seeds — GAN Figure 1, (a)–(d): p_g moves onto p_data (JSD falls from its
 * start) and D, after separating the two, flattens back to 1/2 (mean |D − 1/2| under p_data at the end below its
 * largest value during training). Each sentence says on how many seeds it held and by how much.
 */
export function figureOneEvidence(runs: readonly FigureOneRun[], pData: ArrayLike<number>): FigureOneEvidence {
  if (runs.some((r) => r.snapshots.length < 2)) {
    throw new RangeError("figureOneEvidence: every run needs snapshots (pass snapshotEvery > 0 to runSchedules)");
  }
  const jsdFalls = ordering(
    "그림 1: 훈련 뒤 JSD가 처음보다 낮음 / Figure 1: JSD(p_data‖p_g) lower after training than before",
    runs.map((r) => ({ seed: r.seed, higher: r.jsdStart, lower: r.jsd })),
    { unit: "nats", digits: 3 },
  );
  const dFlattens = ordering(
    "그림 1: D가 가장 멀리 벌어졌던 때보다 끝에서 1/2에 가까움 / Figure 1: D ends closer to 1/2 than at its most " +
      "separating snapshot (mean |D − 1/2| under p_data)",
    runs.map((r) => {
      const flat = flatnessAcrossTraining(r, pData);
      return { seed: r.seed, higher: Math.max(...flat), lower: flat[flat.length - 1] };
    }),
    { digits: 3 },
  );
  return { jsdFalls, dFlattens };
}
