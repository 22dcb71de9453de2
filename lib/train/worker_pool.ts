/**
 * A pool of module workers that run independent tasks, one per core: each worker starts its own tfjs backend once
 * (`init`), then takes the next task whenever it is free and streams progress back while it runs it. Small nets are
 * bound by per-step overhead, not arithmetic, so whole runs side by side use the cores best (no gradient exchange).
 * The grid of training runs (grid.ts) and the GAN toy runs (lib/gan) run on it; the worker side is
 * {@link servePool} in pool_worker.ts.
 */

import * as tf from "@tensorflow/tfjs";
import type { BackendName } from "../backend/select.ts";

/** This thread's tfjs backend, which a pool's workers start too (so that a task computes what it would here). */
export function currentBackend(): BackendName | undefined {
  try {
    const name = tf.engine().backendName;
    return name === "wasm" || name === "cpu" || name === "webgpu" ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Messages to a pool worker: `init` once, then one `task` at a time. */
export type PoolRequest<I, T> =
  | { type: "init"; init: I }
  | { type: "task"; index: number; task: T };

/** Messages from a pool worker. */
export type PoolResponse<P, R> =
  | { type: "ready" }
  | { type: "initFailed"; message: string }
  | { type: "progress"; index: number; progress: P }
  | { type: "done"; index: number; result: R }
  | { type: "failed"; index: number; message: string };

/** How one task ended: its result, or why it failed (an exception in the task, or its worker crashing). */
export type TaskOutcome<R> = { result: R; error?: undefined } | { result?: undefined; error: string };

/** What {@link runOnWorkers} needs. */
export interface WorkerPoolOptions<I, T, P, R> {
  /** The worker module: it calls {@link servePool}. */
  url: URL;
  /** Who runs the pool, for error messages, e.g. "runGrid". */
  name: string;
  /** Workers to start (at most one per task is useful). */
  count: number;
  /** Sent once to every worker (structured-cloned): backend choice, shared data. */
  init: I;
  /** The tasks (structured-cloned to the worker that takes each). */
  tasks: readonly T[];
  /** Order in which tasks are handed out, by index. Default: as given. */
  order?: readonly number[];
  /** A task's name in failure messages, e.g. "plain-44 seed 2 (cifarResNet, seed 2)". */
  describe: (index: number) => string;
  /** Called on this thread for each progress message of task `index`. */
  onProgress?: (index: number, progress: P) => void;
  /** Called on this thread once per task as it ends, before the pool settles. */
  onFinish: (index: number, outcome: TaskOutcome<R>) => void;
  /** Stops the pool: every worker is terminated and runOnWorkers rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Workers for `tasks` tasks: `requested` (default: navigator.hardwareConcurrency), at most one per task. Throws a
 * RangeError naming `name` unless that is an integer ≥ 1.
 */
export function workerCount(requested: number | undefined, tasks: number, name: string): number {
  const count = Math.min(requested ?? (navigator.hardwareConcurrency || 1), tasks);
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`${name}: workers must be an integer ≥ 1, got ${count}`);
  }
  return count;
}

let live = 0;

/** Number of pool workers alive in this thread (0 after every {@link runOnWorkers} has settled). */
export function livePoolWorkers(): number {
  return live;
}

/**
 * Runs the tasks on a pool of `count` module workers, handing the next task in `order` to whichever worker is free. A
 * task that throws fails alone; a worker that crashes fails its task (named by `describe`) and is replaced while tasks
 * remain. Resolves once every task has finished or failed; rejects if a worker cannot start (its `init` failed) or the
 * signal aborts. Every worker is terminated before it settles.
 */
export async function runOnWorkers<I, T, P, R>(options: WorkerPoolOptions<I, T, P, R>): Promise<void> {
  const { tasks, describe, name } = options;
  if (tasks.length === 0) return;
  const count = workerCount(options.count, tasks.length, name);
  const order = options.order ?? tasks.map((_, i) => i);
  const workers = new Set<Worker>();
  const finished = new Set<number>();
  let next = 0;
  let settle!: () => void;
  let fail!: (e: Error) => void;
  const allDone = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const finish = (index: number, outcome: TaskOutcome<R>): void => {
    if (finished.has(index)) return;
    finished.add(index);
    options.onFinish(index, outcome);
    if (finished.size === tasks.length) settle();
  };

  const start = (): void => {
    const worker = new Worker(options.url, { type: "module" });
    workers.add(worker);
    live++;
    let current = -1;
    const stop = (): void => {
      if (workers.delete(worker)) {
        worker.terminate();
        live--;
      }
    };
    const take = (): void => {
      if (next >= order.length) {
        current = -1;
        stop();
        return;
      }
      current = order[next++];
      worker.postMessage({ type: "task", index: current, task: tasks[current] } satisfies PoolRequest<I, T>);
    };
    worker.onmessage = (e: MessageEvent<PoolResponse<P, R>>) => {
      const msg = e.data;
      switch (msg.type) {
        case "ready":
          take();
          break;
        case "initFailed":
          stop();
          fail(new Error(`${name}: a worker could not start its backend: ${msg.message}`));
          break;
        case "progress":
          options.onProgress?.(msg.index, msg.progress);
          break;
        case "done":
          finish(msg.index, { result: msg.result });
          take();
          break;
        case "failed":
          finish(msg.index, { error: `${describe(msg.index)} failed: ${msg.message}` });
          take();
          break;
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const index = current;
      stop();
      if (index >= 0) finish(index, { error: `${describe(index)} failed: worker crashed: ${e.message}` });
      if (next < order.length) start(); // a fresh worker takes the remaining tasks
      else if (workers.size === 0 && finished.size < tasks.length) fail(new Error(`${name}: all workers ended early`));
    };
    worker.postMessage({ type: "init", init: options.init } satisfies PoolRequest<I, T>);
  };

  const signal = options.signal;
  const abort = () => fail(signal!.reason instanceof Error ? signal!.reason : new Error(`${name}: aborted`));
  signal?.addEventListener("abort", abort);
  try {
    signal?.throwIfAborted();
    for (let i = 0; i < count; i++) start();
    await allDone;
  } finally {
    signal?.removeEventListener("abort", abort);
    for (const w of workers) w.terminate();
    live -= workers.size;
    workers.clear();
  }
}
