/**
 * Fast tfjs training in Deno: the backend choice (`initBackend`), wasm training kernels, native conv and batch-norm
 * kernels (built with the machine's C++ compiler, loaded through FFI), the cpu fallback's filter gradient, and
 * data-parallel training on several cores (`DataParallelTrainer`).
 */
export * from "./init_backend.ts";
export * from "./select.ts";
export * from "./wasm_kernels.ts";
export * from "./native_build.ts";
export * from "./native_kernels.ts";
export * from "./conv_kernels.ts";
export * from "./kernel_call.ts";
export * from "./cpu_kernels.ts";
export * from "./train_step.ts";
export * from "./data_parallel.ts";
export * from "./lcg.ts";
