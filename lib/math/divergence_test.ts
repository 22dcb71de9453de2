import { describe, expect, it } from "vitest";
import { grid, jsDivergence, klDivergence, mixture, normal, pdfOn, seededRng } from "./mod.ts";

describe("divergences", () => {
  const g = grid(-15, 15, 3001);
  const p = pdfOn(normal(0, 1), g.xs);
  const q = pdfOn(normal(1, 2), g.xs);

  it("KL between normals matches the closed form", () => {
    // KL(N(0,1)‖N(1,4)) = log(2/1) + (1 + 1)/(2·4) − 1/2
    const closed = Math.log(2) + 2 / 8 - 0.5;
    expect(klDivergence(p, q, g.dx)).toBeCloseTo(closed, 8);
    expect(klDivergence(p, q, g.dx, { unit: "bits" })).toBeCloseTo(closed / Math.LN2, 8);
    expect(klDivergence(p, p, g.dx)).toBe(0);
  });

  it("JSD is symmetric, zero for equal inputs and at most log 2 (1 bit)", () => {
    expect(jsDivergence(p, q, g.dx)).toBeCloseTo(jsDivergence(q, p, g.dx), 14);
    expect(jsDivergence(p, p, g.dx)).toBe(0);
    const rng = seededRng(11);
    for (let t = 0; t < 20; t++) {
      const a = pdfOn(normal(-6 + 12 * rng(), 0.2 + 2 * rng()), g.xs);
      const b = pdfOn(mixture([rng(), rng()], [normal(-5 * rng(), 0.5), normal(5 * rng(), 1)]), g.xs);
      const jsd = jsDivergence(a, b, g.dx);
      expect(jsd).toBeGreaterThan(0);
      expect(jsd).toBeLessThanOrEqual(Math.LN2 + 1e-9);
      expect(jsDivergence(a, b, g.dx, { unit: "bits" })).toBeLessThanOrEqual(1 + 1e-9);
    }
    // disjoint supports reach the bound
    const far = pdfOn(normal(10, 0.3), g.xs);
    const nearDist = pdfOn(normal(-10, 0.3), g.xs);
    expect(jsDivergence(far, nearDist, g.dx)).toBeCloseTo(Math.LN2, 8);
  });

  it("refuses densities on different grids", () => {
    expect(() => jsDivergence([1, 2, 3], [1, 2], 1)).toThrow(/same grid/);
  });
});
