/** Generative Adversarial Nets (Goodfellow et al., 2014): value function, optimal D, C(G), Parzen-window estimate. */
export * from "./optimal.ts";
export * from "./parzen.ts";
export * from "./value.ts";
