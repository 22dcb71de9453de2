/**
 * Turns the kernel's iopub messages into nbformat outputs, as nbclient does: streams are merged, displays with a
 * `display_id` are updated in place by `update_display_data` (in whichever cell they were shown), and
 * `clear_output` (with or without `wait`) clears the current cell's outputs.
 */
import type { JupyterMessage } from "./kernel.ts";
import { type Output, toLines } from "./nbformat.ts";

type DisplayOutput = Extract<Output, { output_type: "display_data" | "execute_result" }>;

/** Collects outputs for one notebook run; call {@link startCell} before each cell. */
export class OutputCollector {
  private outputs: Output[] = [];
  private clearPending = false;
  private readonly displays = new Map<string, DisplayOutput[]>();

  /** Begins collecting for a new cell and returns its (live) output list. */
  startCell(): Output[] {
    this.outputs = [];
    this.clearPending = false;
    return this.outputs;
  }

  /** The outputs of the current cell, streams joined into nbformat's list-of-lines form. */
  finishCell(): Output[] {
    for (const o of this.outputs) {
      if (o.output_type === "stream" && typeof o.text === "string") o.text = toLines(o.text);
    }
    return this.outputs;
  }

  private add(output: Output): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    this.outputs.push(output);
  }

  /** Applies one iopub message of the current cell. */
  handle(msg: JupyterMessage): void {
    const c = msg.content;
    const displayId = (c.transient as { display_id?: string } | undefined)?.display_id;
    switch (msg.header.msg_type) {
      case "stream": {
        const name = c.name === "stderr" ? "stderr" : "stdout";
        const last = this.outputs.at(-1);
        if (
          !this.clearPending && last?.output_type === "stream" && last.name === name && typeof last.text === "string"
        ) {
          last.text += String(c.text);
        } else {
          this.add({ output_type: "stream", name, text: String(c.text) });
        }
        return;
      }
      case "display_data":
      case "execute_result": {
        const data = (c.data ?? {}) as Record<string, unknown>;
        const metadata = (c.metadata ?? {}) as Record<string, unknown>;
        const output: DisplayOutput = msg.header.msg_type === "display_data"
          ? { output_type: "display_data", data, metadata }
          : { output_type: "execute_result", execution_count: (c.execution_count as number) ?? null, data, metadata };
        this.add(output);
        if (displayId) this.displays.set(displayId, [...(this.displays.get(displayId) ?? []), output]);
        return;
      }
      case "update_display_data": {
        for (const output of (displayId && this.displays.get(displayId)) || []) {
          output.data = (c.data ?? {}) as Record<string, unknown>;
          output.metadata = (c.metadata ?? {}) as Record<string, unknown>;
        }
        return;
      }
      case "clear_output": {
        if (c.wait) this.clearPending = true;
        else this.outputs.length = 0;
        return;
      }
      case "error": {
        this.add({
          output_type: "error",
          ename: String(c.ename ?? "Error"),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        return;
      }
    }
  }
}
