/** Figures of training runs: error curves like ResNet Figure 1 / Figure 6 (thin: training, bold: test). */
import { line, plot, type PlotlyFigure, type PlotlyTrace } from "../display/mod.ts";
import type { TrainHistory } from "./train.ts";

/** Trailing moving average over `window` points (shorter at the start): a smoothed mini-batch error curve. */
export function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

/** One curve set of {@link errorCurves}. */
export interface CurveRun {
  /** Legend name. */
  name: string;
  history: TrainHistory;
  /** Line dash ("dash" for plain nets, as the paper draws them with thinner lines). Default: solid. */
  dash?: string;
  /** Line colour. Default: plotly's cycle. */
  color?: string;
}

/**
 * Training error (moving average of mini-batch error, in %) and test error (markers) against iterations, one colour
 * per run — the layout of ResNet Figure 1 and Figure 6.
 */
export function errorCurves(
  runs: readonly CurveRun[],
  options: { window?: number; title?: string } = {},
): PlotlyFigure {
  const window = options.window ?? 20;
  const traces: PlotlyTrace[] = [];
  runs.forEach((r, i) => {
    const color = r.color ?? ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"][i % 6];
    traces.push(line(movingAverage(r.history.trainError, window).map((e) => 100 * e), {
      name: `${r.name} train`,
      x: r.history.trainError.map((_, s) => s + 1),
      dash: r.dash,
      line: { color, width: 1.5, ...(r.dash ? { dash: r.dash } : {}) },
    }));
    if (r.history.testError.length) {
      traces.push({
        type: "scatter",
        mode: "lines+markers",
        name: `${r.name} test`,
        x: r.history.evalSteps,
        y: r.history.testError.map((e) => 100 * e),
        line: { color, width: 3, ...(r.dash ? { dash: r.dash } : {}) },
      });
    }
  });
  return plot(traces, {
    title: { text: options.title ?? "Error vs iterations" },
    xaxis: { title: { text: "iteration" } },
    yaxis: { title: { text: "error (%)" } },
  });
}
