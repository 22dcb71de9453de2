/**
 * Re-runs every notebook under notebooks/ headlessly through the real Deno kernel (as `deno task run` does) and
 * checks that every paper notebook carries the template's header in Korean and English.
 */
import { describe, expect, it } from "vitest";
import { relative } from "node:path";
import { findNotebooks, isPaperNotebook } from "@lib/notebook/collection.ts";
import { parsePaperHeader } from "@lib/notebook/header.ts";
import { collectionEntries, renderCollectionIndex } from "@lib/notebook/new_paper.ts";
import { readNotebook } from "@lib/notebook/nbformat.ts";
import { outFileFor, runNotebook } from "@lib/notebook/run.ts";

const notebooks = await findNotebooks(["notebooks"]);
const papers = notebooks.filter((f) => isPaperNotebook(f));

describe("the collection", () => {
  it("has the getting-started notebook, the template and the two papers", () => {
    const names = notebooks.map((f) => relative("notebooks", f));
    expect(names).toEqual(expect.arrayContaining(["getting_started.ipynb", "template.ipynb"]));
  });

  it("is indexed by category in notebooks/README.md (regenerate: deno task new-paper --reindex)", async () => {
    expect(await Deno.readTextFile("notebooks/README.md")).toBe(renderCollectionIndex(await collectionEntries()));
  });

  it.each(papers)("%s carries the template's header in Korean and English", async (file) => {
    const nb = await readNotebook(file);
    const header = parsePaperHeader(nb.cells, file);
    expect(header.keywords.length).toBeGreaterThan(0);
    const paper = nb.metadata.paper as { title?: string; date?: string; venue?: string; category?: string };
    expect(paper).toMatchObject({ date: header.date, venue: header.venue });
    expect(file).toContain(`notebooks/${paper.category}/`);
  });
});

describe("every notebook re-runs headlessly on the Deno kernel", () => {
  it.each(notebooks)("%s", async (file) => {
    const source = await Deno.readTextFile(file);
    const result = await runNotebook(file, { outFile: outFileFor(file, { outDir: "out", notebooksDir: "notebooks" }) });
    const f = result.failure;
    expect(f, f && `${file} cell ${f.sourceCell}: ${f.ename}: ${f.evalue}\n${f.traceback.join("\n")}`).toBeUndefined();
    expect(result.status).toBe("ok");
    expect(await Deno.readTextFile(file)).toBe(source);
  }, 1_800_000);
});
