/**
 * Batch statistics over the whole mini-batch when it is split across data-parallel workers ("synchronised batch
 * norm"). Training supplies a {@link BatchSync} (an all-reduce over the workers sharing a batch) for the span of a
 * step's forward and backward pass ({@link withBatchSync}); the kernels that take batch statistics look it up
 * ({@link batchSyncFor}) and all-reduce their per-shard sums through it: the fused batch-norm kernels
 * (batch_norm_kernels.ts), and every Mean over the batch axis of a shard (the stock tf.layers path through
 * tf.moments), whose gradient is all-reduced too. A data-parallel step then computes the same function as one core on
 * the whole batch.
 */
import * as tf from "@tensorflow/tfjs";
import { backendHeap } from "./heap.ts";
import { replaceKernel, stockKernel } from "./kernel_call.ts";

/** An all-reduce over the workers that share each mini-batch: what synchronised batch statistics need from training. */
export interface BatchSync {
  /** Number of workers. */
  readonly size: number;
  /** This worker's position, 0 … size − 1. */
  readonly rank: number;
  /** Element-wise sum of `values` over the workers, in place; every worker gets the same bits. */
  allReduceSum(values: Float32Array): Float32Array;
}

/** A {@link BatchSync} and the shard it applies to. */
export interface BatchSyncScope {
  sync: BatchSync;
  /** Examples per worker: a batch statistic over a tensor with this leading size is all-reduced. */
  shard: number;
}

let scope: BatchSyncScope | null = null;

/** Runs `fn` (a step's forward and backward pass) with batch statistics of `shard`-example tensors synchronised. */
export function withBatchSync<T>(syncScope: BatchSyncScope, fn: () => T): T {
  const outer = scope;
  scope = syncScope;
  try {
    return fn();
  } finally {
    scope = outer;
  }
}

/** The sync for batch statistics over a tensor of leading size `leading`; null on one core or for other tensors. */
export function batchSyncFor(leading: number): BatchSync | null {
  if (scope == null || scope.sync.size === 1 || leading !== scope.shard) return null;
  return scope.sync;
}

/** All-reduces per-channel float64 sums as two float32 halves (hi + lo), so the sum keeps float64 accuracy. */
export function allReduceFloat64(sync: BatchSync, acc: Float64Array): Float64Array {
  const c = acc.length;
  const both = new Float32Array(2 * c);
  for (let k = 0; k < c; k++) {
    both[k] = acc[k];
    both[c + k] = acc[k] - both[k];
  }
  sync.allReduceSum(both);
  return Float64Array.from({ length: c }, (_, k) => both[k] + both[c + k]);
}

/** Worker 0's `values` on every worker. */
export function fromRankZero(sync: BatchSync, values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  if (sync.rank === 0) out.set(values);
  return sync.allReduceSum(out);
}

function isBatchReduction(xShape: readonly number[], axis: number | number[]): boolean {
  if (batchSyncFor(xShape[0]) == null) return false;
  return tf.util.parseAxisParam(axis, xShape as number[]).includes(0);
}

/**
 * Installs the synchronised Mean kernel and its gradient on `backendName` (once per worker, before training) —
 * ResNet §3.4 (batch normalization over the mini-batch, here the full batch although it is split across workers).
 */
export function installSyncBatchStats(backendName: string): void {
  replaceKernel({
    kernelName: "Mean",
    backendName,
    kernelFunc: (args) => {
      const out = stockKernel("Mean", backendName)(args) as tf.TensorInfo;
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis } = args.attrs as unknown as { axis: number | number[] };
      if (!isBatchReduction(x.shape, axis)) return out;
      const sync = batchSyncFor(x.shape[0])!;
      const v = backendHeap(args.backend).values(out);
      const sum = sync.allReduceSum(Float32Array.from(v));
      for (let i = 0; i < v.length; i++) v[i] = sum[i] / sync.size;
      return out;
    },
  });
  tf.registerGradient({
    kernelName: "Mean",
    inputsToSave: ["x"],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const [x] = saved;
      const { axis } = attrs as unknown as { axis: number | number[] };
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const reduceSize = axes.reduce((n, a) => n * x.shape[a], 1);
      let g = dy as tf.Tensor;
      if (isBatchReduction(x.shape, axis)) {
        const sync = batchSyncFor(x.shape[0])!;
        const sum = sync.allReduceSum(Float32Array.from(g.dataSync() as Float32Array));
        g = tf.tensor(sum.map((s) => s / sync.size), g.shape);
      }
      const expanded = tf.backend_util.expandShapeToKeepDim(g.shape, axes);
      return { x: () => tf.div(tf.mul(tf.reshape(g, expanded), tf.onesLike(x)), tf.scalar(reduceSize)) };
    },
  });
}
