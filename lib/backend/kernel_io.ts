/**
 * Reading and making float32 tensors from inside a kernel on the wasm backend (views into the heap) or the cpu backend
 * (its typed arrays), for the typed-array kernels of this folder (batch norm, moving averages, the SGD update).
 */
import type * as tf from "@tensorflow/tfjs";

/** Typed-array access to a kernel's inputs and outputs. */
export interface KernelIo {
  values(t: tf.TensorInfo): Float32Array;
  output(shape: number[]): { info: tf.TensorInfo; values: () => Float32Array };
}

/**
 * Typed-array access for the backend object a kernel receives. On wasm, make every output before taking any view:
 * an allocation may grow the heap and detach earlier views.
 */
export function kernelIo(backend: unknown): KernelIo {
  const b = backend as {
    typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array;
    makeOutput?: (shape: number[], dtype: string) => tf.TensorInfo;
    readSync?: (id: unknown) => Float32Array;
    makeTensorInfo?: (shape: number[], dtype: string, values: Float32Array) => tf.TensorInfo;
    data?: { get(id: unknown): { values: Float32Array } };
  };
  if (b.typedArrayFromHeap && b.makeOutput) {
    return {
      values: (t) => b.typedArrayFromHeap!(t),
      output: (shape) => {
        const info = b.makeOutput!(shape, "float32");
        return { info, values: () => b.typedArrayFromHeap!(info) };
      },
    };
  }
  return {
    values: (t) => b.readSync!(t.dataId) as Float32Array,
    output: (shape) => {
      const values = new Float32Array(shape.reduce((p, q) => p * q, 1));
      const info = b.makeTensorInfo!(shape, "float32", values);
      return { info, values: () => b.data!.get(info.dataId).values };
    },
  };
}
