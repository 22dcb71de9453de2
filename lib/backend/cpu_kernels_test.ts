import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { lcgValues } from "./test_values.ts";
import { conv2dFilterGradient, registerCpuTrainingKernels } from "./cpu_kernels.ts";
import { stockKernel } from "./kernel_call.ts";

describe("cpu typed-array Conv2DBackpropFilter", () => {
  it("equals a hand-computed 1-D case", () => {
    // x = [1, 2, 3], dy = [1, 1] (valid, k = 2): dW = [1+2, 2+3] = [3, 5].
    const dw = conv2dFilterGradient(
      { values: new Float32Array([1, 2, 3]), shape: [1, 1, 3, 1] },
      { values: new Float32Array([1, 1]), shape: [1, 1, 2, 1] },
      { filterShape: [1, 2, 1, 1], strideH: 1, strideW: 1, padTop: 0, padLeft: 0 },
    );
    expect(Array.from(dw)).toEqual([3, 5]);
  });

  it("rejects shapes that do not agree", () => {
    expect(() =>
      conv2dFilterGradient(
        { values: new Float32Array(4), shape: [1, 2, 2, 1] },
        { values: new Float32Array(4), shape: [1, 2, 2, 1] },
        { filterShape: [1, 1, 2, 1], strideH: 1, strideW: 1, padTop: 0, padLeft: 0 },
      )
    ).toThrow(/do not agree/);
  });

  const cases: [number[], number[], number, "same" | "valid"][] = [
    [[2, 7, 7, 3], [3, 3, 3, 4], 1, "same"],
    [[2, 9, 7, 3], [3, 3, 3, 5], 2, "same"],
    [[2, 9, 9, 2], [3, 3, 2, 3], 2, "valid"],
    [[2, 6, 6, 4], [1, 1, 4, 6], 2, "same"],
    [[1, 8, 8, 3], [4, 4, 3, 2], 2, "same"],
  ];
  it("matches the stock cpu kernel (strides 1/2, same/valid, 1x1/3x3/4x4, odd sizes)", async () => {
    await tf.setBackend("cpu");
    const stock = stockKernel("Conv2DBackpropFilter", "cpu");
    registerCpuTrainingKernels();
    const before = tf.memory().numTensors;
    for (const [xShape, wShape, stride, pad] of cases) {
      const x = tf.tensor4d(lcgValues(xShape.reduce((a, b) => a * b), 1), xShape as never);
      const info = tf.backend_util.computeConv2DInfo(xShape as never, wShape as never, stride, 1, pad);
      const dy = tf.tensor4d(lcgValues(info.outShape.reduce((a, b) => a * b), 2), info.outShape);
      const attrs = { strides: stride, pad, dataFormat: "NHWC", filterShape: wShape };
      const got = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrs as never) as tf.Tensor;
      const ref = stock({ inputs: { x, dy }, backend: tf.backend(), attrs: attrs as never }) as tf.TensorInfo;
      const want = tf.engine().makeTensorFromTensorInfo(ref);
      const err = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0] / tf.max(tf.abs(want)).dataSync()[0]);
      expect(err).toBeLessThan(1e-5);
      tf.dispose([x, dy, got, want]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
