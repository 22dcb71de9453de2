/**
 * Calling one registered kernel from inside another kernel, without the engine: no tape, no scope, intermediates
 * freed by hand. This is how the training kernels in this folder compose the backend's own fast kernels.
 */
import * as tf from "@tensorflow/tfjs";

/** A kernel's inputs by name. */
export type KernelInputs = Record<string, tf.TensorInfo> | tf.TensorInfo[];

/** Runs kernels of one backend directly and frees what they return. */
export class KernelCaller {
  constructor(readonly backend: tf.KernelBackend, readonly backendName: string) {}

  /** A caller for the backend object a kernel function receives. */
  static of(backend: unknown, backendName: string): KernelCaller {
    return new KernelCaller(backend as tf.KernelBackend, backendName);
  }

  /** Runs kernel `name` of this backend on `inputs`; the caller owns the result and must {@link free} it. */
  run(name: string, inputs: KernelInputs, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const kernel = tf.getKernel(name, this.backendName);
    if (kernel == null) {
      throw new Error(`lib/backend: kernel '${name}' is not registered for backend '${this.backendName}'.`);
    }
    const out = kernel.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: this.backend,
      attrs: attrs as tf.NamedAttrMap,
    });
    return Array.isArray(out) ? out[0] : out;
  }

  /** Frees the data of kernel results that are not returned. */
  free(...infos: tf.TensorInfo[]): void {
    for (const info of infos) this.backend.disposeData(info.dataId);
  }

  /** Reshape (shares data; free the result like any other). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  /** Transpose by `perm`. */
  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run("Transpose", { x }, { perm });
  }
}

const stock = new Map<string, tf.KernelConfig>();

/** Registers `config` in place of the kernel of that name and backend, remembering the stock one ({@link stockKernel}). */
export function replaceKernel(config: { kernelName: string; backendName: string; kernelFunc: tf.KernelFunc }): void {
  const { kernelName: name, backendName, kernelFunc } = config;
  const old = tf.getKernel(name, backendName);
  if (old != null) {
    if (!stock.has(`${backendName}/${name}`)) stock.set(`${backendName}/${name}`, old);
    tf.unregisterKernel(name, backendName);
  }
  tf.registerKernel({ kernelName: name, backendName, kernelFunc, setupFunc: old?.setupFunc });
}

/** The kernel tfjs shipped for `name` on `backendName`, before {@link replaceKernel} replaced it. */
export function stockKernel(name: string, backendName: string): tf.KernelFunc {
  const k = stock.get(`${backendName}/${name}`) ?? tf.getKernel(name, backendName);
  if (k == null) throw new Error(`lib/backend: no stock '${name}' kernel on '${backendName}'.`);
  return k.kernelFunc;
}
