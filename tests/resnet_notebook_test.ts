/**
 * The ResNet notebook in its quick defaults shows the paper's orderings (ResNet §4.2, Figure 6): the deeper plain net
 * has higher training error than the shallower one, and the residual net beats the plain net at the same depth. Reads
 * the `RESNET_SUMMARY {...}` line the notebook prints in §5.
 */
import { describe, expect, it } from "vitest";
import { runNotebook } from "@lib/notebook/run.ts";

const FILE = "notebooks/image-classification/resnet.ipynb";

function outputText(nb: { cells: { outputs?: unknown[] }[] }): string {
  const parts: string[] = [];
  for (const cell of nb.cells) {
    for (const o of (cell.outputs ?? []) as { text?: string | string[]; data?: Record<string, unknown> }[]) {
      const t = o.text ?? o.data?.["text/plain"];
      if (t) parts.push(Array.isArray(t) ? t.join("") : String(t));
    }
  }
  return parts.join("\n");
}

describe("ResNet notebook, quick defaults", () => {
  it("shows degradation of the deeper plain net and the residual net's advantage", async () => {
    const result = await runNotebook(FILE, { outFile: "out/tests/resnet_ordering.ipynb" });
    expect(result.failure, result.failure && `${result.failure.ename}: ${result.failure.evalue}`).toBeUndefined();
    const m = outputText(result.notebook).match(/RESNET_SUMMARY (\{.*\})/);
    expect(m, "the notebook prints RESNET_SUMMARY in §5").not.toBeNull();
    const summary = JSON.parse(m![1]) as Record<string, number | boolean>;
    expect(summary["degradation (deeper plain worse)"]).toBe(true);
    expect(summary["ResNet better than plain at depth"]).toBe(true);
    // floors well inside the measured margins (seeds 1–3: +21…+32 and +25…+31 points)
    expect(summary["plain deep − plain shallow (train err %)"]).toBeGreaterThan(5);
    expect(summary["plain deep − ResNet deep (train err %)"]).toBeGreaterThan(5);
  }, 1_800_000);
});
