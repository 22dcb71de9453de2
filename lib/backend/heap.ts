/**
 * The one adapter to a tfjs backend object's tensor memory, for the kernels of this folder: on wasm, views into the
 * module's heap (read and written in place, by JavaScript and by the native kernels through FFI); on cpu, the
 * backend's own typed arrays. The internals of tfjs's backends that the kernels rely on (wasm: `makeOutput`,
 * `typedArrayFromHeap`, `incRef`; cpu: `data`, `readSync`, `makeTensorInfo`, `incRef`) are named here and nowhere else.
 */
import type * as tf from "@tensorflow/tfjs";

/** A typed array as a backend stores tensor values (bool as Uint8Array). */
export type BackendValues = Float32Array | Int32Array | Uint8Array;

/** Typed-array access to the tensors a kernel receives and makes. */
export interface BackendHeap {
  /** True on wasm: values are views into the module's heap, which the native kernels can read and write. */
  readonly wasm: boolean;
  /**
   * A float32 tensor's values, writable in place. On wasm, make every output before taking any view: an allocation
   * may grow the heap and detach earlier views.
   */
  values(t: tf.TensorInfo): Float32Array;
  /** The values of a tensor of any numeric dtype, writable in place. */
  typedValues(t: tf.TensorInfo): BackendValues;
  /** A new tensor of `shape` and `dtype` (default float32) for a kernel to fill and return. */
  output(shape: number[], dtype?: tf.DataType): tf.TensorInfo;
  /** A tensor sharing `x`'s memory (tensors are immutable), for kernels that would otherwise copy. */
  share(x: tf.TensorInfo): tf.TensorInfo;
}

/** The parts of tfjs-backend-wasm's backend object used here. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): BackendValues;
  incRef(dataId: unknown): void;
}

/** The parts of tfjs-backend-cpu's backend object used here. */
interface CpuBackend {
  data: { get(dataId: unknown): { values?: unknown } };
  readSync(dataId: unknown): unknown;
  makeTensorInfo(shape: number[], dtype: string, values: BackendValues): tf.TensorInfo;
  incRef(dataId: unknown): void;
}

const size = (shape: readonly number[]): number => shape.reduce((p, q) => p * q, 1);

function zeros(n: number, dtype: tf.DataType): BackendValues {
  return dtype === "int32" ? new Int32Array(n) : dtype === "bool" ? new Uint8Array(n) : new Float32Array(n);
}

/** The heap of the wasm backend object `backend`, or null when it is another backend. */
export function wasmHeap(backend: unknown): BackendHeap | null {
  const b = backend as Partial<WasmBackend>;
  if (typeof b.makeOutput !== "function" || typeof b.typedArrayFromHeap !== "function") return null;
  const w = b as WasmBackend;
  return {
    wasm: true,
    values: (t) => w.typedArrayFromHeap(t) as Float32Array,
    typedValues: (t) => w.typedArrayFromHeap(t),
    output: (shape, dtype = "float32") => w.makeOutput(shape, dtype),
    share: (x) => {
      w.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}

/** Typed-array access for the backend object a kernel receives (wasm or cpu); throws for any other backend. */
export function backendHeap(backend: unknown): BackendHeap {
  const wasm = wasmHeap(backend);
  if (wasm != null) return wasm;
  const b = backend as Partial<CpuBackend>;
  if (b.data == null || typeof b.readSync !== "function" || typeof b.makeTensorInfo !== "function") {
    throw new Error("lib/backend: this backend exposes neither a wasm heap nor cpu typed arrays.");
  }
  const c = b as CpuBackend;
  // The stored array itself when it has the tensor's type (writable in place); readSync converts anything else.
  const typed = (t: tf.TensorInfo): BackendValues => {
    const stored = c.data.get(t.dataId).values;
    const want = t.dtype === "int32" ? Int32Array : t.dtype === "bool" ? Uint8Array : Float32Array;
    return stored instanceof want ? stored : c.readSync(t.dataId) as BackendValues;
  };
  return {
    wasm: false,
    values: (t) => typed(t) as Float32Array,
    typedValues: typed,
    output: (shape, dtype = "float32") => c.makeTensorInfo(shape, dtype, zeros(size(shape), dtype)),
    share: (x) => {
      c.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
