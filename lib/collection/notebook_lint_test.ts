import { describe, expect, it } from "vitest";
import { join, relative } from "node:path";
import { readNotebook, sourceText } from "../notebook/nbformat.ts";
import { findNotebooks, isPaperNotebook } from "./collection.ts";
import { createPaperNotebook } from "./new_paper.ts";
import {
  bothLanguages,
  contentWeight,
  headings,
  keywords,
  type LintNotebook,
  lintNotebook,
  type LintProblem,
  particles,
  tryIt,
} from "./notebook_lint.ts";

const md = (source: string) => ({ cell_type: "markdown", source });
const code = (source: string) => ({ cell_type: "code", source });
const nb = (...cells: LintNotebook["cells"]): LintNotebook => ({ cells });
const paper = { paper: true };
const messages = (ps: LintProblem[]) => ps.map((p) => `${p.cell}: ${p.message}`);

const HEADER = "# T\n\n###### 1 Jan 2020 · V\n\n**목적** — 목적\n\n**Purpose** — purpose";
const KEYWORDS =
  "## 키워드 / Keywords\n\n- **잔차 학습 / Residual learning** — 층이 잔차를 학습하고 블록은 그 합을 출력 / " +
  "the layers fit the residual and the block outputs the sum";
const TRY =
  "### 해 보기 / Try it\n\n`k = 5`로 바꿔 보세요.\n\nSet `k = 5`.\n\n<details>\n<summary>풀이 / Solution</summary>" +
  "\n\n두 표를 비교합니다.\n\nCompare the two tables.\n\n</details>\n";

describe("particles", () => {
  it("finds a particle after a space that follows Latin, a digit, math, code or a bracket", () => {
    const found = messages(particles(
      nb(
        md("ResNet 은 깊다. 잔차를 0 으로 민다. $p_g$ 가 같다. `seed` 를 바꾼다. (표 1) 의 값. ResNet은 된다."),
        code('// 이 실행 / this run; plain net 의 오류\nconst s = "ResNet-20 과 비교";'),
        md("족 $p_g = N(μ, 1)$\n에 대해 계산한다. $D(x)=1/2$ 라면"),
      ),
      paper,
    ));
    expect(found).toEqual([
      '1: line 1: "ResNet 은" → "ResNet은"',
      '1: line 1: "0 으로" → "0으로"',
      '1: line 1: "$p_g$ 가" → "$p_g$가"',
      '1: line 1: "`seed` 를" → "`seed`를"',
      '1: line 1: "1) 의" → "1)의"',
      '2: line 1: "net 의" → "net의"',
      '2: line 2: ""ResNet-20 과" → ""ResNet-20과"',
      '3: line 1: "1)$ 에" → "1)$에"',
      '3: line 2: "$D(x)=1/2$ 라면" → "$D(x)=1/2$라면"',
    ]);
  });

  it("leaves attached particles, Korean words after Latin ones, and the determiner 이 before a noun alone", () => {
    expect(particles(nb(md("ResNet은 0으로, k = 1과 $p_g$가. plain net 학습. 1번 · 3개 · 이 실행")), paper)).toEqual(
      [],
    );
  });
});

describe("headings", () => {
  it("wants every heading below the title to be 한국어 / English", () => {
    const found = messages(headings(
      nb(md("# Title\n\n## 1. 서론 / Introduction\n\n### 질문\n\n### Question\n\n```\n## not a heading\n```")),
      paper,
    ));
    expect(found).toEqual([
      '1: heading "질문" is not a pair "한국어 / English": write both halves, Korean first',
      '1: heading "Question" is not a pair "한국어 / English": write both halves, Korean first',
    ]);
    expect(headings(nb(md("### Question")), { paper: false })).toEqual([]);
  });
});

describe("keywords", () => {
  it("wants them right after the header, each term and explanation a pair, the Korean as complete", () => {
    expect(keywords(nb(md(HEADER), md(KEYWORDS)), paper)).toEqual([]);
    const found = messages(keywords(
      nb(
        md(HEADER),
        md("intro / 소개"),
        md(
          "## 키워드 / Keywords\n\n- **Degradation (성능 저하)** — 깊을수록 오류 상승 / deeper plain nets reach higher " +
            "training error: an optimisation difficulty, not overfitting\n- **Maxout** — only English\n- no term",
        ),
      ),
      paper,
    ));
    expect(found[0]).toBe("3: the keywords are cell 3; the group's template puts them right after the header");
    expect(found[1]).toBe('3: keyword "Degradation (성능 저하)" needs its Korean half: "**한국어 / English**"');
    expect(found[2]).toMatch(
      /^3: keyword "Degradation \(성능 저하\)": the Korean explanation says less than the English \(0\.\d\d/,
    );
    expect(found.slice(3)).toEqual([
      '3: keyword "Maxout" needs its Korean half: "**한국어 / English**"',
      '3: keyword "Maxout": the explanation needs a Korean and an English half, "한국어 / English"',
      '3: "no term…" is not "**한국어 / English** — 한국어 설명 / English explanation"',
    ]);
  });

  it("weighs a Hangul syllable as two and a half Latin letters, and math as nothing", () => {
    expect(contentWeight("잔차 학습")).toBe(10);
    expect(contentWeight("residual $F(x) = H(x) - x$")).toBe(8);
  });
});

describe("both-languages", () => {
  it("wants Korean and English prose in every markdown cell of a paper", () => {
    expect(messages(bothLanguages(nb(md("한국어만 있는 문단"), md("English only"), md("$$x$$"), md("가 / an")), paper)))
      .toEqual([
        "1: this markdown cell is in Korean only; add the English text",
        "2: this markdown cell is in English only; add the Korean text",
        "3: this markdown cell is in neither language only; add the Korean text",
      ]);
  });
});

describe("try-it", () => {
  it("wants one to three Try-it cells ending each numbered section, each with its solution in <details>", () => {
    const named = TRY.replace("### 해 보기 / Try it", "### 해 보기: k = 5 / Try it: k = 5");
    const notes = "#### 발표 노트 / Speaker notes — 5분 / 5 min\n\n- 질문?\n- A question?";
    const good = nb(
      md("## 1. 서론 / Introduction"),
      code("x"),
      md(TRY),
      md(named),
      md(notes),
      code("cleanup()"),
      md("## 요약 / Summary"),
    );
    expect(tryIt(good, paper)).toEqual([]);
    const found = messages(tryIt(
      nb(
        md("## 1. 서론 / Introduction"),
        md("### 해 보기 / Try it\n\n바꿔 보세요. / Change it.\n\n풀이: 그냥 보세요."),
        md("### 질문 / Question"),
        md("## 2. 방법 / Method"),
        md(TRY),
        md(TRY),
        md(TRY),
        md(TRY),
      ),
      paper,
    ));
    expect(found).toEqual([
      "2: a Try-it cell ends with its solution: `<details>`, `<summary>풀이 / Solution</summary>`, a blank line, the " +
      "solution, a blank line, `</details>`",
      '3: section "1. 서론 / Introduction" goes on after its Try-it exercises: they end the section',
      '4: section "2. 방법 / Method" has 4 "해 보기 / Try it" exercises; give it one to three',
    ]);
  });
});

describe("the collection's notebooks", async () => {
  const files = await findNotebooks(["notebooks"]);
  it.each(files.map((f) => [relative("notebooks", f), f]))("%s passes the lint", async (_, file) => {
    const ctx = { paper: isPaperNotebook(file) || file.endsWith("template.ipynb") };
    expect(messages(lintNotebook(await readNotebook(file), ctx))).toEqual([]);
  });

  it("a new paper from `deno task new-paper` passes the lint before its author writes a word", async () => {
    const dir = await Deno.makeTempDir({ prefix: "paper-lint-" });
    try {
      await Deno.copyFile("notebooks/template.ipynb", join(dir, "template.ipynb"));
      const file = await createPaperNotebook({
        title: "Attention Is All You Need",
        category: "Natural Language Processing",
        categoryKo: "자연어 처리",
        date: "2017-06-12",
        venue: "NIPS",
        notebooksDir: dir,
        libDir: join(dir, "lib"),
      });
      const created = await readNotebook(file);
      expect(messages(lintNotebook(created, paper))).toEqual([]);
      expect(sourceText(created.cells[1].source)).toMatch(/^## 키워드 \/ Keywords/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
