import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSymbolIndex, listLibSources, symbolIndexFromDoc } from "./lib_sources.ts";
import { notebookLibUses } from "./lib_uses.ts";
import { findNotebooks } from "../collection/collection.ts";
import { readNotebook, sourceText } from "../notebook/nbformat.ts";

describe("buildSymbolIndex (deno doc --json)", () => {
  it("follows mod.ts re-exports (export *, export { a as b } from, export { x } from) to the declaring line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lib-index-"));
    try {
      await mkdir(join(dir, "gan"));
      await mkdir(join(dir, "math"));
      await writeFile(
        join(dir, "gan", "mod.ts"),
        'export * from "./value.ts";\nexport { inner as outer } from "./inner.ts";\n',
      );
      await writeFile(
        join(dir, "gan", "value.ts"),
        "/** doc */\nconst x = 1;\nexport function valueFunction(): number {\n  return x;\n}\nexport interface ValueOptions {}\n" +
          'export { mulberry } from "../math/random.ts";\n',
      );
      await writeFile(join(dir, "gan", "inner.ts"), "\n\nexport const inner = 2;\n");
      await writeFile(join(dir, "gan", "value_test.ts"), "");
      await writeFile(join(dir, "math", "random.ts"), "// rng\nexport function mulberry(): number {\n  return 0;\n}\n");
      const index = await buildSymbolIndex(dir, ["gan/mod.ts", "math/random.ts", "nope/mod.ts"]);
      expect(index.modules().sort()).toEqual(["gan/mod.ts", "math/random.ts"]);
      expect(index.lookup("gan/mod.ts", "valueFunction")).toEqual({
        name: "valueFunction",
        file: "gan/value.ts",
        line: 3,
      });
      expect(index.lookup("gan/mod.ts", "ValueOptions")?.line).toBe(6);
      expect(index.lookup("gan/mod.ts", "outer")).toEqual({ name: "outer", file: "gan/inner.ts", line: 3 });
      expect(index.lookup("gan/mod.ts", "mulberry")).toEqual({ name: "mulberry", file: "math/random.ts", line: 2 });
      expect(index.lookup("gan/mod.ts", "missing")).toBeUndefined();
      expect(index.lookup("nope/mod.ts", "x")).toBeUndefined();
      expect(await listLibSources(dir)).toEqual(["gan/inner.ts", "gan/mod.ts", "gan/value.ts", "math/random.ts"]);
      await writeFile(join(dir, "gan", "broken.ts"), "export function f(: number {\n");
      await expect(buildSymbolIndex(dir, ["gan/broken.ts"])).rejects.toThrow(/deno doc --json failed.*SyntaxError/s);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("symbolIndexFromDoc", () => {
  it("reads deno doc's format 2 (0-based lines), follows references, and leaves out names outside lib/", () => {
    const lib = join(tmpdir(), "lib");
    const url = (file: string): string => pathToFileURL(join(lib, file)).href;
    const doc = {
      version: 2,
      nodes: {
        [url("data/mod.ts")]: {
          symbols: [
            {
              name: "load",
              declarations: [{ location: { filename: url("data/load.ts"), line: 9 }, kind: "function" }],
            },
            {
              name: "Rng",
              declarations: [{
                location: { filename: url("data/random.ts"), line: 4 },
                kind: "reference",
                def: { target: { filename: url("math/random.ts"), line: 5 } },
              }],
            },
            {
              name: "z",
              declarations: [{ location: { filename: "file:///elsewhere/z.ts", line: 0 }, kind: "variable" }],
            },
          ],
        },
        "file:///elsewhere/mod.ts": { symbols: [] },
      },
    };
    const index = symbolIndexFromDoc(doc, lib);
    expect(index.modules()).toEqual(["data/mod.ts"]);
    expect(index.lookup("data/mod.ts", "load")).toEqual({ name: "load", file: "data/load.ts", line: 10 });
    expect(index.lookup("data/mod.ts", "Rng")).toEqual({ name: "Rng", file: "math/random.ts", line: 6 });
    expect(index.lookup("data/mod.ts", "z")).toBeUndefined();
    expect(() => symbolIndexFromDoc({ version: 1, nodes: [] }, lib)).toThrow(/format version 2, got 1/);
  });
});

describe("the collection's notebooks", () => {
  it("link every lib name a cell uses, namespace members included, to the line that declares it", async () => {
    const uses = [];
    for (const file of await findNotebooks(["notebooks"])) {
      const cells = (await readNotebook(file)).cells.filter((c) => c.cell_type === "code");
      uses.push(...notebookLibUses(cells.map((c) => sourceText(c.source))).flat().map((u) => ({ file, ...u })));
    }
    // `resnet.trainVariants` and friends (import * as resnet) are among them
    expect(uses.some((u) => u.label === "resnet.trainVariants")).toBe(true);
    const index = await buildSymbolIndex("lib", new Set(uses.map((u) => u.module)));
    const named = uses.filter((u) => u.name !== undefined);
    const where = named.map((u) => ({ u, decl: index.lookup(u.module, u.name!) }));
    expect(where.filter((w) => !w.decl).map((w) => `${w.u.file}: ${w.u.label}`)).toEqual([]);
    for (const { u, decl } of where) {
      expect(decl!.file, u.label).not.toMatch(/mod\.ts$/);
      const line = (await Deno.readTextFile(join("lib", decl!.file))).split("\n")[decl!.line - 1];
      expect(line, `${u.label} → lib/${decl!.file}:${decl!.line}`).toMatch(new RegExp(`\\b${u.name}\\b`));
    }
  });
});
