import { describe, expect, it } from "vitest";
import { markdownCell } from "../notebook/nbformat.ts";
import { notebookSections, parseSpeakerNotes, SPEAKER_NOTES_HEADING, speakerNotesProblems } from "./speaker_notes.ts";

const notes = (line: string, body = "- 왜일까요?\n- Why?") => `${SPEAKER_NOTES_HEADING}${line}\n\n${body}`;

describe("speaker notes", () => {
  it("reads the suggested time from the heading line and keeps the prompts as markdown", () => {
    expect(parseSpeakerNotes(notes(" — 8분 / 8 min"))).toEqual({ minutes: 8, body: "- 왜일까요?\n- Why?" });
    expect(parseSpeakerNotes(notes(" — 2.5 min"))?.minutes).toBe(2.5);
    // the template's field to fill still gives its number
    expect(parseSpeakerNotes(notes(" — [[5]]분 / [[5]] min"))?.minutes).toBe(5);
    expect(parseSpeakerNotes(notes(""))).toEqual({ body: "- 왜일까요?\n- Why?" });
    expect(parseSpeakerNotes("## 1. Introduction")).toBeUndefined();
    expect(parseSpeakerNotes("#### Speaker notes — 8 min")).toBeUndefined();
  });

  it("finds each section's notes cell wherever it sits in the section", () => {
    const cells = [
      markdownCell("# Title"),
      markdownCell("## 1. 서론 / Introduction\n\ntext"),
      markdownCell(notes(" — 5분 / 5 min")),
      markdownCell("## 2. 방법 / Method"),
      markdownCell("```md\n## not a heading\n```"),
      markdownCell("## 키워드 / Keywords\n\n- **a** — 가 / a"),
      markdownCell(notes(" — 3분 / 3 min")),
    ];
    const sections = notebookSections(cells);
    expect(sections.map((s) => [s.title, s.start, s.end, s.notesCell, s.notes?.minutes])).toEqual([
      ["1. 서론 / Introduction", 1, 3, 2, 5],
      ["2. 방법 / Method", 3, 5, undefined, undefined],
      ["키워드 / Keywords", 5, 7, 6, 3],
    ]);
  });

  it("lints a section with no notes, no time or no prompt, and notes before the first section", () => {
    const cells = [
      markdownCell(notes(" — 1 min")),
      markdownCell("## 1. A"),
      markdownCell(notes("", "- 질문 / a prompt")),
      markdownCell("## 2. B"),
      markdownCell(notes(" — 4분 / 4 min", "just text")),
      markdownCell("## 3. C"),
    ];
    const problems = speakerNotesProblems(cells, "x.ipynb");
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/"1\. A" \(cell 3\) give no time/);
    expect(problems[1]).toMatch(/"2\. B" \(cell 5\) have no discussion prompt/);
    expect(problems[2]).toMatch(/section "3\. C" has no speaker notes/);
    expect(problems[3]).toMatch(/cell 1 holds speaker notes before the first section/);
  });
});
