import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./init_backend.ts";
import { cpuHasAvx512, type VectorWidth } from "./native_build.ts";
import { loadNativeKernels, NATIVE_MATMUL_MIN_MACS, nativeMatMul, useNativeKernels } from "./native_kernels.ts";
import { lcgValues, relError } from "./test_values.ts";

beforeAll(async () => {
  const info = await initBackend({ prefer: "wasm", quiet: true });
  expect(info.name).toBe("wasm");
});

/** op(A)·op(B) (+ bias) in float64, batched as tfjs broadcasts a batch of 1: the independent reference. */
function reference(
  a: Float32Array,
  b: Float32Array,
  c: { batch: number; aBatch: number; bBatch: number; m: number; k: number; n: number; ta: boolean; tb: boolean },
  bias?: Float32Array,
): Float64Array {
  const { batch, m, k, n, ta, tb } = c;
  const out = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++) {
    const ao = c.aBatch === 1 ? 0 : p * m * k, bo = c.bBatch === 1 ? 0 : p * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = bias ? bias[j] : 0;
        for (let q = 0; q < k; q++) {
          s += a[ao + (ta ? q * m + i : i * k + q)] * b[bo + (tb ? j * k + q : q * n + j)];
        }
        out[p * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

/** [name, batch of A, batch of B, M, K, N]: tails of every tile (6/2/1 rows, 2/1 vectors and scalar columns, K). */
type Case = [string, number, number, number, number, number];
const CASES: Case[] = [
  ["GAN D's first layer, 64×784 · 784×1200", 1, 1, 64, 784, 1200],
  ["every tail: 67×101 · 101×45", 1, 1, 67, 101, 45],
  ["batched, B shared: 3 × (29×40 · 40×83)", 3, 1, 29, 40, 83],
  ["batched both: 2 × (31×65 · 65×70)", 2, 2, 31, 65, 70],
];

const widths: VectorWidth[] = cpuHasAvx512() ? [512, 256] : [256];
for (const width of widths) {
  describe(`native matmul (${width}-bit vectors) against float64 sums`, () => {
    beforeAll(async () => {
      const status = await loadNativeKernels({ vectorWidth: width });
      if (!status.ok) throw new Error(`native kernels did not load: ${status.reason}`);
      expect(status.vectorWidth).toBe(width);
      useNativeKernels(true);
    });

    for (const [name, aBatch, bBatch, m, k, n] of CASES) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        it(`${name}, ${ta ? "Aᵀ" : "A"}·${tb ? "Bᵀ" : "B"}`, () => {
          const batch = Math.max(aBatch, bBatch);
          const av = lcgValues(aBatch * m * k, 11 + m), bv = lcgValues(bBatch * k * n, 23 + n);
          const aShape = [aBatch, ...(ta ? [k, m] : [m, k])], bShape = [bBatch, ...(tb ? [n, k] : [k, n])];
          const a = tf.tensor3d(av, aShape as [number, number, number]);
          const b = tf.tensor3d(bv, bShape as [number, number, number]);
          // called directly, so that the test knows the native kernel (not a fallback) made these values
          const out = nativeMatMul(tf.backend(), { a, b }, { transposeA: ta, transposeB: tb });
          expect(out, "the native kernel declined").not.toBeNull();
          const t = tf.engine().makeTensorFromTensorInfo(out!);
          expect(t.shape).toEqual([batch, m, n]);
          const want = reference(av, bv, { batch, aBatch, bBatch, m, k, n, ta, tb });
          expect(relError(t.dataSync(), want)).toBeLessThan(2e-6);
          tf.dispose([a, b, t]);
        });
      }
    }

    it("adds the bias and applies ReLU or sigmoid in tf.fused.matMul, as dense layers call it", () => {
      const [m, k, n] = [64, 100, 240];
      const av = lcgValues(m * k, 5), bv = lcgValues(k * n, 6), biasv = lcgValues(n, 7);
      const ref = reference(av, bv, { batch: 1, aBatch: 1, bBatch: 1, m, k, n, ta: false, tb: false }, biasv);
      for (const activation of ["linear", "relu", "sigmoid"] as const) {
        const y = tf.tidy(() =>
          tf.fused.matMul({
            a: tf.tensor2d(av, [m, k]),
            b: tf.tensor2d(bv, [k, n]),
            bias: tf.tensor1d(biasv),
            activation,
          }).dataSync()
        );
        const f = activation === "relu"
          ? (x: number) => Math.max(0, x)
          : activation === "sigmoid"
          ? (x: number) => 1 / (1 + Math.exp(-x))
          : (x: number) => x;
        expect(relError(y, ref.map(f)), activation).toBeLessThan(2e-6);
      }
    });
  });
}

describe("native matmul: what it leaves to the wasm kernels", () => {
  it("declines small products and a mismatched bias; tf.matMul gives the product either way", () => {
    const b = tf.backend();
    const big = (r: number, c: number, seed: number) => tf.tensor2d(lcgValues(r * c, seed), [r, c]);
    const [x, v] = [big(128, 64, 3), big(64, 10, 4)]; // the ResNets' classifier: 82k multiply-adds
    expect(128 * 64 * 10).toBeLessThan(NATIVE_MATMUL_MIN_MACS);
    expect(nativeMatMul(b, { a: x, b: v }, { transposeA: false, transposeB: false })).toBeNull();
    const got = tf.matMul(x, v);
    const want = reference(x.dataSync() as Float32Array, v.dataSync() as Float32Array, {
      batch: 1,
      aBatch: 1,
      bBatch: 1,
      m: 128,
      k: 64,
      n: 10,
      ta: false,
      tb: false,
    });
    expect(relError(got.dataSync(), want)).toBeLessThan(2e-6);
    const [p, q] = [big(64, 100, 5), big(100, 240, 6)];
    const bias = tf.zeros([239]);
    expect(nativeMatMul(b, { a: p, b: q, bias }, { transposeA: false, transposeB: false })).toBeNull();
    tf.dispose([x, v, got, p, q, bias]);
  });
});
