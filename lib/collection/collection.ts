/** Finding the collection's notebooks on disk, in the order `deno task run` executes them. */
import { join, relative, resolve } from "node:path";

async function walk(dir: string, out: string[]): Promise<void> {
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory) await walk(p, out);
    else if (e.isFile && e.name.endsWith(".ipynb")) out.push(p);
  }
}

/**
 * The notebooks under the given paths (files or folders), sorted: top-level notebooks of a folder first (getting
 * started, template), then each category folder in name order. A path that does not exist is an error naming it.
 */
export async function findNotebooks(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const p of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(p);
    } catch {
      throw new Error(`${p}: no such notebook or folder`);
    }
    if (info.isDirectory) {
      const inDir: string[] = [];
      await walk(p, inDir);
      const depth = (f: string) => relative(resolve(p), resolve(f)).split("/").length;
      inDir.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
      found.push(...inDir);
    } else if (p.endsWith(".ipynb")) found.push(p);
    else throw new Error(`${p}: not a .ipynb notebook`);
  }
  return [...new Set(found)];
}

/** True for a paper notebook: one inside a category folder (`notebooks/<category>/<slug>.ipynb`). */
export function isPaperNotebook(file: string, notebooksDir = "notebooks"): boolean {
  const rel = relative(resolve(notebooksDir), resolve(file));
  return !rel.startsWith("..") && rel.split("/").length === 2;
}

/**
 * The most an executed paper notebook may weigh on disk, in MB (2^20 bytes, as lib/display's output limit counts):
 * executed copies are read in browsers and on the site, and a notebook past this carries a figure with far more
 * points or pixels than anyone looks at. The run summary shows each notebook's size; tests/notebooks_test.ts fails
 * a paper notebook over it.
 */
export const PAPER_NOTEBOOK_BUDGET_MB = 3;

/** A file's size in MB (2^20 bytes), or undefined when it does not exist. */
export function fileSizeMb(file: string): number | undefined {
  try {
    return Deno.statSync(file).size / (1024 * 1024);
  } catch {
    return undefined;
  }
}
