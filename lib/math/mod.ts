/** Pure math helpers: densities, grids and quadrature, KL / JS divergences, log-sum-exp, seeded randomness. */
export {
  type Density1D,
  logPdf,
  meanOf,
  type Mixture,
  mixture,
  normal,
  pdf,
  pdfOn,
  sample,
  uniform,
  varianceOf,
} from "./density.ts";
export { jsDivergence, klDivergence, midpoint } from "./divergence.ts";
export { logMeanExp, logSumExp } from "./logsumexp.ts";
export { sampleMeanVariance } from "./moments.ts";
export {
  type Grid,
  grid,
  integrate,
  linspace,
  mapGrid,
  type QuadratureRule,
  simpson,
  trapezoid,
} from "./quadrature.ts";
export { type Rng, type SeededRng, seededRng, standardNormals, uniforms } from "./random.ts";
