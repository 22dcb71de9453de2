import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { decode } from "fast-png";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { grid, normal, pdfOn } from "../math/mod.ts";
import { figureOne, samplesAcrossTraining, toySnapshot } from "./figures.ts";
import { buildDiscriminator, buildGenerator } from "./models.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("figures", () => {
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

  it("shows samples across training as one PNG: a row per snapshot, its step at the left", () => {
    // two snapshots of three 2×2 images: all black at step 0, all white at step 50
    const snaps = [{ step: 0, value: new Float32Array(12) }, { step: 50, value: new Float32Array(12).fill(1) }];
    const img = samplesAcrossTraining(snaps, { height: 2, width: 2, samples: 2, scale: 1, title: "Toy samples" });
    const bundle = bundleOf(img);
    expect(Object.keys(bundle).sort()).toEqual(["image/png", "text/plain"]);
    expect(String(bundle["text/plain"])).toMatch(
      /^Toy samples: one row per snapshot, top to bottom at steps 0, 50 \(the number left of each row\), 2 samples each/,
    );
    const png = decode(Uint8Array.from(atob(bundle["image/png"] as string), (c) => c.charCodeAt(0)));
    // label column: two glyphs of 4 pixels and 2-pixel margins; then two 2-pixel images with a 2-pixel gap
    expect([png.width, png.height]).toEqual([12 + 6, 2 + 2 + 2]);
    const rowOf = (y: number) => Array.from(png.data.subarray(y * png.width + 12, (y + 1) * png.width));
    expect(rowOf(0)).toEqual([0, 0, 255, 255, 0, 0]);
    expect(rowOf(4)).toEqual([255, 255, 255, 255, 255, 255]);
    expect(() => samplesAcrossTraining([])).toThrow(/no snapshots \(pass snapshotEvery > 0/);
    expect(() => samplesAcrossTraining(snaps, { height: 28, width: 28 })).toThrow(/holds 0 images of 28×28 pixels/);
  });
});
