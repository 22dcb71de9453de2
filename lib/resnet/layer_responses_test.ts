import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { layerResponseStd, responseBudgetNote, responsesFigure, responseStats } from "./layer_responses.ts";
import { cifarResNet } from "./networks.ts";
import { noLeak } from "./test_util.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

describe("layer responses (Figure 7)", () => {
  it("returns one std per 3×3 layer, positive, and leaks nothing", () => {
    const m = cifarResNet({ depth: 14, inputShape: [8, 8, 1], widths: [4, 8, 8], seed: 2 });
    const x = tf.randomNormal([10, 8, 8, 1], 0, 1, "float32", 5) as tf.Tensor4D;
    const r = noLeak(() => layerResponseStd(m, x, { batchSize: 4 }));
    expect(r.length).toBe(13);
    expect(r[0].layer).toBe("conv1_bn_response");
    for (const { std, gamma } of r) {
      expect(std).toBeGreaterThan(0);
      expect(gamma).toBe(1); // untrained: BN's γ starts at 1
    }
    // In inference mode with fresh running statistics (mean 0, variance 1) the response is γ·z + β = z: not ≈ |γ|.
    expect(responseStats(r).meanGamma).toBe(1);
    x.dispose();
    m.dispose();
  });

  it("responsesFigure draws each net in layer order and sorted, in two panels with one legend entry per net", () => {
    const nets = [
      {
        name: "plain",
        responses: [{ layer: "a", std: 1, gamma: NaN }, { layer: "b", std: 3, gamma: NaN }],
        dash: "dash",
      },
      { name: "ResNet", responses: [{ layer: "a", std: 2, gamma: NaN }, { layer: "b", std: 0.5, gamma: NaN }] },
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
    const withGamma = bundleOf(responsesFigure([{ name: "n", responses: [{ layer: "a", std: 0.9, gamma: 0.8 }] }]))[
      PLOTLY_MIME
    ] as { data: { name: string; y: number[] }[] };
    expect(withGamma.data.map((t) => [t.name, t.y])).toEqual([["n", [0.9]], ["n |γ|", [0.8]], ["n (sorted)", [0.9]]]);
  });

  it("responseStats and responseBudgetNote say from the numbers whether the std is set by |γ| and what the budget shows", () => {
    expect(responseStats([{ layer: "a", std: 1, gamma: 2 }, { layer: "b", std: 3, gamma: 2 }])).toEqual({
      meanStd: 2,
      meanGamma: 2,
      stdOverGamma: 1,
    });
    const early = responseBudgetNote(
      [{ stdOverGamma: 0.98, meanGamma: 0.95 }, { stdOverGamma: 1.02, meanGamma: 1.01 }],
      {
        epochs: 1.17,
        weightDecay: 0,
        paperEpochs: 182,
      },
    );
    expect(early).toMatch(/^std\/\|γ\| of the responses: 0\.98 to 1\.02 across these nets \(about 1: /);
    expect(early).toMatch(/Mean \|γ\| is 0\.95 to 1\.01 after 1\.17 epochs without weight decay/);
    expect(early).toMatch(/not the converged response magnitudes of Figure 7\.$/);
    const late = responseBudgetNote([{ stdOverGamma: 2, meanGamma: 0.5 }], {
      epochs: 150,
      weightDecay: 1e-4,
      paperEpochs: 182,
    });
    expect(late).toMatch(/not all near 1/);
    expect(late).toMatch(/with weight decay 0\.0001/);
    expect(late).toMatch(/can be compared with Figure 7\.$/);
  });
});
