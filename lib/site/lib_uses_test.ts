import { describe, expect, it } from "vitest";
import { notebookLibUses } from "./lib_uses.ts";

const labels = (cells: string[]): string[][] => notebookLibUses(cells).map((uses) => uses.map((u) => u.label));

describe("notebookLibUses", () => {
  it("lists an imports cell's named, aliased, type, default, namespace, side-effect, re-export and dynamic imports", () => {
    const [uses] = notebookLibUses([
      [
        'import { plot, line as ln, type PlotlyTrace } from "@lib/display/mod.ts";',
        "import * as m from '@lib/math/mod.ts';",
        'import d, { check } from "@lib/exercise/mod.ts";',
        'import "@lib/backend/mod.ts";',
        'const g = await import("@lib/gan/mod.ts");',
        'export { jsDivergence } from "@lib/math/mod.ts";',
        '// import { nope } from "@lib/commented/mod.ts";',
        'import * as tf from "@tensorflow/tfjs";',
      ].join("\n"),
    ]);
    expect(uses).toEqual([
      { module: "display/mod.ts", name: "plot", label: "plot" },
      { module: "display/mod.ts", name: "line", label: "line" },
      { module: "display/mod.ts", name: "PlotlyTrace", label: "PlotlyTrace" },
      { module: "math/mod.ts", label: "math/mod.ts" },
      { module: "exercise/mod.ts", name: "default", label: "default" },
      { module: "exercise/mod.ts", name: "check", label: "check" },
      { module: "backend/mod.ts", label: "backend/mod.ts" },
      { module: "gan/mod.ts", label: "gan/mod.ts" },
      { module: "math/mod.ts", name: "jsDivergence", label: "jsDivergence" },
    ]);
  });

  it("follows bindings into later cells: names, aliases, ns.name and ns.Type, in order, once each", () => {
    const [, later, none] = notebookLibUses([
      'import { line as ln, plot } from "@lib/display/mod.ts";\nimport * as resnet from "@lib/resnet/mod.ts";',
      [
        "// resnet.stepsToError and plot in a comment",
        'const s = "resnet.runRows and line";',
        "const config: resnet.TrainVariantsConfig = { steps: 1 };",
        "const runs = await resnet.trainVariants(nets, config);",
        "plot([ln(runs[0].curve)]); plot([]);",
        'resnet["cifarResNet"]; resnet?.runRows; other.plot; ({ plot: 1, ln });',
      ].join("\n"),
      "const plotter = 1; x.ln;",
    ]);
    expect(later).toEqual([
      { module: "resnet/mod.ts", name: "TrainVariantsConfig", label: "resnet.TrainVariantsConfig" },
      { module: "resnet/mod.ts", name: "trainVariants", label: "resnet.trainVariants" },
      { module: "display/mod.ts", name: "plot", label: "plot" },
      { module: "display/mod.ts", name: "line", label: "line" },
      { module: "resnet/mod.ts", name: "cifarResNet", label: "resnet.cifarResNet" },
      { module: "resnet/mod.ts", name: "runRows", label: "resnet.runRows" },
    ]);
    expect(none).toEqual([]);
  });

  it("binds nothing before the import and nothing from a cell that does not parse", () => {
    expect(labels(["plot([]);", 'import { plot } from "@lib/display/mod.ts";', "plot([]);"])).toEqual([
      [],
      ["plot"],
      ["plot"],
    ]);
    expect(labels(['import { plot } from "@lib/display/mod.ts"; const = ;', "plot([]);"])).toEqual([[], []]);
  });
});
