/**
 * nbformat 4 notebooks: types, reading with validation, building cells, and atomic writing.
 *
 * The types come from `@jupyterlab/nbformat` (JupyterLab's typing of the nbformat 4 schema), adjusted where its shape
 * does not fit a notebook runner: its interfaces inherit lumino's `[key: string]: PartialJSONValue` index signature,
 * which types a kernel's MIME data (`unknown` in a message) as unassignable and every extra field as JSON, so that
 * signature is dropped and MIME data and metadata stay `Record<string, unknown>`; and a {@link Cell} is one type
 * whose code-cell fields are optional (the runner and the site read `cell.outputs` of any cell), not nbformat's union
 * with an unrecognised cell whose `cell_type` is any string.
 */
import { dirname } from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";

/** A type's own named fields, without the JSON index signature nbformat's interfaces inherit. */
type Fields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** MIME data and metadata of a display output, as the kernel sends them. */
interface MimeFields {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A multiline string as nbformat stores it: one string, or a list of lines. */
export type MultilineString = nbformat.MultilineString;

/** One output of a code cell: a stream, display data, an execution result or an error. */
export type Output =
  | Fields<nbformat.IStream>
  | (Omit<Fields<nbformat.IDisplayData>, keyof MimeFields> & MimeFields & { transient?: unknown })
  | (Omit<Fields<nbformat.IExecuteResult>, keyof MimeFields> & MimeFields)
  | Fields<nbformat.IError>;

/** A cell of a notebook; `outputs` and `execution_count` are there on code cells. */
export interface Cell extends Omit<Fields<nbformat.IBaseCell>, "cell_type" | "metadata"> {
  id?: string;
  cell_type: nbformat.ICodeCell["cell_type"] | nbformat.IMarkdownCell["cell_type"] | nbformat.IRawCell["cell_type"];
  metadata: Record<string, unknown> & Partial<Fields<nbformat.ICodeCellMetadata>>;
  outputs?: Output[];
  execution_count?: nbformat.ExecutionCount;
  attachments?: nbformat.IAttachments;
}

/** A notebook in nbformat 4, run on the Deno kernel (its kernelspec needs only a name). */
export interface Notebook extends Omit<Fields<nbformat.INotebookContent>, "nbformat" | "metadata" | "cells"> {
  nbformat: 4;
  metadata: Record<string, unknown> & {
    kernelspec?: Partial<Fields<nbformat.IKernelspecMetadata>> & { name: string; language?: string };
    language_info?: Record<string, unknown> & Partial<Fields<nbformat.ILanguageInfoMetadata>>;
  };
  cells: Cell[];
}

/** A notebook that cannot be read or is not a Deno nbformat 4 notebook; the message names the file. */
export class NotebookFormatError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = "NotebookFormatError";
  }
}

/** The kernelspec every notebook of the collection uses (`deno jupyter --install`). */
export const DENO_KERNELSPEC = { name: "deno", display_name: "Deno", language: "typescript" } as const;

/** language_info as the Deno kernel reports it. */
export const DENO_LANGUAGE_INFO = {
  name: "typescript",
  file_extension: ".ts",
  mimetype: "text/x.typescript",
  codemirror_mode: "typescript",
  nb_converter: "script",
  pygments_lexer: "typescript",
} as const;

/** The text of a multiline string. */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its newline, except the last). */
export function toLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

/** The cell's tags (empty when none). */
export function tagsOf(cell: Cell): string[] {
  return Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
}

function cellId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 12);
}

/** A markdown cell from text. */
export function markdownCell(text: string, metadata: Record<string, unknown> = {}): Cell {
  return { id: cellId(), cell_type: "markdown", metadata, source: toLines(text) };
}

/** A code cell from text, not yet executed. */
export function codeCell(text: string, metadata: Record<string, unknown> & { tags?: string[] } = {}): Cell {
  return { id: cellId(), cell_type: "code", metadata, source: toLines(text), outputs: [], execution_count: null };
}

/** A new Deno notebook from cells. */
export function newNotebook(cells: Cell[], metadata: Record<string, unknown> = {}): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { ...DENO_KERNELSPEC }, language_info: { ...DENO_LANGUAGE_INFO }, ...metadata },
    cells,
  };
}

const CELL_TYPES = new Set(["code", "markdown", "raw"]);

/**
 * Validates a parsed JSON value as a Deno nbformat 4 notebook; `file` names it in errors. Checks the structure this
 * project relies on (nbformat 4, cells with types and sources, a Deno kernelspec), not every schema detail.
 */
export function validateNotebook(value: unknown, file: string): Notebook {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new NotebookFormatError(file, "not a notebook: the top level must be a JSON object");
  }
  const nb = value as Record<string, unknown>;
  if (nb.nbformat !== 4) {
    throw new NotebookFormatError(
      file,
      `nbformat ${
        JSON.stringify(nb.nbformat)
      } is not supported; convert it to nbformat 4 (jupyter nbconvert --to notebook)`,
    );
  }
  if (!Array.isArray(nb.cells)) throw new NotebookFormatError(file, "no `cells` list");
  const metadata = nb.metadata as Notebook["metadata"] | undefined;
  if (typeof metadata !== "object" || metadata === null) throw new NotebookFormatError(file, "no `metadata` object");
  const ks = metadata.kernelspec;
  if (!ks || typeof ks !== "object") {
    throw new NotebookFormatError(file, 'no kernelspec; set metadata.kernelspec to {"name": "deno", ...}');
  }
  if (ks.name !== "deno") {
    throw new NotebookFormatError(
      file,
      `kernelspec "${ks.name}" is not the Deno kernel; these notebooks run on "deno" (deno jupyter --install)`,
    );
  }
  nb.cells.forEach((c: unknown, i: number) => {
    const cell = c as Partial<Cell>;
    const where = `cell ${i + 1}`;
    if (typeof cell !== "object" || cell === null) throw new NotebookFormatError(file, `${where} is not an object`);
    if (!CELL_TYPES.has(String(cell.cell_type))) {
      throw new NotebookFormatError(file, `${where} has cell_type ${JSON.stringify(cell.cell_type)}`);
    }
    const src = cell.source;
    if (!(typeof src === "string" || (Array.isArray(src) && src.every((l) => typeof l === "string")))) {
      throw new NotebookFormatError(file, `${where} has no text source (string or list of strings)`);
    }
    if (cell.metadata !== undefined && (typeof cell.metadata !== "object" || cell.metadata === null)) {
      throw new NotebookFormatError(file, `${where} has metadata that is not an object`);
    }
  });
  return value as Notebook;
}

/** Reads and validates a notebook file; errors name the file and what is wrong. */
export async function readNotebook(file: string): Promise<Notebook> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new NotebookFormatError(file, `cannot read: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(file, `malformed JSON (${(e as Error).message}); is it a saved .ipynb?`);
  }
  const nb = validateNotebook(value, file);
  for (const cell of nb.cells) cell.metadata ??= {};
  return nb;
}

/** Serialises a notebook as Jupyter does (one-space indent, trailing newline). */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Writes a notebook atomically: to a temporary file beside it, then renamed over the target. */
export async function writeNotebook(file: string, nb: Notebook): Promise<void> {
  await Deno.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(tmp, serializeNotebook(nb));
    await Deno.rename(tmp, file);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}
