/**
 * Fast tfjs training in Deno — kernels, their registration, and the backend choice: `initBackend` picks and sets up the
 * backend (wasm with this project's training kernels, native conv and batch-norm kernels built with the machine's C++
 * compiler and loaded through FFI; cpu as the fallback). Data-parallel training (lib/train) synchronises batch
 * statistics through `withBatchSync`. Inference runs folded batch norm through `conv2dInference` (conv + bias +
 * residual + ReLU in one kernel) and `globalAveragePool`. The kernels and glue below are exported for the benchmark
 * (bench/).
 */
export {
  type BackendInfo,
  type BackendName,
  initBackend,
  type InitBackendOptions,
  probeWebGpuAdapter,
} from "./init_backend.ts";
export { type AdapterFacts, isRealGpu } from "./select.ts";
export { type BatchSync, type BatchSyncScope, installSyncBatchStats, withBatchSync } from "./sync_batch_stats.ts";
export {
  loadNativeKernels,
  nativeConv2d,
  nativeConv2dBackpropFilter,
  nativeConv2dBackpropInput,
  nativeConv2dFused,
  type NativeConvAttrs,
  type NativeStatus,
  useNativeKernels,
} from "./native_kernels.ts";
export { buildNativeLibrary, cpuHasAvx512, type NativeBuild, type VectorWidth } from "./native_build.ts";
export { nativeKernelsOn, nativeSquaredDistances } from "./native_kernels.ts";
export { conv2dBackpropFilterComposed, conv2dBackpropInputComposed, type ConvGradAttrs } from "./conv_kernels.ts";
export { KernelCaller, type KernelInputs, stockKernel } from "./kernel_call.ts";
export {
  conv2dInference,
  globalAveragePool,
  hasInferenceKernels,
  INFERENCE_KERNELS,
  type InferenceConvAttrs,
  registerInferenceKernels,
} from "./inference_kernels.ts";
