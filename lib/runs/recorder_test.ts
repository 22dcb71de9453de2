import { describe, expect, it } from "vitest";
import { readRecord, type RecordedExperiment, stepSchedule } from "../train/mod.ts";
import { tinySet } from "../train/test_models.ts";
import { checkpointFolder, recordExperiment } from "./recorder.ts";
import type { MachineFacts } from "./provenance.ts";

const NETWORKS_URL = new URL("../resnet/networks.ts", import.meta.url).href;
const STEPS = 120;

/** Two tiny nets (plain and residual, 8 layers) with the paper's step schedule scaled to 120 steps. */
function tinyExperiment(): RecordedExperiment {
  const jobs = [true, false].map((plain) => ({
    key: `${plain ? "plain" : "ResNet"}-8-s1`,
    meta: { depth: 8, plain, seed: 1 },
    run: {
      label: `${plain ? "plain" : "ResNet"}-8 seed 1`,
      moduleUrl: NETWORKS_URL,
      exportName: "cifarResNet",
      modelOptions: { depth: 8, plain, seed: 1, widths: [2, 4, 4], inputShape: [8, 8, 1], classes: 5 },
      config: {
        steps: STEPS,
        batchSize: 8,
        learningRate: stepSchedule(0.1, [60, 90]),
        augment: true,
        seed: 1,
        evalEvery: 10,
      },
    },
  }));
  return {
    name: "tiny",
    title: "two tiny nets",
    parameters: { steps: STEPS, dataDir: undefined }, // undefined, as JSON drops it: resuming must still match
    jobs,
    data: () => Promise.resolve({ train: tinySet(64, 3), test: tinySet(16, 4), source: "tiny synthetic sets" }),
  };
}

const machine: MachineFacts = {
  commit: "0000000",
  backend: "test",
  cpu: "test",
  cores: 2,
  deno: "test",
  tfjs: "test",
};
const quiet = { log: () => {}, machine, workers: 2 };

describe("recordExperiment", () => {
  it(
    "a run stopped after its first checkpoints and resumed ends with the same record as one that never stopped",
    async () => {
      const dir = await Deno.makeTempDir();
      try {
        const whole = await recordExperiment(tinyExperiment(), { ...quiet, out: `${dir}/whole.json`, command: "x" });
        expect(whole.status).toBe("complete");
        expect(whole.jobs.every((j) => j.complete && j.history.loss.length === STEPS)).toBe(true);

        // Stop as a crash would: the moment the first checkpoint of each net is on disk.
        const out = `${dir}/resumed.json`;
        const controller = new AbortController();
        const folder = checkpointFolder(out);
        const watcher = (async () => {
          for (;;) {
            await new Promise((r) => setTimeout(r, 5));
            const names = await Array.fromAsync(Deno.readDir(folder)).catch(() => []);
            if (names.filter((n) => n.name.endsWith(".ckpt")).length >= 2) return controller.abort(new Error("crash"));
          }
        })();
        await expect(
          recordExperiment(tinyExperiment(), { ...quiet, out, command: "x", signal: controller.signal }),
        ).rejects.toThrow("crash");
        await watcher;
        const partial = await readRecord(out);
        expect(partial.status).toBe("partial");
        expect(partial.jobs.some((j) => !j.complete)).toBe(true);

        // resumed on another machine: its session names that machine's backend and CPU, the first session's stay
        const other = { ...machine, backend: "wasm: other kernels, 256-bit vectors", cpu: "other CPU" };
        const resumed = await recordExperiment(tinyExperiment(), { ...quiet, machine: other, out, command: "x" });
        expect(resumed.status).toBe("complete");
        expect(resumed.provenance.sessions).toHaveLength(2);
        expect(resumed.provenance.backend).toBe("test");
        expect(resumed.provenance.sessions[0].backend).toBeUndefined();
        expect(resumed.provenance.sessions[1]).toMatchObject({ backend: other.backend, cpu: "other CPU" });
        for (const [i, job] of resumed.jobs.entries()) {
          const h = job.history;
          const w = whole.jobs[i].history;
          expect(h.loss).toEqual(w.loss);
          expect(h.trainError).toEqual(w.trainError);
          expect(h.lr).toEqual(w.lr);
          expect(h.evalSteps).toEqual(w.evalSteps);
          expect(h.testError).toEqual(w.testError);
        }
        // The checkpoints of finished nets are gone, and their folder with them.
        await expect(Deno.stat(folder)).rejects.toThrow();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
    120_000,
  );

  it("refuses to overwrite a record of other parameters, and a --steps check refuses any existing file", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const out = `${dir}/r.json`;
      await recordExperiment(tinyExperiment(), { ...quiet, out, command: "x", steps: 2 });
      const check = await readRecord(out);
      expect(check.status).toBe("check");
      expect(check.jobs.every((j) => j.history.loss.length === 2)).toBe(true);
      const before = await Deno.readTextFile(out);
      await expect(recordExperiment(tinyExperiment(), { ...quiet, out, command: "x", steps: 2 })).rejects.toThrow(
        /does not overwrite/,
      );
      const other = { ...tinyExperiment(), parameters: { steps: 99 } };
      await expect(recordExperiment(other, { ...quiet, out, command: "x" })).rejects.toThrow(/other parameters/);
      expect(await Deno.readTextFile(out)).toBe(before);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }, 60_000);
});
