/**
 * The recorded long run of GAN §5 on this machine: `deno task record gan-fashion-mnist` trains the image GAN of §5
 * (an MLP generator against a maxout discriminator with dropout, Algorithm 1) with the parameter set's `long` preset,
 * one run per seed, on Fashion-MNIST (the paper: MNIST, TFD, CIFAR-10), and estimates Table 1's Parzen-window
 * log-likelihood of the test images at a few points of training and at the end. Each run checkpoints at each of
 * those evaluations (G's and D's weights, both optimisers' states, the minibatch, noise and dropout streams), so a
 * stopped record resumes exactly. The notebook reads the record back with {@link recordedGan} and judges it with the
 * functions that judge the quick run ({@link parzenEvidence}).
 */
import { loadFashionMnist } from "../data/mod.ts";
import { base64, imageGrid, line, plot, type PlotlyFigure, type PngImage, type Table, table } from "../display/mod.ts";
import { type IterationBudget, iterationBudget } from "../evidence/iteration_budget.ts";
import type {
  CustomJob,
  CustomJobContext,
  CustomJobResult,
  CustomJobState,
  JobCurves,
  RecordedCustomJob,
  RecordedExperiment,
  RunRecord,
} from "../train/mod.ts";
import { movingAverage } from "../train/mod.ts";
import type { GanOptimizer, GanStepRecord } from "./algorithm1.ts";
import { generateSamples, type ImageGanState, runImageGan } from "./image_gan.ts";
import type { GeneratorLossKind } from "./losses.ts";
import { buildImageGenerator } from "./models.ts";
import { ganParameters } from "./parameters.ts";
import { type ParzenEvidence, parzenEvidence, parzenForSamples, type ParzenResult } from "./parzen.ts";

/** The record's name: `data/runs/gan-fashion-mnist.json`, `deno task record gan-fashion-mnist`. */
export const GAN_RECORD = "gan-fashion-mnist";

/** Training images of §5 (the notebook's split): the first 9,000 of the training set; the next 500 choose σ. */
export const GAN_TRAIN_IMAGES = 9000;
export const GAN_VALIDATION_IMAGES = 500;

/**
 * Table 1's Gaussian Parzen window estimate for the adversarial nets on MNIST: 225 ± 2 nats (mean log-likelihood of
 * the test set ± its standard error). The record is Fashion-MNIST, whose images are harder to model: the two numbers
 * are not on one scale.
 */
export const TABLE1_MNIST = { mean: 225, stdErr: 2 } as const;

/** Evaluations during a run besides the one before training: at 1/4, 1/2, 3/4 of the steps and at the end. */
const EVALUATIONS = 4;
/** The seed of the noise of the Parzen samples: the notebook's §5 cell draws its samples with the same one. */
const PARZEN_NOISE_SEED = 99;
/** Final samples kept in the record per run (8-bit pixels), for the notebook to show. */
const KEPT_SAMPLES = 16;
const KEPT_SAMPLES_SEED = 7;
/** The per-step curves of Algorithm 1 that the record keeps, as trainGan records them. */
const STEP_CURVES = ["dLoss", "gLoss", "dReal", "dFake"] as const;
/** Pixels of a Fashion-MNIST image. */
const DIM = 784;

/** The parameters of the record: the GAN parameter set's defaults under its `long` preset. */
export function ganRecordParameters(): Record<string, unknown> {
  return { ...ganParameters.defaults(), ...ganParameters.preset("long").values };
}

/** The record's values the experiment uses, checked. */
interface GanRecordValues {
  seeds: number[];
  optimizer: GanOptimizer;
  generatorLoss: GeneratorLossKind;
  imageSteps: number;
  imageHidden: number[];
  maxoutPieces: number;
  parzenSamples: number;
  parzenTest: number;
}

function recordValues(values: Record<string, unknown>): GanRecordValues {
  ganParameters.check(values);
  return values as unknown as GanRecordValues;
}

/** Steps between two evaluations (and checkpoints) of a run of `steps` iterations. */
export function ganEvalEvery(steps: number): number {
  return Math.max(1, Math.floor(steps / EVALUATIONS));
}

function emptyCurves(): JobCurves {
  return {
    steps: Object.fromEntries(STEP_CURVES.map((k) => [k, []])),
    evalSteps: [],
    evals: { parzen: [], parzenStdErr: [], sigma: [], parzenSeconds: [] },
    seconds: 0,
    trainSeconds: 0,
  };
}

function copyCurves(c: JobCurves): JobCurves {
  return {
    ...c,
    steps: Object.fromEntries(Object.entries(c.steps).map(([k, v]) => [k, [...v]])),
    evalSteps: [...c.evalSteps],
    evals: Object.fromEntries(Object.entries(c.evals).map(([k, v]) => [k, [...v]])),
  };
}

/** Sizes of the arrays of a run's state, in the order {@link toJobState} lays them out. */
interface StateLayout {
  generator: number;
  discriminator: number;
  dOptimizer: number;
  gOptimizer: number;
}

/** A run's state as a record checkpoint: weights and optimisers as arrays, the random streams as values. */
function toJobState(s: ImageGanState, curves: JobCurves): CustomJobState {
  const layout: StateLayout = {
    generator: s.generator.length,
    discriminator: s.discriminator.length,
    dOptimizer: s.dOptimizer.length,
    gOptimizer: s.gOptimizer.length,
  };
  return {
    step: s.step,
    arrays: [...s.generator, ...s.discriminator, ...s.dOptimizer, ...s.gOptimizer],
    values: { layout, rng: s.rng },
    curves: copyCurves(curves),
  };
}

/** The run's state back from a checkpoint {@link toJobState} made (its history from the per-step curves). */
function fromJobState(state: CustomJobState, file: string): ImageGanState {
  const layout = state.values.layout as StateLayout | undefined;
  const rng = state.values.rng as ImageGanState["rng"] | undefined;
  const counts = layout ? [layout.generator, layout.discriminator, layout.dOptimizer, layout.gOptimizer] : [];
  if (!layout || !rng || counts.reduce((a, b) => a + b, 0) !== state.arrays.length) {
    throw new Error(`${file}: not a checkpoint of a GAN run (layout or random streams missing); delete it to restart`);
  }
  const parts: Float32Array[][] = [];
  let at = 0;
  for (const n of counts) parts.push(state.arrays.slice(at, at += n));
  const c = state.curves.steps;
  const history: GanStepRecord[] = c.dLoss.map((dLoss, i) => ({
    step: i + 1,
    dLoss,
    gLoss: c.gLoss[i],
    dReal: c.dReal[i],
    dFake: c.dFake[i],
  }));
  const [generator, discriminator, dOptimizer, gOptimizer] = parts;
  return { step: state.step, history, generator, discriminator, dOptimizer, gOptimizer, rng };
}

/** Options of {@link ganRunJob}: the run's settings and the images it evaluates on. */
interface GanRunJobOptions {
  seed: number;
  values: GanRecordValues;
  /** Estimate the Parzen log-likelihood of as many real training images too (the reference row of Table 1). */
  reference: boolean;
}

/** One seed's run of §5 as a record job: Algorithm 1 with Parzen estimates at intervals. */
function ganRunJob({ seed, values: v, reference }: GanRunJobOptions): CustomJob {
  const every = ganEvalEvery(v.imageSteps);
  return {
    key: `gan-s${seed}`,
    label: `GAN seed ${seed}`,
    meta: { seed },
    steps: v.imageSteps,
    async train(ctx: CustomJobContext): Promise<CustomJobResult> {
      const { train, test } = ctx.data;
      if (!test || train.count < GAN_TRAIN_IMAGES + GAN_VALIDATION_IMAGES || test.count < v.parzenTest) {
        throw new RangeError(
          `${GAN_RECORD}: the data hold ${train.count} training and ${test?.count ?? 0} test images; the run needs ` +
            `${GAN_TRAIN_IMAGES + GAN_VALIDATION_IMAGES} and ${v.parzenTest} (install the full Fashion-MNIST: ` +
            "apt-get install dataset-fashion-mnist)",
        );
      }
      const images = train.images.subarray(0, GAN_TRAIN_IMAGES * DIM);
      const validation = train.images.subarray(
        GAN_TRAIN_IMAGES * DIM,
        (GAN_TRAIN_IMAGES + GAN_VALIDATION_IMAGES) * DIM,
      );
      const testImages = test.images.subarray(0, v.parzenTest * DIM);
      const evaluate = ctx.evaluate ?? true;
      const curves = ctx.resume ? copyCurves(ctx.resume.curves) : emptyCurves();
      const begin = performance.now() - 1000 * curves.seconds;
      let evalSeconds = curves.seconds - curves.trainSeconds;
      const clock = () => {
        curves.seconds = (performance.now() - begin) / 1000;
        curves.trainSeconds = curves.seconds - evalSeconds;
      };
      const parzenOf = (samples: Float32Array): ParzenResult => parzenForSamples(samples, validation, testImages);
      // Table 1's estimate of G's samples at this step: σ chosen on the validation images, then the test images.
      const estimate = (step: number, generator: Parameters<typeof generateSamples>[0]): void => {
        const t = performance.now();
        const p = parzenOf(generateSamples(generator, v.parzenSamples, PARZEN_NOISE_SEED));
        const seconds = (performance.now() - t) / 1000;
        evalSeconds += seconds;
        curves.evalSteps.push(step);
        curves.evals.parzen.push(p.mean);
        curves.evals.parzenStdErr.push(p.stdErr);
        curves.evals.sigma.push(p.sigma);
        curves.evals.parzenSeconds.push(+seconds.toFixed(2));
      };
      const netOptions = {
        generator: { hidden: v.imageHidden },
        discriminator: { hidden: v.imageHidden, pieces: v.maxoutPieces },
      };
      if (!ctx.resume && evaluate) {
        // Before training: runImageGan builds its G with the same seed, so these are its initial weights.
        const untrained = buildImageGenerator({ seed, outputDim: DIM, ...netOptions.generator });
        try {
          estimate(0, untrained);
        } finally {
          untrained.dispose();
        }
      }
      const gan = await runImageGan({
        images,
        seed,
        steps: ctx.steps,
        optimizer: v.optimizer,
        generatorLoss: v.generatorLoss,
        ...netOptions,
        resume: ctx.resume ? fromJobState(ctx.resume, `checkpoint of ${GAN_RECORD} seed ${seed}`) : undefined,
        checkpointEvery: every,
        signal: ctx.signal,
        onStep: async (r) => {
          // A non-finite loss would make the record unreadable (parseRecord refuses it): stop the run, naming it.
          if (!STEP_CURVES.every((k) => Number.isFinite(r[k]))) {
            throw new Error(
              `${GAN_RECORD} seed ${seed} diverged at iteration ${r.step} (D loss ${r.dLoss}, G loss ${r.gLoss}); ` +
                "its record keeps the iterations up to its last checkpoint. These settings diverge: change the long " +
                "preset in lib/gan/parameters.ts and record anew with another --out",
            );
          }
          for (const k of STEP_CURVES) curves.steps[k].push(r[k]);
          await ctx.onStep(r.step);
        },
        onCheckpoint: async (state, generator) => {
          if (evaluate) estimate(state.step, generator);
          clock();
          await ctx.onCheckpoint?.(toJobState(state, curves));
        },
      });
      try {
        if (evaluate) estimate(ctx.steps, gan.generator);
        const measured: Record<string, unknown> = {};
        if (evaluate && ctx.steps === v.imageSteps) {
          const kept = generateSamples(gan.generator, KEPT_SAMPLES, KEPT_SAMPLES_SEED);
          measured.samples = base64(Uint8Array.from(kept, (x) => Math.round(255 * x)));
          measured.sampleCount = KEPT_SAMPLES;
          if (reference) {
            const t = performance.now();
            const real = parzenOf(images.slice(0, v.parzenSamples * DIM));
            measured.realParzen = { mean: real.mean, stdErr: real.stdErr, sigma: real.sigma, count: real.count };
            evalSeconds += (performance.now() - t) / 1000;
          }
        }
        clock();
        return { curves, ...(Object.keys(measured).length ? { measured } : {}) };
      } finally {
        gan.generator.dispose();
      }
    },
  };
}

/**
 * The experiment `deno task record gan-fashion-mnist` runs: one run of §5 per seed of the parameter set, in the
 * order of `seeds` (a partial record holds the first ones), each with the Parzen estimate before training, at 1/4,
 * 1/2 and 3/4 of its iterations and at the end; the first run also estimates as many real training images (the
 * reference row of the notebook's Table 1).
 */
export function ganExperiment(values: Record<string, unknown> = ganRecordParameters()): RecordedExperiment {
  const v = recordValues(values);
  return {
    name: GAN_RECORD,
    title: "GAN §5: the image GAN and Table 1's Parzen estimate on Fashion-MNIST",
    parameters: values,
    jobs: [],
    customJobs: v.seeds.map((seed, i) => ganRunJob({ seed, values: v, reference: i === 0 })),
    async data() {
      const train = await loadFashionMnist({ split: "train", limit: GAN_TRAIN_IMAGES + GAN_VALIDATION_IMAGES });
      const test = await loadFashionMnist({ split: "test", limit: v.parzenTest });
      return { train, test, source: `${train.source}; ${test.source}` };
    },
  };
}

/** One recorded run, read back: its curves and Table 1's estimates before training and at the end. */
export interface RecordedGanRun {
  seed: number;
  job: RecordedCustomJob;
  /** The estimate before training (step 0) and at the last evaluation, as the quick run's {@link ParzenResult}s. */
  untrained?: ParzenResult;
  final?: ParzenResult;
}

/** A GAN record read back for the notebook. */
export interface RecordedGan {
  record: RunRecord;
  runs: RecordedGanRun[];
  /** Seeds whose run is complete: the seeds the verdicts are judged on. */
  seeds: number[];
  /** Parzen estimate of as many real training images as the runs' samples (the first run's), when recorded. */
  real?: ParzenResult;
  /** The record's settings. */
  steps: number;
  parzenSamples: number;
  parzenTest: number;
  /** Status of every planned run, and the command that resumes a partial record. */
  progress: string;
  /** The budget of the record's runs (iterations, images seen, wall time). */
  budget: IterationBudget;
}

function asParzen(mean: number, stdErr: number, sigma: number, count: number): ParzenResult {
  return { mean, stdErr, sigma, count, validation: [] };
}

function evaluationAt(job: RecordedCustomJob, index: number, count: number): ParzenResult | undefined {
  const c = job.curves;
  const i = index < 0 ? c.evalSteps.length + index : index;
  if (i < 0 || i >= c.evalSteps.length) return undefined;
  return asParzen(c.evals.parzen[i], c.evals.parzenStdErr[i], c.evals.sigma[i], count);
}

/** Reads a {@link GAN_RECORD} record: its runs, their estimates, the reference row, progress and budget. */
export function recordedGan(record: RunRecord): RecordedGan {
  if (record.name !== GAN_RECORD) throw new RangeError(`recordedGan: ${record.name} is not a ${GAN_RECORD} record`);
  const v = record.provenance.parameters as unknown as GanRecordValues;
  const jobs = record.customJobs ?? [];
  const runs = jobs.map((job) => {
    const complete = job.complete && job.curves.evalSteps.at(-1) === job.steps;
    return {
      seed: Number(job.meta.seed),
      job,
      untrained: job.curves.evalSteps[0] === 0 ? evaluationAt(job, 0, v.parzenTest) : undefined,
      final: complete ? evaluationAt(job, -1, v.parzenTest) : undefined,
    };
  });
  const seeds = runs.filter((r) => r.job.complete).map((r) => r.seed);
  const realRecord = jobs.find((j) => j.measured?.realParzen)?.measured?.realParzen as
    | { mean: number; stdErr: number; sigma: number; count: number }
    | undefined;
  const progress = runs.map((r) =>
    `seed ${r.seed}: ${
      r.job.complete
        ? "complete"
        : `${r.job.curves.steps.dLoss?.length ?? 0} of ${r.job.steps} iterations (at its last checkpoint)`
    }`
  ).join("; ");
  return {
    record,
    runs,
    seeds,
    real: realRecord && asParzen(realRecord.mean, realRecord.stdErr, realRecord.sigma, realRecord.count),
    steps: v.imageSteps,
    parzenSamples: v.parzenSamples,
    parzenTest: v.parzenTest,
    progress: `${record.status} record: ${progress}. The verdicts are judged on the complete runs (seeds ` +
      `${seeds.length ? seeds.join(", ") : "none yet"})` +
      (record.status === "complete" ? "." : `; \`${record.provenance.command}\` resumes it.`),
    budget: iterationBudget({
      iterations: v.imageSteps,
      dSteps: 1,
      gSteps: 1,
      batchSize: 64,
      seconds: record.provenance.wallSeconds,
      runs: jobs.length,
      trainImages: GAN_TRAIN_IMAGES,
      label: "Recorded",
    }, { source: "GAN §5" }),
  };
}

/** Every `stride`-th point of a curve, so a plotted curve stays within a few hundred points. */
function thinned(values: readonly number[], maxPoints: number): { x: number[]; y: number[] } {
  const stride = Math.max(1, Math.ceil(values.length / maxPoints));
  const x: number[] = [];
  const y: number[] = [];
  for (let i = stride - 1; i < values.length; i += stride) {
    x.push(i + 1);
    y.push(values[i]);
  }
  return { x, y };
}

/**
 * The recorded runs' per-iteration curves (moving averages over `window` iterations): D's loss −V and G's loss (top),
 * mean D(x) and D(G(z)) (bottom), one colour per seed; labelled as recorded.
 */
export function recordedGanCurves(
  long: RecordedGan,
  options: { window?: number; maxPoints?: number } = {},
): PlotlyFigure {
  const window = options.window ?? 100;
  const maxPoints = options.maxPoints ?? 400;
  const colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];
  const traces = long.runs.filter((r) => (r.job.curves.steps.dLoss?.length ?? 0) > 0).flatMap((r, i) => {
    const colour = colours[i % colours.length];
    const curve = (k: string, name: string, dash: string | undefined, yaxis: string) => {
      const { x, y } = thinned(movingAverage(r.job.curves.steps[k], window), maxPoints);
      return line(y, { x, name: `seed ${r.seed}: ${name}`, line: { color: colour, dash }, yaxis });
    };
    return [
      curve("dLoss", "D loss −V", undefined, "y"),
      curve("gLoss", "G loss", "dot", "y"),
      curve("dReal", "D(x)", undefined, "y2"),
      curve("dFake", "D(G(z))", "dash", "y2"),
    ];
  });
  if (traces.length === 0) throw new RangeError("recordedGanCurves: the record has no trained iterations yet");
  return plot(traces, {
    title: { text: `Recorded long run: Algorithm 1's curves (moving average over ${window} iterations)` },
    xaxis: { title: { text: "iteration" } },
    yaxis: { title: { text: "loss" }, domain: [0.55, 1] },
    yaxis2: { title: { text: "mean D output" }, domain: [0, 0.45], anchor: "x" },
    height: 560,
  });
}

/** The recorded Parzen estimates across training, one line per seed with ±2 standard errors; the end's real row. */
export function recordedParzenFigure(long: RecordedGan): PlotlyFigure {
  const traces = long.runs.filter((r) => r.job.curves.evalSteps.length > 0).map((r) =>
    line(r.job.curves.evals.parzen, {
      x: r.job.curves.evalSteps,
      name: `recorded seed ${r.seed}`,
      mode: "lines+markers",
      error_y: { type: "data", array: r.job.curves.evals.parzenStdErr.map((e) => 2 * e) },
    })
  );
  if (long.real) {
    traces.push(line([long.real.mean, long.real.mean], {
      x: [0, long.steps],
      name: `${long.parzenSamples} real training images`,
      dash: "dash",
    }));
  }
  return plot(traces, {
    title: { text: `Recorded: Parzen log-likelihood of ${long.parzenTest} test images across training (±2 s.e.)` },
    xaxis: { title: { text: "iteration" } },
    yaxis: { title: { text: "nats" } },
  });
}

/**
 * Table 1 beside this notebook's runs: the quick run's estimate, each complete recorded run's (before training and at
 * the end), the recorded real-images row, and the paper's MNIST number, each with what it was computed on.
 */
export function table1Rows(
  long: RecordedGan | undefined,
  quick: { steps: number; samples: number; test: number; trained: ParzenResult; untrained: ParzenResult },
): Table {
  const row = (what: string, p: Pick<ParzenResult, "mean" | "stdErr">, on: string, sigma?: number) => ({
    "": what,
    "log-likelihood (nats)": +p.mean.toFixed(1),
    "std. error": +p.stdErr.toFixed(1),
    σ: sigma ?? "",
    "computed on": on,
  });
  const fm = (samples: number, test: number) => `Fashion-MNIST: ${samples} samples, ${test} test images`;
  const rows = [
    row(`quick run: untrained G`, quick.untrained, fm(quick.samples, quick.test), quick.untrained.sigma),
    row(
      `quick run: GAN after ${quick.steps} iterations`,
      quick.trained,
      fm(quick.samples, quick.test),
      quick.trained.sigma,
    ),
  ];
  for (const r of long?.runs ?? []) {
    if (!r.final) continue;
    if (r.untrained) {
      rows.push(row(`recorded seed ${r.seed}: untrained G`, r.untrained, fm(long!.parzenSamples, long!.parzenTest)));
    }
    rows.push(
      row(
        `recorded seed ${r.seed}: GAN after ${r.job.steps} iterations`,
        r.final,
        fm(long!.parzenSamples, long!.parzenTest),
        r.final.sigma,
      ),
    );
  }
  if (long?.real) {
    rows.push(
      row(`recorded: ${long.parzenSamples} real training images`, long.real, fm(long.parzenSamples, long.parzenTest)),
    );
  }
  rows.push(row("GAN Table 1: adversarial nets", TABLE1_MNIST, "MNIST (the paper): 10,000 test images"));
  return table(rows, {
    caption: "Table 1: Gaussian Parzen window log-likelihood, this notebook's runs and the paper's",
  });
}

/** The quick run's verdicts applied to the record: training raised the estimate; real images stay above (per seed). */
export function recordedParzenEvidence(long: RecordedGan): ParzenEvidence | undefined {
  const runs = long.runs.filter((r) => r.untrained && r.final);
  if (!long.real || runs.length === 0) return undefined;
  return parzenEvidence(
    runs.map((r) => ({ seed: r.seed, untrained: r.untrained!, trained: r.final!, real: long.real! })),
  );
}

/**
 * One sentence from the numbers: the recorded runs' final estimates against the quick run's, in nats and in combined
 * standard errors, and where Table 1's MNIST number stands (another dataset: not on the same scale).
 */
export function recordedVsQuick(long: RecordedGan, quick: ParzenResult, quickSteps: number): string {
  const finals = long.runs.filter((r) => r.final).map((r) => r.final!);
  if (finals.length === 0) return `The record has no complete run yet (${long.progress})`;
  const gaps = finals.map((f) => (f.mean - quick.mean) / Math.sqrt(f.stdErr ** 2 + quick.stdErr ** 2));
  const mean = finals.reduce((a, f) => a + f.mean, 0) / finals.length;
  const higher = finals.filter((f) => f.mean > quick.mean).length;
  return `Recorded runs after ${long.steps} iterations: ${mean.toFixed(1)} nats (mean of ${finals.length} ` +
    `seed${finals.length === 1 ? "" : "s"}), above this quick run's ${
      quick.mean.toFixed(1)
    } nats after ${quickSteps} ` +
    `iterations on ${higher} of ${finals.length} (gaps ${gaps.map((g) => g.toFixed(1)).join(", ")} combined ` +
    `standard errors; the record estimates on ${long.parzenSamples} samples and ${long.parzenTest} test images). ` +
    `Table 1's ${TABLE1_MNIST.mean} ± ${TABLE1_MNIST.stdErr} is MNIST's, another dataset: not on this scale.`;
}

/** The final samples each complete recorded run kept (fixed noise), one row per seed: what the record's G draws. */
export function recordedSamples(long: RecordedGan): PngImage | undefined {
  const kept = long.runs.filter((r) => typeof r.job.measured?.samples === "string");
  if (kept.length === 0) return undefined;
  const rows = kept.map((r) => Uint8Array.from(atob(r.job.measured!.samples as string), (c) => c.charCodeAt(0)));
  const n = Math.min(...rows.map((b) => b.length / DIM));
  const pixels = new Float32Array(kept.length * n * DIM);
  rows.forEach((b, i) => b.subarray(0, n * DIM).forEach((v, j) => (pixels[i * n * DIM + j] = v / 255)));
  return imageGrid(pixels, {
    height: 28,
    width: 28,
    cols: n,
    rowLabels: kept.map((r) => r.seed),
    caption: `Recorded: samples of each complete run's G after ${long.steps} iterations, one row per seed (the ` +
      `number left of each row), ${n} samples at fixed noise`,
  });
}

/** Where the record is missing: the command that produces it. */
export function missingGanRecordNote(): string {
  return `No record data/runs/${GAN_RECORD}.json in this checkout: \`deno task record ${GAN_RECORD}\` produces it ` +
    "(one core; it resumes where it stopped).";
}
