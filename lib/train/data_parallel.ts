/**
 * Data-parallel training on several cores. The threaded wasm build does not run under Deno, so the cores are used
 * by module workers instead: each worker has its own tfjs backend and a replica of the model, takes an equal shard of
 * every batch, and after the backward pass all workers sum their gradients through shared memory and apply the same
 * update — the replicas stay identical. Batch-norm statistics are synchronised too (every Mean over the batch axis is
 * all-reduced forward and backward), so a step is the same function of the whole batch as on one core: the result
 * equals one-core training up to float rounding (summation order). Dropout masks are drawn per worker, so models with
 * dropout train equivalently but not bit-for-bit like one core.
 *
 * ```ts
 * const images = new Float32Array(128 * 32 * 32 * 3); // a batch, NHWC
 * const labels = new Int32Array(128);
 * const trainer = await DataParallelTrainer.create({
 *   moduleUrl: new URL("../resnet/mod.ts", import.meta.url).href, // any module exporting a model builder
 *   exportName: "cifarResNet",
 *   modelOptions: { depth: 20 },                                   // passed to the builder (structured-cloneable)
 * });
 * const loss = await trainer.step({ x: images, xShape: [128, 32, 32, 3], y: labels }, 0.1); // Int32Array labels
 * const weights = await trainer.getWeights();                     // to copy into a model on the main thread
 * await trainer.dispose();
 * ```
 */
import type { BackendName } from "../backend/mod.ts";
import { allocateCollective, type CollectiveInit } from "./collective.ts";
import type { LossName, OptimizerSpec } from "./step.ts";

/** Options of {@link DataParallelTrainer.create}. */
export interface DataParallelOptions {
  /** URL (file: or absolute) of an ES module exporting the model builder; the workers import it. Required. */
  moduleUrl: string;
  /** Name of the builder export, called as `builder(modelOptions)` → tf.LayersModel. Required. */
  exportName: string;
  /** Argument of the builder (structured-cloneable). Default: undefined. */
  modelOptions?: unknown;
  /** Number of workers. Default: navigator.hardwareConcurrency (2 on this machine). */
  workers?: number;
  /** Backend of every worker. Default: "wasm". */
  backend?: BackendName;
  /** Default: "softmaxCrossEntropy" (labels are int32 classes; the model outputs logits). */
  loss?: LossName;
  /** Default: momentum SGD, momentum 0.9, weight decay 1e-4 on kernels (ResNet §3.4). */
  optimizer?: OptimizerSpec;
  /** Synchronise batch-norm statistics over the whole batch (exactly one-core training). Default: true. */
  syncBatchStats?: boolean;
}

/** A batch for {@link DataParallelTrainer.step}, as typed arrays. */
export interface DataParallelBatch {
  /** The examples, row-major. */
  x: Float32Array;
  /** Shape of `x`; the first dimension is the batch size. */
  xShape: number[];
  /** Int32 class labels, or float targets for mean squared error. */
  y: Int32Array | Float32Array;
  /** Shape of `y`. Default: [batch size]. */
  yShape?: number[];
}

/** Messages to a worker. */
export type WorkerRequest =
  | {
    type: "init";
    moduleUrl: string;
    exportName: string;
    modelOptions: unknown;
    backend: BackendName;
    loss: LossName;
    optimizer: OptimizerSpec;
    syncBatchStats: boolean;
    collective: CollectiveInit;
  }
  | { type: "getWeights" }
  | { type: "setWeights"; weights: Float32Array[] }
  | {
    type: "step";
    x: Float32Array;
    xShape: number[];
    y: Float32Array | Int32Array;
    yShape: number[];
    yDtype: "float32" | "int32";
    lr: number;
  }
  | { type: "dispose" };

/** Messages from a worker. */
export type WorkerResponse =
  | { type: "ready"; backend: BackendName }
  | { type: "weights"; weights: Float32Array[] }
  | { type: "stepped"; loss: number; computeMs: number; reduceMs: number; numTensors: number }
  | { type: "done" }
  | { type: "error"; message: string };

/** Timing of the last step: slowest worker's forward+backward, and its all-reduce + update. */
export interface StepTiming {
  computeMs: number;
  reduceMs: number;
  /** tf.memory().numTensors in each worker after the step (constant over a run unless something leaks). */
  numTensors: number[];
}

class WorkerHandle {
  private pending: { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void }[] = [];
  constructor(readonly worker: Worker, readonly rank: number) {
    worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const p = this.pending.shift();
      if (!p) return;
      if (e.data.type === "error") p.reject(new Error(`data-parallel worker ${rank}: ${e.data.message}`));
      else p.resolve(e.data);
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      for (const p of this.pending.splice(0)) p.reject(new Error(`data-parallel worker ${rank} crashed: ${e.message}`));
    };
  }

  request(msg: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(msg, transfer);
    });
  }
}

/**
 * Trains one model on several cores by data parallelism with gradient averaging every step and synchronised batch
 * statistics — mini-batch SGD of ResNet §3.4 computed on shards of the mini-batch, identical to one-core training.
 */
export class DataParallelTrainer {
  /** Timing of the last {@link step}. */
  lastTiming: StepTiming = { computeMs: 0, reduceMs: 0, numTensors: [] };

  private constructor(private readonly handles: WorkerHandle[], readonly backend: BackendName) {}

  /** Number of workers (cores used). */
  get workers(): number {
    return this.handles.length;
  }

  /** Starts the workers, builds the model in each and copies worker 0's initial weights to the others. */
  static async create(options: DataParallelOptions): Promise<DataParallelTrainer> {
    const n = options.workers ?? (navigator.hardwareConcurrency || 1);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`DataParallelTrainer: workers must be ≥ 1, got ${n}`);
    if (!options.moduleUrl || !options.exportName) {
      throw new Error("DataParallelTrainer: moduleUrl and exportName (the model builder) are required.");
    }
    const buffer = allocateCollective(n);
    const url = new URL("./data_parallel_worker.ts", import.meta.url);
    const handles = Array.from({ length: n }, (_, rank) => new WorkerHandle(new Worker(url, { type: "module" }), rank));
    try {
      const ready = await Promise.all(handles.map((h) =>
        h.request({
          type: "init",
          moduleUrl: options.moduleUrl,
          exportName: options.exportName,
          modelOptions: options.modelOptions,
          backend: options.backend ?? "wasm",
          loss: options.loss ?? "softmaxCrossEntropy",
          optimizer: options.optimizer ?? { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 },
          syncBatchStats: options.syncBatchStats ?? true,
          collective: { buffer, size: n, rank: h.rank },
        })
      ));
      const trainer = new DataParallelTrainer(handles, (ready[0] as { backend: BackendName }).backend);
      await trainer.setWeights(await trainer.getWeights());
      return trainer;
    } catch (e) {
      for (const h of handles) h.worker.terminate();
      throw e;
    }
  }

  /** The model's weights (in `model.getWeights()` order), from worker 0. */
  async getWeights(): Promise<Float32Array[]> {
    const r = await this.handles[0].request({ type: "getWeights" });
    return (r as { weights: Float32Array[] }).weights;
  }

  /** Sets the weights of every replica (e.g. to start from a model built on the main thread). */
  async setWeights(weights: Float32Array[]): Promise<void> {
    await Promise.all(this.handles.map((h) => h.request({ type: "setWeights", weights })));
  }

  /**
   * One training step on a batch at learning rate `lr`: `x` holds `xShape[0]` examples (row-major), `y` their int32
   * labels (or float targets for MSE, `yShape` given). The batch size must be divisible by the number of workers.
   * Returns the batch loss.
   */
  async step(batch: DataParallelBatch, lr: number): Promise<number> {
    const { x, xShape, y } = batch;
    const yShape = batch.yShape ?? [xShape[0]];
    const n = xShape[0], k = this.handles.length;
    if (n % k !== 0) {
      throw new RangeError(`DataParallelTrainer.step: batch ${n} is not divisible by ${k} workers; use a multiple.`);
    }
    const per = x.length / n, perY = y.length / n, shard = n / k;
    const yDtype = y instanceof Int32Array ? "int32" : "float32";
    const replies = await Promise.all(this.handles.map((h, r) => {
      const xs = x.slice(r * shard * per, (r + 1) * shard * per);
      const ys = y.slice(r * shard * perY, (r + 1) * shard * perY);
      return h.request(
        { type: "step", x: xs, xShape: [shard, ...xShape.slice(1)], y: ys, yShape, yDtype, lr },
        [xs.buffer, ys.buffer],
      );
    })) as { loss: number; computeMs: number; reduceMs: number; numTensors: number }[];
    this.lastTiming = {
      computeMs: Math.max(...replies.map((r) => r.computeMs)),
      reduceMs: Math.max(...replies.map((r) => r.reduceMs)),
      numTensors: replies.map((r) => r.numTensors),
    };
    return replies.reduce((s, r) => s + r.loss, 0) / k;
  }

  /** Frees the models and stops the workers. */
  async dispose(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.request({ type: "dispose" }).catch(() => undefined)));
    for (const h of this.handles) h.worker.terminate();
  }
}
