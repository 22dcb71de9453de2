/**
 * Keeps the Deno Jupyter kernel from losing or garbling a cell's outputs (Deno 2.9.6).
 *
 * Why this exists, measured on that kernel's source and on these machines:
 * - Every `console.log` becomes one iopub message, and the kernel publishes its queue of messages one at a time,
 *   each signed and framed in JavaScript. A loop of 2,000 `console.log` calls leaves seconds of backlog after the
 *   cell ends; the kernel stamps each message with the parent of whichever request runs when it is sent, so the
 *   tail shows up under the next cell, and a client that moved on (or shut the kernel down) loses it.
 * - The kernel writes the cell's last messages (its result) and its `idle` status on the same TCP connection from
 *   two tasks. A message too big for one socket write (a few MB, less when the machine is busy) is interleaved with
 *   the status message: both arrive garbled and the subscriber's stream is broken from then on.
 *
 * So, inside the kernel: console writes are buffered and sent as one stream message per stream at most every
 * {@link FLUSH_INTERVAL_MS} (and before the cell's result), and the end of each cell waits long enough for the
 * kernel's queue to go out before the kernel publishes `idle` (a pause proportional to the bytes the cell sent).
 * `deno task run` installs this when it starts a kernel, and `lib/display` installs it when a notebook imports it
 * in Jupyter or VS Code. Outside the Deno kernel, {@link installKernelOutput} does nothing.
 */

/** Milliseconds a console write may wait before it is sent (writes within this window share one message). */
export const FLUSH_INTERVAL_MS = 50;

/** Buffered console text above this many characters is sent at once. */
const FLUSH_CHARS = 256 * 1024;

/**
 * Bytes per millisecond the end-of-cell pause assumes the kernel serialises, signs and writes a message at. On an
 * idle machine a 5 MB result goes out in well under 100 ms, but with every core busy (the test suite beside a busy
 * process per core) a pause sized for 15 MB/s still let 1 in 20 such results be garbled; 2 MB/s has not yet.
 */
const PUBLISH_BYTES_PER_MS = 2_000;

/** `Symbol.for` key of the installed state on `globalThis` (one per kernel, whichever copy of lib installed it). */
export const KERNEL_OUTPUT_KEY = "paper-notebooks.kernelOutput";

/** The global under which the installed state lives. */
const STATE = Symbol.for(KERNEL_OUTPUT_KEY);

/** What {@link installKernelOutput} leaves on `globalThis`; the runner calls `flush` before its end-of-cell marker. */
export interface KernelOutputState {
  /** Sends buffered console text now. */
  flush(): void;
  /** Puts the original console and result publisher back. */
  uninstall(): void;
}

type PrintFunc = (msg: string, level: number) => void;
interface DenoInternals {
  Console?: new (print: PrintFunc) => Console;
  jupyter?: { broadcastResult?: (count: number, result: unknown) => Promise<void> };
}
interface JupyterNamespace {
  broadcast(type: string, content: Record<string, unknown>): Promise<void> | void;
  display(obj: unknown, options?: { raw?: boolean; update?: boolean; display_id?: string }): Promise<void>;
}

function denoInternals(): { internals?: DenoInternals; jupyter?: JupyterNamespace } {
  const deno = (globalThis as { Deno?: Record<string | symbol, unknown> }).Deno;
  if (!deno) return {};
  let jupyter: JupyterNamespace | undefined;
  try {
    jupyter = deno.jupyter as JupyterNamespace | undefined; // the getter throws outside `deno jupyter`
  } catch {
    return {};
  }
  const internalSymbol = deno.internal as symbol | undefined;
  return { internals: internalSymbol ? deno[internalSymbol] as DenoInternals : undefined, jupyter };
}

/** A rough size in bytes of what the kernel will publish for a value (a cell's result or a displayed object). */
function publishedSize(value: unknown, raw: boolean): number {
  try {
    if (value === undefined || value === null) return 0;
    if (typeof value === "string") return value.length;
    const display = (value as Record<symbol, unknown>)[Symbol.for("Jupyter.display")];
    const bundle = !raw && typeof display === "function" ? display.call(value) : value;
    if (typeof bundle !== "object") return String(bundle).length;
    return JSON.stringify(bundle)?.length ?? 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Installs the coalescing console and the end-of-cell pause in the running Deno kernel. Returns the installed state,
 * or undefined outside the Deno Jupyter kernel (or on a kernel whose internals differ from the ones this was written
 * for, where it leaves everything as it was). Installing twice returns the first installation.
 */
export function installKernelOutput(): KernelOutputState | undefined {
  const g = globalThis as unknown as Record<symbol, KernelOutputState | undefined> & { console: Console };
  if (g[STATE]) return g[STATE];
  const { internals, jupyter } = denoInternals();
  const ConsoleClass = internals?.Console;
  const hooks = internals?.jupyter;
  const originalResult = hooks?.broadcastResult;
  if (!jupyter || !ConsoleClass || !hooks || typeof originalResult !== "function") return undefined;

  const originalConsole = g.console;
  const originalDisplay = jupyter.display;
  let pending: { name: "stdout" | "stderr"; text: string }[] = [];
  let pendingChars = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sentBytes = 0;

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const chunks = pending;
    pending = [];
    pendingChars = 0;
    for (let i = 0; i < chunks.length;) {
      let text = "";
      const name = chunks[i].name;
      for (; i < chunks.length && chunks[i].name === name; i++) text += chunks[i].text;
      sentBytes += text.length;
      jupyter.broadcast("stream", { name, text });
    }
  };
  const print: PrintFunc = (text, level) => {
    const name = level > 1 ? "stderr" : "stdout"; // Deno's own console sends levels 2+ (warn, error) to stderr
    const last = pending.at(-1);
    if (last?.name === name) last.text += text;
    else pending.push({ name, text });
    pendingChars += text.length;
    if (pendingChars >= FLUSH_CHARS) flush();
    else timer ??= setTimeout(flush, FLUSH_INTERVAL_MS);
  };

  g.console = new ConsoleClass(print);
  jupyter.display = (obj, options) => {
    sentBytes += publishedSize(obj, options?.raw === true);
    flush(); // what was printed before a display is shown before it
    return originalDisplay.call(jupyter, obj, options);
  };
  hooks.broadcastResult = async (count, result) => {
    flush();
    sentBytes += publishedSize(result, false);
    await originalResult.call(hooks, count, result);
    // The kernel publishes `idle` as soon as this returns; let its queue go out first (module comment).
    const bytes = sentBytes;
    sentBytes = 0;
    if (bytes > 64 * 1024) await sleep(Math.ceil(bytes / PUBLISH_BYTES_PER_MS));
  };
  const state: KernelOutputState = {
    flush,
    uninstall() {
      flush();
      g.console = originalConsole;
      jupyter.display = originalDisplay;
      hooks.broadcastResult = originalResult;
      delete g[STATE];
    },
  };
  g[STATE] = state;
  return state;
}
