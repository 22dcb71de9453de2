import { describe, expect, it } from "vitest";
import { formatRecord, parseRecord, provenanceRows, type RunRecord } from "./record.ts";

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
