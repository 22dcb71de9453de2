/**
 * Outputs of executed code cells: streams and plain text (terminal colours through ansi_up), errors with their
 * tracebacks, images (PNG, JPEG, GIF, SVG), HTML, markdown, LaTeX, JSON, and plotly figures as placeholders that the
 * page's script draws with plotly.js. Each output becomes JSX as it is met, so figures are numbered in page order.
 */
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { AnsiUp } from "ansi_up";
import { LIB_SOURCE_MIME, type LibSourceBlock, PLOTLY_MIME } from "../display/mod.ts";
import { type MultilineString, type Output, sourceText } from "../notebook/nbformat.ts";
import { bilingualTableHtml } from "./bilingual.tsx";
import { highlightCode, splitHighlightedLines } from "./highlight.tsx";
import { type MarkdownContext, markdownContext, renderMarkdown, renderMath } from "./markdown.tsx";

/** State shared by the outputs of one page. */
export interface OutputContext {
  /** Plotly figures placed so far on the page (numbers their element ids). */
  figures: number;
  /** The page's markdown context: ids in use and problems. */
  md: MarkdownContext;
  /** The page of a lib file's line on the site (`file` relative to lib/), or undefined when the site has none. */
  libHref?: (file: string, line: number) => string | undefined;
}

/** A fresh output context for one page; `libHref` links lib source excerpts to the site's source pages. */
export function outputContext(
  md: MarkdownContext = markdownContext(),
  libHref?: (file: string, line: number) => string | undefined,
): OutputContext {
  return { figures: 0, md, libHref };
}

/** MIME types in the order a page prefers them when a bundle offers several. */
export const MIME_PREFERENCE: readonly string[] = [
  LIB_SOURCE_MIME,
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

/**
 * Terminal text as HTML: escaped, SGR colours as ansi_up's `ansi-*` classes (site.css gives them the site's palette),
 * other escape sequences dropped. A fresh AnsiUp each time: it carries colour state from one call to the next.
 */
export function ansiToHtml(text: string): string {
  const ansi = new AnsiUp();
  ansi.use_classes = true;
  return ansi.ansi_to_html(text);
}

/** JSON for a `<script type="application/json">` element: `<` is escaped so no `</script>` can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function note(message: string): VNode {
  return <pre class="output-text output-warning">{message}</pre>;
}

function terminal(value: string, kind = ""): VNode {
  return <pre class={`output-text${kind}`} dangerouslySetInnerHTML={{ __html: ansiToHtml(value) }} />;
}

function imageSize(metadata: Record<string, unknown> | undefined, mime: string): { width?: number; height?: number } {
  const m = (metadata?.[mime] ?? {}) as { width?: unknown; height?: unknown };
  return {
    width: typeof m.width === "number" ? m.width : undefined,
    height: typeof m.height === "number" ? m.height : undefined,
  };
}

function plotlyFigure(spec: unknown, ctx: OutputContext): VNode {
  const fig = (spec ?? {}) as { data?: unknown };
  if (!Array.isArray(fig.data)) return note("A plotly figure without a data list could not be drawn.");
  const id = `plotly-${++ctx.figures}`;
  return (
    <>
      <div class="plotly-figure" id={id} data-spec={`${id}-spec`}></div>
      <script type="application/json" id={`${id}-spec`} dangerouslySetInnerHTML={{ __html: scriptJson(fig) }} />
    </>
  );
}

/**
 * A "look inside" excerpt (lib/display's lookInside): each block under its `lib/<file>:<line>` heading, highlighted,
 * every line number linked to that line of the file's source page.
 */
function libSourceView(value: unknown, ctx: OutputContext): VNode {
  const blocks = ((value ?? {}) as { blocks?: unknown }).blocks;
  if (!Array.isArray(blocks)) return note("A lib source excerpt without blocks could not be shown.");
  return (
    <div class="lib-source">
      {(blocks as LibSourceBlock[]).map((b) => {
        const href = (line: number) => ctx.libHref?.(b.file, line);
        const lines = splitHighlightedLines(highlightCode(String(b.code), "typescript"));
        return (
          <figure key={`${b.file}:${b.startLine}`} class="lib-source-block">
            <figcaption>
              {href(b.startLine)
                ? <a class="lib-link" href={href(b.startLine)}>{`lib/${b.file}:${b.startLine}`}</a>
                : <code>{`lib/${b.file}:${b.startLine}`}</code>}
              {" · "}
              <code>{b.name}</code>
              {b.region ? ` (${b.region})` : ""}
            </figcaption>
            <table class="source-listing hljs">
              <tbody>
                {lines.map((l, i) => {
                  const n = b.startLine + i;
                  return (
                    <tr key={n}>
                      <td class="line-number">{href(n) ? <a href={href(n)}>{n}</a> : n}</td>
                      <td class="line-code" dangerouslySetInnerHTML={{ __html: l || " " }} />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </figure>
        );
      })}
    </div>
  );
}

/** One MIME bundle (display_data / execute_result), choosing by {@link MIME_PREFERENCE}. */
export function bundleView(
  data: Record<string, unknown>,
  metadata: Record<string, unknown> | undefined,
  ctx: OutputContext,
): VNode {
  const mime = MIME_PREFERENCE.find((m) => data[m] !== undefined);
  if (!mime) return note(`(an output of type ${Object.keys(data).join(", ") || "nothing"}, not shown here)`);
  const value = data[mime];
  switch (mime) {
    case LIB_SOURCE_MIME:
      return libSourceView(value, ctx);
    case PLOTLY_MIME:
      return plotlyFigure(value, ctx);
    case "text/html": // the kernel's HTML (lib/display's tables and checks) is shown as HTML, as Jupyter does;
      // a table's caption or header written `한국어 / English` gets the language switch's spans
      return <div class="output-html" dangerouslySetInnerHTML={{ __html: bilingualTableHtml(text(value)) }} />;
    case "image/svg+xml":
      return <div class="output-image" dangerouslySetInnerHTML={{ __html: text(value) }} />;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return (
        <div class="output-image">
          <img
            src={`data:${mime};base64,${text(value).replace(/\s+/g, "")}`}
            {...imageSize(metadata, mime)}
            alt="output image"
          />
        </div>
      );
    case "text/markdown": {
      const md: MarkdownContext = {
        headings: [],
        usedIds: ctx.md.usedIds,
        problems: ctx.md.problems,
        where: ctx.md.where,
      };
      return <div class="output-markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(text(value), md) }} />;
    }
    case "text/latex": {
      const tex = text(value).trim().replace(/^\$\$?([\s\S]*?)\$?\$$/, "$1");
      return <div class="output-latex" dangerouslySetInnerHTML={{ __html: renderMath(tex, true, ctx.md) }} />;
    }
    case "application/json":
      return <pre class="output-text">{JSON.stringify(value, null, 2)}</pre>;
    default:
      return terminal(text(value));
  }
}

/** An error output: a bilingual label, then the traceback with its terminal colours. */
export function errorView(output: Extract<Output, { output_type: "error" }>): VNode {
  const traceback = Array.isArray(output.traceback) ? output.traceback.join("\n") : "";
  const body = traceback.trim() ? traceback : `${output.ename}: ${output.evalue}`;
  return (
    <div class="output-error" role="alert">
      <div class="error-label">오류 / Error: {output.ename}</div>
      {terminal(body)}
    </div>
  );
}

/** One output of a code cell. */
export function outputView(output: Output, ctx: OutputContext): VNode {
  switch (output.output_type) {
    case "stream":
      return terminal(text(output.text), output.name === "stderr" ? " output-stderr" : " output-stdout");
    case "display_data":
    case "execute_result":
      return bundleView(output.data ?? {}, output.metadata, ctx);
    case "error":
      return errorView(output);
    default:
      return note(`(an output of kind ${String((output as { output_type?: unknown }).output_type)}, not shown here)`);
  }
}

/** The outputs of a code cell, each wrapped in `<div class="output kind-...">`. */
export function outputsView(outputs: readonly Output[], ctx: OutputContext): VNode[] {
  return outputs.map((o, i) => <div key={i} class={`output kind-${o.output_type}`}>{outputView(o, ctx)}</div>);
}

/** HTML for one MIME bundle: {@link bundleView} rendered. */
export function renderBundle(
  data: Record<string, unknown>,
  metadata: Record<string, unknown> | undefined,
  ctx: OutputContext,
): string {
  return renderToString(bundleView(data, metadata, ctx));
}

/** HTML for one output: {@link outputView} rendered. */
export function renderOutput(output: Output, ctx: OutputContext): string {
  return renderToString(outputView(output, ctx));
}
