/**
 * The recorder's custom jobs (lib/train `CustomJob`), on the experiment that has them: the GAN's §5 runs at tiny
 * settings, on the real Fashion-MNIST. A run stopped right after its first checkpoint and resumed ends with the
 * same record as one that never stopped; the record it writes is refused without its provenance.
 */
import { describe, expect, it } from "vitest";
import { ganExperiment } from "../gan/mod.ts";
import { tinyGanParameters } from "../gan/test_util.ts";
import { parseRecord, readRecord, type RecordedExperiment, type RunRecord } from "../train/mod.ts";
import type { MachineFacts } from "./provenance.ts";
import { checkpointFolder, recordExperiment } from "./recorder.ts";

const STEPS = 12;

/** The GAN record's experiment with tiny nets, few Parzen samples and test images, two seeds. */
function tinyGan(): RecordedExperiment {
  return ganExperiment(tinyGanParameters(STEPS));
}

/** The experiment whose first job stops (as Ctrl-C would) the moment its first checkpoint is on disk. */
function stoppingAfterFirstCheckpoint(controller: AbortController): RecordedExperiment {
  const exp = tinyGan();
  const [first, ...rest] = exp.customJobs!;
  return {
    ...exp,
    customJobs: [{
      ...first,
      train: (ctx) =>
        first.train({
          ...ctx,
          onCheckpoint: async (state) => {
            await ctx.onCheckpoint!(state);
            controller.abort(new Error("stopped after the first checkpoint"));
          },
        }),
    }, ...rest],
  };
}

/** A record without what differs between two sessions: timings. */
function curvesOf(record: RunRecord) {
  return record.customJobs!.map((j) => {
    const { parzenSeconds: _t, ...evals } = j.curves.evals;
    return {
      key: j.key,
      complete: j.complete,
      steps: j.curves.steps,
      evalSteps: j.curves.evalSteps,
      evals,
      m: j.measured,
    };
  });
}

const machine: MachineFacts = { commit: "0000000", backend: "test", cpu: "test", cores: 2, deno: "test", tfjs: "test" };
const quiet = { log: () => {}, machine };

describe("recordExperiment with custom jobs (the GAN's §5 runs)", () => {
  it(
    "a run stopped after its first checkpoint and resumed ends with the same record as one that never stopped",
    async () => {
      const dir = await Deno.makeTempDir();
      try {
        const whole = await recordExperiment(tinyGan(), { ...quiet, out: `${dir}/whole.json`, command: "x" });
        expect(whole.status).toBe("complete");
        expect(whole.provenance.cores).toBe(1);
        expect(whole.jobs).toEqual([]);
        const first = whole.customJobs![0];
        expect(first.curves.steps.dLoss).toHaveLength(STEPS);
        expect(first.curves.evalSteps).toEqual([0, 3, 6, 9, 12]);
        expect(first.measured?.realParzen).toBeDefined(); // the first run's real-images reference
        expect(whole.customJobs![1].measured?.realParzen).toBeUndefined();

        const out = `${dir}/resumed.json`;
        const controller = new AbortController();
        await expect(
          recordExperiment(stoppingAfterFirstCheckpoint(controller), {
            ...quiet,
            out,
            command: "x",
            signal: controller.signal,
          }),
        ).rejects.toThrow("stopped after the first checkpoint");
        const partial = await readRecord(out);
        expect(partial.status).toBe("partial");
        // The first run stopped at its first checkpoint (3 of 12 iterations), the second has not started.
        expect(partial.customJobs!.map((j) => [j.complete, j.curves.steps.dLoss?.length ?? 0])).toEqual([
          [false, 3],
          [false, 0],
        ]);
        const names = (await Array.fromAsync(Deno.readDir(checkpointFolder(out)))).map((e) => e.name);
        expect(names).toEqual(["gan-s1.ckpt"]);

        const resumed = await recordExperiment(tinyGan(), { ...quiet, out, command: "x" });
        expect(resumed.status).toBe("complete");
        expect(resumed.provenance.sessions).toHaveLength(2);
        expect(curvesOf(resumed)).toEqual(curvesOf(whole));
        // And so do the files, read back: the same curves at the record's precision.
        expect(curvesOf(await readRecord(out))).toEqual(curvesOf(await readRecord(`${dir}/whole.json`)));
        await expect(Deno.stat(checkpointFolder(out))).rejects.toThrow();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
    300_000,
  );

  it("parseRecord refuses the GAN record with a provenance field missing, naming it", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const out = `${dir}/gan.json`;
      await recordExperiment(tinyGan(), { ...quiet, out, command: "x", steps: 2 });
      const json = JSON.parse(await Deno.readTextFile(out));
      expect(parseRecord(json, out).status).toBe("check");
      for (const field of ["commit", "command", "parameters", "backend", "cpu", "data", "sessions"]) {
        const broken = structuredClone(json);
        delete broken.provenance[field];
        expect(() => parseRecord(broken, out)).toThrow(
          new RegExp(`is not a valid run record:\\n  provenance\\.${field}`),
        );
      }
      const short = structuredClone(json);
      short.customJobs[0].curves.steps.gLoss.pop();
      expect(() => parseRecord(short, out)).toThrow(/per-step curves of different lengths/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }, 120_000);
});
