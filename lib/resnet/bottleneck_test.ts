import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { bottleneckRows } from "./bottleneck.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

describe("§4.1 deeper bottleneck architectures (Figure 5)", () => {
  it("a projection shortcut nearly doubles a bottleneck block (§4.1)", () => {
    const before = tf.memory().numTensors;
    const [basic, bottleneck, projected] = bottleneckRows(8);
    expect(tf.memory().numTensors).toBe(before);
    expect(bottleneck.params).toBe(69632 + 2 * (64 + 64 + 256));
    expect(basic.params).toBe(73728 + 2 * 128);
    expect((projected.params as number) - (bottleneck.params as number)).toBe(256 * 256 + 2 * 256);
  });
});
