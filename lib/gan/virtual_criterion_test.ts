import { describe, expect, it } from "vitest";
import { type Density1D, grid, jsDivergence, mixture, normal, pdfOn, seededRng } from "../math/mod.ts";
import { logSigmoid, theoremOneTerms, virtualCriterion } from "./virtual_criterion.ts";

const g = grid(-14, 14, 2801);

function smoothDensity(rng: () => number): Density1D {
  if (rng() < 0.5) return normal(-4 + 8 * rng(), 0.3 + 1.5 * rng());
  return mixture([0.2 + rng(), 0.2 + rng()], [normal(-4 * rng(), 0.4 + rng()), normal(4 * rng(), 0.4 + rng())]);
}

describe("Theorem 1: C(G) = −log 4 + 2·JSD(p_data‖p_g)", () => {
  it("logSigmoid stays finite where σ(t) rounds to 0", () => {
    expect(logSigmoid(-1000)).toBe(-1000);
    expect(logSigmoid(0)).toBeCloseTo(-Math.LN2, 15);
  });

  it("holds to 1e-6 for random pairs of distributions", () => {
    const rng = seededRng(17);
    for (let t = 0; t < 8; t++) {
      const a = pdfOn(smoothDensity(rng), g.xs);
      const b = pdfOn(smoothDensity(rng), g.xs);
      const c = virtualCriterion(a, b, g.dx);
      expect(Math.abs(c - (-Math.log(4) + 2 * jsDivergence(a, b, g.dx)))).toBeLessThan(1e-6);
      const terms = theoremOneTerms(a, b, g.dx);
      expect(Math.abs(terms.fromKl - terms.fromJsd)).toBeLessThan(1e-9);
      expect(Math.abs(terms.klData + terms.klG - 2 * terms.jsd)).toBeLessThan(1e-9);
      expect(c).toBeGreaterThan(-Math.log(4));
    }
  });

  it("reaches its minimum −log 4 exactly at p_g = p_data", () => {
    const p = pdfOn(mixture([1, 2], [normal(-2, 0.5), normal(2, 1)]), g.xs);
    expect(virtualCriterion(p, p, g.dx)).toBeCloseTo(-Math.log(4), 9);
    const shifted = pdfOn(mixture([1, 2], [normal(-1.9, 0.5), normal(2, 1)]), g.xs);
    expect(virtualCriterion(p, shifted, g.dx)).toBeGreaterThan(-Math.log(4) + 1e-4);
  });
});
