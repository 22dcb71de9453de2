/**
 * The degradation problem (ResNet §1, Figure 1) and its fix (§4.2, Figure 6): "with the network depth increasing,
 * accuracy gets saturated … and then degrades rapidly. Unexpectedly, such degradation is not caused by overfitting" —
 * deeper plain nets have higher training error, while residual nets of the same depths do not. Plain and residual
 * CIFAR-style nets of several depths are trained here with the same data and settings, and the paper's orderings
 * checked on every seed.
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/mod.ts";
import { runGrid, tailMean, type TrainConfig, type TrainHistory } from "../train/mod.ts";
import { checkCifarResNetOptions, cifarResNet, type CifarResNetOptions } from "./networks.ts";

/** One net to train: a label, its builder options, and optionally its own training seed. */
export interface Variant {
  label: string;
  options: CifarResNetOptions;
  /** Seed of the batch order for this net. Default: the shared config's seed. */
  seed?: number;
}

/** A finished run: the variant, its history, and the trained model when kept. */
export interface Run extends Variant {
  history: TrainHistory;
  /** Mean training error over the last `window` steps (fraction). */
  finalTrainError: number;
  /** Last test error (fraction), NaN without a test set. */
  finalTestError: number;
  /** The trained model (only when `keepModels`); the caller disposes it. */
  model?: tf.LayersModel;
}

/** Settings of {@link trainVariants}: the shared training settings plus how to run and show the grid. */
export type TrainVariantsConfig = TrainConfig & {
  /** Return the trained models (the caller disposes them). Default: false. */
  keepModels?: boolean;
  /** Steps averaged for the final training error (and the curves). Default: 30. */
  window?: number;
  /** Parallel workers. Default: one per core. */
  workers?: number;
  /** Title of the live figure. Default: "Training error vs iterations". */
  title?: string;
};

const NETWORKS_URL = new URL("./networks.ts", import.meta.url).href;

/**
 * Trains the variants with the same data and settings — the protocol of Figure 6, where plain and residual nets of
 * each depth share every other setting — in parallel, one worker per core (lib/train runGrid), with all curves live in
 * one figure (plain nets dashed) and a progress line per net. Each net's result is exactly the one it gets trained
 * alone. Throws, naming every failed net, if any run fails.
 *
 * @example Plain nets of increasing depth on Fashion-MNIST, then their results table
 * ```ts
 * import { runRows, trainVariants } from "@lib/resnet/mod.ts";
 * import { loadImageData } from "@lib/data/mod.ts";
 *
 * const data = await loadImageData({ dataset: "fashion-mnist", trainLimit: 8192, testLimit: 1000 });
 * const runs = await trainVariants(
 *   [8, 20, 44].map((depth) => ({
 *     label: `plain-${depth}`,
 *     options: { depth, plain: true, inputShape: [28, 28, 1], widths: [8, 16, 32], seed: 1 },
 *   })),
 *   data,
 *   { steps: 150, batchSize: 64, learningRate: 0.05, seed: 1, title: "Plain nets of increasing depth" },
 * );
 * runRows(runs);
 * ```
 */
export async function trainVariants(
  variants: readonly Variant[],
  data: { train: ImageSet; test?: ImageSet },
  config: TrainVariantsConfig,
): Promise<Run[]> {
  if (variants.length === 0) throw new RangeError("trainVariants: variants is empty; give at least one net to train");
  // Every net's options are checked before any trains: a bad depth or shortcut fails now, not after the others.
  variants.forEach((v, i) => checkCifarResNetOptions(v.options, `trainVariants: variant ${i} '${v.label}'`));
  const { keepModels, window: w, workers, title, ...trainConfig } = config;
  const window = w ?? 30;
  const results = await runGrid(
    variants.map((v) => ({
      label: v.label,
      moduleUrl: NETWORKS_URL,
      exportName: "cifarResNet",
      modelOptions: { name: v.label, ...v.options },
      config: { ...trainConfig, seed: v.seed ?? trainConfig.seed },
      dash: v.options.plain ? "dash" : undefined,
      cost: v.options.depth, // time per step grows with the number of layers
    })),
    { data, keepWeights: keepModels ?? false, workers, title, window, display: trainConfig.progress !== false },
  );
  const failed = results.filter((r) => r.error !== undefined);
  if (failed.length) {
    throw new Error(
      `trainVariants: ${failed.length} of ${results.length} runs failed: ${failed.map((r) => r.error).join("; ")}`,
    );
  }
  return results.map((r, i) => {
    const v = variants[i];
    const history = r.history!;
    let model: tf.LayersModel | undefined;
    if (keepModels) {
      model = cifarResNet({ name: v.label, ...v.options });
      const ts = r.weights!.map((w, k) => tf.tensor(w, model!.weights[k].shape as number[]));
      model.setWeights(ts);
      tf.dispose(ts);
    }
    return {
      ...v,
      history,
      finalTrainError: tailMean(history.trainError, window),
      finalTestError: history.testError.length ? history.testError[history.testError.length - 1] : NaN,
      ...(model ? { model } : {}),
    };
  });
}

/**
 * The first step at which the moving average (over `options.window` steps, default 30) of the training error falls
 * below `threshold`, or null if it never does: a measure of "converges faster" (§4.1).
 */
export function stepsToError(
  history: Pick<TrainHistory, "trainError">,
  threshold: number,
  options: { window?: number } = {},
): number | null {
  const window = options.window ?? 30;
  let sum = 0;
  for (let i = 0; i < history.trainError.length; i++) {
    sum += history.trainError[i];
    if (i >= window) sum -= history.trainError[i - window];
    if (i + 1 >= window && sum / window < threshold) return i + 1;
  }
  return null;
}

/**
 * Rows for a results table: net, training error over the last steps, test error, the first step whose smoothed
 * training error is below `threshold`, speed and seconds (errors in %).
 */
export function runRows(
  runs: readonly Run[],
  options: { threshold?: number; window?: number } = {},
): Record<string, string | number>[] {
  const threshold = options.threshold ?? 0.4;
  return runs.map((r) => ({
    net: r.label,
    "train err %": +(100 * r.finalTrainError).toFixed(1),
    "test err %": Number.isNaN(r.finalTestError) ? "" : +(100 * r.finalTestError).toFixed(1),
    [`steps to < ${100 * threshold}% train err`]: stepsToError(r.history, threshold, options) ?? "never",
    "img/s": Math.round(r.history.imagesPerSecond),
    seconds: Math.round(r.history.seconds),
  }));
}

/** Options of {@link orderingAcrossSeeds}. */
export interface SeedCheckOptions {
  /** Seeds to try (each trains four nets). */
  seeds: readonly number[];
  /** Shallow and deep depths (6n+2). */
  shallow: number;
  deep: number;
  /** Builder options for a depth, plain flag and seed. */
  options: (depth: number, plain: boolean, seed: number) => CifarResNetOptions;
  /** Steps averaged for the final training error. Default: 30. */
  window?: number;
  /** Training settings shared by every run (the seed is replaced by each seed). */
  config: TrainConfig;
}

/** Final training errors (fractions) of the four nets of one seed. */
export interface SeedErrors {
  plainShallow: number;
  plainDeep: number;
  resShallow: number;
  resDeep: number;
}

/**
 * One row of the across-seeds table: the four training errors in % and the three orderings of Figure 6: degradation
 * (deeper plain worse), the residual fix (ResNet better than plain at the deep depth), and deeper ResNet better than
 * shallower ResNet.
 */
export function seedOrderingRow(
  seed: number,
  depths: { shallow: number; deep: number },
  e: SeedErrors,
): Record<string, number | boolean> {
  const pct = (v: number) => +(100 * v).toFixed(1);
  return {
    seed,
    [`plain-${depths.shallow} %`]: pct(e.plainShallow),
    [`plain-${depths.deep} %`]: pct(e.plainDeep),
    [`ResNet-${depths.shallow} %`]: pct(e.resShallow),
    [`ResNet-${depths.deep} %`]: pct(e.resDeep),
    "deeper plain worse": e.plainDeep > e.plainShallow,
    "ResNet better": e.resDeep < e.plainDeep,
    "deeper ResNet better": e.resDeep < e.resShallow,
  };
}

/**
 * For each seed, trains plain and ResNet at the shallow and the deep depth and reports whether the paper's orderings
 * hold (see {@link seedOrderingRow}). An effect claimed from a quick run must survive a change of seed.
 */
export async function orderingAcrossSeeds(
  data: { train: ImageSet; test?: ImageSet },
  check: SeedCheckOptions,
): Promise<Record<string, number | boolean>[]> {
  for (const [argument, depth] of [["shallow", check.shallow], ["deep", check.deep]] as const) {
    checkCifarResNetOptions({ depth }, `orderingAcrossSeeds: ${argument}`);
  }
  if (!(check.shallow < check.deep)) {
    throw new RangeError(
      `orderingAcrossSeeds: shallow (${check.shallow}) must be less than deep (${check.deep}); the orderings compare them`,
    );
  }
  if (!check.seeds.every((s) => Number.isInteger(s) && s >= 0) || new Set(check.seeds).size !== check.seeds.length) {
    throw new RangeError(
      `orderingAcrossSeeds: seeds must be distinct integers ≥ 0 (an empty list runs nothing), got ${
        JSON.stringify(check.seeds)
      }`,
    );
  }
  // [depth, plain] in the order the rows read them back.
  const order: [number, boolean][] = [
    [check.shallow, true],
    [check.deep, true],
    [check.shallow, false],
    [check.deep, false],
  ];
  const nets = (seed: number): Variant[] =>
    order.map(([d, plain]) => ({
      label: `${plain ? "plain" : "ResNet"}-${d} seed ${seed}`,
      options: check.options(d, plain, seed),
      seed,
    }));
  const runs = check.seeds.length
    ? await trainVariants(check.seeds.flatMap(nets), data, {
      ...check.config,
      window: check.window,
      title: "Orderings across seeds",
    })
    : [];
  const rows = check.seeds.map((seed, k) => {
    const [plainShallow, plainDeep, resShallow, resDeep] = runs.slice(4 * k, 4 * k + 4).map((r) => r.finalTrainError);
    return seedOrderingRow(seed, check, { plainShallow, plainDeep, resShallow, resDeep });
  });
  return rows;
}
