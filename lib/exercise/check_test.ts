import { describe, expect, it } from "vitest";
import { check } from "./mod.ts";

describe("check", () => {
  it("accepts a number within the relative tolerance and rejects one outside", () => {
    expect(check(0.27, 0.272474, { relTol: 0.05 }).correct).toBe(true);
    expect(check(0.4, 0.272474, { relTol: 0.05 }).correct).toBe(false);
  });

  it("compares shapes element by element", () => {
    expect(check([8, 8, 64], [8, 8, 64]).correct).toBe(true);
    expect(check([8, 8, 32], [8, 8, 64]).message).toMatch(/Wrong.*\[8, 8, 32\].*\[8, 8, 64\]/);
  });

  it("reports a missing answer with the computed value and the reason", () => {
    const v = check(undefined, -Math.log(4), { why: "JSD = 0 when p_g = p_data" });
    expect(v.correct).toBe(false);
    expect(v.toString()).toContain("-1.386");
    expect(v.toString()).toContain("JSD = 0");
  });

  it("compares words case-insensitively", () => {
    expect(check(" Identity ", "identity").correct).toBe(true);
  });
});
