/** Datasets for the paper notebooks: IDX and CIFAR-10 readers, Fashion-MNIST, batching and augmentation. */
export * from "./augment.ts";
export * from "./batch.ts";
export * from "./cifar10.ts";
export * from "./datasets.ts";
export * from "./fashion_mnist.ts";
export * from "./idx.ts";
export * from "./image_set.ts";
export * from "./random.ts";
