/** ResNet (He et al., 2015): blocks, shortcut options A/B/C, the CIFAR and ImageNet families, complexity, responses. */
export * from "./blocks.ts";
export * from "./complexity.ts";
export * from "./networks.ts";
export * from "./shortcut.ts";
export * from "./responses.ts";
