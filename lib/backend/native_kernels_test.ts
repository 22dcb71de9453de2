import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { batchNormTrainBackward, batchNormTrainForward } from "./batch_norm.ts";
import { initBackend } from "./init_backend.ts";
import { lcgValues, relError as relErrorOf } from "./test_values.ts";
import { buildNativeLibrary, cpuHasAvx512, forcedVectorWidth, type VectorWidth } from "./native_build.ts";
import {
  loadNativeKernels,
  nativeConv2d,
  nativeConv2dBackpropFilter,
  nativeConv2dBackpropInput,
  useNativeKernels,
} from "./native_kernels.ts";

/** test_values' relError with the scale floored at 1e-6, as the tolerances below assume. */
const relError = (a: ArrayLike<number>, b: ArrayLike<number>): number => relErrorOf(a, b, 1e-6);

beforeAll(async () => {
  const info = await initBackend({ prefer: "wasm", quiet: true });
  expect(info.name).toBe("wasm");
});

describe("native kernels: build and load", () => {
  it("build and load on this machine (g++ is part of the machine and of .ci/run)", async () => {
    const status = await loadNativeKernels();
    if (!status.ok) throw new Error(`native kernels did not load: ${status.reason}`);
    expect(status.build.path).toMatch(/libpaper_kernels-[0-9a-f]{16}\.(so|dylib|dll)$/);
    // The width PAPER_VECTOR_WIDTH forces, else the widest this CPU has (run once with each to test both defaults).
    expect(status.vectorWidth).toBe(forcedVectorWidth() ?? (cpuHasAvx512() ? 512 : 256));
    expect(Deno.statSync(status.build.path).isFile).toBe(true);
  });

  it("reuse an up-to-date build and name the compiler and command when the build fails", async () => {
    const first = await buildNativeLibrary();
    const again = await buildNativeLibrary();
    expect(again.path).toBe(first.path);
    expect(again.compiled).toBe(false);
    await expect(buildNativeLibrary({ cxx: "no-such-compiler++" })).rejects.toThrow(
      /no C\+\+ compiler found \(tried no-such-compiler\+\+\).*install g\+\+/,
    );
    const dir = await Deno.makeTempDir();
    try {
      // A "compiler" that exists but fails: the error quotes the command and its output.
      const fake = `${dir}/fake-cxx`;
      await Deno.writeTextFile(
        fake,
        '#!/bin/sh\nif [ "$1" = --version ]; then echo fake 1.0; exit 0; fi\necho boom >&2\nexit 1\n',
      );
      await Deno.chmod(fake, 0o755);
      await expect(buildNativeLibrary({ cxx: fake, outDir: dir })).rejects.toThrow(/fake-cxx -O3 .* failed:\nboom/);
      expect([...Deno.readDirSync(dir)].map((e) => e.name)).toEqual(["fake-cxx"]); // no half-built library left
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

/** Runs a native glue function on wasm tensors and returns its values, or null when it declined the case. */
function onWasm(
  f: (backend: unknown, ...t: tf.TensorInfo[]) => tf.TensorInfo | null,
  ...ts: tf.Tensor[]
): Float32Array | null {
  const backend = tf.backend();
  const out = f(backend, ...ts);
  if (out == null) return null;
  const t = tf.engine().makeTensorFromTensorInfo(out);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

/** [name, x shape, filter shape, stride, padding] */
type ConvCase = [string, number[], number[], number, "same" | "valid"];

/** The notebooks' convolution shapes (batch cut to 2–3) and the edges of the kernels' tiling. */
const cases: ConvCase[] = [
  ["3x3 s1 same, 8→8", [2, 7, 7, 8], [3, 3, 8, 8], 1, "same"],
  ["3x3 s1 same, 16→16, 7×7 rows shorter than a tile", [3, 7, 7, 16], [3, 3, 16, 16], 1, "same"],
  ["3x3 s1 same, 16→32 (two channel blocks)", [2, 6, 5, 16], [3, 3, 16, 32], 1, "same"],
  ["3x3 s1 same, 8→24 (a 16 block, then the 8-channel tile reusing inputs)", [2, 9, 9, 8], [3, 3, 8, 24], 1, "same"],
  ["3x3 s2 same, 8→24, odd size", [2, 9, 7, 8], [3, 3, 8, 24], 2, "same"],
  ["3x3 s1 valid", [2, 9, 8, 8], [3, 3, 8, 8], 1, "valid"],
  ["3x3 s2 valid, unused last row", [1, 8, 8, 8], [3, 3, 8, 16], 2, "valid"],
  ["1x1 s2 projection shortcut", [2, 7, 7, 8], [1, 1, 8, 16], 2, "same"],
  ["5x5 s2 same", [2, 11, 11, 8], [5, 5, 8, 8], 2, "same"],
  ["4x4 s2 same (even kernel)", [2, 8, 8, 8], [4, 4, 8, 8], 2, "same"],
  ["3x3 s1 same, 1 input channel (first conv on Fashion-MNIST)", [2, 6, 6, 1], [3, 3, 1, 8], 1, "same"],
  // Figure 6 nets (ResNet §4.2): widths 8/16/32 on 28/14/7 maps, stride-2 block entries.
  ["Figure 6: 28×28×8→8 s1", [2, 28, 28, 8], [3, 3, 8, 8], 1, "same"],
  ["Figure 6: 14×14×16→16 s1", [2, 14, 14, 16], [3, 3, 16, 16], 1, "same"],
  ["Figure 6: 7×7×32→32 s1", [3, 7, 7, 32], [3, 3, 32, 32], 1, "same"],
  ["Figure 6: 28×28×8→16 s2", [2, 28, 28, 8], [3, 3, 8, 16], 2, "same"],
  ["Figure 6: 14×14×16→32 s2", [2, 14, 14, 16], [3, 3, 16, 32], 2, "same"],
  ["1x1 s2 projection 16→32 (option B)", [2, 14, 14, 16], [1, 1, 16, 32], 2, "same"],
  ["1x1 s1 bottleneck 64→16", [2, 7, 7, 64], [1, 1, 64, 16], 1, "same"],
  ["3x3 s1 64→64 (bottleneck study)", [2, 8, 8, 64], [3, 3, 64, 64], 1, "same"],
  ["3x3 s1 16→48 (32 block, then 16)", [2, 9, 9, 16], [3, 3, 16, 48], 1, "same"],
  ["3x3 s1 24→40 (32 block, then 8)", [2, 9, 9, 24], [3, 3, 24, 40], 1, "same"],
  ["7x7 s2 3→64 (ImageNet stem)", [1, 20, 20, 3], [7, 7, 3, 64], 2, "same"],
];

/** cpu reference: y, dx = conv2dTranspose(dy), dW = the gradient of Σ y·dy. Leaves the backend on cpu. */
async function reference([, xShape, wShape, stride, pad]: ConvCase) {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  await tf.setBackend("cpu");
  const cx = tf.tensor4d(lcgValues(size(xShape), 1), xShape as [number, number, number, number]);
  const cw = tf.tensor4d(lcgValues(size(wShape), 2), wShape as [number, number, number, number]);
  const cy = tf.conv2d(cx, cw, stride, pad);
  const cdy = tf.tensor4d(lcgValues(cy.size, 3), cy.shape);
  const out = {
    x: cx.dataSync(),
    w: cw.dataSync(),
    dyValues: cdy.dataSync(),
    dyShape: cdy.shape,
    y: cy.dataSync(),
    dx: tf.conv2dTranspose(cdy, cw, cx.shape, stride, pad).dataSync(),
    dw: tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(cx, w as tf.Tensor4D, stride, pad), cdy)))(cw).dataSync(),
  };
  tf.dispose([cx, cw, cy, cdy]);
  return out;
}

// Every vector width this CPU runs (512 only with AVX-512F), each loaded in turn in this process.
const widths: VectorWidth[] = cpuHasAvx512() ? [512, 256] : [256];
for (const width of widths) {
  describe(`native convolution kernels (${width}-bit vectors) match tfjs's cpu backend`, () => {
    beforeAll(async () => {
      const status = await loadNativeKernels({ vectorWidth: width });
      if (!status.ok) throw new Error(`native kernels did not load: ${status.reason}`);
      expect(status.vectorWidth).toBe(width);
    });
    for (const c of cases) {
      const [name, xShape, wShape, stride, pad] = c;
      it(name, async () => {
        const attrs = { strides: stride, pad, dataFormat: "NHWC" };
        const ref = await reference(c);
        await tf.setBackend("wasm");
        const before = tf.memory().numTensors;
        const x = tf.tensor4d(ref.x, xShape as [number, number, number, number]);
        const w = tf.tensor4d(ref.w, wShape as [number, number, number, number]);
        const dy = tf.tensor4d(ref.dyValues, ref.dyShape);
        const y = onWasm((b, xi, wi) => nativeConv2d(b, { x: xi, filter: wi }, attrs), x, w);
        const dw = onWasm(
          (b, xi, di) => nativeConv2dBackpropFilter(b, { x: xi, dy: di }, { ...attrs, filterShape: wShape }),
          x,
          dy,
        );
        const dx = onWasm(
          (b, di, wi) => nativeConv2dBackpropInput(b, { dy: di, filter: wi }, { ...attrs, inputShape: xShape }),
          dy,
          w,
        );
        expect(y).not.toBeNull();
        expect(dw).not.toBeNull();
        expect(relError(y!, ref.y)).toBeLessThan(1e-5);
        expect(relError(dw!, ref.dw)).toBeLessThan(1e-5);
        if (xShape[3] % 8 === 0) {
          expect(relError(dx!, ref.dx)).toBeLessThan(1e-5);
        } else {
          expect(dx).toBeNull(); // input channels not a multiple of 8: the caller falls back
        }
        tf.dispose([x, w, dy]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }

    it("decline what they do not cover, so the caller falls back", () => {
      const x = tf.zeros([1, 6, 6, 8]), w = tf.zeros([3, 3, 8, 4]);
      const b = tf.backend();
      expect(nativeConv2d(b, { x, filter: w }, { strides: 1, pad: "same" })).toBeNull(); // 4 output channels
      const w8 = tf.zeros([3, 3, 8, 8]);
      expect(nativeConv2d(b, { x, filter: w8 }, { strides: 1, pad: "same", dilations: 2 })).toBeNull();
      expect(nativeConv2d(b, { x, filter: w8 }, { strides: [1, 2], pad: "same" })).toBeNull();
      expect(nativeConv2d(b, { x, filter: w8 }, { strides: 1, pad: "same", dataFormat: "NCHW" })).toBeNull();
      tf.dispose([x, w, w8]);
    });
  });
}

describe("the wasm fallback (native kernels off) matches tfjs's cpu backend", () => {
  for (const c of cases) {
    const [name, xShape, wShape, stride, pad] = c;
    it(name, async () => {
      const ref = await reference(c);
      await tf.setBackend("wasm");
      useNativeKernels(false);
      try {
        const x = tf.tensor4d(ref.x, xShape as [number, number, number, number]);
        const w = tf.tensor4d(ref.w, wShape as [number, number, number, number]);
        const dy = tf.tensor4d(ref.dyValues, ref.dyShape);
        const f = (xi: tf.Tensor4D, wi: tf.Tensor4D) => tf.sum(tf.mul(tf.conv2d(xi, wi, stride, pad), dy));
        const [dx, dw] = tf.grads(f as (...a: tf.Tensor[]) => tf.Scalar)([x, w]);
        const y = tf.conv2d(x, w, stride, pad);
        expect(relError(y.dataSync(), ref.y)).toBeLessThan(1e-5);
        expect(relError(dx.dataSync(), ref.dx)).toBeLessThan(1e-5);
        expect(relError(dw.dataSync(), ref.dw)).toBeLessThan(1e-5);
        tf.dispose([x, w, dy, dx, dw, y]);
      } finally {
        useNativeKernels(true);
      }
    });
  }
});

describe("native batch-norm passes match the JavaScript loops", () => {
  it("forward and backward, 8, 16, 32, 64 (register-held sums) and 3 channels", () => {
    for (const c of [8, 16, 32, 64, 3]) {
      const rows = 50;
      const x = lcgValues(rows * c, 11).map((v, i) => 3 + 2 * v + (i % c));
      const dy = lcgValues(rows * c, 12);
      const gamma = lcgValues(c, 13).map((v) => 1 + v), beta = lcgValues(c, 14);
      const dMean = lcgValues(c, 15), dVar = lcgValues(c, 16);
      const run = (native: boolean) => {
        useNativeKernels(native);
        try {
          const f = batchNormTrainForward(x, { channels: c, gamma, beta, epsilon: 1e-3 });
          const b = batchNormTrainBackward(dy, {
            x,
            channels: c,
            gamma,
            mean: f.mean,
            variance: f.variance,
            epsilon: 1e-3,
            dMean,
            dVariance: dVar,
          });
          return [f.y, f.mean, f.variance, b.dx, b.dGamma, b.dBeta];
        } finally {
          useNativeKernels(true);
        }
      };
      const [nat, js] = [run(true), run(false)];
      nat.forEach((a, i) => expect(relError(a, js[i]), `output ${i}, ${c} channels`).toBeLessThan(1e-6));
    }
  });
});
