/**
 * The lib sources the site shows: which files get a source page, and where each exported name is declared. The
 * declarations come from `deno doc --json` (Deno's own documentation parser, run as a subprocess of the build), which
 * follows a folder's `mod.ts` re-exports to the declaring file and line; nothing here reads TypeScript itself.
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Where a lib export is declared: its exported name, the file relative to lib/, and the 1-based line. */
export interface LibSymbol {
  name: string;
  file: string;
  line: number;
}

/** The exported names of lib modules (mod.ts files and any other lib file a notebook imports) and their declarations. */
export class SymbolIndex {
  /** `exports` maps a module (relative to lib/, e.g. "math/mod.ts") to its exported names. */
  constructor(private readonly exports: ReadonlyMap<string, ReadonlyMap<string, LibSymbol>> = new Map()) {}

  /** The declaration of `name` as exported by `module` (relative to lib/); undefined when the module has no such export. */
  lookup(module: string, name: string): LibSymbol | undefined {
    return this.exports.get(module)?.get(name);
  }

  /** The modules the index has documented, relative to lib/. */
  modules(): string[] {
    return [...this.exports.keys()];
  }
}

/** The parts of `deno doc --json` (format version 2) the index reads. */
interface DocJson {
  version?: number;
  nodes?: Record<string, { symbols?: DocSymbol[] }>;
}

interface DocLocation {
  filename: string;
  /** 0-based. */
  line: number;
}

interface DocSymbol {
  name: string;
  declarations?: { location: DocLocation; kind: string; def?: { target?: DocLocation } }[];
}

/** A module URL from deno doc as a path relative to `libDir`, or undefined when it lies outside lib/. */
function libPath(url: string, libDir: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  const rel = relative(libDir, fileURLToPath(url)).replaceAll("\\", "/");
  return rel.startsWith("../") || rel === ".." ? undefined : rel;
}

/**
 * Reads the output of `deno doc --json` into a {@link SymbolIndex}. A `reference` declaration (an `export { x } from`
 * that deno doc does not resolve itself) points at its target. Names declared outside `libDir` are left out: the site
 * has no page for them.
 */
export function symbolIndexFromDoc(doc: unknown, libDir: string): SymbolIndex {
  const json = doc as DocJson;
  if (json?.version !== 2 || typeof json.nodes !== "object") {
    throw new Error(`deno doc --json: expected format version 2, got ${JSON.stringify(json?.version)}`);
  }
  const exports = new Map<string, Map<string, LibSymbol>>();
  for (const [url, node] of Object.entries(json.nodes)) {
    const module = libPath(url, libDir);
    if (!module) continue;
    const names = new Map<string, LibSymbol>();
    for (const symbol of node.symbols ?? []) {
      const decl = symbol.declarations?.[0];
      const at = decl?.kind === "reference" ? decl.def?.target : decl?.location;
      const file = at && libPath(at.filename, libDir);
      if (file) names.set(symbol.name, { name: symbol.name, file, line: at.line + 1 });
    }
    exports.set(module, names);
  }
  return new SymbolIndex(exports);
}

/**
 * Runs `deno doc --json` (the Deno running this build) on `modules` (relative to `libDir`; those that do not exist
 * are skipped) from the folder above lib/, so the project's deno.json resolves their imports.
 */
export async function buildSymbolIndex(libDir: string, modules: Iterable<string>): Promise<SymbolIndex> {
  libDir = await Deno.realPath(libDir); // deno doc names files by their real path
  const present: string[] = [];
  for (const m of new Set(modules)) {
    if (await Deno.stat(join(libDir, m)).then((s) => s.isFile, () => false)) present.push(m);
  }
  if (present.length === 0) return new SymbolIndex();
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", "--quiet", ...present.map((m) => join(libDir, m))],
    cwd: dirname(libDir),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`deno doc --json failed (exit ${code}): ${new TextDecoder().decode(stderr).trim()}`);
  }
  return symbolIndexFromDoc(JSON.parse(new TextDecoder().decode(stdout)), libDir);
}

/** Every TypeScript source under lib/ except tests, as paths relative to lib/ with `/` separators, sorted. */
export async function listLibSources(libDir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory && !e.name.startsWith(".") && e.name !== "node_modules") await walk(path);
      else if (e.isFile && /\.(ts|tsx|js|mjs)$/.test(e.name) && !/_test\.(ts|tsx|js|mjs)$/.test(e.name)) {
        files.push(relative(libDir, path).replaceAll("\\", "/"));
      }
    }
  };
  await walk(libDir);
  return files.sort();
}
