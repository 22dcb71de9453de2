/**
 * One call that notebooks and lib use to get the fastest tfjs backend this machine offers for training, and that says
 * in one line which it chose and why.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { registerCpuTrainingKernels } from "./cpu_kernels.ts";
import { registerInferenceKernels } from "./inference_kernels.ts";
import { type AdapterFacts, type BackendInfo, type BackendName, chooseBackend } from "./select.ts";
import { loadNativeKernels } from "./native_kernels.ts";
import { registerWasmTrainingKernels } from "./wasm_kernels.ts";

export type { BackendInfo, BackendName } from "./select.ts";

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Backend to use unless `PAPER_BACKEND` says otherwise. Default: the fastest available. */
  prefer?: BackendName;
  /** Print nothing. Default: false (one line: which backend and why). */
  quiet?: boolean;
}

let chosen: Promise<BackendInfo> | null = null;

/**
 * The folder holding tfjs-backend-wasm's .wasm binaries, found through Node resolution from this file (works under
 * `deno run`, in the Deno Jupyter kernel whatever its cwd, and under vitest), or null if it cannot be resolved.
 */
export function wasmBinaryFolder(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + "/";
  } catch {
    return null;
  }
}

/** Asks `navigator.gpu` for an adapter (5 s at most) and returns what it says about itself, or null if none. */
export async function probeWebGpuAdapter(): Promise<AdapterFacts | null> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (gpu == null) return null;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000));
  let adapter: unknown;
  try {
    adapter = await Promise.race([gpu.requestAdapter(), timeout]);
  } catch {
    return null;
  }
  if (adapter == null) return null;
  const a = adapter as { isFallbackAdapter?: boolean; info?: AdapterFacts };
  return {
    isFallbackAdapter: a.info?.isFallbackAdapter ?? a.isFallbackAdapter,
    description: a.info?.description,
    vendor: a.info?.vendor,
  };
}

async function trySet(name: BackendName): Promise<string | null> {
  try {
    if (name === "webgpu") {
      await import("@tensorflow/tfjs-backend-webgpu");
    } else if (name === "wasm") {
      const folder = wasmBinaryFolder();
      if (folder != null) setWasmPaths(folder);
      registerWasmTrainingKernels();
      registerInferenceKernels(name);
    } else {
      registerCpuTrainingKernels();
      registerInferenceKernels(name);
    }
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') returned false`;
    await tf.ready();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function select(options: InitBackendOptions): Promise<BackendInfo> {
  tf.enableProdMode();
  const envChoice = Deno.env.get("PAPER_BACKEND");
  const overridden = (envChoice != null && envChoice !== "") || options.prefer != null;
  const adapter = overridden ? undefined : await probeWebGpuAdapter();
  const first = chooseBackend({ envChoice, prefer: options.prefer, adapter });
  // Fallback order after the first choice: wasm, then cpu (which always loads).
  const order: BackendName[] = [first.name, ...(["wasm", "cpu"] as BackendName[]).filter((n) => n !== first.name)];
  const failures: string[] = [];
  for (const name of order) {
    const error = await trySet(name);
    if (error == null) {
      let reason = failures.length === 0 ? first.reason : `${first.reason}; ${failures.join("; ")}`;
      if (name === "wasm") {
        const native = await loadNativeKernels();
        reason += native.ok
          ? `; native conv and batch-norm kernels (${native.build.compiler.split(":")[0]} ${
            native.build.flags.slice(0, 2).join(" ")
          }, ${native.vectorWidth}-bit vectors)`
          : `; native kernels off (${native.reason.split("\n")[0]})`;
      }
      return { name, reason };
    }
    failures.push(`${name} failed to load (${error})`);
  }
  throw new Error(`lib/backend: no tfjs backend could be loaded: ${failures.join("; ")}`);
}

/**
 * Picks and initialises the fastest tfjs backend that trains correctly here — wasm with this project's training kernels
 * (native conv and batch-norm kernels when a C++ compiler is there), else cpu with the typed-array filter gradient —
 * in prod mode, honouring `PAPER_BACKEND=cpu|wasm|webgpu` (webgpu only on request: see select.ts). Supports the experiments of ResNet §4.2 and GAN §5 (training on this machine).
 * Idempotent: later calls return the first call's result (their options are ignored).
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (chosen == null) {
    chosen = select(options).then((info) => {
      if (!options.quiet) console.log(`tfjs backend: ${info.name} — ${info.reason}`);
      return info;
    });
    chosen.catch(() => {
      chosen = null;
    });
  }
  return chosen;
}
