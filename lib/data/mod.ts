/** Datasets for the paper notebooks: IDX and CIFAR-10 readers, Fashion-MNIST, batching and augmentation. */
export { padCropFlip } from "./augment.ts";
export { BatchSampler } from "./batch.ts";
export { CIFAR10_RECORD_BYTES, loadCifar10, parseCifar10 } from "./cifar10.ts";
export { loadImageData } from "./datasets.ts";
export {
  DEBIAN_FASHION_MNIST_DIR,
  fullFashionMnistDir,
  loadFashionMnist,
  SHIPPED_FASHION_MNIST_DIR,
} from "./fashion_mnist.ts";
export { encodeIdx, parseIdx, readIdx } from "./idx.ts";
export { channelStats, type ImageSet, normalizeImages } from "./image_set.ts";
export { permutation, seededRandom } from "./random.ts";
