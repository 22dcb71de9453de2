/**
 * Which tfjs backend to use, as a pure decision over what was found on the machine (so it can be tested with a fake
 * GPU adapter): wasm with this project's training kernels, unless the environment or the caller asks for another.
 *
 * WebGPU is not chosen on its own, even on a real GPU: measured on an NVIDIA H200 with Deno 2.9.6 and
 * tfjs-backend-webgpu 4.22, `dataSync()` throws (the backend reads tensors back through a 2d OffscreenCanvas context,
 * which Deno does not provide), `tf.pad` of rank-5/6 tensors returns zeros (so the option-A shortcut's gradient is zero
 * and training diverges), and a ResNet-20 step took ~8 s (16.6 img/s against ~200 on one CPU core with the native
 * kernels). bench/webgpu_check.ts reproduces the two bugs on any adapter. `PAPER_BACKEND=webgpu` still selects it.
 */
/** A backend this project can train on. */
export type BackendName = "webgpu" | "wasm" | "cpu";

/** The chosen backend and a one-line reason. */
export interface BackendInfo {
  name: BackendName;
  reason: string;
}

/** What a WebGPU adapter says about itself (the fields of `GPUAdapterInfo` used here). */
export interface AdapterFacts {
  /** `GPUAdapterInfo.isFallbackAdapter` (or the older `GPUAdapter.isFallbackAdapter`). */
  isFallbackAdapter?: boolean;
  /** `GPUAdapterInfo.description`, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" or "NVIDIA H200". */
  description?: string;
  vendor?: string;
}

/** What {@link chooseBackend} decides from. */
export interface BackendProbe {
  /** The override from `PAPER_BACKEND`, or undefined. */
  envChoice?: string;
  /** The caller's preference (`initBackend({ prefer })`); the environment variable wins over it. */
  prefer?: BackendName;
  /** The WebGPU adapter found, null when `navigator.gpu` is missing or returned none, undefined when not probed. */
  adapter?: AdapterFacts | null;
}

const NAMES: readonly BackendName[] = ["webgpu", "wasm", "cpu"];
const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|softpipe/i;

/** Parses a backend name from the environment; a clear error for anything else. */
export function parseBackendName(value: string, source = "PAPER_BACKEND"): BackendName {
  const v = value.trim().toLowerCase();
  if ((NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(`lib/backend: ${source}='${value}' is not a backend; use one of ${NAMES.join(", ")} (or unset it).`);
}

/** True when the adapter is a real GPU: not flagged as a fallback and not a known software rasterizer. */
export function isRealGpu(adapter: AdapterFacts | null | undefined): boolean {
  if (adapter == null) return false;
  if (adapter.isFallbackAdapter === true) return false;
  return !SOFTWARE.test(adapter.description ?? "");
}

function describe(adapter: AdapterFacts): string {
  return adapter.description || adapter.vendor || "unnamed adapter";
}

/**
 * The backend to try first and why — the override (env, then `prefer`) if given, else wasm (see the module comment for
 * why not webgpu on a real adapter). The caller falls back to cpu when wasm fails to load.
 */
export function chooseBackend(probe: BackendProbe): BackendInfo {
  if (probe.envChoice != null && probe.envChoice !== "") {
    const name = parseBackendName(probe.envChoice);
    return { name, reason: `PAPER_BACKEND=${name}` };
  }
  if (probe.prefer != null) {
    const name = parseBackendName(probe.prefer, "initBackend({ prefer })");
    return { name, reason: `requested by the caller (prefer: "${name}")` };
  }
  const a = probe.adapter;
  const why = a == null
    ? "no WebGPU adapter"
    : isRealGpu(a)
    ? `a real GPU adapter (${describe(a)}) was found, but tfjs-backend-webgpu cannot train under Deno yet (dataSync ` +
      "fails, rank-6 pad gradients are zero; see lib/backend/select.ts); PAPER_BACKEND=webgpu tries it anyway"
    : `the WebGPU adapter is a software fallback (${describe(a)}), slower than wasm`;
  return { name: "wasm", reason: `${why}; wasm SIMD with this project's training kernels` };
}
