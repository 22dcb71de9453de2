import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend, wasmBinaryFolder } from "./init_backend.ts";
import { WASM_TRAINING_KERNELS } from "./wasm_kernels.ts";

describe("initBackend", () => {
  it("finds the wasm binaries in node_modules", () => {
    const folder = wasmBinaryFolder();
    expect(folder).not.toBeNull();
    expect(Deno.statSync(`${folder}tfjs-backend-wasm-simd.wasm`).isFile).toBe(true);
  });

  it("picks wasm on this machine (no real GPU), prints one line, and is idempotent", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(" "));
    try {
      const env = Deno.env.get("PAPER_BACKEND");
      const first = await initBackend({ prefer: env ? undefined : "wasm" });
      const second = await initBackend({ prefer: "cpu" });
      expect(second).toBe(first);
      expect(tf.getBackend()).toBe(first.name);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`tfjs backend: ${first.name}`);
      expect(tf.env().getBool("PROD")).toBe(true);
      if (first.name === "wasm") {
        for (const k of WASM_TRAINING_KERNELS) expect(tf.getKernel(k, "wasm"), k).toBeDefined();
      }
    } finally {
      console.log = log;
    }
  });
});
