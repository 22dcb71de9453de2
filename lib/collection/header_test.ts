import { describe, expect, it } from "vitest";
import { HeaderError, parsePaperHeader } from "./header.ts";
import { readNotebook } from "../notebook/nbformat.ts";
import { notebookOf } from "../notebook/test_util.ts";

const HEADER = `# Deep Residual Learning for Image Recognition (ResNet)
###### 10 Dec 2015 · CVPR
**목적** — 깊은 네트워크를 쉽게 훈련시키기 위해 Residual Learning 도입
**Purpose** — Ease the training of much deeper networks with residual learning
**결론** — ResNet은 최적화가 쉽고 깊을수록 정확도가 높다
**Conclusion** — Residual networks are easier to optimise and gain accuracy from depth
`;
const KEYWORDS =
  "## 키워드 / Keywords\n- **Degradation** — 깊을수록 학습 오차가 커지는 현상 / training error grows with depth\n";

describe("parsePaperHeader", () => {
  it("reads title, date, venue, purpose, conclusion and keywords", () => {
    const nb = notebookOf([{ md: HEADER }, "1", { md: KEYWORDS }]);
    const h = parsePaperHeader(nb.cells, "resnet.ipynb");
    expect(h).toMatchObject({
      title: "Deep Residual Learning for Image Recognition (ResNet)",
      date: "10 Dec 2015",
      venue: "CVPR",
    });
    expect(h.purposeEn).toMatch(/^Ease the training/);
    expect(h.keywords).toEqual([{
      term: "Degradation",
      explanation: "깊을수록 학습 오차가 커지는 현상 / training error grows with depth",
    }]);
  });

  it("reads a keyword bullet that continues on an indented line", () => {
    const kw = "## 키워드 / Keywords\n- **Shortcut** — 층을 건너뛰는 연결 /\n  a connection that skips layers\n";
    const h = parsePaperHeader(notebookOf([{ md: HEADER }, { md: kw }]).cells, "r.ipynb");
    expect(h.keywords).toEqual([{
      term: "Shortcut",
      explanation: "층을 건너뛰는 연결 / a connection that skips layers",
    }]);
  });

  it("lists every problem at once, naming the file", () => {
    const nb = notebookOf([{ md: "# Title\n**목적** — only Korean\n**Purpose** — 한국어\n" }]);
    let error: HeaderError | undefined;
    try {
      parsePaperHeader(nb.cells, "bad.ipynb");
    } catch (e) {
      error = e as HeaderError;
    }
    expect(error).toBeInstanceOf(HeaderError);
    expect(error!.message).toMatch(/^bad\.ipynb:/);
    expect(error!.problems).toEqual(expect.arrayContaining([
      "no date and venue: add a line `###### 10 Dec 2015 · CVPR`",
      "**목적** should be written in Korean",
      "**Purpose** should be written in English",
      "no **결론** — ... line",
      "no keywords section: add a markdown cell starting `## 키워드 / Keywords`",
    ]));
  });

  it("rejects the template's unfilled fields", async () => {
    const nb = await readNotebook("notebooks/template.ipynb");
    expect(() => parsePaperHeader(nb.cells, "template.ipynb")).toThrow(
      /unfilled template field \[\[논문 제목 \/ Paper title\]\]/,
    );
  });
});
