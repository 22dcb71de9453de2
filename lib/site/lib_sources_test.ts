import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { libImports, LibIndex, listLibSources } from "./lib_sources.ts";

describe("libImports", () => {
  it("finds named, aliased, type, default, namespace, side-effect, re-export and dynamic @lib imports", () => {
    const code = [
      'import { plot, line as ln, type PlotlyTrace } from "@lib/display/mod.ts";',
      "import * as m from '@lib/math/mod.ts';",
      'import d, { check } from "@lib/exercise/mod.ts";',
      'import "@lib/backend/mod.ts";',
      'const g = await import("@lib/gan/mod.ts");',
      'export { jsDivergence } from "@lib/math/mod.ts";',
      '// import { nope } from "@lib/commented/mod.ts";',
      'import * as tf from "@tensorflow/tfjs";',
    ].join("\n");
    expect(libImports(code)).toEqual([
      { specifier: "@lib/display/mod.ts", file: "display/mod.ts", names: ["plot", "line", "PlotlyTrace"] },
      { specifier: "@lib/math/mod.ts", file: "math/mod.ts", names: ["jsDivergence"] },
      { specifier: "@lib/exercise/mod.ts", file: "exercise/mod.ts", names: ["check", "default"] },
      { specifier: "@lib/backend/mod.ts", file: "backend/mod.ts", names: [] },
      { specifier: "@lib/gan/mod.ts", file: "gan/mod.ts", names: [] },
    ]);
  });
});

describe("LibIndex.definition", () => {
  it("follows mod.ts re-exports (export *, export {a as b} from) to the declaring file and line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lib-index-"));
    try {
      await mkdir(join(dir, "gan"));
      await writeFile(
        join(dir, "gan", "mod.ts"),
        'export * from "./value.ts";\nexport { inner as outer } from "./inner.ts";\n',
      );
      await writeFile(
        join(dir, "gan", "value.ts"),
        "/** doc */\nconst x = 1;\nexport function valueFunction(): number {\n  return x;\n}\nexport interface ValueOptions {}\n",
      );
      await writeFile(join(dir, "gan", "inner.ts"), "\n\nexport const inner = 2;\n");
      await writeFile(join(dir, "gan", "value_test.ts"), "");
      const lib = new LibIndex(dir);
      expect(lib.definition("gan/mod.ts", "valueFunction")).toEqual({
        name: "valueFunction",
        file: "gan/value.ts",
        line: 3,
      });
      expect(lib.definition("gan/mod.ts", "ValueOptions")?.line).toBe(6);
      expect(lib.definition("gan/mod.ts", "outer")).toEqual({ name: "inner", file: "gan/inner.ts", line: 3 });
      expect(lib.definition("gan/mod.ts", "missing")).toBeUndefined();
      expect(lib.definition("nope/mod.ts", "x")).toBeUndefined();
      expect(await listLibSources(dir)).toEqual(["gan/inner.ts", "gan/mod.ts", "gan/value.ts"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
