/** Fast tfjs training in Deno: backend choice, wasm training kernels, the cpu fallback's filter gradient. */
export * from "./init_backend.ts";
export * from "./select.ts";
export * from "./wasm_kernels.ts";
export * from "./cpu_kernels.ts";
