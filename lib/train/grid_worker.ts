/**
 * A grid worker (see grid.ts): its own tfjs backend and a copy of the data; trains the runs it is given one after
 * another with {@link trainModel}, streaming each step's record back.
 */
import type * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/init_backend.ts";
import type { ImageSet } from "../data/mod.ts";
import type { GridRequest, GridResponse } from "./grid.ts";
import { trainModel } from "./train.ts";

declare const self: {
  onmessage: ((e: MessageEvent<GridRequest>) => void) | null;
  postMessage(msg: GridResponse, transfer?: Transferable[]): void;
};

let data: { train: ImageSet; test?: ImageSet } | undefined;

async function run(spec: Extract<GridRequest, { type: "run" }>["run"]): Promise<void> {
  const { index } = spec;
  let model: tf.LayersModel | undefined;
  try {
    const mod = await import(spec.moduleUrl);
    const build = mod[spec.exportName];
    if (typeof build !== "function") {
      throw new Error(`${spec.moduleUrl} has no exported function '${spec.exportName}'`);
    }
    model = (await build(spec.modelOptions)) as tf.LayersModel;
    const history = await trainModel(model, data!, {
      ...spec.config,
      learningRate: (step: number) => spec.lrs[step],
      progress: false,
      onStep: (r) => self.postMessage({ type: "step", index, ...r }),
      ...(spec.checkpoints
        ? {
          onCheckpoint: (state) =>
            self.postMessage(
              { type: "checkpoint", index, state },
              [...state.weights, ...state.optimizer].map((w) => w.buffer as ArrayBuffer),
            ),
        }
        : {}),
    });
    let weights: Float32Array[] | undefined;
    if (spec.keepWeights) weights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
    self.postMessage(
      { type: "done", index, history, ...(weights ? { weights } : {}) },
      weights?.map((w) => w.buffer as ArrayBuffer),
    );
  } catch (e) {
    self.postMessage({ type: "failed", index, message: e instanceof Error ? e.message : String(e) });
  } finally {
    model?.dispose();
  }
}

self.onmessage = (e: MessageEvent<GridRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    data = msg.data;
    initBackend({ prefer: msg.backend, quiet: true }).then(
      (info) => self.postMessage({ type: "ready", backend: info.name }),
      (err) => self.postMessage({ type: "initFailed", message: err instanceof Error ? err.message : String(err) }),
    );
  } else {
    void run(msg.run);
  }
};
