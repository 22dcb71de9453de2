import { describe, expect, it } from "vitest";
import {
  applyParameterPlan,
  cellLiterals,
  checkStatement,
  declaredNames,
  injectParameters,
  parameterRecord,
  parseLiteral,
  parseParameterArgs,
  planParameters,
} from "./parameters.ts";
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

const TEMPLATE_CELL = [
  "const seed = 0;",
  "const steps = 100; // paper: [[the paper's setting]]",
  'import { templateParameters } from "@lib/collection/template_parameters.ts";',
  "templateParameters.check({ seed, steps });",
].join("\n");
const SPEC = { parameters: { module: "@lib/collection/template_parameters.ts", export: "templateParameters" } };

/** A notebook whose parameters cell matches the template's declared set (seed, steps). */
function declared(cell = TEMPLATE_CELL) {
  return notebookOf(["// setup", { code: cell, tags: ["parameters"] }, "steps * 2"], SPEC);
}

describe("parameters cells with a declared set", () => {
  it("reads one-line literal values, leaving expressions out", () => {
    expect(cellLiterals([
      'const a = "x // y"; // comment',
      "const b = 100_000;",
      "const c = [8, 20, 44]; // paper: [20, 56]",
      "const d = undefined;",
      "const e = 1e-4;",
      "const f = 'A';",
      'const g = "Z".trim();',
      "const h = [",
      "  1,",
      "];",
    ].join("\n"))).toEqual({ a: "x // y", b: 100000, c: [8, 20, 44], d: undefined, e: 1e-4, f: "A" });
    expect(parseLiteral("Number(x)")).toBe("unknown");
  });

  it("finds the closing check call", () => {
    expect(checkStatement(TEMPLATE_CELL, "templateParameters")).toBe("templateParameters.check({ seed, steps });");
    expect(checkStatement("const a = 1;", "templateParameters")).toBeUndefined();
  });

  it("turns a preset into explicit values, -p on top, and repeats the check in the injected cell", async () => {
    const plan = await planParameters(declared(), "nb.ipynb", { preset: "long", parameters: { seed: 3 } });
    expect(plan.injected).toEqual({ steps: 1000, seed: 3 });
    expect(plan.values).toEqual({ seed: 3, steps: 1000 });
    const nb = applyParameterPlan(declared(), plan, "nb.ipynb");
    expect(tagsOf(nb.cells[2])).toEqual(["injected-parameters"]);
    expect(sourceText(nb.cells[2].source)).toBe([
      "// Injected parameters (deno task run --preset long -p seed=3)",
      "const steps = 1000;",
      "const seed = 3;",
      "templateParameters.check({ seed, steps });",
    ].join("\n"));
    expect(parameterRecord(plan)).toMatchObject({
      parameters: { seed: 3 },
      preset: "long",
      injected: { steps: 1000, seed: 3 },
      parameter_set: "@lib/collection/template_parameters.ts#templateParameters",
      parameter_table: [
        expect.objectContaining({ name: "seed", value: "3", default: "0" }),
        expect.objectContaining({ name: "steps", value: "1000", default: "100", paper: "[[the paper's setting]]" }),
      ],
    });
    const same = await planParameters(declared(), "nb.ipynb", { parameters: { preset: "long", seed: 3 } });
    expect(same.injected).toEqual(plan.injected);
    const quick = await planParameters(declared(), "nb.ipynb", { preset: "quick" });
    expect(applyParameterPlan(declared(), quick, "nb.ipynb").cells).toHaveLength(3); // nothing to inject
    expect(parameterRecord(quick)).toMatchObject({ parameters: {}, preset: "quick" });
  });

  it("rejects a bad override, preset or name before any kernel, naming the notebook", async () => {
    await expect(planParameters(declared(), "nb.ipynb", { parameters: { steps: 0, seed: "x" } })).rejects.toThrow(
      /^nb\.ipynb: 2 parameter values are not allowed .*\n {2}- seed = "x": .* Allowed: integer ≥ 0\..*\n {2}- steps = 0: below 1\. Allowed: integer ≥ 1\. Paper: \[\[the paper's setting\]\]\.\nChecked before starting the kernel: nothing ran\.$/s,
    );
    await expect(planParameters(declared(), "nb.ipynb", { preset: "huge" })).rejects.toThrow(
      /nb\.ipynb: preset "huge" is not declared in lib\/collection\/template_parameters\.ts; the presets are: quick, paper, long/,
    );
    await expect(planParameters(declared(), "nb.ipynb", { preset: "long", parameters: { preset: "paper" } }))
      .rejects.toThrow(/--preset long and -p preset=paper disagree/);
    await expect(planParameters(declared(), "nb.ipynb", { parameters: { epochs: 3 } })).rejects.toThrow(
      /epochs = 3: not a declared parameter \(declared in lib\/collection\/template_parameters\.ts: seed, steps\)/,
    );
    const plain = notebookOf([{ code: "const n = 1;", tags: ["parameters"] }]);
    await expect(planParameters(plain, "nb.ipynb", { preset: "long" })).rejects.toThrow(
      /nb\.ipynb: declares no parameter set \(metadata\.parameters\), so it has no presets/,
    );
  });

  it("requires the parameters cell to assign exactly its declared set and end with its check", async () => {
    await expect(planParameters(declared(`const extra = 1;\n${TEMPLATE_CELL}`), "nb.ipynb")).rejects.toThrow(
      /nb\.ipynb: the parameters cell \(cell 2\) does not match its declared set in lib\/collection\/template_parameters\.ts: it assigns extra, which .* does not declare/,
    );
    await expect(planParameters(declared(TEMPLATE_CELL.replace("const seed = 0;\n", "")), "nb.ipynb")).rejects
      .toThrow(/it does not assign seed/);
    await expect(planParameters(declared(TEMPLATE_CELL.split("\n").slice(0, 3).join("\n")), "nb.ipynb")).rejects
      .toThrow(/does not end with templateParameters\.check\(\{ seed, steps \}\)/);
    const wrong = notebookOf([{ code: TEMPLATE_CELL, tags: ["parameters"] }], {
      parameters: { module: "@lib/collection/template_parameters.ts", export: "nope" },
    });
    await expect(planParameters(wrong, "nb.ipynb")).rejects.toThrow(/has no parameter set named "nope"/);
  });
});
