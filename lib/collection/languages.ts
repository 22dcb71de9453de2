/**
 * The collection's two-language convention, as code: which language a piece of text is in, and how a short bilingual
 * text `한국어 / English` splits into its halves. The site (one language at a time), the decks and the notebook lint
 * all read the notebooks through these functions, so the convention has one definition. Written out for authors in
 * notebooks/README.md ("두 언어 / Two languages"):
 *
 * - A markdown block (paragraph, list item, quote paragraph) is in one language: Korean when it has Hangul, English
 *   when it has Latin words and no Hangul, both when it has neither (display math, code, images). The Korean block
 *   comes first, then the English one.
 * - Short texts are pairs, `한국어 / English` (a slash with a space on each side): headings (`## 2. 잔차 학습 / §3.1
 *   Residual learning`), keyword bullets (`- **잔차 학습 / Residual learning** — 한국어 설명 / English explanation`),
 *   bold labels, table captions, figure titles. A spaced em dash ` — ` separates independent parts of one text, each
 *   of which may be a pair; a leading section number (`2. `) belongs to both halves.
 */

/** A text's language: Korean, English, or both (no words of either: math, numbers, symbols). */
export type Language = "ko" | "en" | "both";

/** The languages a reader can choose, in the order the switch shows them. */
export const READER_LANGUAGES = ["ko", "en", "both"] as const;

/** A reader's choice: one language or both. */
export type ReaderLanguage = (typeof READER_LANGUAGES)[number];

/** Hangul syllables and jamo. */
export const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
/** A Latin word of two letters or more (single letters are symbols: x, D, G, k). */
const LATIN_WORD = /[A-Za-z]{2,}/;

/** The separator of a pair's halves: a slash with white space on each side. */
export const PAIR_SEPARATOR = /\s+\/\s+/g;
/** The separator of independent parts: a spaced em dash. */
export const PART_SEPARATOR = /\s+—\s+/g;
/** A leading section number, "2. " or "3.1. ", which both halves of a heading share. */
export const SECTION_NUMBER = /^\d+(?:\.\d+)*\.\s+/;

/** The language of prose: Korean when it has Hangul, English when it has a Latin word and no Hangul, else both. */
export function languageOf(prose: string): Language {
  if (HANGUL.test(prose)) return "ko";
  return LATIN_WORD.test(prose) ? "en" : "both";
}

/** The halves of a pair, and whether the Korean one came first (the convention; lib's captions may be reversed). */
export interface PairHalves {
  ko: string;
  en: string;
  koFirst: boolean;
}

/**
 * Where segments `0..j-1` and `j..n-1` form a pair: one side has Hangul, the other has a Latin word and no Hangul.
 * `langs` are the segments' languages. Korean-first splits are preferred; among them the first, so that an English
 * half may itself contain " / ". Returns the index `j` and the order, or undefined.
 */
export function pairSplit(langs: readonly Language[]): { at: number; koFirst: boolean } | undefined {
  const has = (from: number, to: number, lang: Language) => langs.slice(from, to).includes(lang);
  for (let j = 1; j < langs.length; j++) {
    if (has(0, j, "ko") && !has(j, langs.length, "ko") && has(j, langs.length, "en")) return { at: j, koFirst: true };
  }
  for (let j = langs.length - 1; j >= 1; j--) {
    if (has(j, langs.length, "ko") && !has(0, j, "ko") && has(0, j, "en")) return { at: j, koFirst: false };
  }
  return undefined;
}

/**
 * Splits a short plain text (a heading's text, a caption, a figure title) written `한국어 / English` into its halves;
 * a leading section number goes to both. Undefined when the text is not a pair. `prose` maps a segment to the text
 * its language is judged by (default: the segment itself; the lint passes one with math and code taken out).
 */
export function splitPair(text: string, prose: (segment: string) => string = (s) => s): PairHalves | undefined {
  const number = text.match(SECTION_NUMBER)?.[0] ?? "";
  const body = text.slice(number.length);
  const segments = body.split(PAIR_SEPARATOR);
  if (segments.length < 2) return undefined;
  const split = pairSplit(segments.map((s) => languageOf(prose(s))));
  if (!split) return undefined;
  const separators = [...body.matchAll(PAIR_SEPARATOR)].map((m) => m[0]);
  const join = (from: number, to: number) =>
    segments.slice(from, to).map((s, i) => (i === 0 ? s : separators[from + i - 1] + s)).join("");
  const first = join(0, split.at).trim();
  const second = join(split.at, segments.length).trim();
  const [ko, en] = split.koFirst ? [first, second] : [second, first];
  return { ko: number + ko, en: number + en, koFirst: split.koFirst };
}

/**
 * The text a reader who chose `language` sees of `text`: the matching half of a pair (each ` — ` part on its own), the
 * whole text when it is not a pair or when both languages are chosen.
 */
export function pickLanguage(text: string, language: ReaderLanguage): string {
  if (language === "both") return text;
  const parts = text.split(PART_SEPARATOR);
  const halves = parts.map((p) => splitPair(p));
  if (!halves.some(Boolean)) return text;
  const shown = parts.map((p, i) =>
    halves[i]?.[language] ?? (languageOf(p) === "both" || languageOf(p) === language ? p : undefined)
  ).filter((p): p is string => p !== undefined);
  return shown.join(" — ");
}
