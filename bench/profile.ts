/**
 * Where the time of one ResNet-20 training step goes (ResNet §4.2 shapes), kernel by kernel, on the backend
 * initBackend picks: `deno run -A bench/profile.ts [batch=128] [--shapes]`. Nested kernels (an op that runs other
 * kernels, such as fusedConv2d__op) are counted with their children, so the column does not sum to the step time.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/mod.ts";
import { Table } from "../lib/display/mod.ts";
import { resnetStepper } from "./resnet_step.ts";

if (import.meta.main) {
  const batch = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 128);
  await initBackend();
  const net = resnetStepper(batch);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    net.step();
    const ms = performance.now() - t0;
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
