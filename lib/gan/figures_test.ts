import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { grid, normal, pdfOn } from "../math/mod.ts";
import { figureOne, imageGridFigure, tileImages, toySnapshot } from "./figures.ts";
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

  it("tiles images row-major and builds an image slider", () => {
    const imgs = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // three 2×2 images
    expect(tileImages(imgs, 2, 2, 2)).toEqual([[1, 2, 5, 6], [3, 4, 7, 8], [9, 10, 0, 0], [11, 12, 0, 0]]);
    expect(() => tileImages(imgs, 5, 5, 2)).toThrow(/whole number of 5×5 images/);
    const fig = imageGridFigure([{ step: 0, value: imgs }], { height: 2, width: 2, cols: 3 });
    expect(fig.spec.frames).toHaveLength(1);
    expect(() => imageGridFigure([])).toThrow(/at least one frame/);
  });
});
