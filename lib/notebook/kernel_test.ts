import { describe, expect, it } from "vitest";
import { KernelClient } from "./kernel.ts";
import { processAlive } from "./test_util.ts";

describe("KernelClient", () => {
  it("keeps state across executions, survives an interrupted infinite loop, and shuts down", async () => {
    const kernel = await KernelClient.start({ cwd: Deno.cwd() });
    try {
      expect((await kernel.execute("const x = 20;")).status).toBe("ok");
      const loop = await kernel.execute("while (true) {}", { timeoutMs: 1500 });
      expect(loop).toMatchObject({ status: "timeout", recovered: "interrupted" });
      expect(kernel.alive).toBe(true);
      const results: unknown[] = [];
      const next = await kernel.execute("x + 22", { onIopub: (m) => results.push(m.content.data) });
      expect(next.status).toBe("ok");
      expect(results).toEqual([{ "text/plain": "42" }]);
    } finally {
      await kernel.shutdown();
    }
    expect(kernel.alive).toBe(false);
    expect(processAlive(kernel.pid)).toBe(false);
  });

  it("reports a kernel that dies during a cell", async () => {
    const kernel = await KernelClient.start({ cwd: Deno.cwd() });
    try {
      const outcome = await kernel.execute("Deno.exit(3)");
      expect(outcome.status).toBe("died");
      expect(kernel.alive).toBe(false);
    } finally {
      await kernel.shutdown();
    }
    expect(processAlive(kernel.pid)).toBe(false);
  });
});
