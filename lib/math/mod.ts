/** Pure math helpers: densities, grids and quadrature, KL / JS divergences, log-sum-exp, seeded randomness. */
export * from "./density.ts";
export * from "./divergence.ts";
export * from "./logsumexp.ts";
export * from "./quadrature.ts";
export * from "./random.ts";
export * from "./moments.ts";
