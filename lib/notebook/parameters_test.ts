import { describe, expect, it } from "vitest";
import { declaredNames, injectParameters, parseParameterArgs } from "./parameters.ts";
import { sourceText, tagsOf } from "./nbformat.ts";
import { notebookOf } from "./test_util.ts";

describe("parameters", () => {
  it("parses JSON values and falls back to strings", () => {
    expect(parseParameterArgs(["epochs=20", "lr=0.1", "name=plain", "depths=[20,56]", "full=true"]))
      .toEqual({ epochs: 20, lr: 0.1, name: "plain", depths: [20, 56], full: true });
  });

  it("rejects arguments that are not name=value", () => {
    expect(() => parseParameterArgs(["epochs"])).toThrow(/not of the form name=value/);
    expect(() => parseParameterArgs(["2x=1"])).toThrow(/not a valid identifier/);
  });

  it("finds declared names", () => {
    expect(declaredNames("// sizes\nconst steps = 100; // paper: 64k\nlet seed = 0;\nconst depths = [8, 20];"))
      .toEqual(["steps", "seed", "depths"]);
  });

  it("inserts an injected-parameters cell right after the parameters cell, replacing an old one", () => {
    const nb = notebookOf(["import x", { code: "const steps = 10;", tags: ["parameters"] }, "steps * 2"]);
    const once = injectParameters(nb, { steps: 5 }, "nb.ipynb");
    const twice = injectParameters(once, { steps: 7 }, "nb.ipynb");
    expect(twice.cells).toHaveLength(4);
    expect(tagsOf(twice.cells[2])).toEqual(["injected-parameters"]);
    expect(sourceText(twice.cells[2].source)).toContain("const steps = 7;");
    expect(nb.cells).toHaveLength(3); // the input is not modified
  });

  it("says which names a notebook accepts when one is unknown", () => {
    const nb = notebookOf([{ code: "const steps = 10;\nconst seed = 0;", tags: ["parameters"] }]);
    expect(() => injectParameters(nb, { epochs: 1 }, "nb.ipynb"))
      .toThrow(
        /nb\.ipynb: parameter "epochs" is not defined in the parameters cell \(cell 1\); it defines: steps, seed/,
      );
  });

  it("refuses parameters for a notebook without a parameters cell", () => {
    expect(() => injectParameters(notebookOf(["1"]), { a: 1 }, "nb.ipynb")).toThrow(/no cell is tagged "parameters"/);
  });
});
