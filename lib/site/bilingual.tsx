/**
 * One language at a time: the site's side of the two-language convention (lib/collection/languages.ts). Markdown
 * blocks get `lang="ko"` or `lang="en"`, the halves of a pair `한국어 / English` become `<span lang>`s with the
 * separator in a `.lang-sep` span, and the reader's switch (한국어 / English / 둘 다) sets `data-lang` on `<html>`;
 * lang.css then hides the other language. The choice is kept in localStorage under {@link LANGUAGE_STORAGE_KEY}, so it
 * holds across pages, and a head script applies it before the page paints. Pages and decks share all of this.
 */
import type { Token, Tokens } from "marked";
import type { VNode } from "preact";
import {
  type Language,
  languageOf,
  PAIR_SEPARATOR,
  pairSplit,
  pickLanguage,
  READER_LANGUAGES,
  type ReaderLanguage,
  SECTION_NUMBER,
  splitPair,
} from "../collection/languages.ts";

export { pickLanguage, READER_LANGUAGES, type ReaderLanguage, splitPair };

/** The localStorage key of the reader's choice ("ko", "en" or "both"). */
export const LANGUAGE_STORAGE_KEY = "paper-notebooks:lang";

/** The event lang.js fires on `document` after the choice changed; `detail` is the new {@link ReaderLanguage}. */
export const LANGUAGE_EVENT = "paper-lang";

/** What the switch's buttons say. */
const LABELS: Record<ReaderLanguage, string> = { ko: "한국어", en: "English", both: "둘 다 / Both" };

/** How a rendered inline run is split: one language for the whole run, or "split" (it carries its own spans). */
export type RunLanguage = Language | "split";

/** An inline run rendered for both languages. */
export interface BilingualRun {
  html: string;
  lang: RunLanguage;
}

/** The part of marked's Parser an inline run needs. */
export interface InlineParser {
  parseInline(tokens: Token[]): string;
}

/** A piece of an inline run: rendered content with the prose its language is judged by, or a separator. */
type Piece =
  | { kind: "content"; html: string; prose: string; number?: boolean }
  | { kind: "sep"; type: "pair" | "part"; html: string };

const SEPARATORS = /(\s+\/\s+|\s+—\s+)/;

/** The prose of a token: what its language is judged by. Math, code and images have none; a split run has none. */
function proseOf(token: Token, parser: InlineParser): string {
  switch (token.type) {
    case "text":
    case "escape":
      return "tokens" in token && token.tokens?.length ? proseOfRun(token.tokens, parser) : String(token.text ?? "");
    case "strong":
    case "em":
    case "del":
    case "link":
      return proseOfRun((token as Tokens.Strong).tokens ?? [], parser);
    default:
      return "";
  }
}

function proseOfRun(tokens: Token[], parser: InlineParser): string {
  return layout(piecesOf(tokens, parser)).split ? "" : tokens.map((t) => proseOf(t, parser)).join("");
}

function piecesOf(tokens: Token[], parser: InlineParser): Piece[] {
  const pieces: Piece[] = [];
  tokens.forEach((token, index) => {
    if (token.type === "text" && !("tokens" in token && token.tokens?.length)) {
      const t = token as Tokens.Text;
      let text = t.text;
      const chunk = (s: string): string => parser.parseInline([{ ...t, raw: s, text: s } as Token]);
      // A heading's leading section number belongs to both halves.
      const number = index === 0 ? text.match(SECTION_NUMBER)?.[0] : undefined;
      if (number) {
        pieces.push({ kind: "content", html: chunk(number), prose: "", number: true });
        text = text.slice(number.length);
      }
      text.split(SEPARATORS).forEach((s, i) => {
        if (s === "") return;
        if (i % 2 === 1) pieces.push({ kind: "sep", type: s.includes("/") ? "pair" : "part", html: chunk(s) });
        else pieces.push({ kind: "content", html: chunk(s), prose: s });
      });
      return;
    }
    pieces.push({ kind: "content", html: parser.parseInline([token]), prose: proseOf(token, parser) });
  });
  return pieces;
}

/** A part of a run between ` — ` separators: a pair (its two halves in source order) or one language. */
type Part =
  | { pair: true; first: Piece[]; sep: Piece; second: Piece[]; koFirst: boolean; shared: Piece[] }
  | { pair: false; pieces: Piece[]; lang: Language };

function layout(pieces: Piece[]): { split: false } | { split: true; parts: Part[]; dashes: Piece[] } {
  if (!pieces.some((p) => p.kind === "sep" && p.type === "pair")) return { split: false };
  const groups: Piece[][] = [[]];
  const dashes: Piece[] = [];
  for (const p of pieces) {
    if (p.kind === "sep" && p.type === "part") {
      dashes.push(p);
      groups.push([]);
    } else groups.at(-1)!.push(p);
  }
  const parts = groups.map((group): Part => {
    const shared = group[0]?.kind === "content" && group[0].number ? [group[0]] : [];
    const body = group.slice(shared.length);
    const segments: Piece[][] = [[]];
    const seps: Piece[] = [];
    for (const p of body) {
      if (p.kind === "sep") {
        seps.push(p);
        segments.push([]);
      } else segments.at(-1)!.push(p);
    }
    const prose = (seg: Piece[]) => seg.map((p) => (p.kind === "content" ? p.prose : "")).join("");
    const split = segments.length > 1 ? pairSplit(segments.map((s) => languageOf(prose(s)))) : undefined;
    if (!split) return { pair: false, pieces: group, lang: languageOf(prose(group)) };
    const join = (from: number, to: number): Piece[] =>
      segments.slice(from, to).flatMap((s, i) => (i === 0 ? s : [seps[from + i - 1], ...s]));
    return {
      pair: true,
      shared,
      first: join(0, split.at),
      sep: seps[split.at - 1],
      second: join(split.at, segments.length),
      koFirst: split.koFirst,
    };
  });
  return parts.some((p) => p.pair) ? { split: true, parts, dashes } : { split: false };
}

const html = (pieces: Piece[]): string => pieces.map((p) => p.html).join("");
const span = (
  lang: Language,
  inner: string,
): string => (lang === "both" ? inner : `<span lang="${lang}">${inner}</span>`);

/** The languages in which a part is visible. */
function visibleIn(part: Part): Set<string> {
  return new Set(part.pair || part.lang === "both" ? ["ko", "en"] : [part.lang]);
}

/**
 * Renders an inline run (a paragraph's, heading's or list item's tokens) under the convention: a run with a pair
 * comes back with `<span lang>` halves and `.lang-sep` separators ("split"); any other run comes back as marked
 * renders it, with its one language for the enclosing block to carry.
 */
export function renderBilingualInline(tokens: Token[], parser: InlineParser): BilingualRun {
  const pieces = piecesOf(tokens, parser);
  const plan = layout(pieces);
  if (!plan.split) {
    const prose = pieces.map((p) => (p.kind === "content" ? p.prose : "")).join("");
    return { html: html(pieces), lang: languageOf(prose) };
  }
  const out: string[] = [];
  plan.parts.forEach((part, i) => {
    if (i > 0) {
      // A dash shows in a language only where the parts on both its sides show.
      const both = [...visibleIn(plan.parts[i - 1])].filter((l) => visibleIn(part).has(l));
      const dash = plan.dashes[i - 1].html;
      out.push(
        both.length === 2 ? dash : both.length === 1 ? span(both[0] as Language, dash) : sepSpan(dash),
      );
    }
    if (!part.pair) {
      out.push(span(part.lang, html(part.pieces)));
      return;
    }
    const [a, b] = part.koFirst ? ["ko", "en"] as const : ["en", "ko"] as const;
    out.push(html(part.shared), span(a, html(part.first)), sepSpan(part.sep.html), span(b, html(part.second)));
  });
  return { html: out.join(""), lang: "split" };
}

function sepSpan(inner: string): string {
  return `<span class="lang-sep">${inner}</span>`;
}

/** ` lang="ko"` for a block in one language, nothing for a block in both or carrying its own spans. */
export function langAttribute(lang: RunLanguage): string {
  return lang === "ko" || lang === "en" ? ` lang="${lang}"` : "";
}

/** The language of a block's rendered runs taken together: one language when they agree, else none. */
export function blockLanguage(langs: readonly RunLanguage[]): RunLanguage {
  const single = langs.filter((l) => l !== "both");
  if (single.length === 0) return "both";
  return single.every((l) => l === single[0]) ? single[0] : "split";
}

/** Escapes text for HTML. */
function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/**
 * HTML for a plain text under the convention: a pair as two `<span lang>` halves with a `.lang-sep` separator (each
 * ` — ` part on its own), any other text escaped as it is.
 */
export function bilingualTextHtml(text: string): string {
  const parts = text.split(/(\s+—\s+)/);
  if (!parts.some((p, i) => i % 2 === 0 && splitPair(p))) return escapeHtml(text);
  const visible = (p: string): Set<string> => {
    const lang = splitPair(p) ? "both" : languageOf(p);
    return new Set(lang === "both" ? ["ko", "en"] : [lang]);
  };
  return parts.map((p, i) => {
    if (i % 2 === 1) {
      const both = [...visible(parts[i - 1])].filter((l) => visible(parts[i + 1]).has(l));
      return both.length === 2
        ? escapeHtml(p)
        : both.length === 1
        ? span(both[0] as Language, escapeHtml(p))
        : sepSpan(escapeHtml(p));
    }
    const halves = splitPair(p);
    if (!halves) return span(languageOf(p), escapeHtml(p));
    const sep = p.match(PAIR_SEPARATOR)?.[0] ?? " / ";
    const number = p.match(SECTION_NUMBER)?.[0] ?? "";
    const [ko, en] = [halves.ko.slice(number.length), halves.en.slice(number.length)];
    return escapeHtml(number) +
      (halves.koFirst
        ? span("ko", escapeHtml(ko)) + sepSpan(escapeHtml(sep)) + span("en", escapeHtml(en))
        : span("en", escapeHtml(en)) + sepSpan(escapeHtml(sep)) + span("ko", escapeHtml(ko)));
  }).join("");
}

/** A plain text under the convention as an element (see {@link bilingualTextHtml}). */
export function Bi({ text }: { text: string }): VNode {
  return <span class="bi" dangerouslySetInnerHTML={{ __html: bilingualTextHtml(text) }} />;
}

/**
 * Splits the captions and header cells of the tables in an output's HTML (lib/display's tables: escaped text, no
 * markup inside) when they are pairs; everything else is left as it is.
 */
export function bilingualTableHtml(outputHtml: string): string {
  return outputHtml.replace(
    /<(caption|th)>([^<]*)<\/\1>/g,
    (whole, tag: string, inner: string) => {
      const text = inner.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
      return splitPair(text) ? `<${tag}>${bilingualTextHtml(text)}</${tag}>` : whole;
    },
  );
}

/**
 * The switch: 한국어 / English / 둘 다. Buttons without script do nothing, and every language stays shown; lang.js
 * wires them.
 */
export function LanguageSwitch(): VNode {
  return (
    <div class="lang-switch" role="group" aria-label="언어 / Language">
      {READER_LANGUAGES.map((l) => (
        <button key={l} type="button" data-lang-choice={l} aria-pressed="false">
          {LABELS[l]}
        </button>
      ))}
    </div>
  );
}

/**
 * The script for `<head>`: applies the stored choice to `<html data-lang>` before the body paints, so a page never
 * flashes the other language. Plain ES5, no dependencies.
 */
export function languageHeadScript(): string {
  return `(function(){try{var l=localStorage.getItem(${JSON.stringify(LANGUAGE_STORAGE_KEY)});` +
    `if(l==="ko"||l==="en"||l==="both"){document.documentElement.setAttribute("data-lang",l);}}catch(e){}})();`;
}

/**
 * assets/lang.js: wires the switch's buttons (pressed state, storing the choice, `data-lang` on `<html>`), and offers
 * `window.PaperLang` to other scripts: `current()`, `pick(text)` (the chosen half of a `한국어 / English` text, as
 * lib/collection/languages.ts's pickLanguage), `titlesOf(layout)` and `localTitles(titles)` (a plotly layout's
 * bilingual titles and the relayout update that shows them in the chosen language: pages and decks draw figures with
 * them), `set(lang)` and `onChange(fn)`; a change also fires {@link LANGUAGE_EVENT} on `document`.
 */
export const LANGUAGE_SCRIPT = `(function () {
  "use strict";
  var KEY = ${JSON.stringify(LANGUAGE_STORAGE_KEY)};
  var EVENT = ${JSON.stringify(LANGUAGE_EVENT)};
  var root = document.documentElement;
  var HANGUL = /[\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7af]/;
  var LATIN = /[A-Za-z]{2,}/;
  function lang(s) { return HANGUL.test(s) ? "ko" : LATIN.test(s) ? "en" : "both"; }
  function current() {
    var l = root.getAttribute("data-lang");
    return l === "ko" || l === "en" ? l : "both";
  }
  // The chosen half of one part "한국어 / English" (or "English / 한국어"), or undefined when it is not a pair.
  function half(part, want) {
    var segs = part.split(/\\s+\\/\\s+/);
    for (var j = 1; j < segs.length; j++) {
      var left = segs.slice(0, j).join(" / "), right = segs.slice(j).join(" / ");
      if (lang(left) === "ko" && lang(right) === "en") return want === "ko" ? left : right;
    }
    for (var k = segs.length - 1; k >= 1; k--) {
      var l2 = segs.slice(0, k).join(" / "), r2 = segs.slice(k).join(" / ");
      if (lang(l2) === "en" && lang(r2) === "ko") return want === "ko" ? r2 : l2;
    }
    return undefined;
  }
  function pick(text, want) {
    want = want || current();
    if (typeof text !== "string" || want === "both") return text;
    var parts = text.split(/\\s+—\\s+/), out = [], any = false;
    for (var i = 0; i < parts.length; i++) {
      var h = half(parts[i], want);
      if (h !== undefined) { any = true; out.push(h); }
      else if (lang(parts[i]) === "both" || lang(parts[i]) === want) out.push(parts[i]);
    }
    return any ? out.join(" — ") : text;
  }
  var listeners = [];
  function apply(l, store) {
    root.setAttribute("data-lang", l);
    var buttons = document.querySelectorAll("[data-lang-choice]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-lang-choice") === l));
    }
    if (store) { try { localStorage.setItem(KEY, l); } catch (e) { /* storage off: this page only */ } }
    for (var j = 0; j < listeners.length; j++) listeners[j](l);
    document.dispatchEvent(new CustomEvent(EVENT, { detail: l }));
  }
  // A plotly layout's bilingual titles, keyed by their relayout paths ("xaxis.title.text"), as written.
  function titlesOf(layout) {
    var titles = {};
    ["title", "xaxis.title", "yaxis.title"].forEach(function (path) {
      var parts = path.split("."), t = layout || {};
      for (var i = 0; i < parts.length && t; i++) t = t[parts[i]];
      var text = typeof t === "string" ? t : t && typeof t.text === "string" ? t.text : undefined;
      if (text !== undefined) titles[path + ".text"] = text;
    });
    return titles;
  }
  // The relayout update that shows those titles in the chosen language.
  function localTitles(titles) {
    var update = {};
    for (var k in titles) update[k] = pick(titles[k]);
    return update;
  }
  window.PaperLang = {
    current: current,
    pick: pick,
    titlesOf: titlesOf,
    localTitles: localTitles,
    onChange: function (fn) { listeners.push(fn); },
    set: function (l) { apply(l, true); }
  };
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest ? e.target.closest("[data-lang-choice]") : null;
    if (b) apply(b.getAttribute("data-lang-choice"), true);
  });
  apply(current(), false);
})();
`;
