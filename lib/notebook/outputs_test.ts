import { describe, expect, it } from "vitest";
import type { JupyterMessage } from "./kernel.ts";
import { OutputCollector } from "./outputs.ts";

function msg(type: string, content: Record<string, unknown>): JupyterMessage {
  return { header: { msg_id: "m", msg_type: type, session: "s" }, parent_header: {}, metadata: {}, content };
}

describe("OutputCollector", () => {
  it("merges consecutive stream chunks into lines", () => {
    const c = new OutputCollector();
    c.startCell();
    c.handle(msg("stream", { name: "stdout", text: "a\nb" }));
    c.handle(msg("stream", { name: "stdout", text: "c\n" }));
    c.handle(msg("stream", { name: "stderr", text: "warn\n" }));
    expect(c.finishCell()).toEqual([
      { output_type: "stream", name: "stdout", text: ["a\n", "bc\n"] },
      { output_type: "stream", name: "stderr", text: ["warn\n"] },
    ]);
  });

  it("updates a display in an earlier cell by display_id", () => {
    const c = new OutputCollector();
    const first = c.startCell();
    c.handle(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } }));
    c.finishCell();
    c.startCell();
    c.handle(
      msg("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "p" } }),
    );
    expect(c.finishCell()).toEqual([]);
    expect(first).toEqual([{ output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} }]);
  });

  it("clears now, or at the next output with wait", () => {
    const c = new OutputCollector();
    c.startCell();
    c.handle(msg("stream", { name: "stdout", text: "old\n" }));
    c.handle(msg("clear_output", { wait: true }));
    expect(c.finishCell()).toHaveLength(1);
    c.startCell();
    c.handle(msg("stream", { name: "stdout", text: "old\n" }));
    c.handle(msg("clear_output", { wait: true }));
    c.handle(msg("stream", { name: "stdout", text: "new\n" }));
    expect(c.finishCell()).toEqual([{ output_type: "stream", name: "stdout", text: ["new\n"] }]);
    c.startCell();
    c.handle(msg("stream", { name: "stdout", text: "old\n" }));
    c.handle(msg("clear_output", { wait: false }));
    expect(c.finishCell()).toEqual([]);
  });

  it("records execute results and errors", () => {
    const c = new OutputCollector();
    c.startCell();
    c.handle(msg("execute_result", { execution_count: 3, data: { "text/plain": "3" }, metadata: {} }));
    c.handle(msg("error", { ename: "Error", evalue: "boom", traceback: ["Error: boom"] }));
    expect(c.finishCell()).toEqual([
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "3" }, metadata: {} },
      { output_type: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"] },
    ]);
  });
});
