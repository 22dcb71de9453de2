import { describe, expect, it } from "vitest";
import { basicBlock, bottleneckBlock } from "@lib/resnet/mod.ts";
import { trainGan, virtualCriterion } from "@lib/gan/mod.ts";
import { bundleOf, LIB_SOURCE_MIME, type LibSourceBlock, lookInside } from "./mod.ts";

const libLines = async (file: string) => (await Deno.readTextFile(new URL(`../${file}`, import.meta.url))).split("\n");

describe("lookInside", () => {
  it("finds an exported function by its value, with the JSDoc above it, to its closing line", async () => {
    const shown = await lookInside(virtualCriterion);
    const [block] = shown.blocks;
    expect(block.file).toBe("gan/virtual_criterion.ts");
    const lines = await libLines(block.file);
    expect(lines[block.startLine - 1]).toBe("/**");
    expect(block.code).toContain("export function virtualCriterion(");
    expect(lines[block.endLine - 1]).toBe("}");
    expect(block.code).toBe(lines.slice(block.startLine - 1, block.endLine).join("\n"));
  });

  it("adds same-file helpers, exported or not, in the order asked", async () => {
    const shown = await lookInside(basicBlock, { helpers: ["merge", "shortcutBranch"] });
    expect(shown.blocks.map((b) => [b.file, b.name])).toEqual([
      ["resnet/blocks.ts", "basicBlock"],
      ["resnet/blocks.ts", "merge"],
      ["resnet/blocks.ts", "shortcutBranch"],
    ]);
    expect(shown.blocks[2].code).toMatch(/^\/\*\* The shortcut branch/);
    // a declaration the file does not export, by name and file
    const [branch] = (await lookInside("shortcutBranch", { file: "resnet/blocks.ts" })).blocks;
    expect(branch.code).toContain("function shortcutBranch(");
    await expect(lookInside("shortcutBranch")).rejects.toThrow(/no exported declaration of "shortcutBranch"/);
    expect((await lookInside(bottleneckBlock, { docs: false })).blocks[0].code).toMatch(
      /^export function bottleneckBlock\(/,
    );
  });

  it("shows one // #region of a declaration: Algorithm 1's loop inside trainGan", async () => {
    const [block] = (await lookInside(trainGan, { region: "Algorithm 1" })).blocks;
    expect(block).toMatchObject({ file: "gan/algorithm1.ts", name: "trainGan", region: "Algorithm 1" });
    const lines = await libLines(block.file);
    expect(lines[block.startLine - 2].trim()).toBe("// #region Algorithm 1");
    expect(lines[block.endLine].trim()).toBe("// #endregion");
    expect(block.code.trimStart()).toMatch(/^for \(let step = 1; step <= steps; step\+\+\)/);
    await expect(lookInside(trainGan, { region: "nope" })).rejects.toThrow(/trainGan has no \/\/ #region nope/);
  });

  it("says what is wrong: no such name, no such helper, a nameless function, no function at all", async () => {
    await expect(lookInside("noSuchThing")).rejects.toThrow(/no exported declaration of "noSuchThing"/);
    await expect(lookInside(basicBlock, { helpers: ["nope"] })).rejects.toThrow(/declares no top-level "nope"/);
    await expect(lookInside(() => 1)).rejects.toThrow(/has no name/);
    await expect(lookInside(undefined as unknown as string)).rejects.toThrow(/expected a lib function/);
  });

  it("displays as the site's MIME type, HTML linked to the file for Jupyter, and numbered plain text", async () => {
    const shown = await lookInside(virtualCriterion);
    const bundle = bundleOf(shown);
    const blocks = (bundle[LIB_SOURCE_MIME] as { blocks: LibSourceBlock[] }).blocks;
    expect(blocks[0].name).toBe("virtualCriterion");
    const html = bundle["text/html"] as string;
    expect(html).toMatch(/<a href="[^"]*lib\/gan\/virtual_criterion\.ts">lib\/gan\/virtual_criterion\.ts:\d+<\/a>/);
    expect(html).toContain('<span class="hljs-keyword">export</span>');
    const text = bundle["text/plain"] as string;
    expect(text.split("\n")[0]).toBe(`lib/gan/virtual_criterion.ts:${blocks[0].startLine} · virtualCriterion`);
    expect(text).toMatch(/\d+ │ export function virtualCriterion\(/);
  });
});
