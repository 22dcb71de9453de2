/**
 * MIME bundles and the Jupyter display protocol, usable with or without a kernel.
 *
 * An object with a `[Symbol.for("Jupyter.display")]()` method is rendered by the Deno kernel from its MIME bundle;
 * outside Jupyter the same object can be inspected by tests through {@link bundleOf}.
 *
 * Importing this module inside the Deno kernel (as every notebook does through `@lib/display`) installs
 * lib/display/kernel_output.ts, which keeps the kernel from losing or garbling outputs.
 */
import { installKernelOutput } from "./kernel_output.ts";

/** The symbol the Deno Jupyter kernel looks up on a cell's result to render it. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A MIME bundle: MIME type to data, as in nbformat's `display_data.data`. */
export type MimeBundle = Record<string, unknown>;

/** Anything the Deno kernel can render through the display protocol. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/**
 * The largest output lib sends to the kernel, in bytes of JSON. The Deno kernel garbles a message of a few MB when
 * it writes it beside a status message (less on a busy machine), and executed notebooks are read on projectors and
 * in browsers: an output past this is a figure with too many points or pixels, not something to send.
 */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Returns the bundle after checking its size against {@link MAX_OUTPUT_BYTES}; throws a RangeError naming the
 * output (`what`) and what to do otherwise.
 */
export function checkedBundle(bundle: MimeBundle, what: string): MimeBundle {
  let bytes = 0;
  for (const v of Object.values(bundle)) bytes += typeof v === "string" ? v.length : JSON.stringify(v)?.length ?? 0;
  if (bytes > MAX_OUTPUT_BYTES) {
    const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
    throw new RangeError(
      `${what} is ${mb(bytes)}, over lib/display's limit of ${mb(MAX_OUTPUT_BYTES)} per output: ` +
        "the Deno kernel can garble messages this large and the executed notebook grows with it. Show fewer " +
        "points (subsample or summarise), fewer frames, or an image grid as image/png (imageGrid).",
    );
  }
  return bundle;
}

/** The MIME bundle of a displayable object (what Jupyter would render). */
export function bundleOf(obj: Displayable): MimeBundle {
  return obj[JUPYTER_DISPLAY]();
}

/** A displayable object from a fixed MIME bundle. */
export function displayable(bundle: MimeBundle): Displayable {
  return { [JUPYTER_DISPLAY]: () => checkedBundle(bundle, "an output") };
}

/** Escapes text for inclusion in HTML. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

interface JupyterApi {
  display(obj: unknown, options?: { raw?: boolean; update?: boolean; display_id?: string }): Promise<void>;
}

/** The kernel's `Deno.jupyter` namespace, or undefined outside `deno jupyter`. */
export function jupyterApi(): JupyterApi | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: JupyterApi } }).Deno;
  try {
    return deno?.jupyter;
  } catch {
    return undefined; // outside `deno jupyter` the getter throws
  }
}

/** True when running inside the Deno Jupyter kernel. */
export function inJupyter(): boolean {
  return jupyterApi() !== undefined;
}

/**
 * Shows a displayable now (not only as a cell's last value): in Jupyter as a display_data output, optionally with a
 * `display_id` so it can be updated in place; elsewhere its text/plain form is printed.
 */
export async function show(obj: Displayable, options: { displayId?: string; update?: boolean } = {}): Promise<void> {
  const bundle = bundleOf(obj);
  const api = jupyterApi();
  if (api) {
    await api.display(bundle, { raw: true, display_id: options.displayId, update: options.update });
  } else {
    console.log(String(bundle["text/plain"] ?? ""));
  }
}

if (inJupyter()) installKernelOutput();
