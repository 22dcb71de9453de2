/**
 * A data-parallel training worker (see data_parallel.ts): its own tfjs backend, a replica of the model, and one shard
 * of every batch. Gradients and batch-norm statistics are all-reduced with the other workers through shared memory.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend, installSyncBatchStats, withBatchSync } from "../backend/mod.ts";
import { Collective } from "./collective.ts";
import type { WorkerRequest, WorkerResponse } from "./data_parallel.ts";
import { type LossName, supervisedLoss, TrainStep } from "./step.ts";

declare const self: {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(msg: WorkerResponse, transfer?: Transferable[]): void;
  close(): void;
};

let collective: Collective;
let model: tf.LayersModel;
let trainer: TrainStep;
let loss: LossName;
let syncStats = true;

function flatten(ts: tf.Tensor[]): Float32Array {
  const total = ts.reduce((n, t) => n + t.size, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const t of ts) {
    out.set(t.dataSync() as Float32Array, o);
    o += t.size;
  }
  return out;
}

async function handle(msg: WorkerRequest): Promise<WorkerResponse> {
  switch (msg.type) {
    case "init": {
      const info = await initBackend({ prefer: msg.backend, quiet: true });
      collective = new Collective(msg.collective);
      syncStats = msg.syncBatchStats;
      if (syncStats) installSyncBatchStats(info.name);
      const mod = await import(msg.moduleUrl);
      const build = mod[msg.exportName];
      if (typeof build !== "function") {
        throw new Error(`lib/train data parallel: ${msg.moduleUrl} has no exported function '${msg.exportName}'.`);
      }
      model = build(msg.modelOptions) as tf.LayersModel;
      loss = msg.loss;
      trainer = TrainStep.forModel(model, { optimizer: msg.optimizer });
      return { type: "ready", backend: info.name };
    }
    case "getWeights": {
      const ws = model.getWeights().map((w) => w.dataSync() as Float32Array);
      return { type: "weights", weights: ws.map((w) => Float32Array.from(w)) };
    }
    case "setWeights": {
      const ts = model.getWeights().map((w, i) => tf.tensor(msg.weights[i], w.shape));
      model.setWeights(ts);
      tf.dispose(ts);
      return { type: "done" };
    }
    case "step": {
      const shard = msg.xShape[0];
      const x = tf.tensor(msg.x, msg.xShape);
      const y = tf.tensor(msg.y, [shard, ...msg.yShape.slice(1)], msg.yDtype);
      const t0 = performance.now();
      const gradients = () => trainer.gradients(supervisedLoss(model, { x, y, loss }));
      const { loss: value, grads } = syncStats ? withBatchSync({ sync: collective, shard }, gradients) : gradients();
      const lossValue = value.dataSync()[0];
      value.dispose();
      const t1 = performance.now();
      const flat = collective.allReduceSum(flatten(grads));
      const k = collective.size;
      let o = 0;
      const averaged = grads.map((g) => {
        const t = tf.tensor(flat.subarray(o, o + g.size).map((v) => v / k), g.shape);
        o += g.size;
        return t;
      });
      trainer.apply(averaged, msg.lr);
      tf.dispose([x, y, ...grads, ...averaged]);
      const t2 = performance.now();
      return {
        type: "stepped",
        loss: lossValue,
        computeMs: t1 - t0,
        reduceMs: t2 - t1,
        numTensors: tf.memory().numTensors,
      };
    }
    case "dispose": {
      trainer.dispose();
      model.dispose();
      return { type: "done" };
    }
  }
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  handle(e.data).then(
    (r) => self.postMessage(r),
    (err) =>
      self.postMessage({ type: "error", message: err instanceof Error ? `${err.message}\n${err.stack}` : `${err}` }),
  );
};
