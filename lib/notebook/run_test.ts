import { describe, expect, it } from "vitest";
import { dirname, join } from "node:path";
import { readNotebook, sourceText } from "./nbformat.ts";
import { outFileFor, runNotebook } from "./run.ts";
import { notebookOf, tempNotebook } from "./test_util.ts";

function outputsOf(nb: Awaited<ReturnType<typeof runNotebook>>["notebook"], cell: number) {
  return nb.cells[cell].outputs ?? [];
}

/** Validates with Jupyter's own nbformat package (Debian python3-nbformat), an independent check of the schema. */
async function expectValidNbformat(file: string): Promise<void> {
  const script = "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')";
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, file],
    stderr: "piped",
    stdout: "piped",
  })
    .output();
  const td = new TextDecoder();
  expect(td.decode(out.stdout).trim(), td.decode(out.stderr)).toBe("valid");
}

describe("runNotebook on the real Deno kernel", () => {
  it("collects every output kind, applies display updates and honours skip/raises tags", async () => {
    const file = await tempNotebook(notebookOf([
      'console.log("hello"); console.error("warn");',
      'await Deno.jupyter.display({ "text/plain": "step 0" }, { raw: true, display_id: "bar" });',
      'await Deno.jupyter.display({ "text/plain": "step 9" }, { raw: true, display_id: "bar", update: true }); 6 * 7',
      { code: 'throw new Error("not run")', tags: ["skip-execution"] },
      { code: 'throw new RangeError("expected")', tags: ["raises-exception"] },
      "Deno.cwd()",
    ]));
    const before = await Deno.readTextFile(file);
    const outFile = join(dirname(file), "out", "fixture.ipynb");
    const result = await runNotebook(file, { outFile });
    expect(result.status).toBe("ok");
    expect(result.cells).toBe(5);
    const nb = result.notebook;
    expect(outputsOf(nb, 0)).toEqual([
      { output_type: "stream", name: "stdout", text: ["hello\n"] },
      { output_type: "stream", name: "stderr", text: ["warn\n"] },
    ]);
    expect(outputsOf(nb, 1)).toEqual([{ output_type: "display_data", data: { "text/plain": "step 9" }, metadata: {} }]);
    expect(outputsOf(nb, 2)).toEqual([
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "42" }, metadata: {} },
    ]);
    expect(outputsOf(nb, 3)).toEqual([]);
    expect(nb.cells[3].execution_count).toBeNull();
    expect(outputsOf(nb, 4)[0]).toMatchObject({ output_type: "error", ename: "RangeError", evalue: "expected" });
    expect(JSON.stringify(outputsOf(nb, 5))).toContain(JSON.stringify(dirname(file)).slice(1, -1));
    expect(nb.cells[0].metadata.execution).toHaveProperty("shell.execute_reply");
    expect(await Deno.readTextFile(file)).toBe(before);
    const written = await readNotebook(outFile);
    expect(written.metadata.paper_run).toMatchObject({ status: "ok" });
    await expectValidNbformat(outFile);
    expect(written.cells[2].outputs).toEqual(outputsOf(nb, 2));
  });

  it("stops at the first error, names the cell and still writes the executed copy", async () => {
    const file = await tempNotebook(
      notebookOf([{ md: "# intro" }, "const a = 1;", 'throw new TypeError("bad cell")', "a + 1"]),
    );
    const outFile = join(dirname(file), "out.ipynb");
    const result = await runNotebook(file, { outFile });
    expect(result.status).toBe("error");
    expect(result.failure).toMatchObject({ cell: 3, sourceCell: 3, ename: "TypeError", evalue: "bad cell" });
    expect(result.failure!.traceback.join("\n")).toContain("bad cell");
    expect(result.notebook.cells[3].execution_count).toBeNull();
    const written = await readNotebook(outFile);
    expect(written.metadata.paper_run).toMatchObject({ status: "error", failed_cell: 3 });
    await expectValidNbformat(outFile);
  });

  it("interrupts a cell that runs past its timeout and reports it", async () => {
    const file = await tempNotebook(notebookOf(["while (true) {}", "1"]));
    const t0 = performance.now();
    const result = await runNotebook(file, { timeoutS: 2 });
    expect((performance.now() - t0) / 1000).toBeLessThan(30);
    expect(result.failure).toMatchObject({ cell: 1, ename: "CellTimeoutError" });
    expect(result.failure!.evalue).toMatch(/did not finish within 2 s/);
  });

  it("takes the timeout from metadata.execution.timeout", async () => {
    const nb = notebookOf(["await new Promise((r) => setTimeout(r, 60_000))"], { execution: { timeout: 1 } });
    const result = await runNotebook(await tempNotebook(nb));
    expect(result.failure?.evalue).toMatch(/within 1 s/);
  });

  it("injects parameters after the parameters cell without touching the source", async () => {
    const file = await tempNotebook(notebookOf([
      { code: "const steps = 10;\nconst label = 'quick';", tags: ["parameters"] },
      "`${label}: ${steps * 2}`",
    ]));
    const result = await runNotebook(file, { parameters: { steps: 50, label: "full" } });
    expect(result.status).toBe("ok");
    expect(result.notebook.cells).toHaveLength(3);
    expect(sourceText(result.notebook.cells[1].source)).toContain("const steps = 50;");
    expect(result.notebook.cells[2].outputs![0]).toMatchObject({ data: { "text/plain": '"full: 100"' } });
    expect((await readNotebook(file)).cells).toHaveLength(2);
  });

  it("refuses to write over the source notebook", async () => {
    const file = await tempNotebook(notebookOf(["1"]));
    await expect(runNotebook(file, { outFile: file })).rejects.toThrow(/refusing to overwrite the source/);
  });

  it("mirrors notebooks/ under out/", () => {
    expect(outFileFor("notebooks/image-generation/gan.ipynb", { outDir: "out", notebooksDir: "notebooks" }))
      .toMatch(/\/out\/image-generation\/gan\.ipynb$/);
    expect(outFileFor("/elsewhere/mine.ipynb", { outDir: "/o", notebooksDir: "notebooks" })).toBe("/o/mine.ipynb");
  });
});
