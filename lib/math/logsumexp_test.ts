import { describe, expect, it } from "vitest";
import { logMeanExp, logSumExp } from "./mod.ts";

describe("log-sum-exp", () => {
  it("is stable for large and small values", () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -1000, -1000])).toBeCloseTo(-1000 + Math.log(3), 12);
    expect(logSumExp([Math.log(2), Math.log(3)])).toBeCloseTo(Math.log(5), 14);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logMeanExp([0, 0, 0, 0])).toBeCloseTo(0, 14);
  });
});
