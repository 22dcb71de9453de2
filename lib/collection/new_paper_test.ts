import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { parsePaperHeader } from "./header.ts";
import { pathToFileURL } from "node:url";
import { readNotebook, sourceText, tagsOf } from "../notebook/nbformat.ts";
import { createPaperNotebook, normalizeDate, parametersExportName } from "./new_paper.ts";
import { templateParameters } from "./template_parameters.ts";
import { isParameterSpec } from "../parameters/parameter_spec.ts";
import { planParameters } from "../notebook/parameters.ts";

async function collection(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "paper-new-" });
  await Deno.copyFile("notebooks/template.ipynb", join(dir, "template.ipynb"));
  return dir;
}

const PAPER = {
  title: "Attention Is All You Need (Transformer)",
  date: "2017-06-12",
  venue: "NIPS",
  purposeKo: "순환 없이 어텐션만으로 시퀀스 변환",
  purposeEn: "Sequence transduction with attention alone, without recurrence",
  conclusionKo: "더 빠르게 학습하고 번역 품질이 더 좋다",
  conclusionEn: "Trains faster and translates better than recurrent models",
};

describe("new-paper", () => {
  it("creates the notebook from the template with the header filled, and indexes it by category", async () => {
    const dir = await collection();
    const file = await createPaperNotebook({
      ...PAPER,
      category: "Natural Language Processing",
      notebooksDir: dir,
      libDir: join(dir, "lib"),
    });
    expect(file).toBe(join(dir, "natural-language-processing", "attention-is-all-you-need-transformer.ipynb"));
    const nb = await readNotebook(file);
    expect(nb.metadata.paper).toMatchObject({
      title: PAPER.title,
      date: "12 Jun 2017",
      venue: "NIPS",
      category: "natural-language-processing",
    });
    const template = await readNotebook(join(dir, "template.ipynb"));
    expect(nb.cells).toHaveLength(template.cells.length);
    expect(nb.cells[0].id).not.toBe(template.cells[0].id);
    // The header is filled; only the keywords remain for the author to write.
    expect(() => parsePaperHeader(nb.cells, file)).toThrow(/unfilled template field .* in the keywords/);
    const index = await Deno.readTextFile(join(dir, "README.md"));
    expect(index).toContain("## 자연어 처리 / Natural Language Processing");
    expect(index).toContain(
      `- [${PAPER.title}](natural-language-processing/attention-is-all-you-need-transformer.ipynb) — 12 Jun 2017 · NIPS`,
    );
  });

  it("gives the paper its own declared parameter set, named by the notebook and checked by its parameters cell", async () => {
    const dir = await collection();
    const libDir = join(dir, "lib");
    const file = await createPaperNotebook({
      ...PAPER,
      category: "Natural Language Processing",
      notebooksDir: dir,
      libDir,
    });
    const slug = "attention-is-all-you-need-transformer";
    const exportName = parametersExportName(slug);
    expect(exportName).toBe("attentionIsAllYouNeedTransformerParameters");
    const nb = await readNotebook(file);
    expect(nb.metadata.parameters).toEqual({ module: `@lib/${slug}/parameters.ts`, export: exportName });
    const cell = sourceText(nb.cells.find((c) => tagsOf(c).includes("parameters"))!.source);
    expect(cell).toContain(`import { ${exportName} } from "@lib/${slug}/parameters.ts";`);
    expect(cell).toContain(`${exportName}.check({ seed, steps });`);
    expect(cell).not.toContain("templateParameters");
    // The written module is formatted as deno fmt wants it and declares what the template declares.
    const specFile = join(libDir, slug, "parameters.ts");
    const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "--check", "--config", "deno.json", specFile] })
      .output();
    expect(fmt.code, new TextDecoder().decode(fmt.stderr)).toBe(0);
    const text = await Deno.readTextFile(specFile);
    expect(text).toContain(`file: "lib/${slug}/parameters.ts"`);
    const importable = join(dir, "spec_here.ts");
    const helper = pathToFileURL(join(Deno.cwd(), "lib/parameters/parameter_spec.ts")).href;
    await Deno.writeTextFile(importable, text.replace('"../parameters/parameter_spec.ts"', JSON.stringify(helper)));
    const spec = (await import(pathToFileURL(importable).href))[exportName];
    expect(isParameterSpec(spec)).toBe(true);
    expect(spec.names).toEqual(templateParameters.names);
    expect(spec.defaults()).toEqual(templateParameters.defaults());
    expect(spec.presetNames()).toEqual(templateParameters.presetNames());
    // The notebook's parameters cell matches its set (the runner's check before a kernel starts).
    nb.metadata.parameters = { module: "../spec_here.ts", export: exportName };
    await expect(planParameters(nb, file, { parameters: { steps: 0 } })).rejects.toThrow(/steps = 0: below 1/);
  });

  it("refuses to overwrite an existing notebook", async () => {
    const dir = await collection();
    const options = { ...PAPER, category: "image-generation", notebooksDir: dir, libDir: join(dir, "lib") };
    const file = await createPaperNotebook(options);
    const before = await Deno.readTextFile(file);
    await expect(createPaperNotebook(options)).rejects.toThrow(
      /already exists; choose another --slug \(nothing was overwritten\)/,
    );
    expect(await Deno.readTextFile(file)).toBe(before);
  });

  it("rejects a category or slug that would write outside notebooks/", async () => {
    const dir = await collection();
    await expect(createPaperNotebook({ ...PAPER, category: "../../etc", notebooksDir: dir, libDir: join(dir, "lib") }))
      .rejects.toThrow(
        /--category "..\/..\/etc" looks like a path/,
      );
    await expect(
      createPaperNotebook({
        ...PAPER,
        category: "image-generation",
        slug: "../x",
        notebooksDir: dir,
        libDir: join(dir, "lib"),
      }),
    )
      .rejects.toThrow(/--slug/);
  });

  it("asks for the Korean name of a new category", async () => {
    const dir = await collection();
    await expect(createPaperNotebook({ ...PAPER, category: "Speech", notebooksDir: dir, libDir: join(dir, "lib") }))
      .rejects.toThrow(
        /--category-ko/,
      );
  });

  it("normalises dates and rejects what is not one", () => {
    expect(normalizeDate("2015-12-10")).toBe("10 Dec 2015");
    expect(normalizeDate("10 December 2015")).toBe("10 Dec 2015");
    expect(normalizeDate("June 10, 2014")).toBe("10 Jun 2014");
    expect(() => normalizeDate("soon")).toThrow(/--date "soon"/);
  });
});
