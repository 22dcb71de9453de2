/**
 * The degradation problem (ResNet §1, Figure 1) and its fix (§4.2, Figure 6): "with the network depth increasing,
 * accuracy gets saturated … and then degrades rapidly. Unexpectedly, such degradation is not caused by overfitting" —
 * deeper plain nets have higher training error, while residual nets of the same depths do not. Plain and residual
 * CIFAR-style nets of several depths are trained here with the same data and settings, and the paper's orderings
 * checked on every seed.
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/mod.ts";
import { adjacentOrderings, ordering, type OrderingEvidence } from "../evidence/mod.ts";
import { runGrid, tailMean, type TrainConfig, type TrainHistory } from "../train/mod.ts";
import { checkCifarResNetOptions, cifarResNet, type CifarResNetOptions } from "./networks.ts";
import type { ShortcutOption } from "./shortcut.ts";

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
  /** Wall-clock seconds of the whole grid this run was trained in (all its nets, in parallel). */
  gridSeconds: number;
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
  const started = performance.now();
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
  const gridSeconds = (performance.now() - started) / 1000;
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
      gridSeconds,
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

/**
 * The paper's CIFAR-10 schedule (§4.2): "a mini-batch size of 128 … terminate training at 64k iterations" on "45k/5k
 * train/val split", i.e. 64,000 × 128 / 45,000 ≈ 182 epochs. A quick run is placed on it by lib/evidence `budget`.
 */
export const CIFAR_SCHEDULE = {
  iterations: 64_000,
  batchSize: 128,
  trainImages: 45_000,
  epochs: Math.round((64_000 * 128) / 45_000),
  source: "ResNet §4.2",
} as const;

/**
 * What a grid of runs did, for lib/evidence `budget`: steps and batch of each run, the training set, the grid's wall
 * time and its number of runs. Throws on an empty grid (there is no budget to state).
 */
export function runBudget(
  runs: readonly Run[],
  config: { steps: number; batchSize: number },
  trainImages: number,
): { steps: number; batchSize: number; trainImages: number; seconds: number; runs: number } {
  if (runs.length === 0) throw new RangeError("runBudget: no runs; a grid that trained nothing has no budget");
  const seconds = Math.max(...new Set(runs.map((r) => r.gridSeconds)));
  return { steps: config.steps, batchSize: config.batchSize, trainImages, seconds, runs: runs.length };
}

/** Which nets {@link depthVariants} builds: both kinds at every depth, and optionally the other shortcut at one depth. */
export interface DepthGrid {
  /** Seeds of the initial weights and the batch order; an empty list builds nothing. */
  seeds: readonly number[];
  /** Depths 6n+2. */
  depths: readonly number[];
  /** Which kinds to build at every depth. */
  kinds: readonly ("plain" | "resnet")[];
  /** Builder options for a depth, kind, seed and shortcut option (undefined: the main option). */
  options: (depth: number, plain: boolean, seed: number, shortcut?: ShortcutOption) => CifarResNetOptions;
  /** Also a ResNet with this other shortcut option at this depth, on every seed (Table 3's A vs B). */
  otherShortcut?: { option: ShortcutOption; depth: number };
}

/**
 * The nets of Figure 6 for every seed: plain and/or ResNet at every depth (labels "plain-20 seed 2", "ResNet-44 seed
 * 3", "ResNet-8 B seed 2"), each with its own seed, so that every adjacent depth pair can be judged on every seed.
 */
export function depthVariants(grid: DepthGrid): Variant[] {
  const { seeds, depths, kinds } = grid;
  if (!seeds.every((s) => Number.isInteger(s) && s >= 0) || new Set(seeds).size !== seeds.length) {
    throw new RangeError(`depthVariants: seeds must be distinct integers ≥ 0, got ${JSON.stringify(seeds)}`);
  }
  depths.forEach((depth) => checkCifarResNetOptions({ depth }, "depthVariants: depths"));
  if (grid.otherShortcut) checkCifarResNetOptions({ depth: grid.otherShortcut.depth }, "depthVariants: otherShortcut");
  return seeds.flatMap((seed) => [
    ...kinds.flatMap((kind) =>
      depths.map((d) => ({
        label: `${kind === "plain" ? "plain" : "ResNet"}-${d} seed ${seed}`,
        options: grid.options(d, kind === "plain", seed),
        seed,
      }))
    ),
    ...(grid.otherShortcut
      ? [{
        label: `ResNet-${grid.otherShortcut.depth} ${grid.otherShortcut.option} seed ${seed}`,
        options: grid.options(grid.otherShortcut.depth, false, seed, grid.otherShortcut.option),
        seed,
      }]
      : []),
  ]);
}

/** {@link trainVariants} on {@link depthVariants}; an empty list of seeds trains nothing and returns []. */
export async function trainDepths(
  grid: DepthGrid,
  data: { train: ImageSet; test?: ImageSet },
  config: TrainVariantsConfig,
): Promise<Run[]> {
  const variants = depthVariants(grid);
  return variants.length ? await trainVariants(variants, data, config) : [];
}

/** Finds the run of one net: depth, kind, seed (of the run, or the config's seed) and shortcut option. */
export function findRun(
  runs: readonly Run[],
  net: { depth: number; plain: boolean; seed: number; shortcut?: ShortcutOption },
): Run {
  const found = runs.filter((r) =>
    r.options.depth === net.depth && (r.options.plain ?? false) === net.plain &&
    (r.seed ?? r.options.seed) === net.seed &&
    (net.shortcut === undefined || (r.options.shortcut ?? "A") === net.shortcut)
  );
  const name = `${net.plain ? "plain" : "ResNet"}-${net.depth}${
    net.shortcut ? ` ${net.shortcut}` : ""
  } seed ${net.seed}`;
  if (found.length === 0) throw new RangeError(`findRun: no run of ${name} among ${runs.length} runs`);
  return found[0];
}

/**
 * Figure 6's data for lib/evidence `adjacentOrderings`: the final training error of each depth (labels) on each seed,
 * for one kind of net with the main shortcut option.
 */
export function depthErrors(
  runs: readonly Run[],
  grid: { seeds: readonly number[]; depths: readonly number[]; plain: boolean; shortcut: ShortcutOption },
): { labels: string[]; seeds: number[]; values: number[][] } {
  return {
    labels: grid.depths.map(String),
    seeds: [...grid.seeds],
    values: grid.seeds.map((seed) =>
      grid.depths.map((depth) =>
        findRun(runs, { depth, plain: grid.plain, seed, shortcut: grid.shortcut }).finalTrainError
      )
    ),
  };
}

/**
 * Per-seed pairs for lib/evidence `ordering`: `higher` and `lower` are the final training errors of two nets of each
 * seed (e.g. plain-44 and ResNet-44 for "ResNet trains better than plain at depth 44").
 */
export function errorPairs(
  runs: readonly Run[],
  seeds: readonly number[],
  higher: { depth: number; plain: boolean; shortcut?: ShortcutOption },
  lower: { depth: number; plain: boolean; shortcut?: ShortcutOption },
): { seed: number; higher: number; lower: number }[] {
  return seeds.map((seed) => ({
    seed,
    higher: findRun(runs, { ...higher, seed }).finalTrainError,
    lower: findRun(runs, { ...lower, seed }).finalTrainError,
  }));
}

/** Rows, one per seed: the final training error (%) of every net trained on that seed, plain first. */
export function seedErrorRows(runs: readonly Run[], seeds: readonly number[]): Record<string, number>[] {
  return seeds.map((seed) => {
    const mine = runs.filter((r) => (r.seed ?? r.options.seed) === seed);
    const key = (r: Run) => r.label.replace(/ seed \d+$/, "");
    const sorted = [...mine].sort((a, b) =>
      Number(b.options.plain ?? false) - Number(a.options.plain ?? false) || a.options.depth - b.options.depth ||
      key(a).localeCompare(key(b))
    );
    return Object.fromEntries([
      ["seed", seed],
      ...sorted.map((r) => [`${key(r)} %`, +(100 * r.finalTrainError).toFixed(1)]),
    ]);
  });
}

/** What {@link figure6Summary} reads of a judged ordering (lib/evidence `OrderingEvidence`). */
export interface JudgedOrdering {
  held: number;
  seeds: number;
  shown: boolean;
  meanGap: number;
}

/**
 * The values of Figure 6's summary, from orderings judged on this run's seeds: the plain chain (deeper trains worse,
 * one per adjacent depth pair), the ResNet chain (deeper trains better) and the residual fix at each depth (ResNet
 * better than plain). Keys do not depend on the depths, so tests can read them; gaps in training-error points.
 */
export function figure6Summary(
  judged: { plain: readonly JudgedOrdering[]; resnet: readonly JudgedOrdering[]; fix: readonly JudgedOrdering[] },
  run: { depths: readonly number[]; epochs: number },
): Record<string, number | boolean | string> {
  const { plain, resnet, fix } = judged;
  if (plain.length === 0 || resnet.length !== plain.length || fix.length !== plain.length + 1) {
    throw new RangeError("figure6Summary: one plain and one ResNet ordering per adjacent pair, one fix per depth");
  }
  const [deepPlain, deepRes, deepFix] = [plain.at(-1)!, resnet.at(-1)!, fix.at(-1)!];
  const d = run.depths;
  const r1 = (v: number) => +v.toFixed(1);
  return {
    "seeds run (seed + extraSeeds)": deepPlain.seeds,
    "epochs seen per run": +run.epochs.toFixed(2),
    "deepest pair": `${d.at(-2)}→${d.at(-1)}`,
    "adjacent pairs": plain.length,
    "plain pairs where deeper trains worse on every seed": plain.filter((o) => o.shown).length,
    "ResNet pairs where deeper trains better on every seed": resnet.filter((o) => o.shown).length,
    "depths where ResNet beats plain on every seed": fix.filter((o) => o.shown).length,
    "degradation at the deepest pair: seeds held": deepPlain.held,
    "degradation at the deepest pair: gap (train err points)": r1(deepPlain.meanGap),
    "residual fix at the deepest depth: seeds held": deepFix.held,
    "residual fix at the deepest depth: gap (train err points)": r1(deepFix.meanGap),
    "deeper ResNet better at the deepest pair: seeds held": deepRes.held,
    "deeper ResNet better at the deepest pair: gap (train err points)": r1(deepRes.meanGap),
    "deeper ResNet better at the deepest pair: shown": deepRes.shown,
  };
}

/** Figure 6's three orderings, judged on every seed: one per adjacent depth pair (plain, ResNet) and one per depth (fix). */
export interface Figure6Judgement {
  /** Plain nets: the deeper of each adjacent pair trains worse (the degradation problem, Figure 1 / Figure 6 left). */
  plain: OrderingEvidence[];
  /** ResNets: the deeper of each adjacent pair trains better (Figure 6 middle). */
  resnet: OrderingEvidence[];
  /** At each depth, the ResNet trains better than the plain net (the residual fix). */
  fix: OrderingEvidence[];
}

/**
 * Judges Figure 6 on `runs` (a quick grid or a recorded long run): for every adjacent pair of `depths` and every seed,
 * whether the deeper plain net ends with the higher training error and the deeper ResNet with the lower, and at every
 * depth whether the ResNet ends below the plain net. Gaps in training-error points.
 */
export function judgeFigure6(
  runs: readonly Run[],
  grid: { seeds: readonly number[]; depths: readonly number[]; shortcut: ShortcutOption },
): Figure6Judgement {
  const ladder = [...grid.depths].sort((a, b) => a - b);
  const points = { scale: 100, unit: "points" };
  const errors = (plain: boolean) =>
    depthErrors(runs, { seeds: grid.seeds, depths: ladder, plain, shortcut: grid.shortcut });
  return {
    plain: adjacentOrderings((a, b) => `plain-${b} trains worse than plain-${a}`, errors(true), {
      ...points,
      direction: "rising",
    }),
    resnet: adjacentOrderings((a, b) => `ResNet-${b} trains better than ResNet-${a}`, errors(false), {
      ...points,
      direction: "falling",
    }),
    fix: ladder.map((d) =>
      ordering(
        `ResNet-${d} trains better than plain-${d}`,
        errorPairs(runs, grid.seeds, { depth: d, plain: true, shortcut: grid.shortcut }, {
          depth: d,
          plain: false,
          shortcut: grid.shortcut,
        }),
        points,
      )
    ),
  };
}

/**
 * Table 3's shortcut options at one depth, judged on every seed: whether the option the paper ranks better (B over A,
 * C over B) ends with the lower training error — or, with `measure: "test"`, the lower test error.
 */
export function judgeShortcutOptions(
  runs: readonly Run[],
  net: { depth: number; seeds: readonly number[]; options: readonly [ShortcutOption, ShortcutOption] },
  options: { measure?: "train" | "test" } = {},
): OrderingEvidence {
  const [worse, better] = [...net.options].sort(); // the paper's Table 3: A < B < C
  const test = options.measure === "test";
  const value = (r: Run) => (test ? r.finalTestError : r.finalTrainError);
  return ordering(
    `option ${better} ${test ? "tests" : "trains"} better than option ${worse} (ResNet-${net.depth})`,
    net.seeds.map((seed) => ({
      seed,
      higher: value(findRun(runs, { depth: net.depth, plain: false, seed, shortcut: worse })),
      lower: value(findRun(runs, { depth: net.depth, plain: false, seed, shortcut: better })),
    })),
    { scale: 100, unit: "points" },
  );
}

/** ResNet Table 6: test error (%) of the CIFAR-10 ResNets (ResNet-110: "best (mean±std)", the best of 5 runs). */
export const TABLE6_ERROR_PCT: Readonly<Record<number, number>> = { 20: 8.75, 32: 7.51, 44: 7.17, 56: 6.97, 110: 6.43 };

/** ResNet Table 3: ImageNet ResNet-34 top-1 error (%, 10-crop) with shortcut options A, B and C. */
export const TABLE3_TOP1_PCT: Readonly<Record<ShortcutOption, number>> = { A: 25.03, B: 24.52, C: 24.19 };

/**
 * Table 6's error column from `runs`: per depth, the final test error of the ResNets (and of the plain nets, which
 * Table 6 does not list but Figure 6 plots) as mean ± std over `seeds`, beside the paper's CIFAR-10 number.
 */
export function table6ErrorRows(
  runs: readonly Run[],
  grid: { seeds: readonly number[]; depths: readonly number[]; shortcut: ShortcutOption; dataset: string },
): Record<string, string | number>[] {
  const stat = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = values.length > 1
      ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1))
      : NaN;
    return values.length > 1 ? `${(100 * mean).toFixed(2)} ± ${(100 * sd).toFixed(2)}` : (100 * mean).toFixed(2);
  };
  const of = (depth: number, plain: boolean) =>
    grid.seeds.map((seed) => findRun(runs, { depth, plain, seed, shortcut: grid.shortcut }).finalTestError);
  return [...grid.depths].sort((a, b) => a - b).map((depth) => ({
    depth,
    [`ResNet test err % (${grid.dataset})`]: stat(of(depth, false)),
    [`plain test err % (${grid.dataset})`]: stat(of(depth, true)),
    "Table 6 ResNet % (CIFAR-10)": TABLE6_ERROR_PCT[depth] ?? "—",
  }));
}
