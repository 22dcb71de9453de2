import { describe, expect, it } from "vitest";
import { seededRng, standardNormals } from "../math/mod.ts";
import { meanWithStdErr, parzenEstimate, parzenLogLikelihoods } from "./parzen.ts";

describe("Parzen-window log-likelihood, GAN §5 Table 1", () => {
  it("matches the analytic log-likelihood of a standard Gaussian within two standard errors", () => {
    for (const dim of [1, 3]) {
      const rng = seededRng(100 + dim);
      const samples = { data: standardNormals(20_000 * dim, rng), dim };
      const validation = { data: standardNormals(500 * dim, rng), dim };
      const test = { data: standardNormals(2_000 * dim, rng), dim };
      const sigmas = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1];
      const est = parzenEstimate(samples, validation, test, sigmas);
      const analytic = -0.5 * dim * Math.log(2 * Math.PI * Math.E); // E[log N(x; 0, I)]
      expect(Math.abs(est.mean - analytic)).toBeLessThan(2 * est.stdErr);
      expect(est.stdErr).toBeLessThan(0.05 * dim);
      expect(est.sigma).toBeGreaterThan(0.02); // neither extreme of the grid
      expect(est.sigma).toBeLessThan(1);
    }
  });

  it("with one sample is the Gaussian kernel itself", () => {
    const [ll] = parzenLogLikelihoods({ data: [1, 2], dim: 2 }, { data: [0, 0], dim: 2 }, [0.5]);
    expect(ll[0]).toBeCloseTo(-5 / (2 * 0.25) - Math.log(2 * Math.PI * 0.25), 12);
  });

  it("reports the standard error of the mean", () => {
    const e = meanWithStdErr([1, 2, 3, 4]);
    expect(e.mean).toBe(2.5);
    expect(e.stdErr).toBeCloseTo(Math.sqrt(5 / 3 / 4), 14);
  });

  it("rejects mismatched dimensions and bad σ", () => {
    expect(() => parzenLogLikelihoods({ data: [1, 2], dim: 2 }, { data: [1], dim: 1 }, [1])).toThrow(/dim 2.*dim 1/);
    expect(() => parzenLogLikelihoods({ data: [1], dim: 1 }, { data: [1], dim: 1 }, [0])).toThrow(/positive/);
    expect(() => parzenLogLikelihoods({ data: [1, 2, 3], dim: 2 }, { data: [1], dim: 1 }, [1])).toThrow(/multiple/);
  });
});
