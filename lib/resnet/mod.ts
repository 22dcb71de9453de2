/** ResNet (He et al., 2015): blocks, shortcut options A/B/C, the CIFAR and ImageNet families, complexity, responses. */
export * from "./blocks.ts";
export * from "./complexity.ts";
export * from "./networks.ts";
export * from "./shortcut.ts";
export * from "./responses.ts";
export * from "./identity.ts";
export * from "./experiments.ts";
export * from "./plots.ts";
export * from "./tables.ts";
