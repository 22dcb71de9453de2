import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { cifarFamilyRows, imagenetFamilyRows, TABLE6_PARAMS_M } from "./architectures.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

describe("§3.3 network architectures beside Tables 1 and 6", () => {
  it("CIFAR rows carry our count beside Table 6, rounded as the paper prints it; no tensors leak", () => {
    const before = tf.memory().numTensors;
    const rows = cifarFamilyRows([20, 56]);
    expect(tf.memory().numTensors).toBe(before);
    for (const r of rows) {
      expect(Number((r.params as number / 1e6).toPrecision(2))).toBe(r["Table 6 (M)"]);
    }
    expect(rows.map((r) => r.n)).toEqual([3, 9]);
    expect(TABLE6_PARAMS_M[110]).toBe(1.7);
  });

  it("ImageNet rows carry our FLOPs beside Table 1's; plain nets are named as such", () => {
    const before = tf.memory().numTensors;
    const [r18] = imagenetFamilyRows([18]);
    const [p18] = imagenetFamilyRows([18], { plain: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(r18).toMatchObject({ net: "ResNet-18", "Table 1 (×10^9)": 1.8 });
    expect(Math.abs((r18["FLOPs (×10^9)"] as number) - 1.8) / 1.8).toBeLessThan(0.02);
    expect(p18.net).toBe("plain-18");
  });
});
