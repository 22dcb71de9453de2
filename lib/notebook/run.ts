/**
 * Executes a notebook headlessly on the real Deno kernel, as nbclient does: cells in order, outputs collected,
 * stop at the first error (unless the cell is tagged `raises-exception`), `skip-execution` cells left alone, a
 * per-cell timeout, and the executed copy written atomically (the source notebook is never modified).
 *
 * No run reports success with an output missing: the kernel client proves each cell's outputs complete (see
 * kernel.ts) or the cell fails saying what happened; a kernel that dies, a broken message stream or Ctrl-C ends the
 * notebook at that cell, the cells after it are marked as not run (`metadata.paper_not_run`), and the executed copy
 * is still written with what ran.
 */
import { basename, dirname, relative, resolve } from "node:path";
import { type ExecuteOutcome, KernelClient } from "./kernel.ts";
import { type Cell, type Notebook, type Output, readNotebook, sourceText, tagsOf, writeNotebook } from "./nbformat.ts";
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
  /** Seconds to wait after a cell's reply for proof that its outputs all arrived (default: 60). */
  outputTimeoutS?: number;
  /** Stops the run (Ctrl-C): the running cell fails as interrupted and the executed copy is written. */
  signal?: AbortSignal;
  /** The executable started as `EXE jupyter --kernel --conn FILE` (default: this deno; tests pass a stand-in). */
  kernelExecutable?: string;
}

/** Code the runner executes silently in each new kernel: lib's coalescing console (lib/display/kernel_output.ts). */
const INSTALL_KERNEL_OUTPUT = `await import(${
  JSON.stringify(new URL("../display/kernel_output.ts", import.meta.url).href)
}).then((m) => m.installKernelOutput());`;

/** The failing cell of a run. */
export interface CellFailure {
  /** 1-based position of the cell in the executed notebook. */
  cell: number;
  /** 1-based position in the source notebook, or null for the injected-parameters cell. */
  sourceCell: number | null;
  /** Code cells after it that were not run because the run ended here (a dead kernel, lost outputs, Ctrl-C). */
  notRun?: number;
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

/** The error output a cell gets when the runner, not the cell's code, ended it; undefined for ok and code errors. */
function runnerError(outcome: ExecuteOutcome, cell: number, timeoutS: number, stderr: string): Output | undefined {
  const error = (ename: string, evalue: string, traceback: string[] = []): Output => ({
    output_type: "error",
    ename,
    evalue,
    traceback,
  });
  switch (outcome.status) {
    case "timeout": {
      const how = outcome.recovered === "killed"
        ? "the kernel did not answer the interrupt and was killed"
        : "interrupted";
      return error(
        "CellTimeoutError",
        `cell ${cell} did not finish within ${timeoutS} s (${how}); raise the limit with --timeout or ` +
          "metadata.execution.timeout",
      );
    }
    case "died":
      return error(
        "DeadKernelError",
        `the Deno kernel ${exitDescription(outcome.exit)} while running cell ${cell}`,
        stderr.split("\n").filter(Boolean).slice(-20),
      );
    case "lost":
      return error("OutputLossError", `cell ${cell}: ${outcome.lost}`);
    case "aborted":
      return error("RunInterrupted", `the run was interrupted (Ctrl-C) while cell ${cell} was running`);
    default:
      return undefined;
  }
}

/** How a kernel process ended, as a phrase: "exited with code 3", "was killed by SIGKILL (out of memory?)". */
export function exitDescription(exit: Deno.CommandStatus | undefined): string {
  if (!exit) return "exited";
  if (exit.signal) {
    const hint = exit.signal === "SIGKILL" ? " (out of memory, or killed from outside)" : "";
    return `was killed by ${exit.signal}${hint}`;
  }
  return `exited with code ${exit.code}`;
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
  const kernel = await KernelClient.start({
    cwd: dirname(resolve(file)),
    env: options.env,
    deno: options.kernelExecutable,
  });
  const outputTimeoutMs = (options.outputTimeoutS ?? 60) * 1000;
  try {
    const install = await kernel.execute(INSTALL_KERNEL_OUTPUT, { silent: true, timeoutMs: 60_000, outputTimeoutMs });
    if (install.status !== "ok") {
      throw new Error(
        `${file}: could not set up the kernel's output handling (${install.status}${
          install.lost ? `: ${install.lost}` : ""
        })`,
      );
    }
    const collector = new OutputCollector();
    for (const [n, [cell, i]] of codeCells.entries()) {
      const tags = tagsOf(cell);
      if (tags.includes("skip-execution") || sourceText(cell.source).trim() === "") continue;
      options.onCell?.({ kind: "start", file, cell: i + 1, total: nb.cells.length, sourceCell: origin[i] });
      const t = performance.now();
      cell.outputs = collector.startCell();
      const outcome = options.signal?.aborted
        ? { status: "aborted" as const, executionCount: null, timing: {} }
        : await kernel.execute(sourceText(cell.source), {
          timeoutMs: timeoutS * 1000,
          outputTimeoutMs,
          signal: options.signal,
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
      const error = runnerError(outcome, i + 1, timeoutS, kernel.stderr);
      if (error) cell.outputs.push(error);
      failure = failureOf(cell, i, origin[i]);
      // The run stops here (a code error, a timeout, a dead kernel, lost outputs, Ctrl-C): mark every later cell.
      const later = codeCells.slice(n + 1).map(([c]) => c);
      const reason = `the run ended at cell ${i + 1} (${failure.ename}: ${failure.evalue.split("\n")[0]})`;
      for (const c of later) c.metadata = { ...c.metadata, paper_not_run: reason };
      failure.notRun = later.length;
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
      ...(failure?.notRun ? { cells_not_run: failure.notRun } : {}),
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
