/** The ResNet lib rejects inputs that would silently mean something else (issue 18): RangeErrors naming the argument. */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { depthVariants, trainDepths, trainVariants } from "./degradation.ts";
import { cifarResNet, imagenetResNet, singleBlock } from "./networks.ts";
import { learningRateSchedule, paperCifarSchedule } from "../train/mod.ts";
import type { ImageSet } from "../data/mod.ts";

await tf.setBackend("cpu");

/** A two-image set: enough for the checks, which must fail before any training touches it. */
const tiny: ImageSet = {
  images: new Float32Array(2 * 28 * 28),
  labels: new Uint8Array(2),
  count: 2,
  height: 28,
  width: 28,
  channels: 1,
  source: "two blank images",
};
const config = { steps: 1, batchSize: 2, seed: 1, progress: false as const };

describe("ResNet lib input checks", () => {
  it("an unknown shortcut option is a RangeError naming the argument, not zero-padding", () => {
    const bad = "Z" as unknown as "A";
    expect(() => cifarResNet({ depth: 8, shortcut: bad })).toThrow(RangeError);
    expect(() => cifarResNet({ depth: 8, shortcut: bad })).toThrow(/cifarResNet: shortcut must be "A".*got "Z"/);
    expect(() => imagenetResNet({ depth: 18, shortcut: bad })).toThrow(/imagenetResNet: shortcut must be/);
    expect(() => singleBlock([8, 8, 16], { filters: 32, stride: 2, shortcut: bad, name: "b" }))
      .toThrow(/b: shortcut must be "A" \(zero-padding\), "B" .* got "Z"/);
  });

  it("a depth that is not 6n+2 and widths that are not 3 stages are RangeErrors naming the argument", () => {
    for (const depth of [-3, 0, 7, 9, 21, 8.5]) {
      expect(() => cifarResNet({ depth })).toThrow(RangeError);
      expect(() => cifarResNet({ depth })).toThrow(/cifarResNet: depth must be 6n\+2/);
    }
    expect(() => cifarResNet({ depth: "20" as unknown as number })).toThrow(/depth must be 6n\+2 .* got "20"/);
    const two = [8, 16] as unknown as [number, number, number];
    expect(() => cifarResNet({ depth: 8, widths: two })).toThrow(/cifarResNet: widths must be 3 integers ≥ 1/);
    expect(() => cifarResNet({ depth: 8, widths: [8, 0, 16] })).toThrow(/widths must be 3 integers/);
  });

  it("trainVariants checks every net before training any (the issue's depths=[8,-3])", async () => {
    const variants = [8, -3].map((d) => ({ label: `plain-${d}`, options: { depth: d, plain: true } }));
    await expect(trainVariants(variants, { train: tiny }, config)).rejects.toThrow(
      /trainVariants: variant 1 'plain--3': depth must be 6n\+2 .* got -3/,
    );
    await expect(trainVariants([], { train: tiny }, config)).rejects.toThrow(/variants is empty/);
    const bad = [{ label: "r", options: { depth: 8, shortcut: "Z" as unknown as "A" } }];
    await expect(trainVariants(bad, { train: tiny }, config)).rejects.toThrow(/variant 0 'r': shortcut must be/);
  });

  it("depthVariants and trainDepths name a bad depth or seed list before anything trains", async () => {
    const base = { depths: [8, 20], seeds: [2], kinds: ["plain"] as const, options: (depth: number) => ({ depth }) };
    expect(() => depthVariants({ ...base, depths: [8, 21] })).toThrow(/depthVariants: depths: depth must be 6n\+2/);
    expect(() => depthVariants({ ...base, otherShortcut: { option: "B", depth: 9 } })).toThrow(
      /depthVariants: otherShortcut: depth must be 6n\+2/,
    );
    await expect(trainDepths({ ...base, seeds: [2, 2] }, { train: tiny }, config)).rejects.toThrow(
      /depthVariants: seeds must be distinct integers/,
    );
  });

  it("an unknown schedule name is a RangeError naming the argument, not a constant rate", () => {
    expect(learningRateSchedule("constant", 100, 0.05)).toBe(0.05);
    const paper = learningRateSchedule("paper", 100, 0.1) as (step: number) => number;
    expect([paper(0), paper(50), paper(75)].map((v) => +v.toPrecision(6))).toEqual([0.1, 0.01, 0.001]);
    const bad = "cosine" as unknown as "paper";
    expect(() => learningRateSchedule(bad, 100, 0.1)).toThrow(RangeError);
    expect(() => learningRateSchedule(bad, 100, 0.1)).toThrow(
      /learningRateSchedule: schedule must be "constant" or "paper", got "cosine"/,
    );
    expect(() => learningRateSchedule("paper", 0, 0.1)).toThrow(/learningRateSchedule: steps must be an integer ≥ 1/);
    expect(() => paperCifarSchedule(Number.NaN)).toThrow(/paperCifarSchedule: steps must be an integer ≥ 1, got NaN/);
    expect(() => paperCifarSchedule(100, -1)).toThrow(/paperCifarSchedule: base learning rate must be a number > 0/);
  });
});
