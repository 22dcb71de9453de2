/** Helpers for lib/resnet's tests (not exported from mod.ts). */
import { expect } from "vitest";
import * as tf from "@tensorflow/tfjs";

/** Runs `fn`, then asserts that it left no tensor behind. */
export function noLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}
