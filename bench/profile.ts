/**
 * Where the time of one ResNet training step goes, kernel by kernel and kernels vs the rest (tape, engine, optimiser),
 * on the backend initBackend picks: `deno run -A bench/profile.ts [batch=128] [--shapes] [--fig6 DEPTH]`. Default:
 * ResNet-20 on CIFAR shapes (ResNet §4.2); `--fig6 44` profiles the Figure 6 grid's net instead (widths 8/16/32,
 * 28×28×1, projection shortcuts; use batch 64). Nested kernels (an op that runs other kernels, such as
 * fusedConv2d__op) are counted with their children, so the column does not sum to the step time.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/mod.ts";
import { Table } from "../lib/display/mod.ts";
import { resnetStepper } from "./resnet_step.ts";

if (import.meta.main) {
  const f = Deno.args.indexOf("--fig6");
  const fig6Depth = f >= 0 ? Number(Deno.args[f + 1]) : null;
  const batch = Number(Deno.args.find((a, i) => /^\d+$/.test(a) && (f < 0 || i !== f + 1)) ?? 128);
  await initBackend();
  const net = fig6Depth == null
    ? resnetStepper(batch)
    : resnetStepper(batch, fig6Depth, { widths: [8, 16, 32], inputShape: [28, 28, 1], shortcut: "B" });
  const stepMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    net.step();
    const ms = performance.now() - t0;
    stepMs.push(ms);
    console.log(`step ${i + 1}: ${ms.toFixed(0)} ms, ${(batch / (ms / 1000)).toFixed(1)} img/s`);
  }
  const info = await tf.profile(() => void net.step());
  const byName = new Map<string, { ms: number; calls: number }>();
  const byShape = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const ms = Number(k.kernelTimeMs);
    for (const [map, key] of [[byName, k.name], [byShape, `${k.name} ${JSON.stringify(k.inputShapes)}`]] as const) {
      const e = map.get(key) ?? { ms: 0, calls: 0 };
      e.ms += ms;
      e.calls++;
      map.set(key, e);
    }
  }
  // Framework cost per kernel call (engine bookkeeping, tape, dispose), from a kernel that does almost no work.
  const tiny = tf.scalar(1);
  const reps = 2000;
  const t1 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => tf.add(tiny, tiny));
  const perCallUs = (1000 * (performance.now() - t1)) / reps;
  tiny.dispose();
  const calls = info.kernels.filter((k) => !k.name.includes("__op")).length;
  const wall = Math.min(...stepMs);
  console.log(
    `${calls} kernel calls per step × ~${perCallUs.toFixed(1)} µs framework cost each (a scalar add in tidy) ≈ ` +
      `${(calls * perCallUs / 1000).toFixed(1)} ms of a ${wall.toFixed(1)} ms step (fastest unprofiled step); ` +
      "kernel times below are measured under tf.profile, which adds its own overhead",
  );
  const rows = (m: Map<string, { ms: number; calls: number }>, n: number) =>
    [...m].sort((a, b) => b[1].ms - a[1].ms).slice(0, n).map(([k, v]) => [k, Number(v.ms.toFixed(1)), v.calls]);
  console.log(
    new Table(["kernel", "ms", "calls"], rows(byName, 20), { caption: `one step, batch ${batch}` }).toString(),
  );
  if (Deno.args.includes("--shapes")) {
    console.log(new Table(["kernel and input shapes", "ms", "calls"], rows(byShape, 40)).toString());
  }
  net.dispose();
}
