/**
 * `deno task bench`: ResNet-20 training speed on CIFAR-shaped input (ResNet §4.2; batch 128, momentum SGD, weight decay)
 * in every configuration available here — stock tfjs cpu (short run), this project's cpu fallback, this project's
 * backend on one core and on all cores, WebGPU on a real GPU (it fails under Deno today: lib/backend/select.ts) —
 * beside PyTorch with 1 and 2 threads (Debian's python3-torch, when `/usr/bin/python3` can import it), plus a GAN
 * training iteration and ResNet-20 inference (batch norm folded into the convolutions, as evaluateModel runs it, and
 * unfolded through tf.layers: `infer_unfolded_1`, for the ratio; bench/inference.ts times evaluation alone).
 * Prints a table, then as its LAST line one JSON object.
 *
 * `ours_1` is this project's backend (wasm + native kernels) on one core, `wasm_1` the same without the native kernels
 * (the wasm/XNNPACK compositions alone), so the table shows what each layer of kernels buys in one run.
 * Then the Figure 6 nets' convolutions kernel by kernel, native against XNNPACK (bench/conv_kernels.ts), and the
 * Figure 6 grid of bench/fig6_grid.ts (12 trainings: ours on 1 and all cores, PyTorch on 1 and 2 threads;
 * several minutes) as `fig6_grid_s` in the JSON.
 *
 * Options: --steps N (timed steps per fast configuration, default 5), --skip-stock (skip the slow stock-cpu run),
 * --no-fig6 (skip the Figure 6 grid; `fig6_grid_s` is then null), --help (print the options and exit).
 * Wrap it in `flock /tmp/paper-heavy.lock` on a shared machine.
 */
import { Table } from "../lib/display/mod.ts";
import { isRealGpu, probeWebGpuAdapter } from "../lib/backend/mod.ts";
import type { ConfigResult } from "./config_run.ts";
import { convKernels, type ConvKernelsResult } from "./conv_kernels.ts";
import { fig6Grid, type Fig6GridResult } from "./fig6_grid.ts";
import { runTorch, runTorchScript, torchAvailable, type TorchResult } from "./torch.ts";

const BATCH = 128;

const USAGE = `usage: deno task bench [--steps N] [--skip-stock] [--no-fig6]
  ResNet-20 training speed (batch ${BATCH}) in every configuration available here, a GAN iteration, ResNet-20
  inference, the Figure 6 nets' convolutions (native vs XNNPACK) and the Figure 6 grid; a table, then one JSON line.
  --steps N     timed steps per fast configuration (default 5)
  --skip-stock  skip the slow stock tfjs cpu run
  --no-fig6     skip the Figure 6 grid (several minutes); fig6_grid_s is then null
  --help        print this and exit`;

function argValue(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/** Runs one configuration in its own Deno process; null (with the reason printed) if it fails. */
async function runConfig(
  config: string,
  sizes: { batch: number; warmup: number; steps: number },
): Promise<ConfigResult | null> {
  const { batch, warmup, steps } = sizes;
  const script = new URL("./config_run.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, config, String(batch), String(warmup), String(steps)],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (!out.success || !text.startsWith("{")) {
    console.error(
      `bench: ${config} failed: ${new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" | ")}`,
    );
    return null;
  }
  return JSON.parse(text) as ConfigResult;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number | null | undefined, d = 1): number | null => (x == null ? null : Number(x.toFixed(d)));

async function main(): Promise<void> {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const steps = argValue("--steps", 5);
  const skipStock = Deno.args.includes("--skip-stock");
  const adapter = await probeWebGpuAdapter();
  const log = (s: string): void => console.error(`bench: ${s}`);

  log("stock tfjs cpu (batch 2, one step: its filter gradient is a scalar loop)");
  const stock = skipStock ? null : await runConfig("tfjs_cpu", { batch: 2, warmup: 0, steps: 1 });
  log("cpu fallback with the typed-array filter gradient (batch 8)");
  const oursCpu = await runConfig("ours_cpu", { batch: 8, warmup: 1, steps: 1 });
  log(`ours, one core (wasm + training kernels), batch ${BATCH}`);
  const ours1 = await runConfig("ours_1", { batch: BATCH, warmup: 2, steps });
  log(`ours without the native kernels (PAPER_NATIVE=0: wasm/XNNPACK compositions), one core, batch ${BATCH}`);
  const wasm1 = await runConfig("wasm_1", { batch: BATCH, warmup: 2, steps });
  log(`ours, all ${navigator.hardwareConcurrency} cores (data-parallel workers), batch ${BATCH}`);
  const oursAll = await runConfig("ours_all", { batch: BATCH, warmup: 2, steps });
  const gpu = isRealGpu(adapter) ? await runConfig("webgpu", { batch: BATCH, warmup: 2, steps }) : null;
  if (!isRealGpu(adapter)) {
    log(`no WebGPU row: ${adapter ? `software adapter (${adapter.description})` : "no adapter"}`);
  }
  log("GAN iteration (D step + G step, MNIST-sized MLPs, minibatch 100) on one core");
  const gan = await runConfig("gan_1", { batch: 100, warmup: 3, steps: 4 * steps });
  log(`ResNet-20 inference, batch ${BATCH}, one core: folded batch norm, then unfolded (tf.layers)`);
  const infer = await runConfig("infer_1", { batch: BATCH, warmup: 2, steps });
  const inferUnfolded = await runConfig("infer_unfolded_1", { batch: BATCH, warmup: 2, steps });
  let torch: Record<number, TorchResult | null> = { 1: null, 2: null };
  let torchGan: { examples_per_s: number } | null = null;
  if (await torchAvailable()) {
    log("PyTorch ResNet-20, 1 and 2 threads");
    const sizes = { batch: BATCH, warmup: 2, steps };
    torch = { 1: await runTorch(1, sizes), 2: await runTorch(2, sizes) };
    log("PyTorch GAN iteration, the same nets and minibatch, 1 thread");
    torchGan = await runTorchScript<{ examples_per_s: number }>("./torch_gan_step.py", {
      threads: 1,
      args: ["100", "3", String(4 * steps)],
      what: "GAN iteration",
    });
  } else {
    log("PyTorch not available (/usr/bin/python3 cannot import torch): torch columns are null");
  }

  log("conv kernels of the Figure 6 nets: native vs XNNPACK (bench/conv_kernels.ts)");
  let conv: ConvKernelsResult | null = null;
  try {
    conv = await convKernels();
  } catch (e) {
    log(`conv kernels skipped: ${e instanceof Error ? e.message : e}`);
  }

  let fig6: Fig6GridResult | null = null;
  if (!Deno.args.includes("--no-fig6")) {
    log("Figure 6 grid (bench/fig6_grid.ts)");
    fig6 = await fig6Grid();
  }

  const t1 = torch[1]?.img_per_s ?? null, t2 = torch[2]?.img_per_s ?? null;
  const ratio = (a: number | undefined, b: number | null): string => (a != null && b ? (a / b).toFixed(3) : "");
  const rows: (string | number | null)[][] = [];
  const add = (name: string, row: { r: ConfigResult | null; torchRef: number | null }): void => {
    const { r, torchRef } = row;
    if (!r) {
      rows.push([name, "n/a", "", "", "", "", "", "", "", ""]);
      return;
    }
    rows.push([
      name,
      r.backend,
      r.batch,
      r.steps,
      round(r.imgPerS, 2),
      round(median(r.stepMs), 0),
      ratio(r.imgPerS, torchRef),
      ratio(r.imgPerS, stock?.imgPerS ?? null),
      round(r.peakRssMb, 0),
      r.tensorsBefore == null
        ? "(no warm-up)"
        : `${JSON.stringify(r.tensorsBefore)} → ${JSON.stringify(r.tensorsAfter)}`,
    ]);
  };
  add("tfjs_cpu (stock)", { r: stock, torchRef: t1 });
  add("ours_cpu (fallback)", { r: oursCpu, torchRef: t1 });
  add("ours_1", { r: ours1, torchRef: t1 });
  add("wasm_1 (no native)", { r: wasm1, torchRef: t1 });
  add(`ours_all (${navigator.hardwareConcurrency} workers)`, { r: oursAll, torchRef: t2 });
  if (gpu) add("webgpu", { r: gpu, torchRef: null });
  for (const n of [1, 2]) {
    const r = torch[n];
    rows.push(
      r
        ? [
          `torch_${n}`,
          `PyTorch ${r.torch}, ${n} thread(s)`,
          r.batch,
          r.step_ms.length,
          round(r.img_per_s, 2),
          round(median(r.step_ms), 0),
          "1.000",
          ratio(r.img_per_s, stock?.imgPerS ?? null),
          round(r.peak_rss_mb, 0),
          "",
        ]
        : [`torch_${n}`, "n/a", "", "", "", "", "", "", "", ""],
    );
  }
  add("gan_1 (examples/s)", { r: gan, torchRef: torchGan?.examples_per_s ?? null });
  add("infer_1 (inference, folded BN)", { r: infer, torchRef: torch[1]?.infer_img_per_s ?? null });
  add("infer_unfolded_1 (tf.layers)", { r: inferUnfolded, torchRef: torch[1]?.infer_img_per_s ?? null });
  console.log(
    new Table(
      [
        "configuration",
        "backend",
        "batch",
        "steps",
        "img/s",
        "ms/step",
        "× torch",
        "× stock cpu",
        "peak MiB",
        "tensors",
      ],
      rows,
      { caption: "ResNet-20, CIFAR shapes (32×32×3), momentum SGD; × torch compares at the same number of cores" },
    ).toString(),
  );
  if (ours1 && oursAll) {
    console.log(`two-core speedup (ours_all / ours_1): ${(oursAll.imgPerS / ours1.imgPerS).toFixed(2)}×`);
  }
  if (ours1 && wasm1) {
    console.log(`native kernels speedup (ours_1 / wasm_1): ${(ours1.imgPerS / wasm1.imgPerS).toFixed(2)}×`);
  }
  if (conv) console.log(conv.table.toString());
  if (fig6) {
    const r = (a: number | null, b: number | null) => (a != null && b != null ? (a / b).toFixed(2) : "n/a");
    console.log(
      `Figure 6 grid (${fig6.runs} runs × ${fig6.steps} steps): ours ${fig6.ours_1?.toFixed(1)} s on 1 worker, ` +
        `${fig6.ours_all?.toFixed(1)} s on ${fig6.workers}; × torch at equal cores: ${r(fig6.ours_1, fig6.torch_1)} ` +
        `(1), ${r(fig6.ours_all, fig6.torch_2)} (2); histories identical on 1 and all workers: ${fig6.identical}`,
    );
  }
  if (infer && inferUnfolded) {
    console.log(
      `folded inference speedup (infer_1 / infer_unfolded_1): ${(infer.imgPerS / inferUnfolded.imgPerS).toFixed(2)}×`,
    );
  }
  if (infer && torch[1]) {
    console.log(
      `inference: ours ${infer.imgPerS.toFixed(0)} img/s, torch_1 ${torch[1].infer_img_per_s.toFixed(0)} img/s`,
    );
  }
  const summary = {
    model: "resnet20",
    batch: BATCH,
    img_per_s: {
      tfjs_cpu: round(stock?.imgPerS, 3),
      ours_1: round(ours1?.imgPerS, 2),
      wasm_1: round(wasm1?.imgPerS, 2),
      ours_all: round(oursAll?.imgPerS, 2),
      torch_1: round(t1, 2),
      torch_2: round(t2, 2),
      webgpu: round(gpu?.imgPerS, 2),
    },
    ratios: {
      ours_1_vs_torch_1: ours1 && t1 ? round(ours1.imgPerS / t1, 3) : null,
      gan_1_vs_torch_1: gan && torchGan ? round(gan.imgPerS / torchGan.examples_per_s, 3) : null,
      ours_all_vs_torch_2: oursAll && t2 ? round(oursAll.imgPerS / t2, 3) : null,
      ours_all_vs_ours_1: ours1 && oursAll ? round(oursAll.imgPerS / ours1.imgPerS, 3) : null,
      ours_1_vs_wasm_1: ours1 && wasm1 ? round(ours1.imgPerS / wasm1.imgPerS, 3) : null,
      ours_1_vs_tfjs_cpu: ours1 && stock ? round(ours1.imgPerS / stock.imgPerS, 1) : null,
    },
    cpu_fallback_img_per_s: round(oursCpu?.imgPerS, 3),
    gan_examples_per_s: round(gan?.imgPerS, 1),
    gan_torch_1_examples_per_s: round(torchGan?.examples_per_s, 1),
    fig6_grid_s: fig6
      ? { ours_1: fig6.ours_1, ours_all: fig6.ours_all, torch_1: fig6.torch_1, torch_2: fig6.torch_2 }
      : null,
    conv_kernels_ms: conv?.ms ?? null,
    peak_gmacs: conv?.peakGmacs ?? null,
    conv_gmacs: conv?.convGmacs ?? null,
    infer_img_per_s: {
      ours_1: round(infer?.imgPerS, 1),
      ours_1_unfolded: round(inferUnfolded?.imgPerS, 1),
      torch_1: round(torch[1]?.infer_img_per_s, 1),
    },
    peak_rss_mb: Object.fromEntries(
      ([
        ["tfjs_cpu", stock],
        ["ours_cpu", oursCpu],
        ["ours_1", ours1],
        ["wasm_1", wasm1],
        ["ours_all", oursAll],
        [
          "webgpu",
          gpu,
        ],
        [
          "gan_1",
          gan,
        ],
        ["infer_1", infer],
        ["infer_unfolded_1", inferUnfolded],
      ] as [string, ConfigResult | null][])
        .map(([k, r]) => [k, round(r?.peakRssMb, 0)]).concat([["torch_1", round(torch[1]?.peak_rss_mb, 0)], [
          "torch_2",
          round(torch[2]?.peak_rss_mb, 0),
        ]]),
    ),
    tf_memory: Object.fromEntries(
      ([["ours_1", ours1], ["ours_all", oursAll], ["gan_1", gan], ["infer_1", infer]] as [
        string,
        ConfigResult | null,
      ][])
        .map(([k, r]) => [k, r ? { before: r.tensorsBefore, after: r.tensorsAfter } : null]),
    ),
  };
  console.log(JSON.stringify(summary));
}

if (import.meta.main) await main();
