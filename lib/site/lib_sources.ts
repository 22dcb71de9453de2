/**
 * Links from notebook cells to the lib source they call: `@lib/...` imports are found in a cell's code, and each
 * imported name is followed through the folder's `mod.ts` re-exports to the file and line that declares it.
 */
import { join, normalize, relative } from "node:path";

/** One `@lib/...` import of a cell: the specifier, the file under lib/ it names, and the names it imports. */
export interface LibImport {
  specifier: string;
  /** Path relative to lib/, with `/` separators, e.g. "display/mod.ts". */
  file: string;
  /** Imported names (their exported names, before any `as`); empty for `* as ns` and side-effect imports. */
  names: string[];
}

/** Where a lib export is declared: file relative to lib/ and 1-based line. */
export interface LibDefinition {
  name: string;
  file: string;
  line: number;
}

const IMPORT_FROM = /\b(?:import|export)\s+(?:type\s+)?([\s\S]*?)\s*from\s*["'](@lib\/[^"']+)["']/g;
const IMPORT_BARE = /\bimport\s*\(?\s*["'](@lib\/[^"']+)["']/g;

function importedNames(clause: string): string[] {
  const braces = clause.match(/\{([\s\S]*)\}/);
  const names: string[] = [];
  if (braces) {
    for (const part of braces[1].split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0].trim();
      if (/^[\w$]+$/.test(name)) names.push(name);
    }
  }
  const head = clause.replace(/\{[\s\S]*\}/, "").replace(/\*\s+as\s+[\w$]+/, "").replace(/,/g, " ").trim();
  if (/^[\w$]+$/.test(head)) names.push("default");
  return names;
}

function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** The `@lib/...` imports (static, re-exports and dynamic) in a piece of TypeScript, merged per file. */
export function libImports(code: string): LibImport[] {
  const byFile = new Map<string, LibImport>();
  const add = (specifier: string, names: string[]): void => {
    const file = normalize(specifier.slice("@lib/".length)).replaceAll("\\", "/");
    const entry = byFile.get(file) ?? { specifier, file, names: [] };
    for (const n of names) if (!entry.names.includes(n)) entry.names.push(n);
    byFile.set(file, entry);
  };
  const src = stripComments(code);
  for (const m of src.matchAll(IMPORT_FROM)) add(m[2], importedNames(m[1]));
  for (const m of src.matchAll(IMPORT_BARE)) add(m[1], []);
  return [...byFile.values()];
}

/** Finds where lib exports are declared, reading lib files once each. */
export class LibIndex {
  private readonly texts = new Map<string, string | undefined>();

  /** `libDir` is the lib/ folder whose files `@lib/` names. */
  constructor(readonly libDir: string) {}

  /** The text of a file under lib/ (path relative to lib/), or undefined if it cannot be read. */
  source(file: string): string | undefined {
    if (!this.texts.has(file)) {
      let text: string | undefined;
      try {
        text = Deno.readTextFileSync(join(this.libDir, file));
      } catch {
        text = undefined;
      }
      this.texts.set(file, text);
    }
    return this.texts.get(file);
  }

  /** True when the file exists under lib/. */
  has(file: string): boolean {
    return this.source(file) !== undefined;
  }

  /**
   * The declaration of `name` exported by `file`, following `export {..} from` and `export * from` re-exports (as a
   * folder's mod.ts does); undefined when it cannot be found.
   */
  definition(file: string, name: string, depth = 0): LibDefinition | undefined {
    const text = this.source(file);
    if (text === undefined || depth > 8) return undefined;
    const decl = name === "default" ? /^export\s+default\b/m : new RegExp(
      `^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:abstract\\s+)?(?:function\\*?|class|const|let|var|interface|type|enum|namespace)\\s+${
        name.replace(/\$/g, "\\$")
      }\\b`,
      "m",
    );
    const hit = decl.exec(text);
    if (hit) return { name, file, line: text.slice(0, hit.index).split("\n").length };
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
    const resolve = (spec: string): string => normalize(join(dir, spec)).replaceAll("\\", "/");
    for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([\s\S]*?)\}\s*from\s*["'](\.[^"']+)["']/gm)) {
      for (const part of m[1].split(",")) {
        const [orig, alias] = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).map((s) => s.trim());
        if ((alias ?? orig) === name) return this.definition(resolve(m[2]), orig, depth + 1);
      }
    }
    for (const m of text.matchAll(/^export\s+\*\s+from\s*["'](\.[^"']+)["']/gm)) {
      const found = this.definition(resolve(m[1]), name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
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
