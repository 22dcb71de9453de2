import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { loadImageData } from "../data/mod.ts";
import { imageTensor } from "../train/mod.ts";
import { orderingAcrossSeeds, runRows, seedOrderingRow, stepsToError, trainVariants } from "./degradation.ts";
import { layerResponseStd, responsesFigure } from "./layer_responses.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

describe("trainVariants (Figure 1, Figure 6) and its models' responses (Figure 7)", () => {
  it("trains each variant, keeps models on request, and their responses plot; no tensors leak", async () => {
    const data = await loadImageData({ trainLimit: 64, testLimit: 16 });
    const before = tf.memory().numTensors;
    const options = {
      inputShape: [28, 28, 1] as [number, number, number],
      widths: [2, 2, 2] as [number, number, number],
    };
    const runs = await trainVariants(
      [{ label: "plain-8", options: { depth: 8, plain: true, ...options } }, {
        label: "ResNet-8",
        options: { depth: 8, ...options },
      }],
      data,
      { steps: 2, batchSize: 4, progress: false, keepModels: true, window: 2 },
    );
    expect(runs.map((r) => r.label)).toEqual(["plain-8", "ResNet-8"]);
    expect(runs[0].finalTrainError).toBeCloseTo((runs[0].history.trainError[0] + runs[0].history.trainError[1]) / 2, 9);
    expect(runRows(runs)[1].net).toBe("ResNet-8");
    const probe = imageTensor(data.test, 8);
    expect(probe.shape).toEqual([8, 28, 28, 1]);
    const responses = runs.map((r) => ({ name: r.label, responses: layerResponseStd(r.model!, probe) }));
    expect(responses[0].responses.length).toBe(7);
    const fig = bundleOf(responsesFigure(responses)) as Record<string, { data: unknown[] }>;
    expect(fig[PLOTLY_MIME].data.length).toBe(4);
    probe.dispose();
    runs.forEach((r) => r.model!.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("stepsToError", () => {
  it("finds the first full window whose mean is below the threshold", () => {
    const h = { trainError: [0.9, 0.8, 0.5, 0.3, 0.2, 0.1] } as Parameters<typeof stepsToError>[0];
    expect(stepsToError(h, 0.5, { window: 2 })).toBe(4); // windows: .85 .65 .4 → step 4
    expect(stepsToError(h, 0.05, { window: 2 })).toBeNull();
    expect(stepsToError({ trainError: new Array(30).fill(0.1) }, 0.2)).toBe(30); // default window: 30 steps
  });
});

describe("orderings across seeds (§4.2, Figure 6)", () => {
  it("seedOrderingRow: errors in % and each ordering decided from the right pair", () => {
    const row = seedOrderingRow(3, { shallow: 8, deep: 44 }, {
      plainShallow: 0.25,
      plainDeep: 0.5,
      resShallow: 0.2,
      resDeep: 0.22,
    });
    expect(row).toEqual({
      seed: 3,
      "plain-8 %": 25,
      "plain-44 %": 50,
      "ResNet-8 %": 20,
      "ResNet-44 %": 22,
      "deeper plain worse": true,
      "ResNet better": true,
      "deeper ResNet better": false,
    });
    const flipped = seedOrderingRow(1, { shallow: 8, deep: 20 }, {
      plainShallow: 0.3,
      plainDeep: 0.2,
      resShallow: 0.3,
      resDeep: 0.1,
    });
    expect([flipped["deeper plain worse"], flipped["ResNet better"], flipped["deeper ResNet better"]]).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("orderingAcrossSeeds trains four nets per seed and returns one row per seed", async () => {
    const data = await loadImageData({ trainLimit: 64, testLimit: 0 });
    const rows = await orderingAcrossSeeds(data, {
      seeds: [1, 2],
      shallow: 8,
      deep: 14,
      options: (depth, plain, seed) => ({ depth, plain, seed, inputShape: [28, 28, 1], widths: [2, 2, 2] }),
      window: 2,
      config: { steps: 2, batchSize: 4, progress: false },
    });
    expect(rows.map((r) => r.seed)).toEqual([1, 2]);
    for (const r of rows) {
      for (const k of ["plain-8 %", "plain-14 %", "ResNet-8 %", "ResNet-14 %"]) {
        expect(r[k]).toBeGreaterThanOrEqual(0);
        expect(r[k]).toBeLessThanOrEqual(100);
      }
      if (r["plain-14 %"] !== r["plain-8 %"]) expect(r["deeper plain worse"]).toBe(r["plain-14 %"] > r["plain-8 %"]);
      if (r["ResNet-14 %"] !== r["ResNet-8 %"]) {
        expect(r["deeper ResNet better"]).toBe(r["ResNet-14 %"] < r["ResNet-8 %"]);
      }
    }
  });
});
