import { describe, expect, it } from "vitest";
import { bundleOf } from "../display/bundle.ts";
import { PLOTLY_MIME } from "../display/mod.ts";
import { check } from "../exercise/mod.ts";
import { type Cell, codeCell, markdownCell, newNotebook, type Output, sourceText } from "../notebook/nbformat.ts";
import { buildDeck, CONTENT_WIDTH, type DeckSlide, wrappedLines } from "./deck.ts";
import { siteEntry } from "./entry.ts";

const HEADER = `# A Paper (AP)

###### 10 Dec 2015 · CVPR

**목적** — 논문의 목적을 한국어로 적는다.

**Purpose** — The purpose of the paper, in English.

**결론** — 논문의 결론을 한국어로 적는다.

**Conclusion** — The conclusion of the paper, in English.`;

const display = (data: Record<string, unknown>): Output => ({ output_type: "display_data", data, metadata: {} });
const table = (caption: string, rows: number): Output =>
  display({
    "text/html": `<table><caption>${caption}</caption><thead><tr><th>a</th></tr></thead><tbody>${
      Array.from({ length: rows }, (_, i) => `<tr><td>${i}</td></tr>`).join("")
    }</tbody></table>`,
    "text/plain": caption,
  });
const ran = (text: string, outputs: Output[]): Cell => ({ ...codeCell(text), outputs, execution_count: 1 });
const notes = (minutes: number) =>
  markdownCell(`#### 발표 노트 / Speaker notes — ${minutes}분 / ${minutes} min\n\n- 질문?\n- A prompt?`);

const paragraph = (n: number) =>
  `문단 ${n}: ${"잔차 학습은 층이 입력을 기준으로 한 잔차 함수를 학습하게 한다. ".repeat(4)}\n\nParagraph ${n}: ${
    "The layers learn a residual function with reference to the layer inputs. ".repeat(3)
  }`;

function notebook(): Cell[] {
  return [
    markdownCell(HEADER),
    markdownCell(
      "## 키워드 / Keywords\n\n- **잔차 / Residual** — 입력을 뺀 나머지 / what is left once the input is taken",
    ),
    notes(3),
    markdownCell("> **사용법 / How to use.** 차례로 실행하세요. / Run the cells in order."),
    ran("// 백엔드 / Backend", [table("backend", 2)]),
    markdownCell(
      `## 1. 잔차 학습 / Residual learning\n\n${[1, 2, 3, 4, 5].map(paragraph).join("\n\n")}\n\n` +
        "### 질문 / Question\n\n답은 몇일까요? / What is the answer?",
    ),
    ran("// 예측 / Your prediction\nconst myAnswer = undefined;", []),
    ran("// 학습 / Train", [
      display({ "text/html": '<div><progress value="3" max="3"></progress></div>', "text/plain": "3/3" }),
      display({ [PLOTLY_MIME]: { data: [{ y: [1, 2] }], layout: {} }, "text/plain": "fig" }),
      display({ [PLOTLY_MIME]: { data: [{ y: [3, 4] }], layout: {} }, "text/plain": "fig" }),
      table("two rows", 2),
      display({ "text/html": '<div style="border-left:4px solid #1a7f37">held on 3 of 3 seeds</div>' }),
      { output_type: "stream", name: "stdout", text: "a log line\n" },
    ]),
    ran("// 확인 / Check", [
      display(
        bundleOf(check(undefined, 14, { question: "(a)", why: (agreed) => `${agreed ? "yes" : ""}. 1 + 4 + 9` })),
      ),
      // a verdict from before the deck's reveal existed: the reader's "no answer yet", left off the slides
      display({ "text/html": "<div><b>no answer yet: write your prediction</b></div>" }),
    ]),
    notes(8),
    markdownCell("## 2. 실험 / Experiments\n\n짧은 글. / A short text.\n\n### 변수 / Variables\n\n$$x = 1$$"),
    ran("// 긴 표 / A long table", [table("long", 25)]),
    ran("// 이미지 / An image", [display({ "image/png": "iVBORw0KGgo=", "text/plain": "img" })]),
  ];
}

function deck() {
  const nb = newNotebook(notebook(), { paper: { title: "A Paper (AP)", category: "image-classification" } });
  return buildDeck(siteEntry(nb, "image-classification/ap.ipynb", "ap.ipynb"));
}

const summary = (s: DeckSlide) => `${s.kind}:${s.title ?? ""}${s.part ? ` ${s.part.join("/")}` : ""}`;

describe("buildDeck", () => {
  it("opens with the title slide, follows the sections in order and closes with the keywords", () => {
    const d = deck();
    expect(d.slides[0].kind).toBe("title");
    expect(d.slides.at(-1)?.kind).toBe("keywords");
    expect(d.sections.map((s) => [s.title, s.number, s.notes?.minutes])).toEqual([
      ["키워드 / Keywords", 1, 3],
      ["1. 잔차 학습 / Residual learning", 2, 8],
      ["2. 실험 / Experiments", 3, undefined],
    ]);
    expect(d.minutes).toBe(11);
    // the keywords slide holds the keywords only, not the how-to-use note or the setup cell after them
    const keywords = d.slides.filter((s) => s.kind === "keywords");
    expect(keywords).toHaveLength(1);
    expect(keywords[0].items).toEqual([expect.objectContaining({ kind: "markdown" })]);
    expect(JSON.stringify(d.slides)).not.toContain("How to use");
    expect(JSON.stringify(d.slides)).not.toContain("backend");
  });

  it("splits a long section over numbered slides and asks its question after its text", () => {
    const slides = deck().slides.filter((s) => s.section?.number === 2);
    const text = slides.filter((s) => s.kind === "text");
    expect(text.length).toBeGreaterThanOrEqual(2);
    text.forEach((s, i) => {
      expect(s.title).toBe("1. 잔차 학습 / Residual learning");
      expect(s.part).toEqual([i + 1, text.length]);
    });
    // every paragraph is on some slide, once, in order
    const shown = text.map((s) => (s.items[0].kind === "markdown" ? s.items[0].markdown : "")).join("");
    expect([...shown.matchAll(/(문단|Paragraph) (\d)/g)].map((m) => m[2]).join("")).toBe("1122334455");
    expect(slides[text.length].kind).toBe("question");
  });

  it("reveals this run's answer from the verdict, and leaves progress bars, logs and old verdicts off", () => {
    const d = deck();
    const q = d.slides.find((s) => s.kind === "question")!;
    expect(q.items[0]).toMatchObject({ kind: "markdown", markdown: "답은 몇일까요? / What is the answer?\n" });
    expect(q.reveals).toEqual([{
      question: "(a)",
      expected: "14",
      tolerance: "0.7",
      why: "1 + 4 + 9",
      answered: false,
    }]);
    const results = d.slides.filter((s) => s.kind === "result" && s.section?.number === 2);
    expect(results.map((r) => r.items.map((i) => i.kind))).toEqual([["plotly"], ["plotly"], ["html", "html"]]);
    expect(results.every((r) => r.title === "학습 / Train")).toBe(true);
    const text = JSON.stringify(d.slides);
    expect(text).not.toMatch(/progress|a log line|no answer yet/);
  });

  it("moves answers too long to fit under their question to a slide of their own, still revealed a step later", () => {
    const long = "The verdict sentence of this run, with its seeds and its gap in points. ".repeat(5);
    const cells = notebook().map((c) =>
      c.cell_type === "code" && sourceText(c.source).startsWith("// 확인")
        ? ran("// 확인 / Check", [
          display(bundleOf(check(undefined, 14, { question: "(a)", why: () => long }))),
          display(bundleOf(check(undefined, 15, { question: "(b)", why: () => long }))),
        ])
        : c
    );
    const nb = newNotebook(cells, { paper: { title: "A Paper (AP)", category: "image-classification" } });
    const d = buildDeck(siteEntry(nb, "image-classification/ap.ipynb", "ap.ipynb"));
    const at = d.slides.findIndex((s) => s.kind === "question");
    const [asked, answered] = [d.slides[at], d.slides[at + 1]];
    expect(asked).toMatchObject({ kind: "question", answersFollow: true, reveals: undefined });
    expect(asked.items[0]).toMatchObject({ kind: "markdown" });
    expect(answered).toMatchObject({ kind: "question", title: "질문 / Question — 답 / Answer" });
    expect(answered.items).toMatchObject([{ kind: "markdown", markdown: expect.stringMatching(/^예측을 적었나요\?/) }]);
    expect(answered.reveals!.map((r) => r.expected)).toEqual(["14", "15"]);
    // The short answer of the shared notebook still fits under its question.
    expect(deck().slides.find((s) => s.kind === "question")!.answersFollow).toBeUndefined();
  });

  it("gives each figure and image a slide and splits a long table, its header on every part", () => {
    const d = deck();
    const section2 = d.slides.filter((s) => s.section?.number === 3).map(summary);
    expect(section2).toEqual([
      "text:2. 실험 / Experiments",
      "text:변수 / Variables",
      "result:긴 표 / A long table 1/3",
      "result:긴 표 / A long table 2/3",
      "result:긴 표 / A long table 3/3",
      "result:이미지 / An image",
    ]);
    const parts = d.slides.filter((s) => s.title === "긴 표 / A long table").map((s) => s.items[0]);
    for (const p of parts) expect(p).toMatchObject({ kind: "html", html: expect.stringContaining("<thead>") });
    const rows = parts.map((p) => (p.kind === "html" ? p.html.match(/<td>/g)?.length : 0));
    expect(rows).toEqual([10, 10, 5]);
  });

  it("carries each section's notes to its slides", () => {
    const d = deck();
    for (const s of d.slides.slice(1)) expect(s.section).toBeDefined();
    expect(d.slides.filter((s) => s.section?.notes?.minutes === 8).length).toBeGreaterThanOrEqual(5);
  });
});

describe("wrappedLines", () => {
  it("counts Hangul as twice as wide as Latin text, and drops markup and TeX commands", () => {
    const width = CONTENT_WIDTH;
    expect(wrappedLines("a".repeat(60), width)).toBe(1);
    expect(wrappedLines("가".repeat(80), width)).toBe(2);
    expect(wrappedLines(`**${"a".repeat(60)}** $\\mathbb{E}_{x}$`, width)).toBe(1);
  });
});
