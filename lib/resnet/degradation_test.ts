import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { bundleOf, PLOTLY_MIME } from "../display/mod.ts";
import { loadImageData } from "../data/mod.ts";
import { imageTensor } from "../train/mod.ts";
import {
  CIFAR_SCHEDULE,
  depthErrors,
  depthVariants,
  errorPairs,
  figure6Summary,
  findRun,
  runBudget,
  runRows,
  seedErrorRows,
  stepsToError,
  trainDepths,
  trainVariants,
} from "./degradation.ts";
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
    expect(fig[PLOTLY_MIME].data.length).toBe(6); // per net: std, mean |γ| (dotted), sorted std
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

describe("Figure 6 across seeds (§4.2): every depth on every seed", () => {
  const options = (depth: number, plain: boolean, seed: number, shortcut?: "A" | "B" | "C") => ({
    depth,
    plain,
    seed,
    shortcut: shortcut ?? "A",
    inputShape: [28, 28, 1] as [number, number, number],
    widths: [2, 2, 2] as [number, number, number],
  });

  it("depthVariants builds every depth of every kind on every seed, and the other shortcut at one depth", () => {
    const v = depthVariants({
      seeds: [2, 3],
      depths: [8, 14],
      kinds: ["plain", "resnet"],
      options,
      otherShortcut: { option: "B", depth: 8 },
    });
    expect(v.map((x) => x.label)).toEqual([
      "plain-8 seed 2",
      "plain-14 seed 2",
      "ResNet-8 seed 2",
      "ResNet-14 seed 2",
      "ResNet-8 B seed 2",
      "plain-8 seed 3",
      "plain-14 seed 3",
      "ResNet-8 seed 3",
      "ResNet-14 seed 3",
      "ResNet-8 B seed 3",
    ]);
    expect(v[4].options.shortcut).toBe("B");
    expect(depthVariants({ seeds: [], depths: [8], kinds: ["plain"], options })).toEqual([]);
    expect(() => depthVariants({ seeds: [1, 1], depths: [8], kinds: ["plain"], options })).toThrow(/distinct/);
    expect(() => depthVariants({ seeds: [1], depths: [9], kinds: ["plain"], options })).toThrow(/6n\+2/);
  });

  it("trainDepths trains the grid; depthErrors, errorPairs and seedErrorRows read each net back by depth and seed", async () => {
    const data = await loadImageData({ trainLimit: 64, testLimit: 0 });
    const grid = { seeds: [1, 2], depths: [8, 14], kinds: ["plain", "resnet"] as const, options };
    const runs = await trainDepths(grid, data, { steps: 2, batchSize: 4, progress: false, window: 2 });
    expect(runs).toHaveLength(8);
    expect(runs.every((r) => r.gridSeconds > 0 && r.gridSeconds === runs[0].gridSeconds)).toBe(true);
    const errors = depthErrors(runs, { seeds: [1, 2], depths: [8, 14], plain: true, shortcut: "A" });
    expect(errors.labels).toEqual(["8", "14"]);
    expect(errors.values[1][1]).toBe(runs.find((r) => r.label === "plain-14 seed 2")!.finalTrainError);
    const pairs = errorPairs(runs, [2], { depth: 14, plain: true }, { depth: 14, plain: false });
    expect(pairs).toEqual([{
      seed: 2,
      higher: runs.find((r) => r.label === "plain-14 seed 2")!.finalTrainError,
      lower: runs.find((r) => r.label === "ResNet-14 seed 2")!.finalTrainError,
    }]);
    const rows = seedErrorRows(runs, [1]);
    expect(Object.keys(rows[0])).toEqual(["seed", "plain-8 %", "plain-14 %", "ResNet-8 %", "ResNet-14 %"]);
    expect(() => findRun(runs, { depth: 20, plain: true, seed: 1 })).toThrow(/no run of plain-20 seed 1/);
    expect(await trainDepths({ ...grid, seeds: [] }, data, { steps: 2, batchSize: 4, progress: false })).toEqual([]);
    const b = runBudget(runs, { steps: 2, batchSize: 4 }, 64);
    expect(b).toEqual({ steps: 2, batchSize: 4, trainImages: 64, seconds: runs[0].gridSeconds, runs: 8 });
    expect(() => runBudget([], { steps: 2, batchSize: 4 }, 64)).toThrow(/no runs/);
  });

  it("the paper's CIFAR schedule is 64k iterations of 128 on 45k images, about 182 epochs (§4.2)", () => {
    expect(CIFAR_SCHEDULE.epochs).toBe(182);
  });

  it("figure6Summary reads the deepest pair's verdicts, with keys that do not depend on the depths", () => {
    const o = (held: number, meanGap: number) => ({ held, seeds: 3, shown: held === 3, meanGap });
    const s = figure6Summary({
      plain: [o(3, 10), o(2, 4.04)],
      resnet: [o(3, 5), o(1, -0.26)],
      fix: [o(3, 1), o(3, 2), o(3, 17.55)],
    }, {
      depths: [8, 20, 44],
      epochs: 1.171875,
    });
    expect(s).toMatchObject({
      "seeds run (seed + extraSeeds)": 3,
      "epochs seen per run": 1.17,
      "deepest pair": "20→44",
      "plain pairs where deeper trains worse on every seed": 1,
      "ResNet pairs where deeper trains better on every seed": 1,
      "depths where ResNet beats plain on every seed": 3,
      "degradation at the deepest pair: seeds held": 2,
      "degradation at the deepest pair: gap (train err points)": 4,
      "residual fix at the deepest depth: seeds held": 3,
      "residual fix at the deepest depth: gap (train err points)": 17.6,
      "deeper ResNet better at the deepest pair: seeds held": 1,
      "deeper ResNet better at the deepest pair: gap (train err points)": -0.3,
      "deeper ResNet better at the deepest pair: shown": false,
    });
    expect(() =>
      figure6Summary({ plain: [o(3, 1)], resnet: [o(3, 1)], fix: [o(3, 1)] }, { depths: [8, 20], epochs: 1 })
    )
      .toThrow(/one fix per depth/);
  });
});
