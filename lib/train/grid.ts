/**
 * Grids of training runs (configurations × seeds) in parallel: one module worker per core, each with its own tfjs
 * backend, trains whole runs one after another (no gradient exchange: small nets are bound by per-step overhead, so
 * running independent runs side by side uses the cores best). Each worker streams its run's history back as it
 * trains; the grid shows all curves live in one figure and a progress line per run. A run inside the grid computes
 * exactly what {@link trainModel} computes for it alone (same builder, same seeds, same backend).
 *
 * ```ts
 * const results = await runGrid([
 *   { label: "plain-8", moduleUrl: new URL("../resnet/mod.ts", import.meta.url).href, exportName: "cifarResNet",
 *     modelOptions: { depth: 8, plain: true, seed: 1 }, config: { steps: 150, batchSize: 64, seed: 1 } },
 *   // ...
 * ], { data });
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendName } from "../backend/select.ts";
import type { ImageSet } from "../data/mod.ts";
import { inJupyter, Progress } from "../display/mod.ts";
import { errorCurves } from "./plots.ts";
import { stepSchedule } from "./schedule.ts";
import { emptyHistory, tailMean, type TrainConfig, type TrainHistory } from "./train.ts";

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
  /** Training settings as for {@link trainModel}; `onStep` and `progress` are ignored (the grid shows progress). */
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
  config: Omit<TrainConfig, "learningRate" | "onStep" | "progress">;
  lrs: number[];
  keepWeights: boolean;
}

/** Messages to a grid worker. */
export type GridRequest =
  | { type: "init"; backend?: BackendName; data: { train: ImageSet; test?: ImageSet } }
  | { type: "run"; run: GridRunSpec };

/** Messages from a grid worker. */
export type GridResponse =
  | { type: "ready"; backend: string }
  | { type: "initFailed"; message: string }
  | { type: "step"; index: number; step: number; loss: number; trainError: number; lr: number }
  | { type: "done"; index: number; history: TrainHistory; weights?: Float32Array[] }
  | { type: "failed"; index: number; message: string };

let live = 0;

/** Number of grid workers alive in this thread (0 after every {@link runGrid} has returned or thrown). */
export function liveGridWorkers(): number {
  return live;
}

function describeRun(run: GridRun): string {
  const opts = run.modelOptions === undefined ? "" : ` ${JSON.stringify(run.modelOptions)}`;
  return `${run.label} (${run.exportName}${opts}, seed ${run.config.seed ?? 0})`;
}

function currentBackend(): BackendName | undefined {
  try {
    const name = tf.engine().backendName;
    return name === "wasm" || name === "cpu" || name === "webgpu" ? name : undefined;
  } catch {
    return undefined;
  }
}

function specOf(run: GridRun, index: number, keepWeights: boolean): GridRunSpec {
  const { learningRate, onStep: _onStep, progress: _progress, ...config } = run.config;
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
  };
}

/**
 * Trains a grid of runs (configurations × seeds, as in ResNet §4.2 / Figure 6, where plain and residual nets of each
 * depth share every other setting) on one worker per core, showing all training-error curves live in one figure and a
 * progress line per run. Returns one result per run in the order given; a run that fails (NaN loss, exception, worker
 * crash) has `error` naming its configuration and the others finish. Every worker is terminated before it returns.
 */
export async function runGrid(runs: readonly GridRun[], options: GridOptions): Promise<GridResult[]> {
  if (!options?.data?.train) throw new Error("runGrid: options.data.train (the training ImageSet) is required.");
  const specs = runs.map((r, i) => {
    if (!r.label || !r.moduleUrl || !r.exportName) {
      throw new Error(
        `runGrid: run ${i} needs label, moduleUrl and exportName (the model builder), got ${
          JSON.stringify({ label: r.label, moduleUrl: r.moduleUrl, exportName: r.exportName })
        }`,
      );
    }
    return specOf(r, i, options.keepWeights ?? false);
  });
  const results: GridResult[] = runs.map((r, index) => ({ index, label: r.label }));
  if (runs.length === 0) return results;
  const n = Math.min(options.workers ?? (navigator.hardwareConcurrency || 1), runs.length);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`runGrid: workers must be an integer ≥ 1, got ${n}`);
  const backend = options.backend ?? currentBackend();
  const display = options.display ?? true;
  const partial = runs.map((r) => emptyHistory(r.label));
  const progress: (Progress | undefined)[] = runs.map(() => undefined);
  const figureId = `paper-grid-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const figure = () =>
    errorCurves(runs.map((r, i) => ({ name: r.label, history: partial[i], dash: r.dash })), {
      window: options.window ?? 20,
      title: options.title ?? "Training error vs iterations",
    });
  let figureShown = false;
  let lastDraw = -Infinity;
  const drawFigure = async (force: boolean): Promise<void> => {
    if (!display || !inJupyter()) return; // outside Jupyter the figure is printed once at the end
    const now = performance.now();
    if (!force && now - lastDraw < (options.updateMs ?? 1000)) return;
    lastDraw = now;
    await figure().show({ displayId: figureId, update: figureShown });
    figureShown = true;
  };

  // longest first; sort is stable, so equal costs keep the given order
  const queue = specs.map((_, i) => i).sort((a, b) => (runs[b].cost ?? 1) - (runs[a].cost ?? 1));
  const workers = new Set<Worker>();
  const url = new URL("./grid_worker.ts", import.meta.url);
  let next = 0;
  let finished = 0;
  let settle!: (value: void) => void;
  let fail!: (e: Error) => void;
  const allDone = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const pending: Promise<void>[] = []; // display updates, awaited before returning

  const finish = (index: number, outcome: { history?: TrainHistory; error?: string; weights?: Float32Array[] }) => {
    if (results[index].history || results[index].error) return;
    Object.assign(results[index], outcome);
    const p = progress[index] ??
      (display ? new Progress(runs[index].config.steps, { label: runs[index].label }) : undefined);
    if (p) {
      const h = outcome.history;
      pending.push(
        outcome.error ? p.finish({ FAILED: outcome.error.split("\n")[0] }) : p.update(h!.loss.length, {
          "train err": tailMean(h!.trainError, 20),
          ...(h!.testError.length ? { "test err": h!.testError[h!.testError.length - 1] } : {}),
        }).then(() => p.finish({ s: +h!.seconds.toFixed(1) })),
      );
    }
    if (outcome.history) partial[index] = outcome.history;
    if (++finished === runs.length) settle();
  };

  const start = (): void => {
    const worker = new Worker(url, { type: "module" });
    workers.add(worker);
    live++;
    let current = -1;
    const stop = () => {
      if (workers.delete(worker)) {
        worker.terminate();
        live--;
      }
    };
    const take = () => {
      if (next >= specs.length) {
        current = -1;
        stop();
        return;
      }
      current = queue[next++];
      worker.postMessage({ type: "run", run: specs[current] } satisfies GridRequest);
    };
    worker.onmessage = (e: MessageEvent<GridResponse>) => {
      const msg = e.data;
      switch (msg.type) {
        case "ready":
          take();
          break;
        case "initFailed":
          stop();
          fail(new Error(`runGrid: a worker could not start its backend: ${msg.message}`));
          break;
        case "step": {
          const h = partial[msg.index];
          h.loss.push(msg.loss);
          h.trainError.push(msg.trainError);
          h.lr.push(msg.lr);
          options.onStep?.(msg.index, { step: msg.step, loss: msg.loss, trainError: msg.trainError });
          if (display) {
            const p = progress[msg.index] ??= new Progress(runs[msg.index].config.steps, {
              label: runs[msg.index].label,
            });
            pending.push(p.update(msg.step + 1, { loss: msg.loss, "train err": tailMean(h.trainError, 20) }));
            pending.push(drawFigure(false));
          }
          break;
        }
        case "done":
          finish(msg.index, { history: msg.history, ...(msg.weights ? { weights: msg.weights } : {}) });
          take();
          break;
        case "failed":
          finish(msg.index, { error: `${describeRun(runs[msg.index])} failed: ${msg.message}` });
          take();
          break;
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const index = current;
      stop();
      if (index >= 0) finish(index, { error: `${describeRun(runs[index])} failed: worker crashed: ${e.message}` });
      if (next < specs.length) start(); // a fresh worker takes the remaining runs
      else if (workers.size === 0 && finished < runs.length) fail(new Error("runGrid: all workers ended early"));
    };
    worker.postMessage({ type: "init", backend, data: options.data } satisfies GridRequest);
  };

  try {
    for (let i = 0; i < n; i++) start();
    await allDone;
    await Promise.all(pending);
  } finally {
    for (const w of workers) w.terminate();
    live -= workers.size;
    workers.clear();
  }
  if (display) {
    if (inJupyter()) await drawFigure(true);
    else await figure().show();
  }
  return results;
}
