/**
 * Fast tfjs training in Deno: the backend choice (`initBackend`), wasm training kernels, the cpu fallback's filter
 * gradient, and data-parallel training on several cores (`DataParallelTrainer`).
 */
export * from "./init_backend.ts";
export * from "./select.ts";
export * from "./wasm_kernels.ts";
export * from "./cpu_kernels.ts";
export * from "./train_step.ts";
export * from "./data_parallel.ts";
export * from "./lcg.ts";
