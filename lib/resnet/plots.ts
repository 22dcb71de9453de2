/** Figures of the ResNet notebook: Figure 7's layer-response standard deviations. */
import { plot, type PlotlyFigure, type PlotlyTrace } from "../display/mod.ts";
import type { LayerResponse } from "./responses.ts";

/**
 * ResNet Figure 7: std of each 3×3 layer's response, in layer order (top) and sorted by magnitude (bottom), one line
 * per net.
 */
export function responsesFigure(
  nets: readonly { name: string; responses: readonly LayerResponse[]; dash?: string }[],
  options: { title?: string } = {},
): PlotlyFigure {
  const traces: PlotlyTrace[] = [];
  nets.forEach((n, i) => {
    const color = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"][i % 6];
    const std = n.responses.map((r) => r.std);
    const x = std.map((_, k) => k + 1);
    const style = { color, ...(n.dash ? { dash: n.dash } : {}) };
    traces.push({ type: "scatter", mode: "lines+markers", name: n.name, x, y: std, line: style, legendgroup: n.name });
    traces.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${n.name} (sorted)`,
      x,
      y: [...std].sort((a, b) => b - a),
      line: style,
      legendgroup: n.name,
      showlegend: false,
      xaxis: "x2",
      yaxis: "y2",
    });
  });
  return plot(traces, {
    title: { text: options.title ?? "Figure 7: std of layer responses" },
    grid: { rows: 2, columns: 1, pattern: "independent" },
    xaxis: { title: { text: "layer index (original)" } },
    yaxis: { title: { text: "std" } },
    xaxis2: { title: { text: "layer index (sorted by magnitude)" } },
    yaxis2: { title: { text: "std" } },
    height: 600,
  });
}
