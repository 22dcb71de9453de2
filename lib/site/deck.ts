/**
 * The slide deck of an executed paper notebook, as data: which slides, in which order, holding what. lib/site/slides.tsx
 * renders it with reveal.js.
 *
 * From the notebook: a title slide from the paper header; for every `## ` section its text (split over as many
 * slides as its length needs at the projector's type size), each `### 질문 / Question` as a slide whose answer is
 * revealed on the next step (this run's answer and why, from the verdict's {@link CHECK_MIME} part), and the outputs of
 * its code cells — each plotly figure and image on a slide of its own, tables and the run's verdict sentences packed
 * onto slides under the cell's caption (its opening comment); the keywords section as the closing slides. Each
 * section's speaker notes (lib/collection/speaker_notes.ts) go with every slide of the section. What is not for a
 * room — code (the cells' own and look-inside excerpts), progress bars, printed logs, the reader's "no answer yet" —
 * stays off the slides.
 */
import { Marked, type Token, type Tokens } from "marked";
import { type NotebookSection, notebookSections, type SpeakerNotes } from "../collection/speaker_notes.ts";
import { LIB_SOURCE_MIME, PLOTLY_MIME } from "../display/mod.ts";
import { CHECK_MIME, type CheckReveal } from "../exercise/mod.ts";
import { type Cell, type MultilineString, type Output, sourceText } from "../notebook/nbformat.ts";
import type { SiteEntry } from "./entry.ts";

/**
 * The slide's geometry in CSS pixels (reveal.js `width`/`height`; the deck shows at scale 1 on a 1280×720 projector),
 * the body type size, and how much of it the text of one slide may fill. The budget leaves room for the section
 * label and a two-line title; tests/slides_test.ts measures that no slide overflows.
 */
export const SLIDE = {
  width: 1280,
  height: 720,
  /** Left and right padding of a slide. */
  padX: 56,
  /** Body text size and line height. */
  fontPx: 26,
  lineHeight: 1.35,
  /** Body lines a text slide holds under its label and title. */
  textLines: 12.5,
  /** Height in pixels that tables and sentences of a result slide may fill. */
  resultPx: 440,
} as const;

/** The width text wraps at on a slide. */
export const CONTENT_WIDTH = SLIDE.width - 2 * SLIDE.padX;

/** A section of the deck: its heading, its number among the sections, and its speaker notes. */
export interface DeckSection {
  /** The heading's markdown (no `## `). */
  title: string;
  /** 1-based position among the notebook's sections. */
  number: number;
  notes?: SpeakerNotes;
}

/** Something shown on a slide. */
export type DeckItem =
  /** Notebook markdown (a chunk of a cell), with the cell's attachments. */
  | { kind: "markdown"; markdown: string; attachments?: Record<string, Record<string, string>> }
  /** A plotly figure spec, drawn sized to the slide. */
  | { kind: "plotly"; spec: { data: unknown[]; layout?: Record<string, unknown>; [k: string]: unknown } }
  /** An image output (base64 for raster images, markup for SVG). */
  | { kind: "image"; mime: string; data: string; width?: number; height?: number }
  /** HTML the kernel sent (a table, a verdict sentence): shown as HTML, as Jupyter and the site page do. */
  | { kind: "html"; html: string }
  /** A markdown output of a cell. */
  | { kind: "markdown-output"; markdown: string }
  /** A cell that failed: its error, one line. */
  | { kind: "error"; text: string };

/** One slide. */
export interface DeckSlide {
  kind: "title" | "text" | "question" | "result" | "keywords";
  /** The section the slide belongs to (all but the title slide). */
  section?: DeckSection;
  /** The slide's heading as inline markdown: the section heading, a sub-heading, or a result's cell caption. */
  title?: string;
  items: DeckItem[];
  /** A question's answers from this run, revealed on the next step (one per `check` after the question). */
  reveals?: CheckReveal[];
  /** A question whose answers are too long to fit under it: they are revealed on the next slide instead. */
  answersFollow?: boolean;
  /** Part i of n, when one block of content was split over several slides. */
  part?: [number, number];
  /** 1-based notebook cell the slide comes from (its first cell), for messages and the notes. */
  cell?: number;
}

/** A deck: its slides in order and its sections (with their notes and suggested times). */
export interface Deck {
  slides: DeckSlide[];
  sections: DeckSection[];
  /** The sum of the sections' suggested times, in minutes. */
  minutes: number;
}

// --- estimating how much room text takes on a slide ---

/** Width of a character in ems of the slide's fonts: Hangul and CJK are square, Latin about half as wide. */
function charEm(ch: string): number {
  const c = ch.codePointAt(0)!;
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x3000 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3)) return 1;
  if (ch === " ") return 0.28;
  if (/[il.,:;'|!()[\]]/.test(ch)) return 0.3;
  if (/[mwMW—]/.test(ch)) return 0.85;
  if (/[A-Z]/.test(ch)) return 0.64;
  return 0.55;
}

/** Markdown as roughly the text it shows: emphasis marks, link targets, code ticks and TeX commands dropped. */
function visibleText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\\(?:mathbb|mathcal|mathrm|mathbf|operatorname|text|tfrac|frac|left|right|Big|big)\b/g, "")
    .replace(/\\[A-Za-z]+/g, "x")
    .replace(/[*_`$^{}]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Lines a run of text wraps to at `fontPx` in `widthPx` (a little slack for word wrapping). */
export function wrappedLines(text: string, widthPx: number = CONTENT_WIDTH, fontPx: number = SLIDE.fontPx): number {
  const em = [...visibleText(text)].reduce((a, ch) => a + charEm(ch), 0);
  return Math.max(1, Math.ceil((em * fontPx * 1.06) / widthPx));
}

/** Body lines a block of markdown takes on a slide, margins included. */
function tokenLines(token: Token): number {
  switch (token.type) {
    case "space":
    case "def":
      return 0;
    case "paragraph": {
      const raw = token.raw.trim();
      if (raw.startsWith("$$")) {
        const tall = /\\(?:frac|sum|int|prod|Big|max|min)|\\\\|_\{|\^\{/.test(raw) ? 2.6 : 1.9;
        return raw.split(/\$\$/).filter((s) => s.trim()).length * tall + 0.5;
      }
      return wrappedLines(raw) + 0.45;
    }
    case "list":
      return (token as Tokens.List).items.reduce(
        (a, item) => a + wrappedLines(item.text, CONTENT_WIDTH - 44) + 0.2,
        0,
      ) +
        0.35;
    case "blockquote":
      return wrappedLines((token as Tokens.Blockquote).text, CONTENT_WIDTH - 48) + 0.6;
    case "heading":
      return wrappedLines((token as Tokens.Heading).text, CONTENT_WIDTH, 30) * 1.25 + 0.4;
    case "code":
      return (token as Tokens.Code).text.split("\n").length * 0.85 + 0.8;
    case "table":
      return ((token as Tokens.Table).rows.length + 1) * 1.25 + 0.5;
    case "hr":
      return 0.8;
    default:
      return wrappedLines(token.raw);
  }
}

/** Markdown's top-level blocks; a `$$` block that marked splits at a blank line is kept whole. */
function blocks(markdown: string): Token[] {
  const out: Token[] = [];
  let open: Token | undefined;
  for (const t of new Marked({ gfm: true }).lexer(markdown)) {
    if (open) {
      open = { ...open, raw: open.raw + t.raw } as Token;
      if ((t.raw.match(/\$\$/g) ?? []).length % 2 === 1) {
        out.push(open);
        open = undefined;
      }
      continue;
    }
    if ((t.raw.match(/\$\$/g) ?? []).length % 2 === 1) open = { ...t, type: "paragraph" } as Token;
    else out.push(t);
  }
  if (open) out.push(open);
  return out;
}

/** Splits blocks into slide-sized groups of at most `budget` lines (a block taller than that gets a slide alone). */
function packBlocks(tokens: readonly Token[], budget: number): Token[][] {
  const groups: Token[][] = [];
  let group: Token[] = [];
  let used = 0;
  for (const t of tokens) {
    const lines = tokenLines(t);
    if (lines === 0) continue;
    // A list too long for one slide is split between its items.
    if (t.type === "list" && lines > budget) {
      const list = t as Tokens.List;
      for (const item of list.items) {
        const itemToken = { ...list, items: [item], raw: item.raw.replace(/\n*$/, "\n") } as Tokens.List;
        const l = tokenLines(itemToken);
        if (used + l > budget && group.length) {
          groups.push(group);
          [group, used] = [[], 0];
        }
        group.push(itemToken);
        used += l;
      }
      continue;
    }
    if (used + lines > budget && group.length) {
      groups.push(group);
      [group, used] = [[], 0];
    }
    group.push(t);
    used += lines;
  }
  if (group.length) groups.push(group);
  return groups;
}

function joinRaw(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw.replace(/\n*$/, "\n")).join("\n").trim() + "\n";
}

// --- outputs ---

function text(value: unknown): string {
  return typeof value === "string" || Array.isArray(value) ? sourceText(value as MultilineString) : "";
}

/** What a code cell's output puts on a slide, or a question's reveal; undefined for what stays off the slides. */
function classify(output: Output): DeckItem | CheckReveal | undefined {
  if (output.output_type === "error") {
    return { kind: "error", text: `${output.ename}: ${output.evalue}` };
  }
  if (output.output_type !== "display_data" && output.output_type !== "execute_result") return undefined;
  const data = (output.data ?? {}) as Record<string, unknown>;
  if (data[CHECK_MIME]) return data[CHECK_MIME] as CheckReveal;
  // A look-inside excerpt is code, like the cells' own: it stays on the page, where each line links to its source.
  if (data[LIB_SOURCE_MIME]) return undefined;
  if (data[PLOTLY_MIME]) {
    const spec = data[PLOTLY_MIME] as DeckItem & { data?: unknown };
    return Array.isArray(spec.data) ? { kind: "plotly", spec: spec as never } : undefined;
  }
  for (const mime of ["image/png", "image/jpeg", "image/gif", "image/svg+xml"]) {
    if (data[mime] === undefined) continue;
    const meta = ((output.metadata ?? {}) as Record<string, { width?: unknown; height?: unknown }>)[mime] ?? {};
    return {
      kind: "image",
      mime,
      data: text(data[mime]),
      width: typeof meta.width === "number" ? meta.width : undefined,
      height: typeof meta.height === "number" ? meta.height : undefined,
    };
  }
  const html = text(data["text/html"]);
  if (html) {
    // Progress bars are a log of the run, and a verdict without CHECK_MIME (a notebook executed before it existed)
    // is the reader's "no answer yet": neither is for the room.
    if (/<progress\b/.test(html) || /no answer yet/.test(html)) return undefined;
    if (/^\s*<div class="paper-plotly-fallback"/.test(html)) return undefined;
    return { kind: "html", html };
  }
  const md = text(data["text/markdown"]);
  if (md.trim()) return { kind: "markdown-output", markdown: md };
  return undefined;
}

function isReveal(x: DeckItem | CheckReveal): x is CheckReveal {
  return !("kind" in x);
}

/** Height of a table row on a slide (24 px type, one line). */
const ROW_PX = 38;

/**
 * How many lines a row of a table takes: 1 when its columns fit the slide, else 2 (slides.css wraps the cells of a
 * table wider than the slide, and the widest cells wrap first).
 */
function tableWrap(html: string): number {
  const widths: number[] = [];
  for (const row of html.match(/<tr\b[\s\S]*?<\/tr>/g) ?? []) {
    [...row.matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/g)].forEach((m, c) => {
      const em = [...m[1].replace(/<[^>]+>/g, "")].reduce((a, ch) => a + charEm(ch), 0);
      widths[c] = Math.max(widths[c] ?? 0, em * 26 + 28); // 26: bold headers and digits run wider than 0.55 em
    });
  }
  // The browser's table layout starts wrapping before the columns' sum reaches the slide's width.
  return widths.reduce((a, w) => a + w, 0) > 0.85 * CONTENT_WIDTH ? 2 : 1;
}

/** Height in pixels an HTML output or markdown output takes on a result slide. */
function itemPx(item: DeckItem): number {
  const line = SLIDE.fontPx * SLIDE.lineHeight;
  if (item.kind === "html") {
    const rows = (item.html.match(/<tr\b/g) ?? []).length;
    if (rows) return rows * ROW_PX * tableWrap(item.html) + (/<caption\b/.test(item.html) ? 40 : 0) + 20;
    return wrappedLines(item.html.replace(/<[^>]+>/g, ""), CONTENT_WIDTH - 24) * line + 24;
  }
  if (item.kind === "markdown-output") return blocks(item.markdown).reduce((a, t) => a + tokenLines(t), 0) * line;
  if (item.kind === "error") return wrappedLines(item.text) * line + 24;
  return SLIDE.resultPx;
}

/** A table of lib/display (caption, one header row, body rows) split into tables of at most `rows` body rows. */
function splitTable(html: string, rows: number): string[] {
  const m = html.match(
    /^\s*<table>(<caption>[\s\S]*?<\/caption>)?(<thead>[\s\S]*?<\/thead>)<tbody>([\s\S]*)<\/tbody><\/table>\s*$/,
  );
  if (!m) return [html];
  const body = m[3].match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
  if (body.length <= rows) return [html];
  const parts: string[] = [];
  for (let i = 0; i < body.length; i += rows) {
    parts.push(`<table>${m[1] ?? ""}${m[2]}<tbody>${body.slice(i, i + rows).join("")}</tbody></table>`);
  }
  return parts;
}

/** A code cell's caption: its opening `//` comment line. */
function captionOf(cell: Cell): string | undefined {
  const first = sourceText(cell.source).split("\n")[0].trim();
  return first.startsWith("//") ? first.replace(/^\/\/\s*/, "").trim() || undefined : undefined;
}

function isQuestionHeading(t: Token): boolean {
  return t.type === "heading" && (t as Tokens.Heading).depth >= 3 && /질문|Question/.test((t as Tokens.Heading).text);
}

function isKeywords(title: string): boolean {
  return /키워드|Keywords/.test(title);
}

/** Marks the parts of slides split from one block "i of n". */
function numberParts(slides: DeckSlide[]): DeckSlide[] {
  if (slides.length > 1) slides.forEach((s, i) => (s.part = [i + 1, slides.length]));
  return slides;
}

/** The deck of an executed paper notebook. */
export function buildDeck(entry: SiteEntry): Deck {
  const cells = entry.notebook.cells;
  const sections = notebookSections(cells);
  const deckSections: DeckSection[] = sections.map((s, i) => ({ title: s.title, number: i + 1, notes: s.notes }));
  const slides: DeckSlide[] = [{ kind: "title", items: [] }];
  const closing: DeckSlide[] = [];
  sections.forEach((s, i) => {
    const target = isKeywords(s.title) ? closing : slides;
    target.push(...sectionSlides(cells, s, deckSections[i]));
  });
  slides.push(...closing);
  return {
    slides,
    sections: deckSections,
    minutes: deckSections.reduce((a, s) => a + (s.notes?.minutes ?? 0), 0),
  };
}

/** Body lines a question's answers take once revealed: each answer's line and its why. */
function revealLines(reveals: readonly CheckReveal[]): number {
  return reveals.reduce(
    (a, r) =>
      a + wrappedLines(`${r.question ?? ""} — 이번 실행의 답 / This run's answer: ${r.expected}`) +
      (r.why ? wrappedLines(`왜 / Why — ${r.why}`) : 0) + 0.6,
    0,
  );
}

/**
 * A question slide whose answers would not fit under its text keeps the question and gets the answers on a slide of
 * its own right after it, still revealed one step later there.
 */
function withRoomForAnswers(slide: DeckSlide): DeckSlide[] {
  if (slide.kind !== "question" || !slide.reveals?.length) return [slide];
  const asked = slide.items.reduce(
    (a, item) => a + (item.kind === "markdown" ? blocks(item.markdown).reduce((b, t) => b + tokenLines(t), 0) : 0),
    0,
  );
  if (asked + revealLines(slide.reveals) <= SLIDE.textLines) return [slide];
  return [
    { ...slide, reveals: undefined, answersFollow: true },
    {
      ...slide,
      title: `${slide.title ?? "질문 / Question"} — 답 / Answer`,
      items: [{
        kind: "markdown",
        markdown: "예측을 적었나요? 다음 단계에서 이번 실행의 답이 열립니다.\n\n" +
          "Written your prediction? This run's answers open on the next step.\n",
      }],
    },
  ];
}

/** The slides of one section, in the notebook's order. */
function sectionSlides(cells: readonly Cell[], s: NotebookSection, section: DeckSection): DeckSlide[] {
  const out: DeckSlide[] = [];
  const keywords = isKeywords(s.title);
  let question: DeckSlide | undefined;

  // The keywords are their own cell; the template puts them right after the header, before the how-to-use note and
  // the setup cells, which are not for the room.
  const end = keywords ? s.start + 1 : s.end;
  for (let i = s.start; i < end; i++) {
    const cell = cells[i];
    if (i === s.notesCell) continue;
    if (cell.cell_type === "markdown") {
      const attachments = cell.attachments as Record<string, Record<string, string>> | undefined;
      const markdown = (tokens: readonly Token[]): DeckItem => ({
        kind: "markdown",
        markdown: joinRaw(tokens),
        attachments,
      });
      let tokens = blocks(sourceText(cell.source));
      if (i === s.start) {
        const h = tokens.findIndex((t) => t.type === "heading" && (t as Tokens.Heading).depth === 2);
        tokens = tokens.slice(h + 1);
      }
      // Text runs up to a question or a sub-heading; a question runs to the next heading of its level or above.
      let run: Token[] = [];
      let subtitle: string | undefined;
      const flush = () => {
        const groups = packBlocks(run, SLIDE.textLines);
        out.push(...numberParts(groups.map((group): DeckSlide => ({
          kind: keywords ? "keywords" : "text",
          section,
          title: subtitle ?? section.title,
          items: [markdown(group)],
          cell: i + 1,
        }))));
        run = [];
      };
      for (let k = 0; k < tokens.length; k++) {
        const t = tokens[k];
        if (isQuestionHeading(t)) {
          flush();
          const depth = (t as Tokens.Heading).depth;
          const body: Token[] = [];
          while (
            k + 1 < tokens.length &&
            !(tokens[k + 1].type === "heading" && (tokens[k + 1] as Tokens.Heading).depth <= depth)
          ) body.push(tokens[++k]);
          question = {
            kind: "question",
            section,
            title: (t as Tokens.Heading).text,
            items: [markdown(body)],
            reveals: [],
            cell: i + 1,
          };
          out.push(question);
          subtitle = undefined;
        } else if (t.type === "heading" && (t as Tokens.Heading).depth === 3) {
          flush();
          subtitle = (t as Tokens.Heading).text;
        } else run.push(t);
      }
      flush();
      continue;
    }
    if (cell.cell_type !== "code") continue;
    const caption = captionOf(cell);
    let packed: DeckItem[] = [];
    let used = 0;
    const results: DeckSlide[] = [];
    const pack = () => {
      if (packed.length) results.push({ kind: "result", section, title: caption, items: packed, cell: i + 1 });
      [packed, used] = [[], 0];
    };
    for (const output of cell.outputs ?? []) {
      const item = classify(output);
      if (!item) continue;
      if (isReveal(item)) {
        question?.reveals?.push(item);
        continue;
      }
      if (item.kind === "plotly" || item.kind === "image") {
        pack();
        results.push({ kind: "result", section, title: caption, items: [item], cell: i + 1 });
        continue;
      }
      // A long table goes over several slides, as many rows on each as fit (fewer when its rows wrap).
      const pieces = item.kind === "html"
        ? splitTable(item.html, Math.floor((SLIDE.resultPx - 60) / (ROW_PX * tableWrap(item.html))))
          .map((html): DeckItem => ({ kind: "html", html }))
        : [item];
      for (const piece of pieces) {
        const px = itemPx(piece);
        if (used + px > SLIDE.resultPx && packed.length) pack();
        packed.push(piece);
        used += px + 16;
      }
    }
    pack();
    // A cell's results split over slides (a long table, many tables) are numbered as parts of one block.
    const byCaption = results.filter((r) => r.items[0].kind !== "plotly" && r.items[0].kind !== "image");
    numberParts(byCaption);
    out.push(...results);
  }
  return out.flatMap(withRoomForAnswers);
}
