/**
 * A worker of {@link runSchedules}' pool (lib/train runOnWorkers): its own tfjs backend; runs the toy GANs it is given
 * one after another with {@link runToyGan}, streaming each iteration's number back for the progress bar.
 */
import { initBackend } from "../backend/mod.ts";
import { servePool } from "../train/mod.ts";
import { runToyGan } from "./figure1.ts";
import type { ToyDone, ToyInit, ToyTask } from "./helvetica.ts";

servePool<ToyInit, ToyTask, number, ToyDone>({
  async init(init) {
    await initBackend({ prefer: init.backend, quiet: true });
  },
  async run(options, progress) {
    const start = performance.now();
    const r = await runToyGan({ ...options, onStep: (rec) => progress(rec.step) });
    return {
      value: { ...r, seconds: (performance.now() - start) / 1000 },
      transfer: [r.pG.buffer as ArrayBuffer, r.samples.buffer as ArrayBuffer],
    };
  },
});
