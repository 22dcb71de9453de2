/**
 * Grids of training runs (configurations × seeds) in parallel: one module worker per core, each with its own tfjs
 * backend, trains whole runs one after another (no gradient exchange: small nets are bound by per-step overhead, so
 * running independent runs side by side uses the cores best). Each worker streams its run's history back as it
 * trains; the grid shows all curves live in one figure and a progress line per run. A run inside the grid computes
 * exactly what {@link trainModel} computes for it alone (same builder, same seeds, same backend).
 *
 * {@link runGrid} is three parts: `runSpecs` checks the runs and makes them cloneable, `runOnWorkers` (worker_pool.ts)
 * schedules them on the worker pool, and `GridDisplay` shows them while they train.
 */
import type { BackendName } from "../backend/select.ts";
import type { ImageSet } from "../data/mod.ts";
import { inJupyter, type PlotlyFigure, Progress } from "../display/mod.ts";
import { errorCurves } from "./plots.ts";
import { stepSchedule } from "./schedule.ts";
import { currentBackend, runOnWorkers, workerCount } from "./worker_pool.ts";
import { emptyHistory, tailMean, type TrainConfig, type TrainHistory, type TrainState } from "./train.ts";

/** One run of a grid: a model builder (imported by the worker), its options and the training settings. */
export interface GridRun {
  /** Name of the run in the figure, its progress line and failure reports, e.g. "plain-44 seed 2". Required. */
  label: string;
  /** URL (file: or data:) of an ES module exporting the model builder. Required. */
  moduleUrl: string;
  /** Name of the builder export, called as `builder(modelOptions)` → tf.LayersModel (or a promise of one). Required. */
  exportName: string;
  /** Argument of the builder (structured-cloneable). Default: undefined. */
  modelOptions?: unknown;
  /**
   * Training settings as for {@link trainModel}; `onStep`, `onCheckpoint` and `progress` are ignored (the grid shows
   * progress and reports checkpoints through `GridOptions.onCheckpoint`); `resume` continues the run from a checkpoint.
   */
  config: TrainConfig;
  /** Line dash of the run's curve in the live figure (e.g. "dash" for plain nets). Default: solid. */
  dash?: string;
  /**
   * Relative cost (e.g. the depth): the costliest runs start first, which shortens the grid's wall time (longest
   * processing time first). Results still come back in the order given. Default: 1 (runs start in order).
   */
  cost?: number;
}

/** Options of {@link runGrid}. */
export interface GridOptions {
  /** Training and optional test set, shared by every run (copied once to each worker). Required. */
  data: { train: ImageSet; test?: ImageSet };
  /** Number of workers. Default: navigator.hardwareConcurrency (at most the number of runs). */
  workers?: number;
  /** Backend of the workers. Default: the main thread's backend if one is set, else initBackend's choice. */
  backend?: BackendName;
  /** Send each trained model's weights back (`GridResult.weights`, in `model.getWeights()` order). Default: false. */
  keepWeights?: boolean;
  /** Live figure and progress lines. Default: true. */
  display?: boolean;
  /** Title of the live figure. Default: "Training error vs iterations". */
  title?: string;
  /** Moving-average window of the curves. Default: 20. */
  window?: number;
  /** Minimum milliseconds between two redraws of the live figure. Default: 1000. */
  updateMs?: number;
  /** Called on the main thread for every step record a worker streams back. */
  onStep?: (index: number, record: { step: number; loss: number; trainError: number }) => void;
  /**
   * Called on the main thread with a run's state after each of its evaluations before the last (a checkpoint that
   * `GridRun.config.resume` continues from). Default: runs send no checkpoints.
   */
  onCheckpoint?: (index: number, state: TrainState) => void;
  /**
   * Called on the main thread as each run ends (its history and weights, or its error), before the grid returns: a
   * long grid can keep what finished even if it is stopped later.
   */
  onRunDone?: (result: GridResult) => void;
  /** Stops the grid: every worker is terminated and runGrid rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The outcome of one run, in the order of the runs given. */
export interface GridResult {
  /** Position of the run in the grid and its label. */
  index: number;
  label: string;
  /** The history (as {@link trainModel} returns it), when the run finished. */
  history?: TrainHistory;
  /** Why the run failed (NaN loss, exception, worker crash), naming its configuration. */
  error?: string;
  /** The trained weights, with `keepWeights`. */
  weights?: Float32Array[];
}

/** A run as sent to a worker: the learning-rate schedule resolved to one value per step (functions do not clone). */
export interface GridRunSpec {
  index: number;
  moduleUrl: string;
  exportName: string;
  modelOptions: unknown;
  config: Omit<TrainConfig, "learningRate" | "onStep" | "onCheckpoint" | "progress">;
  lrs: number[];
  keepWeights: boolean;
  /** Send checkpoints back. */
  checkpoints: boolean;
}

/** What every grid worker gets once: the backend to start and the data its runs train on. */
export interface GridInit {
  backend?: BackendName;
  data: { train: ImageSet; test?: ImageSet };
}

/** What a grid worker streams back while it trains a run: each step's record, and checkpoints if asked. */
export type GridProgress =
  | { kind: "step"; step: number; loss: number; trainError: number; lr: number }
  | { kind: "checkpoint"; state: TrainState };

/** A trained run as a grid worker sends it back. */
export interface GridDone {
  history: TrainHistory;
  weights?: Float32Array[];
}

function describeRun(run: GridRun): string {
  const opts = run.modelOptions === undefined ? "" : ` ${JSON.stringify(run.modelOptions)}`;
  return `${run.label} (${run.exportName}${opts}, seed ${run.config.seed ?? 0})`;
}

/**
 * Checks every run (builder named, whole number of steps) and resolves its learning-rate schedule to one value per
 * step, so that it can be cloned to a worker. Throws, naming the run, before any worker starts.
 */
function runSpecs(runs: readonly GridRun[], keepWeights: boolean, checkpoints: boolean): GridRunSpec[] {
  return runs.map((run, index) => {
    if (!run.label || !run.moduleUrl || !run.exportName) {
      throw new Error(
        `runGrid: run ${index} needs label, moduleUrl and exportName (the model builder), got ${
          JSON.stringify({ label: run.label, moduleUrl: run.moduleUrl, exportName: run.exportName })
        }`,
      );
    }
    const { learningRate, onStep: _onStep, onCheckpoint: _onCheckpoint, progress: _progress, ...config } = run.config;
    const steps = config.steps;
    if (!(steps >= 1) || !Number.isInteger(steps)) {
      throw new RangeError(`runGrid: run ${index} '${run.label}' has steps ${steps}; give an integer ≥ 1`);
    }
    const lrOf = typeof learningRate === "function" ? learningRate : stepSchedule(learningRate ?? 0.1);
    return {
      index,
      moduleUrl: run.moduleUrl,
      exportName: run.exportName,
      modelOptions: run.modelOptions,
      config,
      lrs: Array.from({ length: steps }, (_, s) => lrOf(s)),
      keepWeights,
      checkpoints,
    };
  });
}

/**
 * The order in which runs start: costliest first, which shortens the grid's wall time (longest processing time
 * first). The sort is stable, so equal costs keep the order given.
 */
function startOrder(runs: readonly GridRun[]): number[] {
  return runs.map((_, i) => i).sort((a, b) => (runs[b].cost ?? 1) - (runs[a].cost ?? 1));
}

/** A step record as a worker streams it. */
type StepRecord = Extract<GridProgress, { kind: "step" }>;

/** How one run ended: its history (and weights), or why it failed. */
type RunOutcome = Pick<GridResult, "history" | "error" | "weights">;

/** Steps over which the progress lines average the training error. */
const PROGRESS_WINDOW = 20;

/**
 * What a grid shows while it trains: every run's training-error curve in one live figure (redrawn at most every
 * `updateMs`, in place inside Jupyter) and a progress line per run. Outside Jupyter the figure is printed once, at
 * the end. Keeps each run's history so far, which the figure draws.
 */
class GridDisplay {
  private readonly partial: TrainHistory[];
  private readonly progress: (Progress | undefined)[];
  private readonly pending: Promise<void>[] = [];
  private readonly figureId = `paper-grid-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  private readonly runs: readonly GridRun[];
  private readonly options: Pick<GridOptions, "display" | "title" | "window" | "updateMs">;
  private figureShown = false;
  private lastDraw = -Infinity;

  constructor(runs: readonly GridRun[], options: Pick<GridOptions, "display" | "title" | "window" | "updateMs">) {
    this.runs = runs;
    this.options = options;
    this.partial = runs.map((r) => emptyHistory(r.label));
    this.progress = runs.map(() => undefined);
  }

  private get shown(): boolean {
    return this.options.display ?? true;
  }

  /** Records a step of run `index`'s history; redraws its progress line and, if due, the figure. */
  step(index: number, msg: StepRecord): void {
    const h = this.partial[index];
    h.loss.push(msg.loss);
    h.trainError.push(msg.trainError);
    h.lr.push(msg.lr);
    if (!this.shown) return;
    const p = this.progressOf(index);
    this.pending.push(p.update(msg.step + 1, { loss: msg.loss, "train err": tailMean(h.trainError, PROGRESS_WINDOW) }));
    this.pending.push(this.draw(false));
  }

  /** Ends a run's progress line (its final errors and seconds, or FAILED) and keeps its full history for the figure. */
  finish(index: number, outcome: RunOutcome): void {
    const p = this.progress[index] ?? (this.shown ? this.progressOf(index) : undefined);
    if (p) {
      const h = outcome.history;
      this.pending.push(
        outcome.error ? p.finish({ FAILED: outcome.error.split("\n")[0] }) : p.update(h!.loss.length, {
          "train err": tailMean(h!.trainError, PROGRESS_WINDOW),
          ...(h!.testError.length ? { "test err": h!.testError[h!.testError.length - 1] } : {}),
        }).then(() => p.finish({ s: +h!.seconds.toFixed(1) })),
      );
    }
    if (outcome.history) this.partial[index] = outcome.history;
  }

  /** Waits for every display update, then draws the final figure. */
  async close(): Promise<void> {
    await Promise.all(this.pending);
    if (!this.shown) return;
    if (inJupyter()) await this.draw(true);
    else await this.figure().show();
  }

  private progressOf(index: number): Progress {
    return this.progress[index] ??= new Progress(this.runs[index].config.steps, { label: this.runs[index].label });
  }

  private figure(): PlotlyFigure {
    return errorCurves(this.runs.map((r, i) => ({ name: r.label, history: this.partial[i], dash: r.dash })), {
      window: this.options.window ?? 20,
      title: this.options.title ?? "Training error vs iterations",
    });
  }

  private async draw(force: boolean): Promise<void> {
    if (!this.shown || !inJupyter()) return; // outside Jupyter the figure is printed once at the end
    const now = performance.now();
    if (!force && now - this.lastDraw < (this.options.updateMs ?? 1000)) return;
    this.lastDraw = now;
    await this.figure().show({ displayId: this.figureId, update: this.figureShown });
    this.figureShown = true;
  }
}

/**
 * Trains a grid of runs (configurations × seeds, as in ResNet §4.2 / Figure 6, where plain and residual nets of each
 * depth share every other setting) on one worker per core, showing all training-error curves live in one figure and a
 * progress line per run. Returns one result per run in the order given; a run that fails (NaN loss, exception, worker
 * crash) has `error` naming its configuration and the others finish. Every worker is terminated before it returns.
 *
 * @example Plain and residual 8-layer nets on two workers
 * ```ts
 * import { runGrid } from "@lib/train/mod.ts";
 * import { loadImageData } from "@lib/data/mod.ts";
 *
 * const data = await loadImageData({ trainLimit: 2048, testLimit: 500 });
 * const net = (plain: boolean) => ({ depth: 8, plain, inputShape: [28, 28, 1], widths: [8, 16, 32] });
 * const results = await runGrid(
 *   [true, false].map((plain) => ({
 *     label: plain ? "plain-8" : "ResNet-8",
 *     moduleUrl: import.meta.resolve("@lib/resnet/mod.ts"),
 *     exportName: "cifarResNet",
 *     modelOptions: net(plain),
 *     config: { steps: 150, batchSize: 64, seed: 1 },
 *   })),
 *   { data, workers: 2 },
 * );
 * results.map((r) => r.error ?? r.history!.trainError.at(-1));
 * ```
 */
export async function runGrid(runs: readonly GridRun[], options: GridOptions): Promise<GridResult[]> {
  if (!options?.data?.train) throw new Error("runGrid: options.data.train (the training ImageSet) is required.");
  const specs = runSpecs(runs, options.keepWeights ?? false, options.onCheckpoint !== undefined);
  const results: GridResult[] = runs.map((r, index) => ({ index, label: r.label }));
  if (runs.length === 0) return results;
  const count = workerCount(options.workers, runs.length, "runGrid");
  const display = new GridDisplay(runs, options);
  await runOnWorkers<GridInit, GridRunSpec, GridProgress, GridDone>({
    url: new URL("./grid_worker.ts", import.meta.url),
    name: "runGrid",
    count,
    init: { backend: options.backend ?? currentBackend(), data: options.data },
    tasks: specs,
    order: startOrder(runs),
    describe: (index) => describeRun(runs[index]),
    signal: options.signal,
    onProgress: (index, p) => {
      if (p.kind === "checkpoint") {
        options.onCheckpoint?.(index, p.state);
        return;
      }
      options.onStep?.(index, { step: p.step, loss: p.loss, trainError: p.trainError });
      display.step(index, p);
    },
    onFinish: (index, outcome) => {
      const o: RunOutcome = outcome.error !== undefined ? { error: outcome.error } : outcome.result;
      Object.assign(results[index], o);
      display.finish(index, o);
      options.onRunDone?.(results[index]);
    },
  });
  await display.close();
  return results;
}
