import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { grid, normal, pdfOn } from "../math/mod.ts";
import { figureOne, figureOneEvidence, runToyGan, toySnapshot } from "./figure1.ts";
import { buildDiscriminator, buildGenerator } from "./models.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe("Figure 1", () => {
  it("Figure 1 has one slider step per snapshot and the four curves of the paper", () => {
    const G = buildGenerator({ hidden: [4] });
    const D = buildDiscriminator({ hidden: [4] });
    const g = grid(-4, 6, 201);
    const before = tf.memory().numTensors;
    const snaps = [0, 10, 20].map((step) => ({ step, value: toySnapshot(G, D, g.xs, { arrows: 5, n: 500 }) }));
    expect(tf.memory().numTensors).toBe(before);
    const spec = bundleOf(figureOne(snaps, g.xs, pdfOn(normal(2, 0.5), g.xs)))[PLOTLY_MIME] as {
      data: { name: string; x: unknown[] }[];
      frames: { name: string }[];
      layout: { sliders: { steps: unknown[] }[] };
    };
    expect(spec.data.map((t) => t.name)).toEqual(["p_data", "p_g", "D(x)", "x = G(z)"]);
    expect(spec.frames.map((f) => f.name)).toEqual(["0", "10", "20"]);
    expect(spec.layout.sliders[0].steps).toHaveLength(3);
    expect(spec.data[3].x).toHaveLength(15); // 5 arrows × (start, end, gap)
    G.dispose();
    D.dispose();
  });

  it("runToyGan trains, snapshots and cleans up after itself", async () => {
    const before = tf.memory().numTensors;
    const r = await runToyGan({
      pData: normal(2, 0.5),
      grid: grid(-4, 6, 301),
      seed: 1,
      steps: 150,
      snapshotEvery: 50,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.snapshots.map((s) => s.step)).toEqual([0, 50, 100, 150]);
    expect(r.snapshots[0].value.jsd).toBeCloseTo(r.jsdStart, 1); // same G, KDE with a different arrow subset
    expect(r.jsdEnd).toBeLessThan(r.jsdStart - 0.3);
    expect(r.snapshots.at(-1)!.value.jsd).toBeCloseTo(r.jsdEnd, 6);
  });
});

describe("Figure 1's outcomes judged on every seed", () => {
  const pd = [0, 1, 0]; // mean |D − 1/2| under p_data is |D(1) − 1/2|
  const snap = (d1: number) => ({
    d: Float64Array.from([0.5, d1, 0.5]),
    pG: new Float64Array(3),
    z: new Float64Array(0),
    x: new Float64Array(0),
  });
  const run = (seed: number, jsdStart: number, jsd: number, ds: number[]) => ({
    seed,
    jsdStart,
    jsd,
    snapshots: ds.map((d, i) => ({ step: i * 10, value: snap(d) })),
  });

  it("says on how many seeds JSD fell and D flattened back, and by how much", () => {
    const e = figureOneEvidence([run(1, 0.6, 0.02, [0.5, 0.9, 0.52]), run(2, 0.5, 0.04, [0.5, 0.8, 0.51])], pd);
    expect([e.jsdFalls.held, e.jsdFalls.shown, e.dFlattens.held, e.dFlattens.shown]).toEqual([2, true, 2, true]);
    expect(e.jsdFalls.sentence).toMatch(/held on 2 of 2 seeds, by 0\.520 ± 0\.085 nats\.$/);
    expect(e.dFlattens.meanGap).toBeCloseTo(((0.4 - 0.02) + (0.3 - 0.01)) / 2, 12);
  });

  it("reports a seed on which D never flattened back, and refuses runs without snapshots", () => {
    const e = figureOneEvidence([run(1, 0.6, 0.02, [0.5, 0.6, 0.9]), run(2, 0.5, 0.6, [0.5, 0.8, 0.51])], pd);
    expect([e.dFlattens.held, e.dFlattens.shown, e.jsdFalls.held]).toEqual([1, false, 1]);
    expect(e.dFlattens.sentence).toMatch(/not shown at this budget — held on 1 of 2 seeds/);
    expect(() => figureOneEvidence([run(1, 0.6, 0.02, [0.5])], pd)).toThrow(/needs snapshots/);
  });
});
