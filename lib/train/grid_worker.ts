/**
 * A grid worker (see grid.ts): its own tfjs backend and a copy of the data; trains the runs it is given one after
 * another with {@link trainModel}, streaming each step's record back.
 */
import type * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/init_backend.ts";
import type { GridDone, GridInit, GridProgress, GridRunSpec } from "./grid.ts";
import { servePool } from "./pool_worker.ts";
import { trainModel } from "./train.ts";

let data: GridInit["data"] | undefined;

servePool<GridInit, GridRunSpec, GridProgress, GridDone>({
  async init(init) {
    data = init.data;
    await initBackend({ prefer: init.backend, quiet: true });
  },
  async run(spec, progress) {
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
        onStep: (r) => progress({ kind: "step", ...r }),
        ...(spec.checkpoints
          ? {
            onCheckpoint: (state) =>
              progress(
                { kind: "checkpoint", state },
                [...state.weights, ...state.optimizer].map((w) => w.buffer as ArrayBuffer),
              ),
          }
          : {}),
      });
      if (!spec.keepWeights) return { value: { history } };
      const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
      return { value: { history, weights }, transfer: weights.map((w) => w.buffer as ArrayBuffer) };
    } finally {
      model?.dispose();
    }
  },
});
