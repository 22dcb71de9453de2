import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { bundleOf } from "../display/mod.ts";
import { formatRecord, parseRecord, type RecordedCustomJob, type RunRecord } from "../train/mod.ts";
import type { ParzenResult } from "./parzen.ts";
import { tinyGanParameters } from "./test_util.ts";
import {
  GAN_RECORD,
  ganEvalEvery,
  ganExperiment,
  missingGanRecordNote,
  recordedGan,
  recordedGanCurves,
  recordedParzenEvidence,
  recordedParzenFigure,
  recordedSamples,
  recordedVsQuick,
  TABLE1_MNIST,
  table1Rows,
} from "./recorded_run.ts";

const STEPS = 8;
const parameters = tinyGanParameters(STEPS);

/** A record of the experiment's real jobs at tiny settings, trained here (as the recorder would, without it). */
async function tinyRecord(): Promise<RunRecord> {
  const exp = ganExperiment(parameters);
  const data = await exp.data();
  const customJobs: RecordedCustomJob[] = [];
  for (const job of exp.customJobs!) {
    const r = await job.train({ steps: job.steps, data, onStep: () => {} });
    customJobs.push({ key: job.key, label: job.label, meta: job.meta, steps: job.steps, complete: true, ...r });
  }
  const when = "2026-12-02T10:00:00.000Z";
  const session = { commit: "abc", command: `deno task record ${GAN_RECORD}`, started: when, ended: when };
  return {
    format: 1,
    name: GAN_RECORD,
    title: exp.title,
    status: "complete",
    provenance: {
      ...session,
      parameters,
      backend: "wasm: test",
      cpu: "test",
      cores: 1,
      deno: "2.9.6",
      tfjs: "4.22.0",
      data: "Fashion-MNIST",
      finished: when,
      wallSeconds: 12,
      sessions: [{ ...session, seconds: 12, steps: 2 * STEPS }],
    },
    jobs: [],
    customJobs,
  };
}

let record: RunRecord;
beforeAll(async () => {
  await initBackend({ quiet: true });
  record = await tinyRecord();
}, 300_000);

/** The quick run's two rows as the notebook's §5 cell computes them (here: fixed numbers, as in a table). */
const quick = (() => {
  const p = (mean: number): ParzenResult => ({ mean, stdErr: 3, sigma: 0.2, count: 1000, validation: [] });
  return { steps: 100, samples: 1000, test: 1000, untrained: p(-500), trained: p(-100) };
})();

describe("the recorded GAN run (§5, Table 1)", () => {
  it("a run evaluates before training, at each quarter and at the end; its record reads back", () => {
    expect(ganEvalEvery(STEPS)).toBe(2);
    const [first, second] = record.customJobs!;
    expect(first.curves.evalSteps).toEqual([0, 2, 4, 6, 8]);
    expect(Object.keys(first.curves.steps).sort()).toEqual(["dFake", "dLoss", "dReal", "gLoss"]);
    expect(first.curves.steps.dLoss).toHaveLength(STEPS);
    expect(first.measured?.realParzen).toBeDefined();
    expect(second.measured?.realParzen).toBeUndefined();
    expect(typeof second.measured?.samples).toBe("string");
    expect(parseRecord(JSON.parse(formatRecord(record)), "r.json").customJobs).toHaveLength(2);
  });

  it("reads the record back as Table 1's rows beside the quick run and judges it with the quick run's verdicts", () => {
    const long = recordedGan(record);
    expect(long.seeds).toEqual([1, 2]);
    expect(long.runs.every((r) => r.untrained && r.final)).toBe(true);
    expect(long.real?.count).toBe(30);
    expect(long.budget.text).toMatch(/^Recorded — Budget: 8 iterations .* 2 runs in 12\.0 s\. GAN §5 states no/);
    const rows = table1Rows(long, quick).rows;
    expect(rows.map((r) => r[0])).toEqual([
      "quick run: untrained G",
      "quick run: GAN after 100 iterations",
      "recorded seed 1: untrained G",
      "recorded seed 1: GAN after 8 iterations",
      "recorded seed 2: untrained G",
      "recorded seed 2: GAN after 8 iterations",
      "recorded: 20 real training images",
      "GAN Table 1: adversarial nets",
    ]);
    expect(rows.at(-1)![1]).toBe(TABLE1_MNIST.mean);
    expect(table1Rows(undefined, quick).rows).toHaveLength(3);
    const sentence = recordedVsQuick(long, quick.trained, quick.steps);
    expect(sentence).toMatch(/^Recorded runs after 8 iterations: -?\d+\.\d nats \(mean of 2 seeds\), above this quick/);
    expect(sentence).toMatch(/Table 1's 225 ± 2 is MNIST's, another dataset/);
    const found = recordedParzenEvidence(long)!;
    expect(found.trainingHelps.seeds).toBe(2);
    expect(found.realAbove.seeds).toBe(2);
  });

  it("plots the curves and the estimates within a few hundred points, and shows each run's samples", () => {
    const long = recordedGan(record);
    const curves = recordedGanCurves(long, { window: 2, maxPoints: 3 });
    const data = curves.spec.data as { x: number[]; name: string }[];
    expect(data).toHaveLength(8);
    expect(data[0].name).toBe("seed 1: D loss −V");
    expect(data[0].x).toEqual([3, 6]);
    expect(recordedParzenFigure(long)).toBeDefined();
    const png = bundleOf(recordedSamples(long)!);
    expect(String(png["text/plain"])).toMatch(/^Recorded: samples of each complete run's G after 8 iterations/);
  });

  it("a partial record is judged on its complete runs and says how to resume; a missing one names its command", () => {
    const partial = structuredClone(record);
    partial.status = "partial";
    delete partial.provenance.finished;
    const second = partial.customJobs![1];
    second.complete = false;
    for (const k of Object.keys(second.curves.steps)) second.curves.steps[k] = second.curves.steps[k].slice(0, 4);
    second.curves.evalSteps = second.curves.evalSteps.slice(0, 3);
    for (const k of Object.keys(second.curves.evals)) second.curves.evals[k] = second.curves.evals[k].slice(0, 3);
    const long = recordedGan(parseRecord(partial, "p.json"));
    expect(long.seeds).toEqual([1]);
    expect(long.progress).toMatch(/seed 2: 4 of 8 iterations .* resumes it\.$/);
    expect(table1Rows(long, quick).rows).toHaveLength(6);
    expect(missingGanRecordNote()).toMatch(/`deno task record gan-fashion-mnist` produces it/);
    expect(() => recordedGan({ ...record, name: "other" })).toThrow(/other is not a gan-fashion-mnist record/);
  });

  it("a replay trains without evaluating", async () => {
    const exp = ganExperiment(parameters);
    const r = await exp.customJobs![0].train({ steps: 3, data: await exp.data(), evaluate: false, onStep: () => {} });
    expect(r.curves.evalSteps).toEqual([]);
    expect(r.curves.steps.dLoss).toEqual(record.customJobs![0].curves.steps.dLoss.slice(0, 3));
    expect(r.measured).toBeUndefined();
  });
});
