/**
 * Outputs of executed code cells to HTML: streams and plain text (terminal colours kept), errors with their
 * tracebacks, images (PNG, JPEG, SVG), HTML, markdown, LaTeX, JSON, and plotly figures as placeholders that the
 * page's script draws with plotly.js.
 */
import { escapeHtml, PLOTLY_MIME } from "../display/mod.ts";
import { type MultilineString, type Output, sourceText } from "../notebook/nbformat.ts";
import { ansiToHtml } from "./ansi.ts";
import { type MarkdownContext, markdownContext, renderMarkdown, renderMath } from "./markdown.ts";

/** State shared by the outputs of one page. */
export interface OutputContext {
  /** Plotly figures placed so far on the page (numbers their element ids). */
  figures: number;
  /** The page's markdown context: ids in use and problems. */
  md: MarkdownContext;
}

/** A fresh output context for one page. */
export function outputContext(md: MarkdownContext = markdownContext()): OutputContext {
  return { figures: 0, md };
}

/** MIME types in the order a page prefers them when a bundle offers several. */
export const MIME_PREFERENCE: readonly string[] = [
  PLOTLY_MIME,
  "text/html",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "text/markdown",
  "text/latex",
  "application/json",
  "text/plain",
];

function text(value: unknown): string {
  if (typeof value === "string" || Array.isArray(value)) return sourceText(value as MultilineString);
  return JSON.stringify(value, null, 2) ?? "";
}

/** JSON for a `<script type="application/json">` element: `<` is escaped so no `</script>` can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function imageSize(metadata: Record<string, unknown> | undefined, mime: string): string {
  const m = (metadata?.[mime] ?? {}) as { width?: unknown; height?: unknown };
  const w = typeof m.width === "number" ? ` width="${m.width}"` : "";
  const h = typeof m.height === "number" ? ` height="${m.height}"` : "";
  return w + h;
}

function plotlyFigure(spec: unknown, ctx: OutputContext): string {
  const fig = (spec ?? {}) as { data?: unknown; layout?: unknown; frames?: unknown; config?: unknown };
  if (!Array.isArray(fig.data)) {
    return `<pre class="output-text output-warning">${
      escapeHtml(`A plotly figure without a data list could not be drawn.`)
    }</pre>`;
  }
  const id = `plotly-${++ctx.figures}`;
  return `<div class="plotly-figure" id="${id}" data-spec="${id}-spec"></div>` +
    `<script type="application/json" id="${id}-spec">${scriptJson(fig)}</script>`;
}

/** HTML for one MIME bundle (display_data / execute_result), choosing by {@link MIME_PREFERENCE}. */
export function renderBundle(
  data: Record<string, unknown>,
  metadata: Record<string, unknown> | undefined,
  ctx: OutputContext,
): string {
  const mime = MIME_PREFERENCE.find((m) => data[m] !== undefined);
  if (!mime) {
    const kinds = Object.keys(data).join(", ") || "nothing";
    return `<pre class="output-text output-warning">${
      escapeHtml(`(an output of type ${kinds}, not shown here)`)
    }</pre>`;
  }
  const value = data[mime];
  switch (mime) {
    case PLOTLY_MIME:
      return plotlyFigure(value, ctx);
    case "text/html":
      return `<div class="output-html">${text(value)}</div>`;
    case "image/svg+xml":
      return `<div class="output-image">${text(value)}</div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return `<div class="output-image"><img src="data:${mime};base64,${text(value).replace(/\s+/g, "")}"${
        imageSize(metadata, mime)
      } alt="output image"></div>`;
    case "text/markdown": {
      const md: MarkdownContext = {
        headings: [],
        usedIds: ctx.md.usedIds,
        problems: ctx.md.problems,
        where: ctx.md.where,
      };
      return `<div class="output-markdown">${renderMarkdown(text(value), md)}</div>`;
    }
    case "text/latex": {
      const tex = text(value).trim().replace(/^\$\$?([\s\S]*?)\$?\$$/, "$1");
      return `<div class="output-latex">${renderMath(tex, true, ctx.md)}</div>`;
    }
    case "application/json":
      return `<pre class="output-text">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
    default:
      return `<pre class="output-text">${ansiToHtml(text(value))}</pre>`;
  }
}

/** HTML for an error output: a bilingual label, then the traceback with its terminal colours. */
export function renderError(output: Extract<Output, { output_type: "error" }>): string {
  const traceback = Array.isArray(output.traceback) ? output.traceback.join("\n") : "";
  const head = `${output.ename}: ${output.evalue}`;
  const body = traceback.trim() ? traceback : head;
  return `<div class="output-error" role="alert"><div class="error-label">오류 / Error: ${
    escapeHtml(output.ename)
  }</div><pre class="output-text">${ansiToHtml(body)}</pre></div>`;
}

/** HTML for one output of a code cell. */
export function renderOutput(output: Output, ctx: OutputContext): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="output-text output-${output.name === "stderr" ? "stderr" : "stdout"}">${
        ansiToHtml(text(output.text))
      }</pre>`;
    case "display_data":
    case "execute_result":
      return renderBundle(output.data ?? {}, output.metadata, ctx);
    case "error":
      return renderError(output);
    default: {
      const kind = (output as { output_type?: unknown }).output_type;
      return `<pre class="output-text output-warning">${
        escapeHtml(`(an output of kind ${String(kind)}, not shown here)`)
      }</pre>`;
    }
  }
}

/** HTML for the outputs of a code cell, each wrapped in `<div class="output">`. */
export function renderOutputs(outputs: readonly Output[], ctx: OutputContext): string {
  return outputs.map((o) => `<div class="output kind-${escapeHtml(o.output_type)}">${renderOutput(o, ctx)}</div>`)
    .join("\n");
}
