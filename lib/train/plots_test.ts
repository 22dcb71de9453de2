import { describe, expect, it } from "vitest";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { errorCurves, movingAverage, type TrainHistory } from "./mod.ts";

describe("error curves", () => {
  it("movingAverage is the trailing mean", () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
    expect(movingAverage([4, 2], 5)).toEqual([4, 3]);
  });

  it("draws one training trace per run and one test trace per evaluated run, in percent", () => {
    const h = (err: number[], test: number[]): TrainHistory => ({
      name: "x",
      loss: err,
      trainError: err,
      lr: err.map(() => 0.1),
      evalSteps: test.map((_, i) => i + 1),
      testError: test,
      testLoss: test,
      seconds: 1,
      trainSeconds: 1,
      imagesPerSecond: 1,
    });
    const fig = errorCurves([{ name: "a", history: h([0.5, 0.3], [0.4]) }, {
      name: "b",
      history: h([0.2], []),
      dash: "dash",
    }], { window: 1 });
    const spec = bundleOf(fig)[PLOTLY_MIME] as { data: { name: string; y: number[] }[] };
    expect(spec.data.map((t) => t.name)).toEqual(["a train", "a test", "b train"]);
    expect(spec.data[0].y.map((v) => +v.toFixed(9))).toEqual([50, 30]);
    expect(spec.data[1].y).toEqual([40]);
  });
});
