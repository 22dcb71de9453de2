/**
 * The recorded long run of ResNet §4.2 (Figure 6, Table 6's error column, Figure 7, Table 3's option A vs B) on this
 * machine: `deno task record resnet-figure6` trains, with the parameter set's `long` preset, plain nets and ResNets of
 * depths 20, 32, 44 and 56 and a ResNet-20 with option B on each of three seeds, with the paper's schedule scaled to
 * the run (§4.2: lr 0.1, ÷10 at 50 % and 75 % of the steps, momentum 0.9, weight decay 1e-4, batch 128, augmentation).
 * The notebook reads the record back as {@link Run}s and {@link NetResponses}, so the same functions that judge the
 * quick run judge the long one.
 */
import * as tf from "@tensorflow/tfjs";
import { loadImageData } from "../data/mod.ts";
import type { PlotlyFigure } from "../display/mod.ts";
import { type Budget, budget } from "../evidence/mod.ts";
import {
  errorCurves,
  type ExperimentJob,
  learningRateSchedule,
  type RecordedExperiment,
  type RecordedJob,
  type RunRecord,
  type ScheduleName,
  tailMean,
} from "../train/mod.ts";
import { CIFAR_SCHEDULE, type Run } from "./degradation.ts";
import { type LayerResponse, layerResponseStd, type NetResponses, responseStats } from "./layer_responses.ts";
import type { CifarResNetOptions } from "./networks.ts";
import { resnetParameters } from "./parameters.ts";
import type { ShortcutOption } from "./shortcut.ts";

/** The record's name: `data/runs/resnet-figure6.json`, `deno task record resnet-figure6`. */
export const FIGURE6_RECORD = "resnet-figure6";

/** Test images on which Figure 7's responses are measured for each trained net. */
const RESPONSE_IMAGES = 1000;

const NETWORKS_URL = new URL("./networks.ts", import.meta.url).href;

/** The parameters of the record: the parameter set's defaults under its `long` preset. */
export function figure6RecordParameters(): Record<string, unknown> {
  return { ...resnetParameters.defaults(), ...resnetParameters.preset("long").values };
}

/**
 * The experiment `deno task record resnet-figure6` runs: for each seed (seed first, then extraSeeds, so that a partial
 * record holds whole seeds), the plain nets and ResNets of every depth, deepest first, then the ResNet of the
 * shallowest depth with the other shortcut option.
 */
export function figure6Experiment(
  parameters: Record<string, unknown> = figure6RecordParameters(),
): RecordedExperiment {
  // A record's JSON drops the parameters whose value is undefined (dataDir): they come back as undefined.
  const values = { ...Object.fromEntries(resnetParameters.names.map((n) => [n, undefined])), ...parameters };
  resnetParameters.check(values);
  const v = values as {
    dataset: "fashion-mnist" | "cifar-10";
    dataDir?: string;
    trainImages: number;
    testImages: number;
    depths: number[];
    widths: [number, number, number];
    shortcut: ShortcutOption;
    steps: number;
    batchSize: number;
    learningRate: number;
    lrSchedule: ScheduleName;
    weightDecay: number;
    augment: boolean;
    seed: number;
    extraSeeds: number[];
    evalPoints: number;
  };
  const inputShape: [number, number, number] = v.dataset === "cifar-10" ? [32, 32, 3] : [28, 28, 1];
  const ladder = [...v.depths].sort((a, b) => b - a);
  const other: ShortcutOption = v.shortcut === "A" ? "B" : "A";
  const shallowest = ladder.at(-1)!;
  const config = {
    steps: v.steps,
    batchSize: v.batchSize,
    learningRate: learningRateSchedule(v.lrSchedule, v.steps, v.learningRate),
    momentum: 0.9,
    weightDecay: v.weightDecay,
    augment: v.augment,
    evalEvery: Math.max(1, Math.floor(v.steps / v.evalPoints)),
  };
  const job = (depth: number, plain: boolean, seed: number, shortcut: ShortcutOption): ExperimentJob => {
    const name = `${plain ? "plain" : "ResNet"}-${depth}${shortcut === v.shortcut ? "" : ` ${shortcut}`}`;
    const options: CifarResNetOptions = { depth, plain, shortcut, inputShape, widths: v.widths, seed };
    return {
      key: `${name.replace(" ", "-")}-s${seed}`,
      meta: { depth, plain, shortcut, seed },
      run: {
        label: `${name} seed ${seed}`,
        moduleUrl: NETWORKS_URL,
        exportName: "cifarResNet",
        modelOptions: { name: `${plain ? "plain" : "resnet"}-${depth}`, ...options },
        config: { ...config, seed },
        dash: plain ? "dash" : undefined,
        cost: depth,
      },
    };
  };
  const seeds = [v.seed, ...v.extraSeeds];
  return {
    name: FIGURE6_RECORD,
    title: "ResNet §4.2: Figure 6, Table 6 (error), Figure 7 and option A vs B on " +
      (v.dataset === "cifar-10" ? "CIFAR-10" : "Fashion-MNIST"),
    parameters: values,
    jobs: seeds.flatMap((seed) => [
      ...ladder.flatMap((d) => [job(d, true, seed, v.shortcut), job(d, false, seed, v.shortcut)]),
      job(shallowest, false, seed, other),
    ]),
    async data() {
      const d = await loadImageData({
        dataset: v.dataset,
        dir: v.dataDir,
        trainLimit: v.trainImages,
        testLimit: v.testImages,
      });
      return { train: d.train, test: d.test, source: `${d.train.source}; ${d.test.source}` };
    },
    measure(_job, model, data) {
      const images = tf.tidy(() => {
        const set = data.test ?? data.train;
        const n = Math.min(RESPONSE_IMAGES, set.count);
        const per = set.height * set.width * set.channels;
        return tf.tensor4d(set.images.slice(0, n * per), [n, set.height, set.width, set.channels]);
      });
      try {
        return { responses: layerResponseStd(model, images), responseImages: images.shape[0] };
      } finally {
        images.dispose();
      }
    },
  };
}

function jobNet(job: RecordedJob): { depth: number; plain: boolean; shortcut: ShortcutOption; seed: number } {
  const { depth, plain, shortcut, seed } = job.meta;
  if (typeof depth !== "number" || typeof plain !== "boolean" || typeof seed !== "number") {
    throw new RangeError(`resnet-figure6 record: job ${job.key} lacks depth, plain or seed in its meta`);
  }
  return { depth, plain, shortcut: (shortcut ?? "A") as ShortcutOption, seed };
}

/**
 * The record's complete nets as {@link Run}s (final training error: the mean over the last `window` steps; final
 * test error: the last evaluation), for the functions that judge the quick run (`depthErrors`, `errorPairs`, …).
 */
export function recordedRuns(record: RunRecord, options: { window?: number } = {}): Run[] {
  const window = options.window ?? 100;
  return record.jobs.filter((j) => j.complete).map((j) => {
    const net = jobNet(j);
    const h = j.history;
    return {
      label: j.label,
      options: { depth: net.depth, plain: net.plain, shortcut: net.shortcut, seed: net.seed },
      seed: net.seed,
      history: h,
      finalTrainError: tailMean(h.trainError, window),
      finalTestError: h.testError.length ? h.testError[h.testError.length - 1] : NaN,
      gridSeconds: h.seconds,
    };
  });
}

/**
 * The seeds a record can judge: those on which every net with the main shortcut option is complete (Figure 6, Table 6
 * and Figure 7 need all of them), or, with `options`, those on which the shallowest ResNet is complete with every
 * shortcut option the record trains (Table 3's A vs B).
 */
export function completeSeeds(record: RunRecord, which: { options?: boolean } = {}): number[] {
  const main = (record.provenance.parameters.shortcut ?? "A") as ShortcutOption;
  const shallowest = Math.min(...record.jobs.map((j) => jobNet(j).depth));
  const needed = (j: RecordedJob) => {
    const net = jobNet(j);
    return which.options ? !net.plain && net.depth === shallowest : net.shortcut === main;
  };
  const seeds = [...new Set(record.jobs.map((j) => jobNet(j).seed))];
  return seeds.filter((s) => {
    const mine = record.jobs.filter((j) => jobNet(j).seed === s && needed(j));
    // Option A vs B needs two nets (one per option); the main nets at least one.
    return mine.length >= (which.options ? 2 : 1) && mine.every((j) => j.complete);
  });
}

/** Figure 7 from the record: the measured responses of its complete nets with the main shortcut option. */
export function recordedResponses(record: RunRecord): NetResponses[] {
  const main = record.provenance.parameters.shortcut ?? "A";
  return record.jobs.filter((j) => j.complete && j.measured?.responses && jobNet(j).shortcut === main).map((j) => {
    const net = jobNet(j);
    const responses = j.measured!.responses as LayerResponse[];
    return {
      seed: net.seed,
      depth: net.depth,
      plain: net.plain,
      net: `${net.plain ? "plain" : "ResNet"}-${net.depth}`,
      responses,
      ...responseStats(responses),
    };
  });
}

/** A ResNet record read for the notebook: its complete nets as runs, the seeds they complete, its settings. */
export interface RecordedFigure6 {
  record: RunRecord;
  /** The complete nets, as {@link Run}s. */
  runs: Run[];
  /** Seeds on which every net with the main shortcut is complete: Figure 6, Table 6 and Figure 7 are judged on these. */
  seeds: number[];
  /** Seeds on which the shallowest ResNet is complete with both shortcut options: option A vs B is judged on these. */
  optionSeeds: number[];
  /** All seeds the record plans. */
  plannedSeeds: number[];
  /** How far the record is, per seed, e.g. "seed 1: 9 of 9 nets complete; seed 2: 4 of 9; seed 3: 0 of 9". */
  progress: string;
  /** "Fashion-MNIST" or "CIFAR-10". */
  dataset: string;
  depths: number[];
  shortcut: ShortcutOption;
  otherShortcut: ShortcutOption;
  steps: number;
  batchSize: number;
  trainImages: number;
  weightDecay: number;
  /** Epochs each net sees. */
  epochs: number;
  /** The record's budget on the paper's schedule (lib/evidence `budget`). */
  budget: Budget;
  /** Steps averaged for each net's final training error. */
  window: number;
}

/**
 * Reads a `resnet-figure6` record for the notebook: the complete nets as {@link Run}s (final training error averaged
 * over the last `window` steps, default 100), the seeds it can judge, and its budget beside the paper's schedule.
 */
export function recordedFigure6(record: RunRecord, options: { window?: number } = {}): RecordedFigure6 {
  if (record.name !== FIGURE6_RECORD) {
    throw new RangeError(`recordedFigure6: ${record.name} is not a ${FIGURE6_RECORD} record`);
  }
  const p = record.provenance.parameters as {
    dataset: string;
    depths: number[];
    shortcut: ShortcutOption;
    steps: number;
    batchSize: number;
    trainImages: number;
    weightDecay: number;
    seed: number;
    extraSeeds: number[];
  };
  const window = options.window ?? 100;
  const runs = recordedRuns(record, { window });
  const seeds = completeSeeds(record);
  const optionSeeds = completeSeeds(record, { options: true });
  const epochs = (p.steps * p.batchSize) / p.trainImages;
  const seconds = record.provenance.wallSeconds;
  const plannedSeeds = [p.seed, ...p.extraSeeds];
  const progress = plannedSeeds.map((seed) => {
    const mine = record.jobs.filter((j) => j.meta.seed === seed);
    return `seed ${seed}: ${mine.filter((j) => j.complete).length} of ${mine.length} nets complete`;
  }).join("; ");
  return {
    record,
    runs,
    seeds,
    optionSeeds,
    plannedSeeds,
    progress: `${record.status} record: ${progress}. Figure 6, Table 6 and Figure 7 are judged on the seeds whose ` +
      `nets with shortcut ${p.shortcut} are all complete (${seeds.length ? seeds.join(", ") : "none yet"}), option ` +
      `A vs B on those where both options are (${optionSeeds.length ? optionSeeds.join(", ") : "none yet"})` +
      (record.status === "complete" ? "." : `; \`${record.provenance.command}\` resumes it.`),
    dataset: p.dataset === "cifar-10" ? "CIFAR-10" : "Fashion-MNIST",
    depths: [...p.depths].sort((a, b) => a - b),
    shortcut: p.shortcut,
    otherShortcut: p.shortcut === "A" ? "B" : "A",
    steps: p.steps,
    batchSize: p.batchSize,
    trainImages: p.trainImages,
    weightDecay: p.weightDecay,
    epochs,
    budget: budget(
      { steps: p.steps, batchSize: p.batchSize, trainImages: p.trainImages, seconds, runs: record.jobs.length },
      CIFAR_SCHEDULE,
    ),
    window,
  };
}

/**
 * Figure 6 from the record, for one seed: every net's training error (moving average over `window` steps, thin; plain
 * nets dashed) and test error (bold), complete or not — a partial record shows its nets up to their last checkpoint,
 * and leaves out the nets it has not started.
 */
export function recordedCurves(long: RecordedFigure6, seed: number): PlotlyFigure {
  const jobs = long.record.jobs.filter((j) =>
    j.meta.seed === seed && j.meta.shortcut === long.shortcut && j.history.loss.length > 0
  );
  if (jobs.length === 0) throw new RangeError(`recordedCurves: the record has no trained steps of seed ${seed}`);
  return errorCurves(
    jobs.map((j) => ({
      name: `${j.label.replace(/ seed \d+$/, "")}${j.complete ? "" : ` (${j.history.loss.length}/${j.steps})`}`,
      history: j.history,
      dash: j.meta.plain ? "dash" : undefined,
    })),
    {
      window: long.window,
      title: `Recorded long run, seed ${seed}: Figure 6 (dashed: plain; thin: training, bold: test error)`,
    },
  );
}

/** What the notebook prints when the record is not there: the command that produces it. */
export function missingRecordNote(name: string): string {
  return `No record data/runs/${name}.json in this checkout: \`deno task record ${name}\` produces it ` +
    "(hours on two cores; it resumes where it stopped).";
}
