import { describe, expect, it } from "vitest";
import { grid, linspace, mapGrid, simpson, trapezoid } from "./mod.ts";

describe("quadrature", () => {
  it("Simpson is exact for cubics; trapezoid converges at O(dx²)", () => {
    const g = grid(0, 2, 11);
    expect(simpson(mapGrid(g.xs, (x) => x ** 3 - x), g.dx)).toBeCloseTo(2, 12);
    const coarse = grid(0, Math.PI, 21);
    const fine = grid(0, Math.PI, 41);
    const e1 = Math.abs(trapezoid(mapGrid(coarse.xs, Math.sin), coarse.dx) - 2);
    const e2 = Math.abs(trapezoid(mapGrid(fine.xs, Math.sin), fine.dx) - 2);
    expect(e1 / e2).toBeGreaterThan(3.9);
    expect(e1 / e2).toBeLessThan(4.1);
  });

  it("linspace includes both ends; Simpson refuses an even number of points", () => {
    expect(Array.from(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => simpson([1, 2, 3, 4], 1)).toThrow(/odd number/);
  });
});
