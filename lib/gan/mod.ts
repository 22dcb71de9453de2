/**
 * Generative Adversarial Nets (Goodfellow et al., 2014): value function, optimal D, C(G), networks, Algorithm 1,
 * 1-D toy helpers and the Parzen-window estimate.
 */
export * from "./experiments.ts";
export * from "./figures.ts";
export * from "./losses.ts";
export * from "./maxout.ts";
export * from "./models.ts";
export * from "./optimal.ts";
export * from "./parzen.ts";
export * from "./toy.ts";
export * from "./train.ts";
export * from "./value.ts";
