/**
 * Speaker notes: what the member who presents a paper says and asks in each section, authored in the notebook so the
 * slide deck (lib/site's present mode, reveal.js's speaker view `S`) carries them, and `new-paper` notebooks get them
 * from the template.
 *
 * The convention: each `## ` section of a paper notebook has one markdown cell that opens with the line
 *
 * ```md
 * #### 발표 노트 / Speaker notes — 8분 / 8 min
 *
 * - 훈련 오류가 깊이와 함께 오르는데, 왜 과적합이 아닐까요?
 * - The training error rises with depth: why is this not overfitting?
 * ```
 *
 * and holds the section's suggested time (the number before `분` or `min` in that line) and its discussion prompts
 * (the list below it: Korean and English items, as every bilingual block of the notebooks). The cell may sit anywhere
 * in its section; the notebooks put it at the section's end, where the discussion happens. It is an ordinary cell,
 * so readers of the notebook and the site see the prompts too; the deck moves it off the slides into the notes.
 */
import { type Cell, sourceText } from "../notebook/nbformat.ts";

/** The line a speaker-notes cell opens with (its time follows after " — "). */
export const SPEAKER_NOTES_HEADING = "#### 발표 노트 / Speaker notes";

/** A section's speaker notes, parsed from its notes cell. */
export interface SpeakerNotes {
  /** The suggested time in minutes, when the heading line gives one. */
  minutes?: number;
  /** The markdown below the heading line: the discussion prompts (and anything else the presenter should see). */
  body: string;
}

/** One `## ` section of a notebook: its heading and cells, and its speaker notes when it has a notes cell. */
export interface NotebookSection {
  /** The heading's text, without the `## `. */
  title: string;
  /** Index of the cell holding the heading. */
  start: number;
  /** Index one past the section's last cell (the next section's heading cell, or the number of cells). */
  end: number;
  /** Index of the section's speaker-notes cell. */
  notesCell?: number;
  notes?: SpeakerNotes;
}

/** The speaker notes a markdown text holds, or undefined when it does not open with {@link SPEAKER_NOTES_HEADING}. */
export function parseSpeakerNotes(markdown: string): SpeakerNotes | undefined {
  const text = markdown.replace(/^\s+/, "");
  if (!text.startsWith(SPEAKER_NOTES_HEADING)) return undefined;
  const newline = text.indexOf("\n");
  const first = newline < 0 ? text : text.slice(0, newline);
  // The template writes the time as a field to fill, "[[5]]분 / [[5]] min": its number still counts.
  const time = first.slice(SPEAKER_NOTES_HEADING.length).replaceAll("[[", "").replaceAll("]]", "")
    .match(/(\d+(?:\.\d+)?)\s*(?:분|min)/);
  const body = newline < 0 ? "" : text.slice(newline + 1).trim();
  return time ? { minutes: Number(time[1]), body } : { body };
}

/** Whether a cell is a speaker-notes cell. */
export function isSpeakerNotesCell(cell: Cell): boolean {
  return cell.cell_type === "markdown" && parseSpeakerNotes(sourceText(cell.source)) !== undefined;
}

/** The `## ` sections of a notebook in order, each with its speaker notes (the first notes cell in it). */
export function notebookSections(cells: readonly Cell[]): NotebookSection[] {
  const sections: NotebookSection[] = [];
  cells.forEach((cell, i) => {
    if (cell.cell_type !== "markdown") return;
    const text = sourceText(cell.source);
    const heading = text.match(/^## +(.+?)\s*#*\s*$/m);
    if (heading && !text.slice(0, heading.index).match(/^```/m)) {
      if (sections.length) sections[sections.length - 1].end = i;
      sections.push({ title: heading[1].trim(), start: i, end: cells.length });
      return;
    }
    const notes = parseSpeakerNotes(text);
    const section = sections.at(-1);
    if (notes && section && section.notes === undefined) Object.assign(section, { notesCell: i, notes });
  });
  return sections;
}

/**
 * What is missing from a notebook's speaker notes: a section with no notes cell, a notes cell with no time or no
 * discussion prompt (a list item), a notes cell before the first section. Empty when every section is ready to
 * present. For the notebook lint.
 */
export function speakerNotesProblems(cells: readonly Cell[], file: string): string[] {
  const problems: string[] = [];
  const sections = notebookSections(cells);
  for (const s of sections) {
    if (!s.notes) {
      problems.push(
        `${file}: section "${s.title}" has no speaker notes (a markdown cell opening "${SPEAKER_NOTES_HEADING} — ` +
          `N분 / N min" with discussion prompts as a list)`,
      );
      continue;
    }
    const where = `${file}: the speaker notes of "${s.title}" (cell ${(s.notesCell ?? 0) + 1})`;
    if (s.notes.minutes === undefined) problems.push(`${where} give no time: end the first line with "— N분 / N min"`);
    if (!/^\s*[-*+] \S/m.test(s.notes.body)) problems.push(`${where} have no discussion prompt (a "- " list item)`);
  }
  const first = sections[0]?.start ?? cells.length;
  cells.slice(0, first).forEach((c, i) => {
    if (isSpeakerNotesCell(c)) problems.push(`${file}: cell ${i + 1} holds speaker notes before the first section`);
  });
  return problems;
}
