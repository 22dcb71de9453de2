import { describe, expect, it } from "vitest";
import { chooseBackend, isRealGpu, parseBackendName } from "./select.ts";

describe("chooseBackend", () => {
  const llvmpipe = { isFallbackAdapter: true, description: "llvmpipe (LLVM 15.0.6, 256 bits)" };
  const h200 = { isFallbackAdapter: false, description: "NVIDIA H200", vendor: "nvidia" };

  it("stays on wasm even on a real adapter (tfjs-backend-webgpu cannot train under Deno), and says why", () => {
    expect(chooseBackend({ adapter: h200 }).name).toBe("wasm");
    expect(chooseBackend({ adapter: h200 }).reason).toMatch(/real GPU adapter \(NVIDIA H200\).*PAPER_BACKEND=webgpu/);
    expect(chooseBackend({ adapter: llvmpipe }).name).toBe("wasm");
    expect(chooseBackend({ adapter: llvmpipe }).reason).toContain("software fallback");
    expect(chooseBackend({ adapter: null }).name).toBe("wasm");
    expect(chooseBackend({ adapter: null }).reason).toContain("no WebGPU adapter");
  });

  it("treats a software rasterizer as fallback even when the flag is missing", () => {
    expect(isRealGpu({ description: "SwiftShader Device (Subzero)" })).toBe(false);
    expect(isRealGpu({ description: "llvmpipe" })).toBe(false);
    expect(isRealGpu({ description: "AMD Radeon" })).toBe(true);
  });

  it("lets PAPER_BACKEND win over prefer and over the adapter", () => {
    expect(chooseBackend({ envChoice: "cpu", prefer: "wasm", adapter: h200 })).toEqual({
      name: "cpu",
      reason: "PAPER_BACKEND=cpu",
    });
    expect(chooseBackend({ prefer: "cpu", adapter: h200 }).name).toBe("cpu");
    expect(chooseBackend({ envChoice: " WebGPU ", adapter: llvmpipe }).name).toBe("webgpu");
    expect(chooseBackend({ envChoice: "", adapter: null }).name).toBe("wasm");
  });

  it("rejects an unknown name with an error naming the variable", () => {
    expect(() => parseBackendName("tensorflow")).toThrow(/PAPER_BACKEND='tensorflow'.*webgpu, wasm, cpu/);
    expect(() => chooseBackend({ envChoice: "gpu" })).toThrow(/PAPER_BACKEND/);
  });
});
