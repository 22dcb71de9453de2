/**
 * Plotly figures as Jupyter displayables: `application/vnd.plotly.v1+json` for VS Code and JupyterLab
 * (with jupyterlab-plotly), an HTML fallback with the figure's data as a table summary, and plain text.
 */
import { checkedBundle, type Displayable, escapeHtml, JUPYTER_DISPLAY, type MimeBundle, show } from "./bundle.ts";

/** One plotly trace (scatter, bar, heatmap, ...): a plain JSON object as plotly.js takes it. */
export type PlotlyTrace = Record<string, unknown> & { type?: string; name?: string };

/** A plotly figure specification: traces, layout and optional animation frames. */
export interface PlotlyFigureSpec {
  data: PlotlyTrace[];
  layout?: Record<string, unknown>;
  frames?: Record<string, unknown>[];
  config?: Record<string, unknown>;
}

/** The MIME type VS Code and JupyterLab render as an interactive plotly figure. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

function describeTrace(trace: PlotlyTrace): string {
  const points = Array.isArray(trace.y) ? trace.y.length : Array.isArray(trace.z) ? trace.z.length : 0;
  return `${trace.type ?? "scatter"}${trace.name ? ` "${trace.name}"` : ""} (${points} points)`;
}

/** A plotly figure that renders in Jupyter and can be inspected in tests. */
export class PlotlyFigure implements Displayable {
  readonly spec: PlotlyFigureSpec;

  constructor(spec: PlotlyFigureSpec) {
    this.spec = { ...spec, data: spec.data.map((t) => ({ ...t })), layout: { ...spec.layout } };
  }

  /** The figure's title, or an empty string. */
  get title(): string {
    const t = this.spec.layout?.title;
    if (typeof t === "string") return t;
    if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") {
      return (t as { text: string }).text;
    }
    return "";
  }

  /** Plain-text summary: title and one line per trace. */
  toString(): string {
    return [`Figure${this.title ? `: ${this.title}` : ""}`, ...this.spec.data.map((t) => `  - ${describeTrace(t)}`)]
      .join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    // Six significant digits are more than a figure can show and keep the output a third of full precision's size.
    const json = JSON.parse(
      JSON.stringify(this.spec, (_k, v) => typeof v !== "number" ? v : Number.isFinite(v) ? +v.toPrecision(6) : null),
    );
    const items = this.spec.data.map((t) => `<li>${escapeHtml(describeTrace(t))}</li>`).join("");
    const html = `<div class="paper-plotly-fallback"><b>${escapeHtml(this.title || "Plotly figure")}</b>` +
      `<ul>${items}</ul><small>Interactive view: open in VS Code, or install jupyterlab-plotly.</small></div>`;
    return checkedBundle(
      { [PLOTLY_MIME]: json, "text/html": html, "text/plain": this.toString() },
      `the plotly figure "${this.title || "untitled"}"`,
    );
  }

  /** Displays now, or updates the display with the same id in place. */
  show(options: { displayId?: string; update?: boolean } = {}): Promise<void> {
    return show(this, options);
  }
}

/** Builds a plotly figure from traces and a layout. */
export function plot(
  data: PlotlyTrace[],
  layout: Record<string, unknown> = {},
  extra: Omit<PlotlyFigureSpec, "data" | "layout"> = {},
): PlotlyFigure {
  return new PlotlyFigure({ data, layout, ...extra });
}

/** A line trace from y values (x defaults to 0, 1, 2, ...). */
export function line(
  y: ArrayLike<number>,
  options: { x?: ArrayLike<number>; name?: string; dash?: string } & Record<string, unknown> = {},
): PlotlyTrace {
  const { x, name, dash, ...rest } = options;
  const ys = Array.from(y);
  return {
    type: "scatter",
    mode: "lines",
    x: x ? Array.from(x) : ys.map((_, i) => i),
    y: ys,
    ...(name === undefined ? {} : { name }),
    ...(dash === undefined ? {} : { line: { dash } }),
    ...rest,
  };
}
