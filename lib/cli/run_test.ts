import { describe, expect, it } from "vitest";
import { dirname, join } from "node:path";
import { kernelsIn, notebookOf, processAlive, tempNotebook } from "../notebook/test_util.ts";

const CLI = join(dirname(new URL(import.meta.url).pathname), "run.ts");

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

describe("deno task run", () => {
  it("exits non-zero naming the notebook, the cell, the error and its traceback", async () => {
    const file = await tempNotebook(
      notebookOf([{ md: "# t" }, "const a = 1;", 'function f() { throw new Error("boom in f"); }\nf();']),
    );
    const outDir = join(dirname(file), "out");
    const r = await cli([file, "--out", outDir, "--no-site"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`FAILED ${file} cell 3: Error: boom in f`);
    expect(r.stderr).toMatch(/at f \(/);
    // the summary table, with the executed copy's size in MB
    expect(r.stdout).toMatch(/notebook\s+parameters\s+cells\s+seconds\s+MB\s+status\n[- ]+\n.+\s0\.\d\d\s+error\n/);
    expect(r.stdout).toContain("0 notebooks ok, 1 failed");
    expect(kernelsIn(dirname(file))).toEqual([]);
  });

  it("rejects a bad parameter before starting any kernel", async () => {
    const file = await tempNotebook(notebookOf([{ code: "const steps = 1;", tags: ["parameters"] }]));
    const r = await cli([file, "-p", "epochs=3", "--no-site", "--out", join(dirname(file), "out")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('parameter "epochs" is not defined in the parameters cell (cell 1); it defines: steps');
  });

  it("shuts the kernel down on Ctrl-C", async () => {
    const file = await tempNotebook(notebookOf(["await new Promise((r) => setTimeout(r, 120_000));"]));
    const dir = dirname(file);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, file, "--out", join(dir, "out"), "--no-site"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    let kernels: number[] = [];
    for (let i = 0; i < 100 && kernels.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      kernels = kernelsIn(dir);
    }
    expect(kernels).toHaveLength(1);
    child.kill("SIGINT");
    const status = await child.status;
    expect(status.code).toBe(130);
    expect(processAlive(kernels[0])).toBe(false);
  });
});
