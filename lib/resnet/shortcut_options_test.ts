import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { shortcutNetworkRows, shortcutRows } from "./shortcut_options.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

describe("§3.2 shortcut options A, B, C", () => {
  it("at one block: A = 0 and B = C = 576 parameters where dimensions grow; only C projects where they match", () => {
    const before = tf.memory().numTensors;
    const rows = shortcutRows([32, 32, 16], { filters: 32, stride: 2 });
    expect(rows.map((r) => r.option)).toEqual(["A", "B", "C"]);
    expect(rows.map((r) => r["shortcut params"])).toEqual([0, 576, 576]);
    expect(rows.map((r) => r.output)).toEqual(["16×16×32", "16×16×32", "16×16×32"]);
    expect(shortcutRows([8, 8, 16], { filters: 16 }).map((r) => r["shortcut params"])).toEqual([0, 0, 16 * 16 + 32]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("across a network (Table 3): B adds the two projections of the CIFAR ResNet-20", () => {
    const before = tf.memory().numTensors;
    const nets = shortcutNetworkRows("cifar", 20);
    expect(tf.memory().numTensors).toBe(before);
    expect(nets.map((r) => r.net)).toEqual(["ResNet-20A", "ResNet-20B", "ResNet-20C"]);
    expect((nets[1].params as number) - (nets[0].params as number)).toBe(16 * 32 + 64 + 32 * 64 + 128);
  });
});
