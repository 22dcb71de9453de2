/**
 * A progress bar for long loops (steps, epochs): updated in place inside Jupyter through a `display_id`, printed as
 * plain lines (at most every `printEvery` ms) outside it.
 */
import { displayable, escapeHtml, inJupyter, show } from "./bundle.ts";

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Text before the bar. Default: "". */
  label?: string;
  /** Minimum milliseconds between two redraws. Default: 250 (Jupyter) or 5000 (terminal). */
  minIntervalMs?: number;
  /** Width of the bar in characters. Default: 30. */
  width?: number;
}

let counter = 0;

function formatInfo(info: Record<string, number | string>): string {
  return Object.entries(info).map(([k, v]) => `${k}=${typeof v === "number" ? formatNumber(v) : v}`).join(" ");
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}

/** Seconds as "42s", "3m05s" or "1h07m". */
function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** A live progress bar: `update(done, info)` as the loop advances, `finish()` at the end. */
export class Progress {
  readonly total: number;
  readonly label: string;
  private readonly width: number;
  private readonly minInterval: number;
  private readonly displayId = `paper-progress-${Date.now()}-${counter++}`;
  private readonly started = performance.now();
  private lastDraw = -Infinity;
  private shown = false;
  private done = 0;
  private info: Record<string, number | string> = {};

  constructor(total: number, options: ProgressOptions = {}) {
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new RangeError(`Progress total must be a positive number, got ${total}`);
    }
    this.total = total;
    this.label = options.label ?? "";
    this.width = options.width ?? 30;
    this.minInterval = options.minIntervalMs ?? (inJupyter() ? 250 : 5000);
  }

  /** The current line of text, e.g. `train  [#####.....]  50/100  12.3s  loss=0.42`. */
  text(): string {
    const frac = Math.min(1, this.done / this.total);
    const filled = Math.round(frac * this.width);
    const bar = "#".repeat(filled) + ".".repeat(this.width - filled);
    const elapsed = (performance.now() - this.started) / 1000;
    // The ETA assumes the remaining items cost what the done ones did (steps of one training run do).
    const eta = this.done > 0 && this.done < this.total
      ? `  ETA ${formatSeconds((elapsed * (this.total - this.done)) / this.done)}`
      : "";
    const extra = formatInfo(this.info);
    return `${this.label ? `${this.label}  ` : ""}[${bar}] ${this.done}/${this.total}  ${elapsed.toFixed(1)}s${eta}${
      extra ? `  ${extra}` : ""
    }`;
  }

  /** Sets progress to `done` items, with optional metrics to show beside the bar. */
  async update(done: number, info: Record<string, number | string> = {}): Promise<void> {
    this.done = done;
    this.info = { ...this.info, ...info };
    const now = performance.now();
    if (now - this.lastDraw < this.minInterval && done < this.total) return;
    this.lastDraw = now;
    await this.draw();
  }

  /** Draws the final state. */
  async finish(info: Record<string, number | string> = {}): Promise<void> {
    this.info = { ...this.info, ...info };
    await this.draw();
  }

  private async draw(): Promise<void> {
    const text = this.text();
    if (inJupyter()) {
      const pct = Math.min(100, (100 * this.done) / this.total).toFixed(1);
      const html = `<div style="font-family:monospace">${escapeHtml(this.label)} ` +
        `<progress value="${this.done}" max="${this.total}" style="width:40%"></progress> ${pct}% ` +
        `${escapeHtml(text.slice(text.indexOf("]") + 1))}</div>`;
      await show(displayable({ "text/plain": text, "text/html": html }), {
        displayId: this.displayId,
        update: this.shown,
      });
      this.shown = true;
    } else {
      console.log(text);
    }
  }
}
