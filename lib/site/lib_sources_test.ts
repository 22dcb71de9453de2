import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSymbolIndex, listLibSources, symbolIndexFromDoc } from "./lib_sources.ts";

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
