/**
 * Batch statistics over the whole mini-batch when it is split across data-parallel workers ("synchronised batch norm"):
 * every Mean that reduces over the batch axis of a shard is all-reduced in the forward pass, and its gradient is
 * all-reduced in the backward pass. With this, a data-parallel step computes the same function as one core on the
 * whole batch (batch-norm mean and variance, hence the moving averages, are those of the full batch).
 */
import * as tf from "@tensorflow/tfjs";
import type { Collective } from "./collective.ts";
import { replaceKernel, stockKernel } from "./kernel_call.ts";

interface SyncState {
  collective: Collective;
  /** Examples per worker; a Mean over axis 0 of a tensor with this leading size is a batch statistic. */
  shard: number;
}

let state: SyncState | null = null;

function isBatchReduction(xShape: readonly number[], axis: number | number[]): boolean {
  if (state == null || state.collective.size === 1) return false;
  const axes = tf.util.parseAxisParam(axis, xShape as number[]);
  return axes.includes(0) && xShape[0] === state.shard;
}

/** A writable view of a kernel output's values (wasm heap or cpu array). */
function writableValues(backend: unknown, info: tf.TensorInfo): Float32Array {
  const b = backend as {
    typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array;
    data?: { get(id: unknown): { values: Float32Array } };
  };
  if (b.typedArrayFromHeap) return b.typedArrayFromHeap(info);
  if (b.data) return b.data.get(info.dataId).values;
  throw new Error("lib/backend sync batch stats: backend exposes neither a wasm heap nor cpu data");
}

/**
 * Installs the synchronised Mean kernel and gradient on `backendName` (call once per worker, before training) —
 * ResNet §3.4 (batch normalization over the mini-batch, here the full batch although it is split across workers).
 */
export function installSyncBatchStats(backendName: string): void {
  replaceKernel("Mean", backendName, (args) => {
    const out = stockKernel("Mean", backendName)(args) as tf.TensorInfo;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis } = args.attrs as unknown as { axis: number | number[] };
    if (!isBatchReduction(x.shape, axis)) return out;
    const v = writableValues(args.backend, out);
    const sum = state!.collective.allReduceSum(Float32Array.from(v));
    const k = state!.collective.size;
    for (let i = 0; i < v.length; i++) v[i] = sum[i] / k;
    return out;
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
        const k = state!.collective.size;
        const sum = state!.collective.allReduceSum(Float32Array.from(g.dataSync() as Float32Array));
        g = tf.tensor(sum.map((s) => s / k), g.shape);
      }
      const expanded = tf.backend_util.expandShapeToKeepDim(g.shape, axes);
      return { x: () => tf.div(tf.mul(tf.reshape(g, expanded), tf.onesLike(x)), tf.scalar(reduceSize)) };
    },
  });
}

/** The collective to all-reduce batch statistics with, for a tensor of leading size `leading`; null when not synced. */
export function batchSyncCollective(leading: number): Collective | null {
  if (state == null || state.collective.size === 1 || leading !== state.shard) return null;
  return state.collective;
}

/** Turns batch-statistic synchronisation on (this worker's shard size and collective) or off (null). */
export function setSyncBatchStats(collective: Collective | null, shard = 0): void {
  state = collective == null ? null : { collective, shard };
}
