/** Helpers for the notebook tooling's tests: temporary notebooks built from cell sources. */
import { join } from "node:path";
import { type Cell, codeCell, markdownCell, newNotebook, type Notebook, writeNotebook } from "./nbformat.ts";

/** A cell spec: code text, or `{ md }` for markdown, or code with tags. */
export type CellSpec = string | { md: string } | { code: string; tags: string[] };

/** Builds a Deno notebook from cell specs. */
export function notebookOf(specs: CellSpec[], metadata: Record<string, unknown> = {}): Notebook {
  const cells: Cell[] = specs.map((s) =>
    typeof s === "string" ? codeCell(s) : "md" in s ? markdownCell(s.md) : codeCell(s.code, { tags: s.tags })
  );
  return newNotebook(cells, metadata);
}

/** Writes a notebook into a fresh temporary folder and returns its path. */
export async function tempNotebook(nb: Notebook | string, name = "fixture.ipynb"): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "paper-nb-test-" });
  const file = join(dir, name);
  if (typeof nb === "string") await Deno.writeTextFile(file, nb);
  else await writeNotebook(file, nb);
  return file;
}

/** True while a process with this id exists (and is not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Live `deno jupyter --kernel` processes whose working directory is `dir` (a notebook's folder). */
export function kernelsIn(dir: string): number[] {
  const pids: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`);
      if (cmd.includes("jupyter\0--kernel") && Deno.realPathSync(`/proc/${e.name}/cwd`) === dir) {
        pids.push(Number(e.name));
      }
    } catch { /* gone or not ours */ }
  }
  return pids.filter(processAlive);
}
