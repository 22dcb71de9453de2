/**
 * The Figure 6 grid of the quick ResNet run (ResNet §4.2, Figure 6): plain and residual CIFAR-style nets at
 * depths 8, 20, 44 (widths 8/16/32, batch norm, projection shortcuts), two seeds each, 150 steps of batch 64 on 8192
 * Fashion-MNIST images, momentum 0.9, lr 0.05 — wall seconds with lib/train's runGrid on one worker and on one worker
 * per core, and the same grid in PyTorch (Debian's python3-torch) with 1 and 2 threads when available.
 *
 * `deno run -A bench/fig6_grid.ts [--steps N] [--skip-torch]` prints a table, then as its LAST line
 * `{"fig6_grid_s": {"ours_1": .., "ours_all": .., "torch_1": .., "torch_2": ..}, ...}`. `fig6Grid()` is what
 * bench/mod.ts calls. Wrap it in `flock /tmp/paper-heavy.lock` on a shared machine.
 */
import { initBackend } from "../lib/backend/mod.ts";
import { loadImageData } from "../lib/data/mod.ts";
import { Table } from "../lib/display/mod.ts";
import { type GridResult, type GridRun, runGrid } from "../lib/train/mod.ts";
import { runTorchScript, torchAvailable } from "./torch.ts";

/** Sizes of the grid; defaults are the issue's. */
export interface Fig6GridOptions {
  /** SGD steps per run. Default: 150. */
  steps?: number;
  /** Default: 64. */
  batchSize?: number;
  /** Default: 8192. */
  trainImages?: number;
  /** Default: [8, 20, 44]. */
  depths?: number[];
  /** Default: [1, 2]. */
  seeds?: number[];
  /** Skip the PyTorch runs. Default: false. */
  skipTorch?: boolean;
}

/** Wall seconds of the grid per configuration (null where it could not run). */
export interface Fig6GridResult {
  ours_1: number | null;
  ours_all: number | null;
  torch_1: number | null;
  torch_2: number | null;
  /** Workers of `ours_all`. */
  workers: number;
  /** The grid on all cores gave exactly the one-worker histories. */
  identical: boolean;
  runs: number;
  steps: number;
}

async function torchGrid(threads: number, o: Required<Fig6GridOptions>): Promise<number | null> {
  const args = [String(o.steps), String(o.batchSize), o.depths.join(","), o.seeds.join(",")];
  const r = await runTorchScript<{ seconds: number }>("./torch_fig6_grid.py", { threads, args, what: "Figure 6 grid" });
  return r?.seconds ?? null;
}

/** Runs the Figure 6 grid on one worker, on all cores and in PyTorch; returns wall seconds of each. */
export async function fig6Grid(options: Fig6GridOptions = {}): Promise<Fig6GridResult> {
  const o: Required<Fig6GridOptions> = {
    steps: options.steps ?? 150,
    batchSize: options.batchSize ?? 64,
    trainImages: options.trainImages ?? 8192,
    depths: options.depths ?? [8, 20, 44],
    seeds: options.seeds ?? [1, 2],
    skipTorch: options.skipTorch ?? false,
  };
  await initBackend({ prefer: "wasm", quiet: true });
  const data = await loadImageData({ trainLimit: o.trainImages, testLimit: 0 });
  const moduleUrl = new URL("../lib/resnet/mod.ts", import.meta.url).href;
  const runs: GridRun[] = o.seeds.flatMap((seed) =>
    [true, false].flatMap((plain) =>
      o.depths.map((depth) => ({
        label: `${plain ? "plain" : "ResNet"}-${depth} seed ${seed}`,
        moduleUrl,
        exportName: "cifarResNet",
        modelOptions: { depth, plain, shortcut: "B", widths: [8, 16, 32], inputShape: [28, 28, 1], seed },
        config: { steps: o.steps, batchSize: o.batchSize, learningRate: 0.05, momentum: 0.9, weightDecay: 0, seed },
        cost: depth,
      }))
    )
  );
  const timed = async (workers: number): Promise<{ s: number | null; results: GridResult[] }> => {
    const t0 = performance.now();
    const results = await runGrid(runs, { data: { train: data.train }, workers, backend: "wasm", display: false });
    const failed = results.filter((r) => r.error);
    for (const f of failed) console.error(`bench fig6: ${f.error}`);
    return { s: failed.length ? null : (performance.now() - t0) / 1000, results };
  };
  const all = navigator.hardwareConcurrency || 1;
  const one = await timed(1);
  const many = await timed(all);
  const identical = one.results.every((r, i) =>
    JSON.stringify(r.history?.loss) === JSON.stringify(many.results[i].history?.loss)
  );
  const torch = !o.skipTorch && await torchAvailable();
  return {
    ours_1: one.s,
    ours_all: many.s,
    torch_1: torch ? await torchGrid(1, o) : null,
    torch_2: torch ? await torchGrid(2, o) : null,
    workers: all,
    identical,
    runs: runs.length,
    steps: o.steps,
  };
}

async function main(): Promise<void> {
  const i = Deno.args.indexOf("--steps");
  const r = await fig6Grid({
    steps: i >= 0 ? Number(Deno.args[i + 1]) : undefined,
    skipTorch: Deno.args.includes("--skip-torch"),
  });
  const fmt = (v: number | null) => (v == null ? "n/a" : v.toFixed(1));
  const ratio = (a: number | null, b: number | null) => (a != null && b != null ? (a / b).toFixed(2) : "n/a");
  console.log(
    new Table(["config", "wall s", "× torch (same cores)"], [
      ["ours, 1 worker", fmt(r.ours_1), ratio(r.ours_1, r.torch_1)],
      [`ours, ${r.workers} workers`, fmt(r.ours_all), ratio(r.ours_all, r.torch_2)],
      ["PyTorch, 1 thread", fmt(r.torch_1), ""],
      ["PyTorch, 2 threads", fmt(r.torch_2), ""],
    ], {
      caption: `Figure 6 grid: ${r.runs} runs × ${r.steps} steps; histories identical on 1 and all: ${r.identical}`,
    })
      .toString(),
  );
  const { ours_1, ours_all, torch_1, torch_2 } = r;
  console.log(JSON.stringify({ fig6_grid_s: { ours_1, ours_all, torch_1, torch_2 }, runs: r.runs, steps: r.steps }));
}

if (import.meta.main) await main();
