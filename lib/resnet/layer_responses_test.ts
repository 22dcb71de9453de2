import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { layerResponseStd, responsesFigure } from "./layer_responses.ts";
import { cifarResNet } from "./networks.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

/** Runs `fn`, then asserts that it left no tensor behind. */
function noLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe("layer responses (Figure 7)", () => {
  it("returns one std per 3×3 layer, positive, and leaks nothing", () => {
    const m = cifarResNet({ depth: 14, inputShape: [8, 8, 1], widths: [4, 8, 8], seed: 2 });
    const x = tf.randomNormal([10, 8, 8, 1], 0, 1, "float32", 5) as tf.Tensor4D;
    const r = noLeak(() => layerResponseStd(m, x, { batchSize: 4 }));
    expect(r.length).toBe(13);
    expect(r[0].layer).toBe("conv1_bn_response");
    for (const { std } of r) expect(std).toBeGreaterThan(0);
    x.dispose();
    m.dispose();
  });

  it("responsesFigure draws each net in layer order and sorted, in two panels with one legend entry per net", () => {
    const nets = [
      { name: "plain", responses: [{ layer: "a", std: 1 }, { layer: "b", std: 3 }], dash: "dash" },
      { name: "ResNet", responses: [{ layer: "a", std: 2 }, { layer: "b", std: 0.5 }] },
    ];
    const fig = bundleOf(responsesFigure(nets))[PLOTLY_MIME] as {
      data: { name: string; y: number[]; yaxis?: string; showlegend?: boolean }[];
    };
    expect(fig.data.map((t) => [t.name, t.y, t.yaxis ?? "y"])).toEqual([
      ["plain", [1, 3], "y"],
      ["plain (sorted)", [3, 1], "y2"],
      ["ResNet", [2, 0.5], "y"],
      ["ResNet (sorted)", [2, 0.5], "y2"],
    ]);
    expect(fig.data.filter((t) => t.showlegend !== false)).toHaveLength(2);
  });
});
