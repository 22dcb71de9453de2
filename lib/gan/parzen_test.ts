import { describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { nativeKernelsOn, nativeSquaredDistances, useNativeKernels } from "../backend/native_kernels.ts";
import { seededRng, standardNormals } from "../math/mod.ts";
import { meanWithStdErr, parzenEstimate, parzenEvidence, parzenForSamples, parzenLogLikelihoods } from "./parzen.ts";

describe("Parzen-window log-likelihood, GAN §5 Table 1", () => {
  // The paper's claim to check: the estimate matches the true log-likelihood within its standard error. Compared with
  // the analytic log-likelihood of the same test points (paired), the difference must be under one standard error;
  // compared with the expectation −(d/2)·log(2πe), under two (the test points add their own sampling noise).
  it.each([[1, 0], [1, 10], [3, 0], [3, 10]])(
    "matches the analytic Gaussian log-likelihood (dim %i, seed +%i)",
    (dim, off) => {
      const rng = seededRng(100 + dim + off);
      const samples = { data: standardNormals(20_000 * dim, rng), dim };
      const validation = { data: standardNormals(500 * dim, rng), dim };
      const test = { data: standardNormals(2_000 * dim, rng), dim };
      const sigmas = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1];
      const est = parzenEstimate(samples, validation, test, sigmas);
      let sq = 0;
      for (let i = 0; i < test.data.length; i++) sq += test.data[i] ** 2;
      const paired = -0.5 * sq / 2000 - 0.5 * dim * Math.log(2 * Math.PI); // mean log N(x; 0, I) over the test points
      const expected = -0.5 * dim * Math.log(2 * Math.PI * Math.E); // E[log N(x; 0, I)]
      expect(Math.abs(est.mean - paired)).toBeLessThan(est.stdErr);
      expect(Math.abs(est.mean - expected)).toBeLessThan(2 * est.stdErr);
      expect(est.stdErr).toBeLessThan(0.05 * dim);
      expect(sigmas).toContain(est.sigma);
      expect(est.validation.map((v) => v.sigma)).toEqual(sigmas);
    },
  );

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

  it("parzenForSamples ranks the true distribution first", () => {
    const rng = seededRng(4);
    const dim = 4;
    const draw = (n: number, shift = 0): Float32Array =>
      Float32Array.from(standardNormals(n * dim, rng), (x) => x + shift);
    const [val, test] = [draw(200), draw(200)];
    const good = parzenForSamples(draw(2000), val, test, { dim, sigmas: [0.2, 0.4, 0.6] });
    const bad = parzenForSamples(draw(2000, 1.5), val, test, { dim, sigmas: [0.2, 0.4, 0.6] });
    expect(good.mean).toBeGreaterThan(bad.mean + 3 * Math.hypot(good.stdErr, bad.stdErr));
  });
});

describe("Parzen distances in the native kernel", () => {
  it("give the JavaScript loop's log-likelihoods, and its distances to the last bits of a double", async () => {
    await initBackend({ prefer: "wasm", quiet: true });
    expect(nativeKernelsOn(), "the native kernels load on this machine (g++ is part of it and of .ci/run)").toBe(true);
    // Images' sizes and value range, an odd dimension (tails of the vector loop) and point counts off the blocks.
    const rng = seededRng(7);
    const dim = 787;
    const pixels = (n: number) => Float32Array.from(standardNormals(n * dim, rng), (v) => 1 / (1 + Math.exp(-v)));
    const [samples, validation, test] = [pixels(301), pixels(45), pixels(70)];
    const d = new Float64Array(70 * 301);
    expect(nativeSquaredDistances(test, samples, dim, d)).toBe(true);
    for (const [b, i] of [[0, 0], [69, 300], [33, 157]]) {
      let want = 0;
      for (let k = 0; k < dim; k++) want += (test[b * dim + k] - samples[i * dim + k]) ** 2;
      expect(Math.abs(d[b * 301 + i] - want)).toBeLessThan(1e-12 * want);
    }
    const sigmas = [0.05, 0.1, 0.2, 0.4];
    const native = parzenLogLikelihoods({ data: samples, dim }, { data: test, dim }, sigmas);
    useNativeKernels(false);
    try {
      expect(nativeKernelsOn()).toBe(false);
      const js = parzenLogLikelihoods({ data: samples, dim }, { data: test, dim }, sigmas);
      for (let t = 0; t < sigmas.length; t++) {
        for (let j = 0; j < 70; j++) expect(Math.abs(native[t][j] - js[t][j])).toBeLessThan(1e-9);
      }
      const [a, b] = [true, false].map((on) => {
        useNativeKernels(on);
        return parzenForSamples(samples, validation, test, { dim });
      });
      expect(a.sigma).toBe(b.sigma);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-9);
    } finally {
      useNativeKernels(true);
    }
  });
});

describe("Table 1's comparisons judged on this run", () => {
  const est = (mean: number, stdErr: number) => ({ mean, stdErr, count: 100, sigma: 0.1, validation: [] });
  it("says whether training raised the estimate and whether real images stay above, with gaps in standard errors", () => {
    const e = parzenEvidence([{ seed: 1, untrained: est(-100, 3), trained: est(200, 4), real: est(250, 3) }]);
    expect([e.trainingHelps.shown, e.realAbove.shown]).toEqual([true, true]);
    expect(e.trainingHelps.sentence).toMatch(/gap \/ s\.e\.: 60\.0\): held on 1 of 1 seed, by 300\.0 nats\.$/);
    const worse = parzenEvidence([{ seed: 1, untrained: est(-100, 3), trained: est(300, 4), real: est(250, 3) }]);
    expect(worse.realAbove.shown).toBe(false);
    expect(worse.realAbove.sentence).toMatch(/not shown at this budget/);
  });
});
