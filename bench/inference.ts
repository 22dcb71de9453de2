/**
 * Evaluation speed with and without batch norm folded into the convolutions (issue 15): lib/train's evaluateModel on
 * Fashion-MNIST test images with the recorded Figure 6 run's nets (ResNet-20 and ResNet-56, option A, widths
 * 16/32/64, 28×28×1; ResNet §4.2), `folded: false` (tf.layers' inference path: conv, the stock FusedBatchNorm, Add,
 * Relu, Mean) against the default (conv + folded BN + shortcut + ReLU in one native kernel), interleaved in rounds so
 * that both see the same machine. Also one training step per net (batch 128) for the per-image comparison.
 *
 * `deno run -A bench/inference.ts [--images N] [--rounds R] [--depths 20,56] [--profile] [--no-train]` prints a
 * table, then as its LAST line one JSON object. Images/s are given per wall second and per CPU second of this
 * process (/proc/self/stat): on a busy machine the wall figure depends on what else runs, the CPU figure much less,
 * and the ratios come from the same run either way. `--profile` adds tfjs's per-kernel times of one batch each way.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/mod.ts";
import { channelStats, loadFashionMnist, normalizeImages } from "../lib/data/mod.ts";
import { Table } from "../lib/display/mod.ts";
import { cifarResNet } from "../lib/resnet/mod.ts";
import { evaluateModel, foldedInference, supervisedLoss, TrainStep } from "../lib/train/mod.ts";
import { cyclicLabels, lcgValues } from "./resnet_step.ts";

/** CPU seconds this process has used (user + system, all threads), or NaN where /proc is not there. */
function cpuSeconds(): number {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return NaN;
  }
}

/** Wall and CPU seconds of `f`. */
function timed(f: () => void): { wall: number; cpu: number } {
  const c0 = cpuSeconds(), t0 = performance.now();
  f();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0 };
}

function argValue(name: string, fallback: string): string {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : fallback;
}

/** Per-kernel milliseconds of `f` under tf.profile, largest first. */
async function kernelTimes(f: () => void): Promise<[string, number, number][]> {
  const info = await tf.profile(f);
  const by = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    if (k.name.includes("__op")) continue; // an op's wrapper, counted with its kernels
    const e = by.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += Number(k.kernelTimeMs);
    e.calls++;
    by.set(k.name, e);
  }
  return [...by].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => [k, Number(v.ms.toFixed(1)), v.calls]);
}

if (import.meta.main) {
  const images = Number(argValue("--images", "512"));
  const rounds = Number(argValue("--rounds", "2"));
  const depths = argValue("--depths", "20,56").split(",").map(Number);
  const batchSize = 256; // evaluateModel's default, the recorded run's evaluation batch
  const info = await initBackend({ prefer: "wasm", quiet: true });
  const load = Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  console.error(`bench inference: ${info.name} (${info.reason}); load average ${load}`);
  const train = await loadFashionMnist({ limit: 2000 });
  const test = normalizeImages(await loadFashionMnist({ split: "test", limit: images }), channelStats(train));
  const rows: (string | number)[][] = [];
  const summary: Record<string, Record<string, number | null>> = {};
  for (const depth of depths) {
    const model = cifarResNet({ depth, inputShape: [28, 28, 1], widths: [16, 32, 64], shortcut: "A", seed: 1 });
    const run = (folded: boolean) => timed(() => evaluateModel(model, test, { batchSize, folded }));
    run(false); // warm-up: kernels' first calls, the wasm heap's growth
    run(true);
    const sums = { unfolded: { wall: 0, cpu: 0 }, folded: { wall: 0, cpu: 0 } };
    for (let r = 0; r < rounds; r++) {
      for (const folded of r % 2 === 0 ? [false, true] : [true, false]) {
        const t = run(folded), s = sums[folded ? "folded" : "unfolded"];
        s.wall += t.wall;
        s.cpu += t.cpu;
      }
    }
    const n = images * rounds;
    const perS = (s: { wall: number; cpu: number }) => ({ wall: n / s.wall, cpu: n / s.cpu });
    const u = perS(sums.unfolded), f = perS(sums.folded);
    // One training step (forward + backward + update, batch 128) for the per-image comparison.
    let trainCpu: number | null = null;
    if (!Deno.args.includes("--no-train")) {
      const batch = 128;
      const x = tf.tensor4d(lcgValues(batch * 784, 1), [batch, 28, 28, 1]);
      const y = tf.tensor1d(cyclicLabels(batch), "int32");
      const trainer = TrainStep.forModel(model, { optimizer: { kind: "momentum", momentum: 0.9, weightDecay: 1e-4 } });
      const loss = supervisedLoss(model, { x, y });
      const step = () => trainer.step(loss, 0.01).dispose();
      step();
      trainCpu = batch * 2 / timed(() => (step(), step())).cpu;
      trainer.dispose();
      tf.dispose([x, y]);
    }
    const name = `ResNet-${depth}`;
    rows.push(
      [name, "unfolded (model.apply)", Math.round(u.wall), Math.round(u.cpu), "1.00", "1.00"],
      [name, "folded", Math.round(f.wall), Math.round(f.cpu), (f.wall / u.wall).toFixed(2), (f.cpu / u.cpu).toFixed(2)],
    );
    if (trainCpu != null) rows.push([name, "training step, batch 128", "", Math.round(trainCpu), "", ""]);
    summary[`resnet${depth}`] = {
      unfolded_img_per_s: Number(u.wall.toFixed(1)),
      folded_img_per_s: Number(f.wall.toFixed(1)),
      unfolded_img_per_cpu_s: Number(u.cpu.toFixed(1)),
      folded_img_per_cpu_s: Number(f.cpu.toFixed(1)),
      ratio_wall: Number((f.wall / u.wall).toFixed(3)),
      ratio_cpu: Number((f.cpu / u.cpu).toFixed(3)),
      train_img_per_cpu_s: trainCpu == null ? null : Number(trainCpu.toFixed(1)),
    };
    if (Deno.args.includes("--profile")) {
      const x = tf.tensor4d(test.images.subarray(0, batchSize * 784), [batchSize, 28, 28, 1]);
      const net = foldedInference(model);
      const ways: [string, () => void][] = [
        ["unfolded", () => void tf.tidy(() => (model.apply(x, { training: false }) as tf.Tensor).dataSync())],
        ["folded", () => void tf.tidy(() => net.predict(x).dataSync())],
      ];
      for (const [way, f] of ways) {
        const table = new Table(["kernel", "ms", "calls"], await kernelTimes(f), {
          caption: `${name}, ${way}, one batch of ${batchSize}: per-kernel times under tf.profile`,
        });
        console.log(table.toString());
      }
      net.dispose();
      x.dispose();
    }
    model.dispose();
  }
  console.log(
    new Table(["net", "evaluation", "img/s (wall)", "img/s (CPU)", "× unfolded (wall)", "× unfolded (CPU)"], rows, {
      caption: `evaluateModel on ${images} Fashion-MNIST test images × ${rounds} rounds, batch ${batchSize}; ` +
        `load average at the start ${load}`,
    }).toString(),
  );
  console.log(JSON.stringify({ images, rounds, batch: batchSize, load_average: load, ...summary }));
}
