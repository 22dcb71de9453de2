/**
 * `deno task run [paths...] [-p name=value ...] [--preset NAME] [--timeout S] [--out DIR]`: executes every notebook
 * under notebooks/ (or the given paths) on the real Deno kernel, writes executed copies under out/, prints progress per
 * cell and a summary table, and exits non-zero naming the notebook, cell and error of any failure. Overrides and
 * presets are checked against each notebook's declared parameter set before any kernel starts;
 * `deno task run NOTEBOOK --help` lists the notebook's parameters.
 */
import { parseArgs } from "node:util";
import { relative } from "node:path";
import { Table } from "../display/table.ts";
import { buildSite } from "../site/mod.ts";
import { fileSizeMb, findNotebooks, isPaperNotebook, PAPER_NOTEBOOK_BUDGET_MB } from "../collection/collection.ts";
import { shutdownAllKernels } from "../notebook/kernel.ts";
import { readNotebook } from "../notebook/nbformat.ts";
import { parameterHelp, parseParameterArgs, planParameters, planSummary } from "../notebook/parameters.ts";
import { outFileFor, runNotebook, type RunResult } from "../notebook/run.ts";

const USAGE =
  `usage: deno task run [notebook.ipynb | folder ...] [-p name=value ...] [--preset NAME] [--timeout SECONDS]
                     [--out DIR] [--no-site]
       deno task run NOTEBOOK --help      lists the notebook's parameters: default, paper's value, allowed, meaning

Executes the notebooks (default: every notebook under notebooks/) on the Deno Jupyter kernel and writes the
executed copies under out/ (mirroring notebooks/). Source notebooks are never modified.
  -p, --parameter name=value   override a value of the notebook's "parameters" cell (repeatable; the value is JSON,
                               else a string); checked against the notebook's declared set before a kernel starts
  --preset NAME                a named group of values declared beside the parameters: quick, paper, long, ...
                               (same as -p preset=NAME; -p values apply on top)
  --timeout SECONDS            per-cell timeout (default: metadata.execution.timeout, else 600)
  --out DIR                    where executed notebooks go (default: out)
  --no-site                    do not build the static site (out/site/) after running`;

/** Set by Ctrl-C / SIGTERM: the run ends with exit code 130 whatever the notebooks did. */
let interrupted = false;

function fail(message: string): never {
  console.error(`error: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        parameter: { type: "string", short: "p", multiple: true },
        preset: { type: "string" },
        timeout: { type: "string" },
        out: { type: "string", default: "out" },
        help: { type: "boolean", short: "h" },
        "no-site": { type: "boolean" },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  if (args.values.help) {
    if (args.positionals.length === 0) {
      console.log(USAGE);
      return 0;
    }
    try {
      const helps = [];
      for (const file of await findNotebooks(args.positionals)) {
        helps.push(await parameterHelp(await readNotebook(file), file));
      }
      console.log(helps.join("\n\n"));
    } catch (e) {
      fail((e as Error).message);
    }
    return 0;
  }
  const timeoutS = args.values.timeout === undefined ? undefined : Number(args.values.timeout);
  if (timeoutS !== undefined && !(timeoutS > 0)) {
    fail(`--timeout must be a positive number of seconds, got "${args.values.timeout}"`);
  }
  let parameters: Record<string, unknown>;
  let files: string[];
  try {
    parameters = parseParameterArgs(args.values.parameter ?? []);
    files = await findNotebooks(args.positionals.length ? args.positionals : ["notebooks"]);
  } catch (e) {
    fail((e as Error).message);
  }
  if (files.length === 0) fail("no notebooks found");
  // Every notebook's overrides and preset are checked before the first kernel starts: a typo fails in a second,
  // not after an hour of training.
  const preset = args.values.preset;
  const planned: string[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      planned.push(planSummary(await planParameters(await readNotebook(file), file, { parameters, preset })));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length) {
    console.error(`error: ${problems.join("\n\n")}`);
    return 1;
  }
  const outDir = args.values.out!;
  // Ctrl-C stops the running cell and the executed copy is still written with what ran; a second Ctrl-C (or a
  // run that has not stopped 10 s later) shuts the kernels down and exits at once.
  const stop = new AbortController();
  const onSignal = async () => {
    if (!interrupted) {
      interrupted = true;
      console.error("\ninterrupted: stopping the running cell and writing its executed copy (Ctrl-C again: quit now)");
      stop.abort();
      setTimeout(onSignal, 10_000);
      return;
    }
    await shutdownAllKernels();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);

  const results: Omit<RunResult, "notebook">[] = [];
  const tty = Deno.stdout.isTerminal();
  for (const [n, file] of files.entries()) {
    if (interrupted) break;
    console.log(`[${n + 1}/${files.length}] ${file}${planned[n] === "defaults" ? "" : `  (${planned[n]})`}`);
    try {
      const result = await runNotebook(file, {
        parameters,
        preset,
        timeoutS,
        signal: stop.signal,
        outFile: outFileFor(file, { outDir, notebooksDir: "notebooks" }),
        onCell: (e) => {
          const src = `    ${(e.sourceCell === null ? "injected parameters" : `cell ${e.sourceCell}`).padEnd(20)} `;
          if (e.kind === "start" && tty) Deno.stdout.writeSync(new TextEncoder().encode(`${src}running...`));
          if (e.kind === "end") console.log(`${tty ? "\r" : ""}${src}${e.status.padEnd(10)} ${e.seconds.toFixed(1)}s`);
        },
      });
      results.push(result);
    } catch (e) {
      console.error(`    ${(e as Error).message}`);
      results.push({
        file,
        status: "error",
        cells: 0,
        seconds: 0,
        failure: { cell: 0, sourceCell: null, ename: (e as Error).name, evalue: (e as Error).message, traceback: [] },
      });
    }
  }
  const sizes = results.map((r) => (r.outFile ? fileSizeMb(r.outFile) : undefined));
  const table = new Table(
    ["notebook", "parameters", "cells", "seconds", "MB", "status"],
    results.map((r, i) => [
      relative(".", r.file),
      planned[i],
      r.cells,
      Number(r.seconds.toFixed(1)),
      sizes[i]?.toFixed(2) ?? null,
      r.status,
    ]),
  );
  console.log(`\n${table}`);
  for (const [i, r] of results.entries()) {
    if (isPaperNotebook(r.file) && (sizes[i] ?? 0) > PAPER_NOTEBOOK_BUDGET_MB) {
      console.error(
        `over budget: ${r.outFile} is ${sizes[i]!.toFixed(2)} MB, over the ${PAPER_NOTEBOOK_BUDGET_MB} MB of a paper ` +
          "notebook (deno task test fails it): show fewer points or frames, or pixel grids as images (imageGrid)",
      );
    }
  }
  const failed = results.filter((r) => r.status !== "ok");
  for (const r of failed) {
    const f = r.failure!;
    const where = f.cell === 0 ? "" : f.sourceCell === null ? ` (injected parameters cell)` : ` cell ${f.sourceCell}`;
    console.error(`\nFAILED ${r.file}${where}: ${f.ename}: ${f.evalue}`);
    if (f.traceback.length) console.error(f.traceback.map((l) => `    ${l}`).join("\n"));
    if (f.notRun) console.error(`    ${f.notRun} later code cell${f.notRun === 1 ? " was" : "s were"} not run`);
    if (r.outFile) console.error(`    executed copy with the error in place: ${r.outFile}`);
  }
  console.log(
    `\n${results.length - failed.length} notebooks ok, ${failed.length} failed; executed copies under ${outDir}/`,
  );
  if (!args.values["no-site"] && !interrupted) {
    try {
      const site = await buildSite({ outDir });
      console.log(`site: ${relative(".", site.index)} (${site.pages.length} pages; opens offline in a browser)`);
    } catch (e) {
      console.error(`error: building the site failed: ${(e as Error).message}`);
      return 1;
    }
  }
  return failed.length ? 1 : 0;
}

const code = await main();
Deno.exit(interrupted ? 130 : code);
