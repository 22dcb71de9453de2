/**
 * Executes a notebook headlessly on the real Deno kernel, as nbclient does: cells in order, outputs collected,
 * stop at the first error (unless the cell is tagged `raises-exception`), `skip-execution` cells left alone, a
 * per-cell timeout, and the executed copy written atomically (the source notebook is never modified).
 */
import { basename, dirname, relative, resolve } from "node:path";
import { KernelClient } from "./kernel.ts";
import { type Cell, type Notebook, readNotebook, sourceText, tagsOf, writeNotebook } from "./nbformat.ts";
import { OutputCollector } from "./outputs.ts";
import { prepareParameters } from "./parameters.ts";

/** The default per-cell timeout in seconds (override per notebook with `metadata.execution.timeout`). */
export const DEFAULT_CELL_TIMEOUT_S = 600;

/** Progress events while a notebook runs. */
export type CellEvent =
  | { kind: "start"; file: string; cell: number; total: number; sourceCell: number | null }
  | {
    kind: "end";
    file: string;
    cell: number;
    total: number;
    sourceCell: number | null;
    seconds: number;
    status: string;
  };

/** Options of {@link runNotebook}. */
export interface RunOptions {
  /** Overrides for the `parameters` cell. */
  parameters?: Record<string, unknown>;
  /** A preset of the notebook's declared parameter set (quick, paper, long, ...); `parameters` apply on top. */
  preset?: string;
  /** Per-cell timeout in seconds; beats `metadata.execution.timeout` and {@link DEFAULT_CELL_TIMEOUT_S}. */
  timeoutS?: number;
  /** Where to write the executed notebook; no file is written when omitted. */
  outFile?: string;
  /** Called as cells start and end. */
  onCell?: (event: CellEvent) => void;
  /** Extra environment variables for the kernel. */
  env?: Record<string, string>;
}

/** The failing cell of a run. */
export interface CellFailure {
  /** 1-based position of the cell in the executed notebook. */
  cell: number;
  /** 1-based position in the source notebook, or null for the injected-parameters cell. */
  sourceCell: number | null;
  ename: string;
  evalue: string;
  traceback: string[];
}

/** The result of running one notebook. */
export interface RunResult {
  file: string;
  outFile?: string;
  status: "ok" | "error";
  /** Code cells executed. */
  cells: number;
  seconds: number;
  failure?: CellFailure;
  notebook: Notebook;
}

/**
 * Where the executed copy of `file` goes: under `outDir`, mirroring its path below `notebooksDir`, else below `root`
 * (default: the working directory); a notebook outside both goes to `outDir/<file name>`.
 */
export function outFileFor(file: string, options: { outDir: string; notebooksDir: string; root?: string }): string {
  const abs = resolve(file);
  const nbRoot = resolve(options.notebooksDir);
  const rel = abs.startsWith(nbRoot + "/") ? relative(nbRoot, abs) : relative(resolve(options.root ?? "."), abs);
  return resolve(options.outDir, rel.startsWith("..") ? basename(abs) : rel);
}

function cellTimeout(nb: Notebook, options: RunOptions): number {
  if (options.timeoutS !== undefined) return options.timeoutS;
  const t = (nb.metadata.execution as { timeout?: unknown } | undefined)?.timeout;
  return typeof t === "number" && t > 0 ? t : DEFAULT_CELL_TIMEOUT_S;
}

function failureOf(cell: Cell, index: number, sourceCell: number | null): CellFailure {
  const err = cell.outputs?.find((o) => o.output_type === "error");
  return {
    cell: index + 1,
    sourceCell,
    ename: err?.output_type === "error" ? err.ename : "Error",
    evalue: err?.output_type === "error" ? err.evalue : "",
    traceback: err?.output_type === "error" ? err.traceback : [],
  };
}

/**
 * Runs a notebook on a fresh Deno kernel started in the notebook's folder and returns the executed copy, writing it
 * to `options.outFile` when given (also when a cell fails, so the error is shown where it happened). The kernel is
 * always shut down. The client's ZeroMQ sockets stay open for the life of the process (lib/notebook/channels.ts
 * says why), so a script that calls this ends with `Deno.exit()`, as `deno task run` does.
 */
export async function runNotebook(file: string, options: RunOptions = {}): Promise<RunResult> {
  const source = await readNotebook(file);
  const prepared = await prepareParameters(source, file, options);
  const withParameters = prepared.notebook;
  const sourceIndex = new Map(source.cells.map((c, i) => [c, i + 1]));
  const origin = withParameters.cells.map((c) => sourceIndex.get(c) ?? null);
  const nb = structuredClone(withParameters);
  const timeoutS = cellTimeout(nb, options);
  const started = new Date();
  const t0 = performance.now();
  let executed = 0;
  let failure: CellFailure | undefined;
  const codeCells = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === "code");
  for (const [cell] of codeCells) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  const kernel = await KernelClient.start({ cwd: dirname(resolve(file)), env: options.env });
  try {
    const collector = new OutputCollector();
    for (const [cell, i] of codeCells) {
      const tags = tagsOf(cell);
      if (tags.includes("skip-execution") || sourceText(cell.source).trim() === "") continue;
      options.onCell?.({ kind: "start", file, cell: i + 1, total: nb.cells.length, sourceCell: origin[i] });
      const t = performance.now();
      cell.outputs = collector.startCell();
      const outcome = await kernel.execute(sourceText(cell.source), {
        timeoutMs: timeoutS * 1000,
        onIopub: (m) => collector.handle(m),
      });
      cell.outputs = collector.finishCell();
      cell.execution_count = outcome.executionCount;
      cell.metadata = { ...cell.metadata, execution: outcome.timing };
      executed++;
      const seconds = (performance.now() - t) / 1000;
      options.onCell?.({
        kind: "end",
        file,
        cell: i + 1,
        total: nb.cells.length,
        sourceCell: origin[i],
        seconds,
        status: outcome.status,
      });
      if (outcome.status === "ok") continue;
      if (outcome.status === "error" && tags.includes("raises-exception")) continue;
      if (outcome.status === "timeout") {
        const how = outcome.recovered === "killed"
          ? "the kernel did not answer the interrupt and was killed"
          : "interrupted";
        cell.outputs.push({
          output_type: "error",
          ename: "CellTimeoutError",
          evalue: `cell ${
            i + 1
          } did not finish within ${timeoutS} s (${how}); raise the limit with --timeout or metadata.execution.timeout`,
          traceback: [],
        });
      } else if (outcome.status === "died") {
        cell.outputs.push({
          output_type: "error",
          ename: "DeadKernelError",
          evalue: `the Deno kernel died while running cell ${i + 1}`,
          traceback: kernel.stderr.split("\n").filter(Boolean).slice(-20),
        });
      }
      failure = failureOf(cell, i, origin[i]);
      break;
    }
  } finally {
    await kernel.shutdown();
  }
  const seconds = (performance.now() - t0) / 1000;
  const status = failure ? "error" : "ok";
  nb.metadata = {
    ...nb.metadata,
    paper_run: {
      started_at: started.toISOString(),
      finished_at: new Date().toISOString(),
      duration_s: Math.round(seconds * 100) / 100,
      status,
      ...(failure ? { failed_cell: failure.cell } : {}),
      ...prepared.record,
      deno: Deno.version.deno,
    },
  };
  if (options.outFile) {
    if (resolve(options.outFile) === resolve(file)) {
      throw new Error(`${file}: refusing to overwrite the source notebook`);
    }
    await writeNotebook(options.outFile, nb);
  }
  return { file, outFile: options.outFile, status, cells: executed, seconds, failure, notebook: nb };
}
