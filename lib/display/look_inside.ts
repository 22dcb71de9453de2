/**
 * "Look inside": shows the lib source that implements a paper's idea, highlighted, with its file and line, in the cell
 * that uses it — the cells call lib, and this is where a reader sees what they call. Given a function or class that a
 * cell imported, it finds the declaration under lib/ by name, parses the file with @babel/parser (TypeScript) for the
 * declaration's extent and its JSDoc, and returns a displayable: HTML for Jupyter (linked to the file), plain text, and
 * {@link LIB_SOURCE_MIME} for the site, which links each line to its source page.
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { checkedBundle, type Displayable, escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "./bundle.ts";

/** The MIME type of a lib source excerpt: `{ blocks: LibSourceBlock[] }`, which the site renders with its links. */
export const LIB_SOURCE_MIME = "application/vnd.paper-notebooks.lib-source+json";

/** One declaration (or a region of one) shown: where it is and its text. */
export interface LibSourceBlock {
  /** The file, relative to lib/, e.g. "resnet/blocks.ts". */
  file: string;
  /** The declaration's name. */
  name: string;
  /** The region shown, when only part of the declaration is. */
  region?: string;
  /** 1-based first and last line shown. */
  startLine: number;
  endLine: number;
  /** The lines shown, joined with "\n". */
  code: string;
}

/** Options of {@link lookInside}. */
export interface LookInsideOptions {
  /**
   * Show only the lines between `// #region <name>` and `// #endregion` inside the declaration (the editors' region
   * markers), e.g. the loop of a long training function.
   */
  region?: string;
  /** Further declarations of the same file to show after it, exported or not (e.g. the private helpers it calls). */
  helpers?: readonly string[];
  /**
   * The file (relative to lib/) to look in: when the name is declared in more than one, or to show a declaration the
   * file does not export (then `target` is its name).
   */
  file?: string;
  /** Show each declaration's JSDoc comment (it cites the paper). Default: true. */
  docs?: boolean;
}

/**
 * What {@link lookInside} accepts: an exported function or class (found under lib/ by its name), or a declared name
 * (with `file`, also one the file does not export).
 */
export type LookTarget = string | ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown);

const LIB_DIR = fileURLToPath(new URL("../", import.meta.url));

interface Located {
  name: string;
  start: number;
  end: number;
}

interface BabelNode {
  type: string;
  loc?: { start: { line: number }; end: { line: number } };
  leadingComments?: { type: string; value: string; loc: { start: { line: number }; end: { line: number } } }[];
  declaration?: BabelNode | null;
  declarations?: { id: { type: string; name?: string } }[];
  id?: { name?: string } | null;
}

/** Every TypeScript source under lib/, tests left out, relative to lib/. */
function libSources(dir = LIB_DIR): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory && !e.name.startsWith(".") && e.name !== "native" && e.name !== "testdata") {
      out.push(...libSources(path));
    } else if (e.isFile && /\.tsx?$/.test(e.name) && !/_test\.tsx?$/.test(e.name)) {
      out.push(relative(LIB_DIR, path).replaceAll("\\", "/"));
    }
  }
  return out.sort();
}

const declares = (name: string, exported: boolean): RegExp =>
  new RegExp(
    `^(?:export\\s+)${exported ? "" : "?"}(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|class|const|` +
      `let|var|interface|type|enum|abstract\\s+class)\\s+${name.replace(/[$]/g, "\\$")}\\b`,
    "m",
  );

/** The top-level declarations of a TypeScript source with their lines, JSDoc included when `docs`. */
async function declarationsOf(source: string, docs: boolean): Promise<Located[]> {
  const { parse } = await import("@babel/parser");
  const program = parse(source, { sourceType: "module", plugins: [["typescript", {}], "jsx"], errorRecovery: true })
    .program as unknown as { body: BabelNode[] };
  const found: Located[] = [];
  for (const statement of program.body) {
    const decl = statement.type.startsWith("Export") && statement.declaration ? statement.declaration : statement;
    const names = decl.declarations
      ? decl.declarations.map((d) => d.id.name).filter((n): n is string => !!n)
      : decl.id?.name
      ? [decl.id.name]
      : [];
    if (!statement.loc || names.length === 0) continue;
    const doc = statement.leadingComments?.at(-1);
    const start = docs && doc?.type === "CommentBlock" && doc.value.startsWith("*") &&
        doc.loc.end.line >= statement.loc.start.line - 1
      ? doc.loc.start.line
      : statement.loc.start.line;
    for (const name of names) found.push({ name, start, end: statement.loc.end.line });
  }
  return found;
}

/**
 * The lib file that declares `name`, or the error to show: none, or several without `file`. Searching all of lib/,
 * only exports count (a cell holds exported values); in a given `file` any top-level declaration does.
 */
function findFile(name: string, file: string | undefined): string {
  const candidates = (file ? [file] : libSources()).filter((f) => {
    try {
      return declares(name, !file).test(Deno.readTextFileSync(join(LIB_DIR, f)));
    } catch {
      return false;
    }
  });
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new Error(
      file
        ? `lookInside: lib/${file} declares no top-level "${name}"`
        : `lookInside: no exported declaration of "${name}" under lib/`,
    );
  }
  throw new Error(
    `lookInside: "${name}" is declared in ${candidates.join(", ")}; pass { file } to choose (relative to lib/)`,
  );
}

function regionOf(lines: string[], block: Located, region: string): { start: number; end: number } {
  const marker = (kind: string) => new RegExp(`^\\s*//\\s*#${kind}\\b\\s*(.*)$`);
  const want = region.trim().toLowerCase();
  for (let i = block.start - 1; i < block.end; i++) {
    const open = marker("region").exec(lines[i]);
    if (!open || open[1].trim().toLowerCase() !== want) continue;
    for (let j = i + 1; j < block.end; j++) {
      if (marker("endregion").test(lines[j])) return { start: i + 2, end: j };
    }
    throw new Error(`lookInside: region "${region}" in ${block.name} has no // #endregion`);
  }
  throw new Error(`lookInside: ${block.name} has no // #region ${region}`);
}

/** Shows lib source: a list of declarations, each with its file and line. */
export class LibSource implements Displayable {
  /** `html` is the Jupyter view ({@link lookInside} highlights it). */
  constructor(readonly blocks: readonly LibSourceBlock[], private readonly html: string) {}

  /** Each block under a `lib/<file>:<line> · <name>` line, numbered. */
  toString(): string {
    return this.blocks.map((b) => {
      const width = String(b.endLine).length;
      const lines = b.code.split("\n").map((l, i) => `${String(b.startLine + i).padStart(width)} │ ${l}`.trimEnd());
      return [`lib/${b.file}:${b.startLine} · ${b.name}${b.region ? ` (${b.region})` : ""}`, ...lines].join("\n");
    }).join("\n\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return checkedBundle({
      [LIB_SOURCE_MIME]: { blocks: this.blocks },
      "text/html": this.html,
      "text/plain": this.toString(),
    }, `the lib source of ${this.blocks.map((b) => b.name).join(", ")}`);
  }
}

/** Colours for highlight.js's classes where no stylesheet gives them (Jupyter), GitHub's light theme. */
const JUPYTER_STYLE = `<style>.paper-lib-source pre{margin:0;padding:.5em;background:#f6f8fa;overflow-x:auto}` +
  `.paper-lib-source .hljs-keyword,.paper-lib-source .hljs-built_in{color:#cf222e}` +
  `.paper-lib-source .hljs-string{color:#0a3069}.paper-lib-source .hljs-number{color:#0550ae}` +
  `.paper-lib-source .hljs-comment{color:#6e7781}.paper-lib-source .hljs-title{color:#8250df}` +
  `.paper-lib-source .hljs-type{color:#953800}.paper-lib-source .ln{color:#8c959f;user-select:none}</style>`;

/**
 * The lib source of `target` (a function or class a cell imported, or its name): its declaration with the JSDoc
 * above it, or one `// #region` of it, then any `helpers` of the same file. For example, GAN Algorithm 1's loop:
 *
 * ```ts
 * import { lookInside } from "@lib/display/mod.ts";
 * import { trainGan } from "@lib/gan/mod.ts";
 * const shown = await lookInside(trainGan, { region: "Algorithm 1" });
 * console.log(shown.blocks[0].file); // "gan/algorithm1.ts"
 * ```
 */
export async function lookInside(target: LookTarget, options: LookInsideOptions = {}): Promise<LibSource> {
  if (typeof target !== "string" && typeof target !== "function") {
    throw new TypeError(`lookInside: expected a lib function or class (or its name), got ${String(target)}`);
  }
  const name = typeof target === "string" ? target : target.name;
  if (!name) throw new Error("lookInside: the function has no name; pass its declared name as a string");
  const file = findFile(name, options.file);
  const source = await Deno.readTextFile(join(LIB_DIR, file));
  const lines = source.split("\n");
  const declarations = await declarationsOf(source, options.docs ?? true);
  const blocks: LibSourceBlock[] = [];
  for (const [i, wanted] of [name, ...(options.helpers ?? [])].entries()) {
    const decl = declarations.find((d) => d.name === wanted);
    if (!decl) throw new Error(`lookInside: lib/${file} declares no top-level "${wanted}"`);
    const span = i === 0 && options.region ? regionOf(lines, decl, options.region) : decl;
    blocks.push({
      file,
      name: wanted,
      ...(i === 0 && options.region ? { region: options.region } : {}),
      startLine: span.start,
      endLine: span.end,
      code: lines.slice(span.start - 1, span.end).join("\n"),
    });
  }
  return new LibSource(blocks, await jupyterHtml(blocks));
}

async function jupyterHtml(blocks: readonly LibSourceBlock[]): Promise<string> {
  const hljs = (await import("highlight.js/lib/core")).default;
  if (!hljs.getLanguage("typescript")) {
    hljs.registerLanguage("typescript", (await import("highlight.js/lib/languages/typescript")).default);
  }
  // Jupyter starts the kernel in the notebook's folder: a path relative to it opens the file there.
  const from = Deno.cwd();
  const parts = blocks.map((b) => {
    const path = relative(from, join(LIB_DIR, b.file)).replaceAll("\\", "/");
    const label = `lib/${b.file}:${b.startLine}`;
    const code = hljs.highlight(b.code, { language: "typescript", ignoreIllegals: true }).value;
    // Line numbers as a separate column would need a table; a prefix per line keeps copy-paste readable enough.
    const numbered = code.split("\n").map((l, i) =>
      `<span class="ln">${String(b.startLine + i).padStart(4)}  </span>${l}`
    )
      .join("\n");
    return `<div class="paper-lib-source-block"><div><a href="${escapeHtml(path)}">${escapeHtml(label)}</a> · ` +
      `<code>${escapeHtml(b.name)}</code>${b.region ? ` (${escapeHtml(b.region)})` : ""}</div>` +
      `<pre class="hljs"><code>${numbered}</code></pre></div>`;
  });
  return `<div class="paper-lib-source">${JUPYTER_STYLE}${parts.join("")}</div>`;
}
