import { describe, expect, it } from "vitest";
import {
  formatRecord,
  parseRecord,
  provenanceRows,
  readRecord,
  readRecordIfPresent,
  type RunRecord,
} from "./record.ts";

function record(): RunRecord {
  const history = {
    name: "plain-8",
    loss: [2.3, 2.1],
    trainError: [0.9, 0.8],
    lr: [0.1, 0.1],
    evalSteps: [2],
    testError: [0.75],
    testLoss: [2.0],
    seconds: 1.5,
    trainSeconds: 1.2,
    imagesPerSecond: 100,
  };
  return {
    format: 1,
    name: "tiny",
    title: "a tiny record",
    status: "complete",
    provenance: {
      commit: "abc",
      command: "deno task record tiny",
      parameters: { steps: 2 },
      backend: "wasm: native kernels",
      cpu: "test cpu",
      cores: 2,
      deno: "2.9.6",
      tfjs: "4.22.0",
      data: "tiny set",
      started: "2026-12-02T10:00:00.000Z",
      finished: "2026-12-02T10:01:00.000Z",
      wallSeconds: 60,
      sessions: [{
        commit: "abc",
        command: "deno task record tiny",
        started: "2026-12-02T10:00:00.000Z",
        ended: "2026-12-02T10:01:00.000Z",
        seconds: 60,
        steps: 2,
      }],
    },
    jobs: [{ key: "plain-8-s1", label: "plain-8 seed 1", meta: { seed: 1 }, steps: 2, complete: true, history }],
  };
}

describe("parseRecord", () => {
  it("reads back what formatRecord wrote", () => {
    const r = record();
    expect(parseRecord(JSON.parse(formatRecord(r)), "r.json")).toEqual(r);
  });

  it("refuses a record with a provenance field missing, naming the file and the field", () => {
    for (const field of ["commit", "command", "parameters", "backend", "cpu", "data", "sessions"] as const) {
      const r = record() as unknown as { provenance: Record<string, unknown> };
      delete r.provenance[field];
      expect(() => parseRecord(r, "data/runs/x.json")).toThrow(
        new RegExp(`data/runs/x\\.json is not a valid run record:\\n  provenance\\.${field}`),
      );
    }
  });

  it("refuses curves of different lengths, a complete net short of its steps and a complete record unfinished", () => {
    const a = record();
    a.jobs[0].history.trainError.pop();
    expect(() => parseRecord(a, "a.json")).toThrow(/loss, trainError and lr have different lengths/);
    const b = record();
    b.jobs[0].steps = 3;
    expect(() => parseRecord(b, "b.json")).toThrow(/complete with 2 of 3 steps/);
    const c = record();
    delete c.provenance.finished;
    expect(() => parseRecord(c, "c.json")).toThrow(/provenance\.finished: missing/);
  });

  it("provenance rows say the status, the nets complete and the parameters that differ from the defaults", () => {
    const rows = provenanceRows({ ...record(), status: "partial" }, { steps: 150 });
    expect(rows[0].value).toBe("partial: 1 of 1 nets complete (resume: deno task record tiny)");
    expect(rows.at(-1)!.value).toBe("steps=2");
  });
});

/** A record of one custom job (an experiment's own training loop) with two per-step curves and two evaluations. */
function customRecord(): RunRecord {
  const r = record();
  return {
    ...r,
    jobs: [],
    customJobs: [{
      key: "loop-s1",
      label: "loop seed 1",
      meta: { seed: 1 },
      steps: 3,
      complete: true,
      curves: {
        steps: { a: [0.5, 0.25, 0.125], b: [1, 2, 3] },
        evalSteps: [0, 3],
        evals: { score: [-10.123456789012, -3.5] },
        seconds: 2,
        trainSeconds: 1.5,
      },
      measured: { note: "done" },
    }],
  };
}

describe("readRecord and readRecordIfPresent", () => {
  it("a missing file: undefined, or an error naming the file and the command; a file that is there is read whole", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const missing = `${dir}/none.json`;
      expect(await readRecordIfPresent(missing)).toBeUndefined();
      await expect(readRecord(missing)).rejects.toThrow(/none\.json: no such run record.*deno task record/);
      await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
      await expect(readRecordIfPresent(`${dir}/bad.json`)).rejects.toThrow(/bad\.json is not JSON/);
      await Deno.writeTextFile(`${dir}/tiny.json`, formatRecord(record()));
      expect(await readRecordIfPresent(`${dir}/tiny.json`)).toEqual(await readRecord(`${dir}/tiny.json`));
      expect((await readRecordIfPresent(`${dir}/tiny.json`))?.jobs[0].history.loss).toEqual([2.3, 2.1]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

describe("parseRecord, custom jobs", () => {
  it("reads back what formatRecord wrote, its evaluations at every digit", () => {
    const r = customRecord();
    const text = formatRecord(r);
    expect(text).toContain('\n  "jobs": [],\n  "customJobs": [\n    {"key":"loop-s1"');
    expect(parseRecord(JSON.parse(text), "r.json")).toEqual(r);
    expect(provenanceRows({ ...r, status: "partial" })[0].value).toBe(
      "partial: 1 of 1 runs complete (resume: deno task record tiny)",
    );
  });

  it("refuses curves of different lengths, evaluations off their steps, a short complete job and no job at all", () => {
    const a = customRecord();
    a.customJobs![0].curves.steps.b.pop();
    expect(() => parseRecord(a, "a.json")).toThrow(
      /customJobs\.0 \(loop seed 1\): per-step curves of different lengths \(a 3, b 2\)/,
    );
    const b = customRecord();
    b.customJobs![0].curves.evalSteps = [0, 4];
    expect(() => parseRecord(b, "b.json")).toThrow(/evalSteps \[0, 4\] not ascending within the 3 steps done/);
    const c = customRecord();
    c.customJobs![0].curves.evals.score.pop();
    expect(() => parseRecord(c, "c.json")).toThrow(/evals\.score has 1 values for 2 evalSteps/);
    const d = customRecord();
    d.customJobs![0].steps = 4;
    expect(() => parseRecord(d, "d.json")).toThrow(/complete with 3 of 4 steps/);
    expect(() => parseRecord({ ...customRecord(), customJobs: [] }, "e.json")).toThrow(
      "e.json is not a valid run record:\n  jobs: no jobs",
    );
    const f = customRecord();
    f.jobs = record().jobs;
    f.jobs[0].key = "loop-s1";
    expect(() => parseRecord(f, "f.json")).toThrow(/jobs\.0\.key: "loop-s1" is repeated/);
  });
});
