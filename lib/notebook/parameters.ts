/**
 * Papermill-style parameters: the cell tagged `parameters` holds defaults; overrides from the command line
 * (`-p epochs=20`) go into a cell tagged `injected-parameters` inserted right after it, which redeclares them
 * (the Deno kernel allows redeclaring `const` in a later cell).
 */
import { type Cell, codeCell, type Notebook, sourceText, tagsOf } from "./nbformat.ts";

/** A parameter that cannot be applied; the message names the notebook and the parameter. */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParameterError";
  }
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * Parses `name=value` strings. A value that reads as JSON (numbers, true/false, null, arrays, objects, quoted
 * strings) is taken as JSON; anything else is a string.
 */
export function parseParameterArgs(args: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new ParameterError(`parameter "${arg}" is not of the form name=value (e.g. -p epochs=20)`);
    const name = arg.slice(0, eq).trim();
    if (!IDENT.test(name)) throw new ParameterError(`parameter name "${name}" is not a valid identifier`);
    const raw = arg.slice(eq + 1);
    try {
      out[name] = JSON.parse(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/** The names a parameters cell declares (`const x = ...`, `let y = ...`, `var z`). */
export function declaredNames(source: string): string[] {
  return [...source.matchAll(/^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
}

/** The source of an injected-parameters cell. */
export function injectedSource(parameters: Record<string, unknown>): string {
  const lines = Object.entries(parameters).map(([k, v]) => `const ${k} = ${JSON.stringify(v)};`);
  return ["// Injected parameters (deno task run -p ...)", ...lines].join("\n");
}

/**
 * Returns a copy of the notebook with an `injected-parameters` cell after the `parameters` cell (replacing an
 * earlier injected cell). Throws when parameters are given but the notebook has no parameters cell, or a name is
 * not declared there. With no parameters the notebook is returned unchanged.
 */
export function injectParameters(nb: Notebook, parameters: Record<string, unknown>, file: string): Notebook {
  if (Object.keys(parameters).length === 0) return nb;
  const cells = nb.cells.filter((c) => !tagsOf(c).includes("injected-parameters"));
  const at = cells.findIndex((c) => c.cell_type === "code" && tagsOf(c).includes("parameters"));
  if (at < 0) {
    throw new ParameterError(
      `${file}: no cell is tagged "parameters", so ${Object.keys(parameters).join(", ")} cannot be set; ` +
        `tag the cell that holds the defaults with "parameters"`,
    );
  }
  const declared = declaredNames(sourceText(cells[at].source));
  for (const name of Object.keys(parameters)) {
    if (!declared.includes(name)) {
      throw new ParameterError(
        `${file}: parameter "${name}" is not defined in the parameters cell (cell ${at + 1}); ` +
          `it defines: ${declared.join(", ") || "nothing"}`,
      );
    }
  }
  const injected: Cell = codeCell(injectedSource(parameters), { tags: ["injected-parameters"] });
  return { ...nb, cells: [...cells.slice(0, at + 1), injected, ...cells.slice(at + 1)] };
}
