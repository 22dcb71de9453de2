/**
 * A worker of {@link runSchedules}' pool (lib/train runOnWorkers): its own tfjs backend; runs the toy GANs it is given
 * one after another with {@link runTimedToyGan}, streaming each iteration's number back for the progress bar.
 */
import { initBackend } from "../backend/mod.ts";
import { servePool } from "../train/mod.ts";
import { runTimedToyGan, type ToyDone, type ToyInit, type ToyTask } from "./helvetica.ts";

servePool<ToyInit, ToyTask, number, ToyDone>({
  async init(init) {
    await initBackend({ prefer: init.backend, quiet: true });
  },
  async run(task, progress) {
    const r = await runTimedToyGan(task, progress);
    return { value: r, transfer: [r.pG.buffer as ArrayBuffer, r.samples.buffer as ArrayBuffer] };
  },
});
