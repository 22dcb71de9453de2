/**
 * Builds the static site of the executed notebooks: an index by category, one page per notebook, a page per lib
 * source file, and the local assets. Reads every executed `.ipynb` under the output folder (not the site itself).
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readNotebook, sourceText } from "../notebook/nbformat.ts";
import { copyAssets } from "./assets.ts";
import { buildDeck } from "./deck.ts";
import { type SiteEntry, siteEntry } from "./entry.ts";
import { renderIndexPage } from "./index_page.tsx";
import { buildSymbolIndex, listLibSources, SymbolIndex } from "./lib_sources.ts";
import { notebookLibUses } from "./lib_uses.ts";
import { renderNotebookPage } from "./page.tsx";
import { copyDeckAssets, deckPath, renderDeck } from "./slides.tsx";
import { renderSourcePage } from "./source_page.tsx";

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  /** Folder of executed notebooks, e.g. "out". */
  outDir: string;
  /** Where the site goes (default `<outDir>/site`); emptied first, so it must be a folder this builder made. */
  siteDir?: string;
  /** The lib/ folder `@lib/` imports name (default: the project's lib/, beside this file's folder). */
  libDir?: string;
  /** Receives build warnings (bad TeX, headers off the template, no symbol index); default: console.warn. */
  warn?: (message: string) => void;
}

/** What {@link buildSite} wrote: the index, one page per notebook, the lib source pages, one deck per paper. */
export interface BuiltSite {
  index: string;
  pages: string[];
  sources: string[];
  /** The present mode's slide decks (`<category>/<slug>.slides.html`), one per paper notebook. */
  decks: string[];
}

const MARKER = ".paper-site";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Every `.ipynb` under `dir`, skipping `skip` (the site) and hidden folders such as `.ipynb_checkpoints`. */
async function findExecuted(dir: string, skip: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for await (const e of Deno.readDir(d)) {
      const path = join(d, e.name);
      if (e.isDirectory) {
        if (!e.name.startsWith(".") && resolve(path) !== skip) await walk(path);
      } else if (e.isFile && e.name.endsWith(".ipynb")) found.push(path);
    }
  };
  await walk(dir);
  return found.sort();
}

/** Empties the site folder, refusing one that holds anything not made by this builder. */
async function prepareSiteDir(siteDir: string): Promise<void> {
  if (await exists(siteDir)) {
    let empty = true;
    for await (const _ of Deno.readDir(siteDir)) {
      empty = false;
      break;
    }
    if (!empty && !(await exists(join(siteDir, MARKER)))) {
      throw new Error(
        `${siteDir} exists and was not made by buildSite (no ${MARKER} file in it); remove it or choose another siteDir`,
      );
    }
    await Deno.remove(siteDir, { recursive: true });
  }
  await Deno.mkdir(siteDir, { recursive: true });
  await Deno.writeTextFile(join(siteDir, MARKER), "Made by lib/site buildSite; emptied and rebuilt on every build.\n");
}

async function write(file: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(file), { recursive: true });
  await Deno.writeTextFile(file, text);
}

/**
 * Builds the site of the executed notebooks under `outDir` into `siteDir` (default `<outDir>/site`), replacing what
 * was there. Returns the paths of the index, the notebook pages and the lib source pages.
 */
export async function buildSite(options: BuildSiteOptions): Promise<BuiltSite> {
  const outDir = resolve(options.outDir);
  const siteDir = resolve(options.siteDir ?? join(outDir, "site"));
  const libDir = resolve(options.libDir ?? fileURLToPath(new URL("../", import.meta.url)));
  const warn = options.warn ?? ((m: string) => console.warn(m));
  if (!(await exists(outDir))) {
    throw new Error(`${options.outDir}: no such folder of executed notebooks; run \`deno task run\` first`);
  }
  if (siteDir === outDir || outDir.startsWith(siteDir + "/")) {
    throw new Error(`siteDir ${siteDir} would contain the notebooks in ${outDir}; choose a folder inside or beside it`);
  }
  if (!(await exists(libDir))) throw new Error(`libDir ${libDir} does not exist; pass the project's lib/ folder`);

  const entries: SiteEntry[] = [];
  for (const file of await findExecuted(outDir, siteDir)) {
    const rel = relative(outDir, file).replaceAll("\\", "/");
    const entry = siteEntry(await readNotebook(file), rel, relative(Deno.cwd(), file) || file);
    if (entry.headerProblem) warn(`${entry.source}: ${entry.headerProblem}`);
    entries.push(entry);
  }

  await prepareSiteDir(siteDir);
  await copyAssets(siteDir);
  await copyDeckAssets(siteDir);

  const libFiles = await listLibSources(libDir);
  const libPages = new Set(libFiles);
  const sources: string[] = [];
  for (const file of libFiles) {
    const target = join(siteDir, "lib", `${file}.html`);
    await write(target, renderSourcePage(file, await Deno.readTextFile(join(libDir, file)), libPages));
    sources.push(target);
  }

  // Every folder's mod.ts, and any other lib module a notebook imports directly (e.g. resnet/parameters.ts).
  const modules = new Set(libFiles.filter((f) => f.endsWith("/mod.ts")));
  for (const entry of entries) {
    const code = entry.notebook.cells.filter((c) => c.cell_type === "code").map((c) => sourceText(c.source));
    for (const use of notebookLibUses(code).flat()) modules.add(use.module);
  }
  let symbols: SymbolIndex;
  try {
    symbols = await buildSymbolIndex(libDir, modules);
  } catch (e) {
    warn(`lib names are not linked to their declarations: ${(e as Error).message}`);
    symbols = new SymbolIndex();
  }

  const pages: string[] = [];
  // The deck renders the notebook's markdown again: its TeX problems are the page's, reported once.
  const warned = new Set<string>();
  const report = (problem: string) => {
    if (!warned.has(problem)) warn(problem);
    warned.add(problem);
  };
  for (const entry of entries) {
    const depth = entry.page.split("/").length - 1;
    const page = renderNotebookPage(entry, { root: "../".repeat(depth), symbols, libPages });
    for (const p of page.problems) report(p);
    const target = join(siteDir, entry.page);
    await write(target, page.html);
    pages.push(target);
  }

  const decks: string[] = [];
  for (const entry of entries.filter((e) => e.isPaper)) {
    const rel = deckPath(entry);
    const deck = renderDeck(entry, buildDeck(entry), "../".repeat(rel.split("/").length - 1));
    for (const p of deck.problems) report(p);
    const target = join(siteDir, rel);
    await write(target, deck.html);
    decks.push(target);
  }

  const index = join(siteDir, "index.html");
  await write(index, renderIndexPage(entries));
  return { index, pages, sources, decks };
}
