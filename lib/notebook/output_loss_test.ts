/**
 * No run reports success with an output missing: bursts of console writes, big results and many display updates
 * arrive whole and in their own cell, also while every core is busy; what cannot arrive fails the cell naming it;
 * a dying kernel or Ctrl-C ends the notebook with the executed copy written and no kernel left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Notebook, type Output, readNotebook } from "./nbformat.ts";
import { runNotebook } from "./run.ts";
import { kernelsIn, notebookOf, processAlive, tempNotebook } from "./test_util.ts";

const HERE = dirname(new URL(import.meta.url).pathname);
const CLI = join(HERE, "..", "cli", "run.ts");
const STAND_IN = join(HERE, "testdata", "stand_in_kernel.mjs");
const MB = 1024 * 1024;

/** The text a cell printed to one stream. */
function streamText(outputs: Output[] | undefined, name: "stdout" | "stderr"): string {
  return (outputs ?? []).filter((o) => o.output_type === "stream" && o.name === name)
    .map((o) => (o.output_type === "stream" ? [o.text].flat().join("") : "")).join("");
}

/** The text/plain of a cell's execute_result, or undefined. */
function resultText(outputs: Output[] | undefined): string | undefined {
  const r = (outputs ?? []).find((o) => o.output_type === "execute_result");
  return r?.output_type === "execute_result" ? [r.data["text/plain"] as string | string[]].flat().join("") : undefined;
}

const LINES = 2000;
const FLOOD = notebookOf([
  `const big = "x".repeat(15 * ${MB}); big.length`,
  // A displayable, since Deno's inspect shortens a long string result to 10,000 characters.
  `({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "y".repeat(5 * ${MB}) }) })`,
  [
    'await Deno.jupyter.display({ "text/plain": "update 0" }, { raw: true, display_id: "bar" });',
    "for (let i = 1; i < 500; i++) {",
    '  await Deno.jupyter.display({ "text/plain": `update ${i}` }, { raw: true, display_id: "bar", update: true });',
    "}",
    '"displays done"',
  ].join("\n"),
  `for (let i = 0; i < ${LINES}; i++) console.log("line " + i);`,
  '"last"',
]);

/** Checks every output of one run of {@link FLOOD}, each in its own cell. */
function expectFloodWhole(nb: Notebook): void {
  const [c1, c2, c3, c4, c5] = nb.cells.map((c) => c.outputs);
  expect(resultText(c1)).toBe(String(15 * MB));
  expect(c1).toHaveLength(1);
  expect(resultText(c2)?.length).toBe(5 * MB);
  expect(c2).toHaveLength(1);
  expect(c3).toEqual([
    { output_type: "display_data", data: { "text/plain": "update 499" }, metadata: {} },
    { output_type: "execute_result", execution_count: 3, data: { "text/plain": '"displays done"' }, metadata: {} },
  ]);
  expect(streamText(c4, "stdout")).toBe(Array.from({ length: LINES }, (_, i) => `line ${i}\n`).join(""));
  expect(c4?.filter((o) => o.output_type !== "stream")).toEqual([]);
  expect(c5).toEqual([{
    output_type: "execute_result",
    execution_count: 5,
    data: { "text/plain": '"last"' },
    metadata: {},
  }]);
}

describe("outputs under load", () => {
  let busy: Deno.ChildProcess[] = [];
  beforeAll(() => {
    // One busy process per core for the whole block: the kernel, the runner and the client all compete for CPU.
    busy = Array.from(
      { length: navigator.hardwareConcurrency },
      () =>
        new Deno.Command(Deno.execPath(), { args: ["eval", "while (true) {}"], stdout: "null", stderr: "null" })
          .spawn(),
    );
  });
  afterAll(async () => {
    for (const p of busy) p.kill("SIGKILL");
    await Promise.all(busy.map((p) => p.status));
  });

  it(
    "keeps a 15 MB kernel value, a 5 MB result, 500 display updates and 2,000 console lines, 10 runs of 10",
    async () => {
      const file = await tempNotebook(FLOOD);
      for (let run = 0; run < 10; run++) {
        const result = await runNotebook(file, { timeoutS: 120 });
        expect(result.failure, `run ${run + 1}: ${result.failure?.evalue}`).toBeUndefined();
        expectFloodWhole(result.notebook);
      }
    },
    600_000,
  );

  it("ends a 16 MB result within the cell timeout, keeping it or failing that cell by name", async () => {
    const file = await tempNotebook(notebookOf([
      "1",
      `({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "z".repeat(16 * ${MB}) }) })`,
      '"after"',
    ]));
    const t0 = performance.now();
    const result = await runNotebook(file, { timeoutS: 60, outputTimeoutS: 30 });
    expect((performance.now() - t0) / 1000).toBeLessThan(100);
    if (result.status === "ok") {
      expect(resultText(result.notebook.cells[1].outputs)?.length).toBe(16 * MB);
      expect(resultText(result.notebook.cells[2].outputs)).toBe('"after"');
    } else {
      expect(result.failure).toMatchObject({ cell: 2, ename: "OutputLossError" });
      expect(result.failure!.evalue).toMatch(/^cell 2: .*outputs may be missing/i);
    }
  }, 180_000);
});

describe("console output in the kernel", () => {
  it("formats as Deno's console does and keeps stdout and stderr in order", async () => {
    const code = [
      'console.log({ a: 1, b: [1, 2] }, "x", 3);',
      'console.error("e1");',
      'console.log("%d items", 5);',
      'console.warn("w");',
      'console.info("i"); console.debug("d");',
    ].join("\n");
    const result = await runNotebook(await tempNotebook(notebookOf([code])));
    const reference = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const td = new TextDecoder();
    const outputs = result.notebook.cells[0].outputs!;
    expect(streamText(outputs, "stdout")).toBe(td.decode(reference.stdout));
    expect(streamText(outputs, "stderr")).toBe(td.decode(reference.stderr));
    expect(outputs.map((o) => (o.output_type === "stream" ? o.name : o.output_type))).toEqual([
      "stdout",
      "stderr",
      "stdout",
      "stderr",
      "stdout",
    ]);
  });

  it("keeps text printed before a display before it, and a cell's prints out of the next cell", async () => {
    const result = await runNotebook(
      await tempNotebook(notebookOf([
        'console.log("before"); await Deno.jupyter.display({ "text/plain": "shown" }, { raw: true }); console.log("after");',
        "1 + 1",
      ])),
    );
    expect(result.notebook.cells[0].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: ["before\n"] },
      { output_type: "display_data", data: { "text/plain": "shown" }, metadata: {} },
      { output_type: "stream", name: "stdout", text: ["after\n"] },
    ]);
    expect(result.notebook.cells[1].outputs).toEqual([
      { output_type: "execute_result", execution_count: 2, data: { "text/plain": "2" }, metadata: {} },
    ]);
  });
});

describe("a kernel that breaks the protocol", () => {
  let exe = "";
  beforeAll(async () => {
    const dir = await Deno.makeTempDir({ prefix: "paper-stand-in-" });
    exe = join(dir, "stand-in-deno");
    await Deno.writeTextFile(
      exe,
      `#!/bin/sh\nexec node "${STAND_IN}" "$@"\n`, // Node.js: the README's prerequisite, and where zeromq binds reliably
    );
    await Deno.chmod(exe, 0o755);
  });

  it("fails the cell when its result comes after idle and the kernel then goes quiet", async () => {
    const file = await tempNotebook(notebookOf(["40 + 2", "1"]));
    const t0 = performance.now();
    const result = await runNotebook(file, {
      kernelExecutable: exe,
      env: { STAND_IN_MODE: "result-after-idle" },
      outputTimeoutS: 3,
    });
    expect((performance.now() - t0) / 1000).toBeLessThan(30);
    expect(result.status).toBe("error");
    expect(result.failure).toMatchObject({ cell: 1, ename: "OutputLossError", notRun: 1 });
    expect(result.failure!.evalue).toBe(
      "cell 1: the kernel did not confirm within 3 s that all of the cell's outputs were sent (no end-of-cell " +
        "marker): outputs may be missing",
    );
    expect(result.notebook.cells[1].metadata.paper_not_run).toMatch(/^the run ended at cell 1 \(OutputLossError/);
  }, 60_000);

  it("reports a message that fails verification, with its size and type, instead of dropping it", async () => {
    const file = await tempNotebook(notebookOf(["1"]));
    const result = await runNotebook(file, { kernelExecutable: exe, env: { STAND_IN_MODE: "garbled" } });
    expect(result.failure).toMatchObject({ cell: 1, ename: "OutputLossError" });
    expect(result.failure!.evalue).toMatch(
      /^cell 1: a 2\.0 MB display_data message on iopub failed verification: .*keep each output well under 1 MB/,
    );
  }, 60_000);
});

describe("a run that ends early", () => {
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const td = new TextDecoder();
    return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
  }

  it("Deno.exit(3) in the second of three cells: names cell 2 and the exit, cell 3 not run, copy written", async () => {
    const file = await tempNotebook(notebookOf(['"one"', "Deno.exit(3)", '"three"']));
    const dir = dirname(file);
    const outDir = join(dir, "out");
    const r = await cli([file, "--out", outDir, "--no-site"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`FAILED ${file} cell 2: DeadKernelError: the Deno kernel exited with code 3`);
    expect(r.stderr).toContain("1 later code cell was not run");
    const nb = await readNotebook(join(outDir, "fixture.ipynb"));
    expect(resultText(nb.cells[0].outputs)).toBe('"one"');
    expect(nb.cells[1].outputs?.at(-1)).toMatchObject({ output_type: "error", ename: "DeadKernelError" });
    expect(nb.cells[2].outputs).toEqual([]);
    expect(nb.cells[2].metadata.paper_not_run).toMatch(/^the run ended at cell 2 \(DeadKernelError/);
    expect(nb.metadata.paper_run).toMatchObject({ status: "error", failed_cell: 2, cells_not_run: 1 });
    expect(kernelsIn(dir)).toEqual([]);
  }, 60_000);

  it("Ctrl-C writes the executed copy with the interrupted cell marked, exits 130, leaves no kernel", async () => {
    const file = await tempNotebook(notebookOf([
      '"first"',
      'Deno.writeTextFileSync("in-cell-2", ""); await new Promise((r) => setTimeout(r, 120_000));',
      "2",
    ]));
    const dir = dirname(file);
    const outDir = join(dir, "out");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, file, "--out", outDir, "--no-site"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    for (let i = 0; i < 300 && !existsSync(join(dir, "in-cell-2")); i++) await new Promise((r) => setTimeout(r, 100));
    const kernels = kernelsIn(dir);
    expect(kernels).toHaveLength(1);
    child.kill("SIGINT");
    const out = await child.output();
    expect(out.code).toBe(130);
    expect(new TextDecoder().decode(out.stderr)).toContain("RunInterrupted");
    const nb = await readNotebook(join(outDir, "fixture.ipynb"));
    expect(resultText(nb.cells[0].outputs)).toBe('"first"');
    expect(nb.cells[1].outputs?.at(-1)).toMatchObject({ output_type: "error", ename: "RunInterrupted" });
    expect(nb.cells[2].metadata.paper_not_run).toMatch(/RunInterrupted/);
    expect(processAlive(kernels[0])).toBe(false);
  }, 60_000);
});
