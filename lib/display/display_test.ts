import { describe, expect, it } from "vitest";
import {
  bundleOf,
  line,
  MAX_OUTPUT_BYTES,
  plot,
  PLOTLY_MIME,
  Progress,
  summariesIn,
  summary,
  Table,
  table,
} from "./mod.ts";

describe("plotly figures", () => {
  it("yield a plotly MIME bundle with HTML and text fallbacks", () => {
    const fig = plot([line([1, 2, 3], { name: "loss" })], { title: { text: "Training" } });
    const bundle = bundleOf(fig);
    const spec = bundle[PLOTLY_MIME] as { data: { y: number[]; name: string }[]; layout: unknown };
    expect(spec.data[0].y).toEqual([1, 2, 3]);
    expect(spec.data[0].name).toBe("loss");
    expect(String(bundle["text/plain"])).toContain("Training");
    expect(String(bundle["text/html"])).toContain("loss");
  });

  it("turn non-finite numbers into null so the bundle is valid JSON", () => {
    const bundle = bundleOf(plot([line([1, NaN, Infinity])]));
    expect((bundle[PLOTLY_MIME] as { data: { y: unknown[] }[] }).data[0].y).toEqual([1, null, null]);
  });
});

describe("tables", () => {
  it("align text and escape HTML", () => {
    const t = table([{ model: "<ResNet-20>", params: 272474 }, { model: "ResNet-110", params: 1.7e6 }]);
    expect(t.toString().split("\n")[0]).toMatch(/^model\s+params$/);
    expect(String(bundleOf(t)["text/html"])).toContain("&lt;ResNet-20&gt;");
    expect(t.toString()).toContain("272,474");
  });

  it("reject ragged rows", () => {
    expect(() => new Table(["a", "b"], [[1]])).toThrow(/row 0 has 1 cells, expected 2/);
  });
});

describe("progress", () => {
  it("formats the bar with done/total and metrics", async () => {
    const p = new Progress(10, { label: "train", minIntervalMs: 1e9 });
    await p.update(5, { loss: 0.123456 });
    expect(p.text()).toMatch(/^train {2}\[#{15}\.{15}\] 5\/10 {2}\d+\.\ds {2}ETA \d+s {2}loss=0\.1235$/);
  });

  it("rejects a non-positive total", () => {
    expect(() => new Progress(0)).toThrow(/positive/);
  });
});

describe("summaries", () => {
  it("show a table and carry the values for tests", () => {
    const s = summary("resnet-figure-6", { "plain-44 train err %": 50.5, degradation: true });
    const bundle = bundleOf(s);
    expect(String(bundle["text/plain"])).toMatch(/plain-44 train err %\s+50\.5/);
    expect(summariesIn([{ outputs: [{ data: bundle }] }, { outputs: [] }])).toEqual({
      "resnet-figure-6": { "plain-44 train err %": 50.5, degradation: true },
    });
  });

  it("reject values that are not finite", () => {
    expect(() => summary("x", { loss: NaN })).toThrow(/summary "x": loss is NaN/);
  });
});

describe("output size", () => {
  it("refuses an output over MAX_OUTPUT_BYTES, naming it and what to do", () => {
    const n = MAX_OUTPUT_BYTES / 8;
    const fig = plot([line(Array.from({ length: n }, (_, i) => i / 3), { name: "too many points" })], {
      title: { text: "Loss per example" },
    });
    expect(() => bundleOf(fig)).toThrow(/the plotly figure "Loss per example" is \d+\.\d MB, over .* limit of 1\.0 MB/);
    expect(() => bundleOf(fig)).toThrow(/Show fewer points/);
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ step: i, loss: 1 / (i + 1) }));
    expect(() => bundleOf(table(rows, { caption: "every step" }))).toThrow(/the table "every step" \(30000 rows\)/);
  });

  it("lets an output under the limit through unchanged", () => {
    const fig = plot([line(Array.from({ length: 10_000 }, (_, i) => i))]);
    expect(JSON.stringify(bundleOf(fig)).length).toBeLessThan(MAX_OUTPUT_BYTES);
  });
});
