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

/** The MIME bundle of a displayable object (what Jupyter would render). */
export function bundleOf(obj: Displayable): MimeBundle {
  return obj[JUPYTER_DISPLAY]();
}

/** A displayable object from a fixed MIME bundle. */
export function displayable(bundle: MimeBundle): Displayable {
  return { [JUPYTER_DISPLAY]: () => bundle };
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
