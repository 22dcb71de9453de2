/**
 * The notebook lint: what the study group's notebooks promise their readers about language and structure, checked on
 * the source notebooks (the test suite runs it on every notebook under notebooks/, lib/collection/notebook_lint_test.ts).
 *
 * - `particles`: Korean particles attach to a Latin word, a number, a formula or code the Korean way ("ResNet은",
 *   "0으로", "$p_g$가", "`seed`를"), never after a space ("ResNet 은").
 * - `headings`: every section heading of a paper notebook (and of the template) is a pair `한국어 / English`
 *   (lib/collection/languages.ts), so a reader of either language sees every heading.
 * - `keywords`: the keywords cell follows the header (the group's template), and every bullet is
 *   `- **한국어 / English** — 한국어 설명 / English explanation` with a Korean explanation as complete as the English.
 * - `both-languages`: every markdown cell of a paper says what it says in Korean and in English.
 * - `try-it`: every numbered section of a paper ends with one to three "해 보기 / Try it" exercises, each with a worked
 *   solution collapsed in `<details>` (the section's speaker notes may follow them).
 * - `speaker-notes`: every section of a paper has its speaker notes for the deck (lib/collection/speaker_notes.ts).
 *
 * A rule is a function from a notebook to problems; {@link NOTEBOOK_RULES} lists them, and a new rule is added there.
 */
import { type Cell, sourceText } from "../notebook/nbformat.ts";
import { HANGUL, languageOf, splitPair } from "./languages.ts";
import { SPEAKER_NOTES_HEADING, speakerNotesProblems } from "./speaker_notes.ts";

/** The parts of a notebook the lint reads. */
export interface LintNotebook {
  cells: readonly { cell_type: string; source: string | string[]; metadata?: Record<string, unknown> }[];
}

/** One problem: the rule, the 1-based cell, and what to change. */
export interface LintProblem {
  rule: string;
  cell: number;
  message: string;
}

/** What a rule is told about the notebook besides its cells. */
export interface LintContext {
  /** A paper notebook, or the template papers are made from: the structural rules apply. */
  paper: boolean;
}

/** A lint rule: the problems it finds in a notebook. */
export type NotebookRule = (nb: LintNotebook, ctx: LintContext) => LintProblem[];

const text = (cell: LintNotebook["cells"][number]): string => sourceText(cell.source);

/** Markdown with fenced code, math and code spans taken out (each replaced by a neutral "§"), for prose checks. */
export function proseOf(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, "§").replace(/\$\$[\s\S]+?\$\$/g, "§").replace(/\$[^$\n]+\$/g, "§")
    .replace(/`[^`\n]+`/g, "§");
}

// A particle alone after a space (or a line break) that follows a Latin letter, a digit, a formula, code, a closing bracket, a quote or
// the end of bold text. A bare 이 is left out: after a space it is as often the determiner "this" ("시드 3개) 이 컴퓨터").
const PARTICLE =
  /([A-Za-z0-9$`)\]'"%*_])(?:[ \t]+|[ \t]*\n[ \t]*)(은|는|가|을|를|의|에|에서|에게|으로|로|와|과|도|만|보다|처럼|까지|부터|이나|나|이다|이고|이며|이면|이라면|라면|인|입니다|이므로|이라는|라는|으로서|로서)(?=[\s.,;:!?)\]'"…/]|$)/gm;

/** Korean particles after a space (markdown and the comments and strings of code cells). */
export const particles: NotebookRule = (nb) =>
  nb.cells.flatMap((cell, i) => {
    const source = text(cell);
    return [...source.matchAll(PARTICLE)].map((m) => {
      const at = m.index ?? 0;
      const line = source.slice(0, at).split("\n").length;
      const word = source.slice(0, at + 1).match(/\S+$/)?.[0] ?? m[1];
      return {
        rule: "particles",
        cell: i + 1,
        message: `line ${line}: "${word} ${m[2]}" → "${word}${m[2]}"`,
      };
    });
  });

/** The headings of a markdown cell outside fenced code: level and text. */
function headingsOf(markdown: string): { level: number; text: string }[] {
  return markdown.replace(/```[\s\S]*?```/g, "").split("\n").flatMap((l) => {
    const m = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(l);
    return m ? [{ level: m[1].length, text: m[2] }] : [];
  });
}

/** A pair judged on its prose (math and code are neither language). */
const pairOf = (s: string) => splitPair(s, proseOf);

/** Every heading below the title, in the header's cell or any other, is `한국어 / English`. */
export const headings: NotebookRule = (nb, ctx) => {
  if (!ctx.paper) return [];
  return nb.cells.flatMap((cell, i) => {
    if (cell.cell_type !== "markdown") return [];
    return headingsOf(text(cell)).filter((h) => h.level >= 2 && h.level <= 5 && !pairOf(h.text)).map((h) => ({
      rule: "headings",
      cell: i + 1,
      message: `heading "${h.text}" is not a pair "한국어 / English": write both halves, Korean first`,
    }));
  });
};

/**
 * How much a text says, roughly: a Hangul syllable carries about what two and a half Latin letters do (measured on
 * the notebooks' own Korean and English halves), so the two halves of a keyword compare on one scale.
 */
export function contentWeight(s: string): number {
  const prose = proseOf(s);
  const hangul = [...prose].filter((c) => HANGUL.test(c)).length;
  const latin = (prose.match(/[A-Za-z0-9]/g) ?? []).length;
  return 2.5 * hangul + latin;
}

/** The least share of the English explanation's content its Korean half must carry. */
export const KOREAN_COMPLETENESS = 0.6;

const KEYWORDS_HEADING = /^## 키워드 \/ Keywords\s*$/m;

/** The keywords cell: right after the header, every bullet a term pair and an explanation pair of similar content. */
export const keywords: NotebookRule = (nb, ctx) => {
  if (!ctx.paper) return [];
  const at = nb.cells.findIndex((c) => c.cell_type === "markdown" && KEYWORDS_HEADING.test(text(c)));
  if (at < 0) return [{ rule: "keywords", cell: 1, message: "no `## 키워드 / Keywords` cell" }];
  const problems: LintProblem[] = [];
  const problem = (message: string) => problems.push({ rule: "keywords", cell: at + 1, message });
  if (at !== 1) problem(`the keywords are cell ${at + 1}; the group's template puts them right after the header`);
  const joined = text(nb.cells[at]).replace(/\n[ \t]+(?=\S)/g, " ");
  const bullets = [...joined.matchAll(/^- (.*)$/gm)].map((m) => m[1]);
  if (bullets.length === 0) problem("the keywords cell has no bullets");
  for (const bullet of bullets) {
    const m = /^\*\*(.+?)\*\*\s*—\s*(.+)$/.exec(bullet);
    if (!m) {
      problem(`"${bullet.slice(0, 40)}…" is not "**한국어 / English** — 한국어 설명 / English explanation"`);
      continue;
    }
    const [, term, explanation] = m;
    if (!pairOf(term)) problem(`keyword "${term}" needs its Korean half: "**한국어 / English**"`);
    const halves = pairOf(explanation);
    if (!halves) {
      problem(`keyword "${term}": the explanation needs a Korean and an English half, "한국어 / English"`);
      continue;
    }
    const ratio = contentWeight(halves.ko) / Math.max(1, contentWeight(halves.en));
    if (ratio < KOREAN_COMPLETENESS) {
      problem(
        `keyword "${term}": the Korean explanation says less than the English (${ratio.toFixed(2)} of its content, ` +
          `at least ${KOREAN_COMPLETENESS}): "${halves.ko}"`,
      );
    }
  }
  return problems;
};

/** Every markdown cell of a paper has Korean and English prose (the header and headings-only cells included). */
export const bothLanguages: NotebookRule = (nb, ctx) => {
  if (!ctx.paper) return [];
  return nb.cells.flatMap((cell, i) => {
    if (cell.cell_type !== "markdown") return [];
    const prose = proseOf(text(cell));
    const ko = HANGUL.test(prose);
    const en = languageOf(prose.replace(/[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+/g, " ")) === "en";
    if (ko && en) return [];
    return [{
      rule: "both-languages",
      cell: i + 1,
      message: `this markdown cell is in ${ko ? "Korean" : en ? "English" : "neither language"} only; add the ` +
        `${ko ? "English" : "Korean"} text`,
    }];
  });
};

/** The heading that opens a Try-it exercise: `### 해 보기 / Try it`, or with what it tries, `### 해 보기: … / Try it: …`. */
export const TRY_IT_HEADING = /^###\s+해 보기(?::[^\n]*?)?\s+\/\s+Try it(?::[^\n]*)?$/m;
/** The opening of its collapsed solution, as notebooks/template.ipynb writes it. */
export const SOLUTION_OPENING = /^<details>[ \t]*\n<summary>풀이 \/ Solution<\/summary>[ \t]*\n/m;

/** A numbered section of a paper: `## 3. ...`. */
const SECTION = /^## \d+\.\s/m;

/**
 * Every numbered section ends with one to three Try-it cells (code cells may follow them, e.g. a cleanup, and the
 * section's speaker notes, which the deck moves off the slides), each with its solution in `<details>` after the
 * exercise.
 */
export const tryIt: NotebookRule = (nb, ctx) => {
  if (!ctx.paper) return [];
  const problems: LintProblem[] = [];
  let section: { title: string; cell: number; tries: number; after: boolean } | undefined;
  const close = () => {
    if (section && (section.tries < 1 || section.tries > 3)) {
      problems.push({
        rule: "try-it",
        cell: section.cell,
        message: `section "${section.title}" has ${section.tries} "해 보기 / Try it" exercises; give it one to three`,
      });
    }
  };
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "markdown") return;
    const source = text(cell);
    if (/^## /m.test(source)) {
      close();
      section = SECTION.test(source)
        ? { title: source.match(/^## (.+)$/m)![1], cell: i + 1, tries: 0, after: false }
        : undefined;
    }
    if (TRY_IT_HEADING.test(source)) {
      if (section) section.tries++;
      if (section) section.after = true;
      const details = source.search(SOLUTION_OPENING);
      if (details < 0 || !/\n<\/details>[ \t]*\n?$/.test(source)) {
        problems.push({
          rule: "try-it",
          cell: i + 1,
          message: "a Try-it cell ends with its solution: `<details>`, `<summary>풀이 / Solution</summary>`, a blank " +
            "line, the solution, a blank line, `</details>`",
        });
      } else if (!/\S/.test(proseOf(source.slice(0, details)).replace(TRY_IT_HEADING, ""))) {
        problems.push({ rule: "try-it", cell: i + 1, message: "the Try-it cell has a solution but no exercise" });
      }
    } else if (section?.after && !/^## /m.test(source) && !source.startsWith(SPEAKER_NOTES_HEADING)) {
      problems.push({
        rule: "try-it",
        cell: i + 1,
        message: `section "${section.title}" goes on after its Try-it exercises: they end the section`,
      });
    }
  });
  close();
  return problems;
};

/** Speaker notes in every section of a paper (lib/collection/speaker_notes.ts says what they hold). */
export const speakerNotes: NotebookRule = (nb, ctx) =>
  ctx.paper
    ? speakerNotesProblems(nb.cells as Cell[], "notebook").map((message) => ({
      rule: "speaker-notes",
      cell: Number(message.match(/\(cell (\d+)\)|cell (\d+) holds/)?.slice(1).find(Boolean) ?? 0),
      message: message.replace(/^notebook: /, ""),
    }))
    : [];

/** The rules the test suite runs, by name. */
export const NOTEBOOK_RULES: Record<string, NotebookRule> = {
  particles,
  headings,
  keywords,
  "both-languages": bothLanguages,
  "try-it": tryIt,
  "speaker-notes": speakerNotes,
};

/** Every problem the rules find in a notebook. */
export function lintNotebook(
  nb: LintNotebook,
  ctx: LintContext,
  rules: Record<string, NotebookRule> = NOTEBOOK_RULES,
): LintProblem[] {
  return Object.values(rules).flatMap((rule) => rule(nb, ctx));
}
