/**
 * The convolutions of the Figure 6 grid's nets (ResNet §4.2: 3×3, widths 8/16/32 on 28/14/7-pixel maps, batch 64, and
 * the stride-2 block entry) kernel by kernel: this project's native kernels against the wasm backend's XNNPACK
 * forward convolution and the XNNPACK compositions of the two gradients (conv_kernels.ts), in the same process on the
 * same tensors, the native kernels at every vector width this CPU runs (512 and 256 bits on AVX-512, else 256), each
 * as a fraction of one core's FMA peak at that width (bench/peak_fma.ts, measured in the same run).
 * `deno run -A bench/conv_kernels.ts [reps=30]` prints a table (ms, GMAC/s, % of peak, native speedup), then one JSON
 * line. Wrap it in `flock /tmp/paper-heavy.lock` on a shared machine.
 */
import * as tf from "@tensorflow/tfjs";
import {
  conv2dBackpropFilterComposed,
  conv2dBackpropInputComposed,
  cpuHasAvx512,
  initBackend,
  KernelCaller,
  loadNativeKernels,
  nativeConv2d,
  nativeConv2dBackpropFilter,
  nativeConv2dBackpropInput,
  stockKernel,
  useNativeKernels,
  type VectorWidth,
} from "../lib/backend/mod.ts";

import { Table } from "../lib/display/mod.ts";
import { peakGmacs } from "./peak_fma.ts";
import { lcgValues } from "../lib/backend/test_values.ts";

/** One convolution shape: input h×h×c, c → co channels, k×k (default 3×3), stride s, "same" padding. */
interface ConvShape {
  k?: number;
  h: number;
  c: number;
  co: number;
  s: number;
}

/** Milliseconds per call of `f` over `reps` calls (a kernel returning a TensorInfo, freed after each call). */
function msPerCall(f: () => tf.TensorInfo | null, options: { k: KernelCaller; reps: number }): number {
  const { k, reps } = options;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const out = f();
    if (out == null) throw new Error("bench conv_kernels: a kernel declined a shape it should cover");
    k.free(out);
  }
  return (performance.now() - t0) / reps;
}

/**
 * Times forward, input gradient and filter gradient of one shape, native at each of `widths` and XNNPACK: five rounds
 * that alternate the sides, each op's best round kept (the machine is shared; alternating keeps a slow spell from
 * favouring one side). Keys: `fwd_native_512`, `fwd_native_256`, …, `fwd_xnnpack`; `fwd_native` is the first width
 * (the one the notebooks take).
 */
async function timeShape(
  shape: ConvShape,
  sizes: { batch: number; reps: number; widths: VectorWidth[] },
): Promise<Record<string, number>> {
  const { batch, reps, widths } = sizes;
  const { h, c, co, s } = shape;
  const backend = tf.backend();
  const k = KernelCaller.of(backend, "wasm");
  const attrs = { strides: s, pad: "same" as const, dataFormat: "NHWC" as const, dilations: 1 };
  const x = tf.tensor4d(lcgValues(batch * h * h * c, 1), [batch, h, h, c]);
  const kk = shape.k ?? 3;
  const w = tf.tensor4d(lcgValues(kk * kk * c * co, 2), [kk, kk, c, co]);
  const ho = Math.ceil(h / s);
  const dy = tf.tensor4d(lcgValues(batch * ho * ho * co, 3), [batch, ho, ho, co]);
  const xnnConv = stockKernel("Conv2D", "wasm");
  const ops: Record<string, () => tf.TensorInfo | null> = {
    fwd: () =>
      nativeConv2d(backend, { x, filter: w }, attrs) ?? xnnConv({ inputs: { x, filter: w }, backend, attrs }) as never,
    dx: () =>
      nativeConv2dBackpropInput(backend, { dy, filter: w }, { ...attrs, inputShape: x.shape }) ??
        conv2dBackpropInputComposed(k, { dy, filter: w }, { ...attrs, inputShape: x.shape }),
    dw: () =>
      nativeConv2dBackpropFilter(backend, { x, dy }, { ...attrs, filterShape: w.shape }) ??
        conv2dBackpropFilterComposed(k, { x, dy }, { ...attrs, filterShape: w.shape }),
  };
  const best: Record<string, number> = {};
  const rounds = 5, per = Math.max(1, Math.ceil(reps / rounds));
  const sides = [...widths.map((w) => `native_${w}`), "xnnpack"];
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      // With native off the native glue declines, and the compositions' Conv2D calls run XNNPACK.
      useNativeKernels(side !== "xnnpack");
      if (side !== "xnnpack") await loadNativeKernels({ vectorWidth: Number(side.slice(7)) as VectorWidth });
      for (const [op, f] of Object.entries(ops)) {
        if (round === 0) msPerCall(f, { k, reps: 1 }); // warm-up
        const ms = msPerCall(f, { k, reps: per });
        const key = `${op}_${side}`;
        best[key] = Math.min(best[key] ?? Infinity, ms);
      }
    }
  }
  useNativeKernels(true);
  await loadNativeKernels({ vectorWidth: widths[0] });
  tf.dispose([x, w, dy]);
  for (const op of Object.keys(ops)) best[`${op}_native`] = best[`${op}_native_${widths[0]}`];
  return best;
}

/** What {@link convKernels} measured: a table for readers and the milliseconds by shape and op. */
export interface ConvKernelsResult {
  table: Table;
  /** `{ "28×28×8→8 s1": { fwd_native, fwd_native_512, fwd_native_256, fwd_xnnpack, dx_native, … }, … }` in ms. */
  ms: Record<string, Record<string, number>>;
  /** One core's FMA peak by vector width in bits, G multiply-adds/s (bench/peak_fma.ts). */
  peakGmacs: Record<string, number>;
  /** Best native GMAC/s (over widths) by shape and op: `{ "28×28×8→8 s1": { fwd, dx, dw }, … }`. */
  convGmacs: Record<string, Record<string, number>>;
}

/** Times the Figure 6 nets' convolutions, native against XNNPACK, in this process (initialises the wasm backend). */
export async function convKernels(reps = 30): Promise<ConvKernelsResult> {
  const batch = 64;
  const info = await initBackend({ prefer: "wasm", quiet: true });
  const native = await loadNativeKernels();
  if (info.name !== "wasm" || !native.ok) {
    throw new Error(`bench conv_kernels needs wasm with the native kernels: ${info.reason}`);
  }
  // The notebooks' width first, then the other one this CPU runs.
  const widths = [native.vectorWidth as VectorWidth, ...(cpuHasAvx512() ? [512, 256] : [256])]
    .filter((w, i, a) => a.indexOf(w as VectorWidth) === i) as VectorWidth[];
  const peak = await peakGmacs();
  const shapes: ConvShape[] = [
    { h: 28, c: 8, co: 8, s: 1 },
    { h: 14, c: 16, co: 16, s: 1 },
    { h: 7, c: 32, co: 32, s: 1 },
    { h: 28, c: 8, co: 16, s: 2 },
    { h: 14, c: 16, co: 32, s: 2 },
    // The option-B projection shortcut of a block entry (ResNet §3.3).
    { h: 14, c: 16, co: 32, s: 2, k: 1 },
  ];
  const rows: (string | number)[][] = [];
  const ms: Record<string, Record<string, number>> = {};
  const convGmacs: Record<string, Record<string, number>> = {};
  for (const shape of shapes) {
    const kk = shape.k ?? 3;
    const name = `${shape.h}×${shape.h}×${shape.c}→${shape.co} s${shape.s}${kk === 3 ? "" : ` ${kk}×${kk}`}`;
    const r = await timeShape(shape, { batch, reps, widths });
    ms[name] = r;
    convGmacs[name] = {};
    const ho = Math.ceil(shape.h / shape.s);
    const gmac = (batch * ho * ho * kk * kk * shape.c * shape.co) / 1e9;
    for (const op of ["fwd", "dx", "dw"]) {
      const n = r[`${op}_native`], x = r[`${op}_xnnpack`];
      const perWidth = widths.flatMap((w) => {
        const g = gmac / (r[`${op}_native_${w}`] / 1000);
        return [+g.toFixed(1), peak[w] ? `${Math.round((100 * g) / peak[w])}%` : "n/a"];
      });
      convGmacs[name][op] = Math.max(...widths.map((w) => +(gmac / (r[`${op}_native_${w}`] / 1000)).toFixed(1)));
      rows.push([name, op, +n.toFixed(3), ...perWidth, +x.toFixed(3), +(x / n).toFixed(2)]);
    }
  }
  const flags = native.build.flags.slice(0, 2).join(" ");
  const peaks = widths.map((w) => `${w}-bit ${peak[w] ?? "n/a"}`).join(", ");
  const table = new Table(
    [
      "shape (batch 64, 3×3 unless named)",
      "op",
      `native ms (${widths[0]})`,
      ...widths.flatMap((w) => [`GMAC/s ${w}`, `of peak ${w}`]),
      "XNNPACK ms",
      "× faster",
    ],
    rows,
    {
      caption: `Conv kernels — native: ${native.build.compiler}, ${flags}; one core's FMA peak (GMAC/s): ${peaks}; ` +
        `XNNPACK: tfjs-backend-wasm (best of 5 rounds)`,
    },
  );
  return { table, ms, peakGmacs: peak, convGmacs };
}

if (import.meta.main) {
  const r = await convKernels(Number(Deno.args[0] ?? 30));
  console.log(r.table.toString());
  console.log(JSON.stringify({ conv_kernels_ms: r.ms, peak_gmacs: r.peakGmacs, conv_gmacs: r.convGmacs }));
}
