/**
 * Parameters a member can trust (issue 18): every notebook's parameters cell assigns its declared set and checks it;
 * a bad value fails in the parameters cell, the injected cell right after it, or before the kernel starts, naming the
 * parameter, the value, what is allowed and the paper's value; `--help` lists the declared sets; a preset run records
 * its preset and overrides. Cheap by design: generated cases are checked in-process against the declared sets, and
 * only a handful of runs start a real kernel, each stopping at the parameters cell.
 */
import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { ganParameters } from "@lib/gan/parameters.ts";
import { resnetParameters } from "@lib/resnet/parameters.ts";
import { gettingStartedParameters, templateParameters } from "@lib/collection/mod.ts";
import { type Notebook, readNotebook, sourceText, tagsOf, toLines, writeNotebook } from "@lib/notebook/nbformat.ts";
import { type ParameterSpec, showValue } from "@lib/parameters/parameter_spec.ts";
import {
  cellLiterals,
  checkStatement,
  declaredNames,
  parameterSpecRef,
  planParameters,
} from "@lib/notebook/parameters.ts";
import { runNotebook } from "@lib/notebook/run.ts";

const RESNET = "notebooks/image-classification/resnet.ipynb";
const GAN = "notebooks/image-generation/gan.ipynb";
const PAPERS: Record<string, ParameterSpec> = { [RESNET]: resnetParameters, [GAN]: ganParameters };
const ALL: Record<string, ParameterSpec> = {
  ...PAPERS,
  "notebooks/getting_started.ipynb": gettingStartedParameters,
  "notebooks/template.ipynb": templateParameters,
};
const CLI = "lib/cli/run.ts";

function parametersCell(nb: Notebook): string {
  return sourceText(nb.cells.find((c) => tagsOf(c).includes("parameters"))!.source);
}

/** A value of the wrong type for a parameter whose default is `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === "number") return "abc";
  if (typeof value === "string" || value === undefined) return 42;
  if (typeof value === "boolean") return "yes";
  if (Array.isArray(value)) return 7;
  throw new Error(`no wrong type for ${showValue(value)}`);
}

/** A copy of a paper notebook inside the repository (so `@lib/` resolves) with its parameters cell edited. */
async function editedCopy(file: string, edit: (cell: string) => string): Promise<string> {
  const nb = await readNotebook(file);
  const cell = nb.cells.find((c) => tagsOf(c).includes("parameters"))!;
  const before = sourceText(cell.source);
  cell.source = toLines(edit(before));
  expect(sourceText(cell.source)).not.toBe(before);
  const dir = copyDir();
  const copy = join(dir, file.split("/").at(-1)!);
  await writeNotebook(copy, nb);
  return copy;
}

/** Folders of the edited copies under out/ (inside the repository so that `@lib/` resolves), removed at the end. */
const copies: string[] = [];
afterAll(async () => {
  for (const dir of copies) await Deno.remove(dir, { recursive: true }).catch(() => {});
});

/** A fresh folder for notebook copies under out/test-parameters/. */
function copyDir(): string {
  const dir = join("out", "test-parameters", crypto.randomUUID().slice(0, 8));
  copies.push(dir);
  return dir;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("every notebook's parameters cell is its declared set", () => {
  it.each(Object.keys(ALL))("%s assigns the declared defaults and ends with the set's check", async (file) => {
    const spec = ALL[file];
    const nb = await readNotebook(file);
    const ref = parameterSpecRef(nb, file)!;
    expect(ref, `${file}: metadata.parameters names its set`).toBeDefined();
    const cell = parametersCell(nb);
    expect(declaredNames(cell)).toEqual(spec.names);
    // The quick defaults the reader sees are the declared ones (and the --help defaults tell the truth).
    expect(cellLiterals(cell)).toEqual(spec.defaults());
    expect(cell).toContain(`import { ${ref.export} } from "${ref.module}";`);
    const check = checkStatement(cell, ref.export)!;
    for (const name of spec.names) expect(check).toMatch(new RegExp(`\\b${name}\\b`));
    await expect(planParameters(nb, file)).resolves.toMatchObject({ overrides: {}, injected: {} });
  });
});

describe("a wrong value fails at once, naming the parameter, what is allowed and the paper's value", () => {
  for (const [file, spec] of Object.entries(PAPERS)) {
    it(`${file}: a wrong type for each of its ${spec.names.length} parameters, checked against the declared set`, async () => {
      const nb = await readNotebook(file);
      for (const name of spec.names) {
        const wrong = wrongType(spec.declarations[name].default);
        const problems = spec.problems({ ...spec.defaults(), [name]: wrong }, { complete: true });
        expect(problems.map((p) => p.name), name).toEqual([name]);
        const message = spec.describe(problems);
        expect(message).toContain(`  - ${name} = ${showValue(wrong)}: `);
        expect(message).toContain(`Allowed: ${spec.declarations[name].allowed}.`);
        expect(message).toMatch(/Paper: .+\.$/);
        // The runner refuses the same override before it starts a kernel.
        await expect(planParameters(nb, file, { parameters: { [name]: wrong } }), name).rejects.toThrow(
          new RegExp(
            `${escape(file)}: 1 parameter value is not allowed.*\\n  - ${name} = ${escape(showValue(wrong))}: `,
          ),
        );
      }
    });
  }

  // The table of issue 18: each was accepted, or failed minutes later with a message that did not name it.
  const rows: [string, Record<string, unknown>, RegExp][] = [
    [
      RESNET,
      { shortcut: "Z" },
      /- shortcut = "Z": expected one of "A"\|"B"\|"C"\. Allowed: "A" \(zero-padding\), "B" .*Paper: "A"\./,
    ],
    [
      RESNET,
      { steps: "abc" },
      /- steps = "abc": expected number, received string\. Allowed: integer ≥ 1\. Paper: 64000\./,
    ],
    [
      RESNET,
      { depths: [8, -3] },
      /- depths = \[8, -3\]: depths\[1\] = -3: not a CIFAR depth 6n\+2 with n ≥ 1\. Allowed: list of at least 2 distinct depths 6n\+2 .*Paper: \[20, 32, 44, 56\]/,
    ],
    [
      GAN,
      { maxoutPieces: 0 },
      /- maxoutPieces = 0: below 2\. Allowed: integer from 2 to 32 .*Paper: not in the paper.s text; 5 in .*mnist\.yaml\./,
    ],
    [
      GAN,
      { seeds: [] },
      /- seeds = \[\]: an empty list: give at least one seed\. Allowed: non-empty list of distinct integers ≥ 0\./,
    ],
  ];
  it.each(rows)("%s -p %j fails before the kernel starts", async (file, parameters, message) => {
    const outFile = join(await Deno.makeTempDir({ prefix: "paper-params-" }), "out.ipynb");
    const run = runNotebook(file, { parameters, outFile });
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toThrow(/\nChecked before starting the kernel: nothing ran\.$/);
    await expect(Deno.stat(outFile)).rejects.toThrow(); // nothing ran, nothing written
  });

  it("the paper preset of ResNet asks for the CIFAR-10 folder before anything runs", async () => {
    const paper = runNotebook(RESNET, { preset: "paper" });
    await expect(paper).rejects.toThrow(
      /- dataDir = undefined: dataset "cifar-10" needs dataDir: the folder cifar-10-batches-bin\./,
    );
    await expect(paper).rejects.toThrow(/^(?!.*- (steps|depths|dataset) = )/s); // every paper value itself is allowed
    await expect(runNotebook(RESNET, { preset: "paper", parameters: { dataDir: "/nowhere", steps: 0 } })).rejects
      .toThrow(/^(?!.*dataDir = ).*- steps = 0: below 1/s);
  });
});

describe("on the real kernel, an edited parameters cell fails in that cell and nothing after it runs", () => {
  /** `after`: 0 for the parameters cell itself, 1 for the injected-parameters cell right after it. */
  function expectStoppedAt(result: Awaited<ReturnType<typeof runNotebook>>, after: number, ran: number) {
    const tagged = result.notebook.cells.findIndex((c) =>
      ((c.metadata?.tags ?? []) as string[]).includes("parameters")
    );
    expect(tagged, "the notebook has a cell tagged parameters").toBeGreaterThanOrEqual(0);
    expect(result.status).toBe("error");
    // The failure's cell counts from 1 where the notebook's cells count from 0: the tagged cell is number tagged + 1.
    expect(result.failure).toMatchObject({ cell: tagged + 1 + after, ename: "ParameterError" });
    expect(result.cells).toBe(ran);
    const code = result.notebook.cells.filter((c) => c.cell_type === "code");
    expect(code.filter((c) => c.execution_count !== null)).toHaveLength(ran);
    expect(code.slice(ran).every((c) => c.execution_count === null && (c.outputs ?? []).length === 0)).toBe(true);
  }

  it('ResNet: shortcut = "Z" written as an expression (what the runner cannot read) fails in the parameters cell', async () => {
    const copy = await editedCopy(RESNET, (c) => c.replace('const shortcut = "A";', 'const shortcut = "Z".trim();'));
    const result = await runNotebook(copy);
    expectStoppedAt(result, 0, 1);
    expect(result.failure!.sourceCell).toBe(result.failure!.cell); // no injected cell before it: the same number
    expect(result.failure!.evalue).toMatch(/^1 parameter value is not allowed/);
    expect(result.failure!.evalue).toContain(
      '- shortcut = "Z": expected one of "A"|"B"|"C". Allowed: "A" (zero-padding)',
    );
  });

  it("GAN: two bad values in the cell give one message naming both", async () => {
    const copy = await editedCopy(GAN, (c) =>
      c.replace("const seeds = [1, 2, 3];", "const seeds = [1, 2, 3].slice(3);")
        .replace("const maxoutPieces = 3;", "const maxoutPieces = Math.min(0, 1);"));
    const result = await runNotebook(copy);
    expectStoppedAt(result, 0, 1);
    expect(result.failure!.evalue).toMatch(/^2 parameter values are not allowed/);
    expect(result.failure!.evalue).toContain("- seeds = []: an empty list: give at least one seed.");
    expect(result.failure!.evalue).toContain("- maxoutPieces = 0: below 2. Allowed: integer from 2 to 32");
  });

  it("ResNet: an override that clashes with an edited cell fails in the injected-parameters cell right after it", async () => {
    const copy = await editedCopy(RESNET, (c) => c.replace("const seed = 1;", "const seed = 1 + 4;"));
    const result = await runNotebook(copy, { parameters: { extraSeeds: [5, 6] } });
    expectStoppedAt(result, 1, 2);
    expect(result.failure!.sourceCell).toBeNull();
    expect(result.failure!.evalue).toContain("- extraSeeds = [5, 6]: repeats seed 5, which §5 already counts.");
  });
});

describe("deno task run NOTEBOOK --help", () => {
  it("lists every parameter of both paper notebooks with its default, paper value, constraint and meaning", async () => {
    const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", CLI, RESNET, GAN, "--help"] }).output();
    const text = new TextDecoder().decode(out.stdout);
    expect(out.code, new TextDecoder().decode(out.stderr)).toBe(0);
    const [resnet, gan] = text.split(/\n\n(?=notebooks\/)/);
    for (const [block, spec] of [[resnet, resnetParameters], [gan, ganParameters]] as [string, ParameterSpec][]) {
      const listed = [...block.matchAll(/^ {2}(\w+)\s+default: (.*) {2}· {2}paper: (.*)$/gm)];
      expect(listed.map((m) => m[1])).toEqual(spec.names);
      for (const [, name, dflt, paper] of listed) {
        expect(dflt, name).toBe(showValue(spec.declarations[name].default));
        expect(paper, name).toBe(spec.paperText(name));
        expect(block).toContain(`allowed: ${spec.declarations[name].allowed}`);
        expect(block).toContain(`${spec.declarations[name].ko} / ${spec.declarations[name].en}`);
      }
      for (const preset of spec.presetNames()) expect(block).toMatch(new RegExp(`^ {2}${preset}: `, "m"));
    }
  });
});

describe("a preset run", () => {
  /** A cheap notebook on the template's declared set (seed, steps) that prints what it runs with. */
  async function fixture(): Promise<string> {
    const nb = await readNotebook("notebooks/template.ipynb");
    const params = nb.cells.find((c) => tagsOf(c).includes("parameters"))!;
    const file = join(copyDir(), "preset.ipynb");
    await writeNotebook(file, {
      ...nb,
      cells: [params, { ...params, metadata: {}, source: ["console.log(JSON.stringify({ seed, steps }));"] }],
    });
    return file;
  }

  it("records its preset, overrides and every value in the executed copy's metadata", async () => {
    const file = await fixture();
    const outFile = join(await Deno.makeTempDir({ prefix: "paper-params-" }), "preset.ipynb");
    const result = await runNotebook(file, { preset: "long", parameters: { seed: 7 }, outFile });
    expect(result.status, result.failure?.evalue).toBe("ok");
    const written = await readNotebook(outFile);
    expect(written.cells.map((c) => tagsOf(c))).toEqual([["parameters"], ["injected-parameters"], []]);
    expect(JSON.stringify(written.cells[2].outputs)).toContain('{\\"seed\\":7,\\"steps\\":1000}');
    expect(written.metadata.paper_run).toMatchObject({
      status: "ok",
      preset: "long",
      parameters: { seed: 7 },
      injected: { steps: 1000, seed: 7 },
      parameter_set: "@lib/collection/template_parameters.ts#templateParameters",
      parameter_table: [
        expect.objectContaining({ name: "seed", value: "7", default: "0" }),
        expect.objectContaining({ name: "steps", value: "1000", default: "100" }),
      ],
    });
  });

  it("prints its preset and overrides in deno task run's summary", async () => {
    const file = await fixture();
    const outDir = await Deno.makeTempDir({ prefix: "paper-params-" });
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, file, "-p", "preset=long", "-p", "seed=7", "--no-site", "--out", outDir],
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    expect(out.code, new TextDecoder().decode(out.stderr)).toBe(0);
    expect(stdout).toContain(`${file}  (preset long, seed=7)`);
    expect(stdout).toMatch(/notebook\s+parameters\s+cells\s+seconds/);
    expect(stdout).toMatch(/preset\.ipynb\s+preset long, seed=7\s+3\s/);
  });
});
