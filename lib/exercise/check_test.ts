import { describe, expect, it } from "vitest";
import { bundleOf } from "../display/bundle.ts";
import { check, CHECK_MIME, type CheckReveal } from "./mod.ts";

describe("check", () => {
  it("accepts a number within the relative tolerance and rejects one outside", () => {
    expect(check(0.27, 0.272474, { relTol: 0.05 }).correct).toBe(true);
    expect(check(0.4, 0.272474, { relTol: 0.05 }).correct).toBe(false);
  });

  it("compares shapes element by element", () => {
    expect(check([8, 8, 64], [8, 8, 64]).correct).toBe(true);
    expect(check([8, 8, 32], [8, 8, 64]).message).toMatch(/Wrong.*\[8, 8, 32\].*\[8, 8, 64\]/);
  });

  it("keeps the computed value and the explanation hidden until the reader answers", () => {
    const v = check(undefined, -Math.log(4), { why: "JSD = 0 when p_g = p_data" });
    expect(v.correct).toBe(false);
    expect(v.toString()).toMatch(/no answer yet/);
    expect(v.toString()).not.toMatch(/1\.38/);
    expect(v.toString()).not.toContain("JSD");
    expect(check(null, "resnet", { why: "shortcuts" }).toString()).not.toMatch(/resnet|shortcuts/);
  });

  it("shows the computed value to four significant digits once answered", () => {
    expect(check(-1.2, -Math.log(4)).message).toContain("the computed value is -1.386");
  });

  it("matches categories exactly, up to surrounding spaces", () => {
    expect(check(" plain ", "plain").correct).toBe(true);
    expect(check("Plain", "plain").correct).toBe(false);
  });

  it("explains according to whether the reader agreed with this run", () => {
    const why = (agreed?: boolean) => (agreed ? "as you predicted" : "this run went the other way");
    expect(check("resnet", "resnet", { why }).why).toBe("as you predicted");
    expect(check("plain", "resnet", { why }).why).toBe("this run went the other way");
  });

  it("carries this run's answer and why for a deck's reveal, under a MIME type Jupyter does not render", () => {
    const why = (agreed: boolean | undefined) =>
      `${agreed === undefined ? "" : agreed ? "agreed" : "differs"}. −log 4: each term is log(1/2)`;
    const bundle = bundleOf(check(undefined, -Math.log(4), { question: "V at D = 1/2", absTol: 1e-3, why }));
    // the verdict the reader sees keeps the answer hidden ...
    expect(String(bundle["text/html"])).not.toMatch(/1\.38|log 4/);
    // ... and the deck gets it, with the why that states no agreement
    expect(bundle[CHECK_MIME]).toEqual(
      {
        question: "V at D = 1/2",
        expected: "-1.386",
        tolerance: "0.069",
        why: "−log 4: each term is log(1/2)",
        answered: false,
      } satisfies CheckReveal,
    );
    const answered = bundleOf(check("plain", "resnet", { why: "shortcuts", relTol: 0 }))[CHECK_MIME] as CheckReveal;
    expect(answered).toEqual({ expected: "resnet", why: "shortcuts", answered: true });
  });
});
