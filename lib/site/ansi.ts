/**
 * Terminal colour codes (ANSI SGR escape sequences) in kernel outputs and tracebacks, turned into HTML spans so an
 * error reads as it did in the terminal; every other escape sequence is dropped.
 */
import { escapeHtml } from "../display/mod.ts";

/** The 16 basic terminal colours (normal 0–7, bright 8–15), close to a light-theme terminal palette. */
const BASIC_COLOURS = [
  "#000000",
  "#c0392b",
  "#2e7d32",
  "#b7791f",
  "#1f5fbf",
  "#8e44ad",
  "#00838f",
  "#7f8c8d",
  "#555555",
  "#e74c3c",
  "#27ae60",
  "#d4a017",
  "#3b82f6",
  "#a855f7",
  "#06b6d4",
  "#bdc3c7",
];

// CSI sequences (ESC [ params final-byte), OSC sequences (ESC ] ... BEL/ST) and two-character escapes.
// deno-lint-ignore no-control-regex
const ESCAPE = /\x1b\[([0-9;?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Text with every terminal escape sequence removed. */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPE, "");
}

function colour256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return BASIC_COLOURS[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x: number): number => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

interface SgrState {
  fg?: string;
  bg?: string;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
}

function applySgr(state: SgrState, params: number[]): void {
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) {
      Object.assign(state, { fg: undefined, bg: undefined, bold: false, dim: false, italic: false, underline: false });
    } else if (p === 1) state.bold = true;
    else if (p === 2) state.dim = true;
    else if (p === 3) state.italic = true;
    else if (p === 4) state.underline = true;
    else if (p === 22) state.bold = state.dim = false;
    else if (p === 23) state.italic = false;
    else if (p === 24) state.underline = false;
    else if (p >= 30 && p <= 37) state.fg = BASIC_COLOURS[p - 30];
    else if (p >= 90 && p <= 97) state.fg = BASIC_COLOURS[p - 90 + 8];
    else if (p === 39) state.fg = undefined;
    else if (p >= 40 && p <= 47) state.bg = BASIC_COLOURS[p - 40];
    else if (p >= 100 && p <= 107) state.bg = BASIC_COLOURS[p - 100 + 8];
    else if (p === 49) state.bg = undefined;
    else if (p === 38 || p === 48) {
      let colour: string | undefined;
      if (params[i + 1] === 5) {
        colour = colour256(params[i + 2]);
        i += 2;
      } else if (params[i + 1] === 2) {
        const [r, g, b] = params.slice(i + 2, i + 5).map((v) => Math.max(0, Math.min(255, v || 0)));
        colour = `rgb(${r},${g},${b})`;
        i += 4;
      }
      if (p === 38) state.fg = colour;
      else state.bg = colour;
    }
  }
}

function styleOf(s: SgrState): string {
  const parts: string[] = [];
  if (s.fg) parts.push(`color:${s.fg}`);
  if (s.bg) parts.push(`background-color:${s.bg}`);
  if (s.bold) parts.push("font-weight:bold");
  if (s.dim) parts.push("opacity:0.7");
  if (s.italic) parts.push("font-style:italic");
  if (s.underline) parts.push("text-decoration:underline");
  return parts.join(";");
}

/**
 * Escapes text for HTML and turns its SGR colour codes (16, 256 and 24-bit colours, bold, dim, italic, underline)
 * into `<span style="...">`; other escape sequences are removed.
 */
export function ansiToHtml(text: string): string {
  const state: SgrState = { bold: false, dim: false, italic: false, underline: false };
  let html = "";
  let last = 0;
  let style = "";
  const emit = (chunk: string): void => {
    if (!chunk) return;
    html += style ? `<span style="${style}">${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
  };
  for (const m of text.matchAll(ESCAPE)) {
    emit(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === "m") {
      const params = m[1] === "" ? [0] : m[1].split(";").map((v) => (v === "" ? 0 : Number(v)));
      applySgr(state, params);
      style = styleOf(state);
    }
  }
  emit(text.slice(last));
  return html;
}
