import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { conv2dInference, globalAveragePool, hasInferenceKernels } from "./inference_kernels.ts";
import { initBackend } from "./init_backend.ts";
import { cpuHasAvx512, type VectorWidth } from "./native_build.ts";
import { loadNativeKernels, nativeConv2dFused, useNativeKernels } from "./native_kernels.ts";
import { lcgValues, relError } from "./test_values.ts";

/** [name, x shape, filter shape, stride, padding] */
type ConvCase = [string, [number, number, number, number], [number, number, number, number], number, "same" | "valid"];

/** The ResNets' inference convolutions (batch cut to 2) and the edges of the kernels' tiling and epilogues. */
const cases: ConvCase[] = [
  ["first conv, 1 input channel, 28×28 → 16", [2, 28, 28, 1], [3, 3, 1, 16], 1, "same"],
  ["28×28×16 → 16 s1", [2, 28, 28, 16], [3, 3, 16, 16], 1, "same"],
  ["28×28×16 → 32 s2 (stage entry)", [2, 28, 28, 16], [3, 3, 16, 32], 2, "same"],
  ["14×14×32 → 32 s1", [2, 14, 14, 32], [3, 3, 32, 32], 1, "same"],
  ["7×7×64 → 64 s1", [2, 7, 7, 64], [3, 3, 64, 64], 1, "same"],
  ["1×1 s2 projection 16 → 32 (option B)", [2, 14, 14, 16], [1, 1, 16, 32], 2, "same"],
  ["8 → 8 (the pair tiles of 512-bit builds)", [2, 9, 9, 8], [3, 3, 8, 8], 1, "same"],
  ["8 → 24 s2, odd size (a 16 block, then 8)", [2, 9, 7, 8], [3, 3, 8, 24], 2, "same"],
  ["24 → 40 valid (32 block, then 8)", [2, 9, 9, 24], [3, 3, 24, 40], 1, "valid"],
];

/** Which epilogue terms a check uses. */
const epilogues = [
  { bias: true, residual: false, relu: true }, // conv → folded BN → ReLU
  { bias: true, residual: true, relu: true }, // a block's last conv → folded BN → + shortcut → ReLU
  { bias: true, residual: false, relu: false }, // a projection shortcut: conv → folded BN
  { bias: false, residual: true, relu: false },
];

/** The reference on the cpu backend with tfjs ops: [relu](conv2d(x, w) + bias + residual). Leaves cpu set. */
async function reference(c: ConvCase, e: (typeof epilogues)[number]) {
  const [, xShape, wShape, stride, pad] = c;
  await tf.setBackend("cpu");
  return tf.tidy(() => {
    const x = tf.tensor4d(lcgValues(xShape.reduce((a, b) => a * b), 1), xShape);
    const w = tf.tensor4d(lcgValues(wShape.reduce((a, b) => a * b), 2), wShape);
    const bias = tf.tensor1d(lcgValues(wShape[3], 3));
    let y: tf.Tensor4D = tf.conv2d(x, w, stride, pad);
    const residual = tf.tensor4d(lcgValues(y.size, 4), y.shape);
    if (e.bias) y = tf.add(y, bias);
    if (e.residual) y = tf.add(y, residual);
    if (e.relu) y = tf.relu(y);
    return {
      x: x.dataSync().slice(),
      w: w.dataSync().slice(),
      bias: bias.dataSync().slice(),
      residual: residual.dataSync().slice(),
      residualShape: residual.shape,
      y: y.dataSync().slice(),
    };
  });
}

beforeAll(async () => {
  const info = await initBackend({ prefer: "wasm", quiet: true });
  expect(info.name).toBe("wasm");
  expect(hasInferenceKernels("wasm")).toBe(true);
});

/** conv2dInference on the current backend with the reference's values. */
function runInference(c: ConvCase, e: (typeof epilogues)[number], ref: Awaited<ReturnType<typeof reference>>) {
  const [, xShape, wShape, stride, pad] = c;
  return tf.tidy(() => {
    const y = conv2dInference(tf.tensor4d(ref.x, xShape), {
      filter: tf.tensor4d(ref.w, wShape),
      bias: e.bias ? tf.tensor1d(ref.bias) : undefined,
      residual: e.residual ? tf.tensor4d(ref.residual, ref.residualShape) : undefined,
      strides: stride,
      pad,
      relu: e.relu,
    });
    return y.dataSync().slice();
  });
}

const widths: VectorWidth[] = cpuHasAvx512() ? [512, 256] : [256];
for (const width of widths) {
  describe(`the native inference convolution (${width}-bit vectors) matches tfjs ops on cpu`, () => {
    beforeAll(async () => {
      const status = await loadNativeKernels({ vectorWidth: width });
      if (!status.ok) throw new Error(`native kernels did not load: ${status.reason}`);
    });
    for (const c of cases) {
      it(c[0], async () => {
        for (const e of epilogues) {
          const ref = await reference(c, e);
          await tf.setBackend("wasm");
          const before = tf.memory().numTensors;
          const got = runInference(c, e, ref);
          expect(relError(got, ref.y), JSON.stringify(e)).toBeLessThan(1e-5);
          expect(tf.memory().numTensors).toBe(before);
        }
      });
    }
    it("declines what it does not cover (4 output channels, a residual of another shape)", () => {
      tf.tidy(() => {
        const b = tf.backend();
        const x = tf.zeros([1, 6, 6, 8]);
        expect(nativeConv2dFused(b, { x, filter: tf.zeros([3, 3, 8, 4]) }, { strides: 1, pad: "same", relu: true }))
          .toBeNull();
        const residual = tf.zeros([1, 6, 6, 16]);
        expect(nativeConv2dFused(b, { x, filter: tf.zeros([3, 3, 8, 8]), residual }, {
          strides: 1,
          pad: "same",
          relu: true,
        })).toBeNull();
      });
    });
  });
}

describe("conv2dInference off the native path: the wasm kernels composed, and tfjs ops on cpu", () => {
  const c: ConvCase = ["4 output channels (never native)", [2, 9, 9, 8], [3, 3, 8, 4], 2, "same"];
  for (const e of epilogues) {
    it(`${c[0]}, ${JSON.stringify(e)}`, async () => {
      const ref = await reference(c, e);
      const onCpu = runInference(c, e, ref); // still on cpu: no inference kernel registered there, tfjs ops
      expect(relError(onCpu, ref.y)).toBeLessThan(1e-5);
      await tf.setBackend("wasm");
      expect(relError(runInference(c, e, ref), ref.y)).toBeLessThan(1e-5);
      useNativeKernels(false);
      try {
        const d = cases[3];
        const r = await reference(d, e);
        await tf.setBackend("wasm");
        expect(relError(runInference(d, e, r), r.y)).toBeLessThan(1e-5);
      } finally {
        useNativeKernels(true);
      }
    });
  }
});

describe("globalAveragePool", () => {
  it("equals tf.mean over height and width, on wasm and on cpu", async () => {
    await tf.setBackend("wasm");
    const values = lcgValues(3 * 7 * 7 * 64, 9);
    for (const backend of ["wasm", "cpu"]) {
      await tf.setBackend(backend);
      const [got, want] = tf.tidy(() => {
        const x = tf.tensor4d(values, [3, 7, 7, 64]);
        return [globalAveragePool(x).dataSync().slice(), tf.mean(x, [1, 2]).dataSync().slice()];
      });
      expect(got.length).toBe(3 * 64);
      expect(relError(got, want)).toBeLessThan(1e-6);
    }
    await tf.setBackend("wasm");
  });
});
