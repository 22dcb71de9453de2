import { describe, expect, it } from "vitest";
import { bilingualTableHtml, bilingualTextHtml, LANGUAGE_SCRIPT, languageHeadScript } from "./bilingual.tsx";
import { markdownContext, renderMarkdown } from "./markdown.tsx";

/** The markup without KaTeX's output, which is long and beside the point here. */
function render(md: string): string {
  return renderMarkdown(md).replace(
    /<span class="katex">[\s\S]*?<\/annotation><\/semantics><\/math><\/span>/g,
    "[math]",
  )
    .replace(/<span class="katex-html"[\s\S]*?<\/span><\/span><\/span>(<\/span>)*/g, "");
}

describe("markdown under the two-language convention", () => {
  it("marks a Korean paragraph and its English paragraph, and leaves display math to both", () => {
    const html = render(
      "원하는 사상을 $H(x)$라 할 때 ResNet은 잔차를 학습한다.\n\nLet $H(x)$ be the mapping.\n\n$$F(x)$$\n",
    );
    expect(html).toMatch(/^<p lang="ko">원하는 사상을/);
    expect(html).toMatch(/<p lang="en">Let /);
    expect(html).toMatch(/<div class="math-display">/);
  });

  it("splits a heading's pair into spans, the section number shared, and records both halves", () => {
    const ctx = markdownContext();
    const html = renderMarkdown("## 2. 잔차 학습 / §3.1 Residual learning\n", ctx);
    expect(html).toContain(
      '2. <span lang="ko">잔차 학습</span><span class="lang-sep"> / </span><span lang="en">§3.1 Residual learning</span>',
    );
    expect(ctx.headings[0]).toMatchObject({
      text: "2. 잔차 학습 / §3.1 Residual learning",
      ko: "2. 잔차 학습",
      en: "2. §3.1 Residual learning",
      id: "2-잔차-학습-3-1-residual-learning",
    });
  });

  it("splits a keyword bullet: the bold term's pair and the explanation's pair, the dash shown in both", () => {
    const html = render("- **잔차 학습 / Residual learning** — 층이 $F(x)$를 학습 / the layers fit $F(x)$\n");
    expect(html).toContain(
      '<li><strong><span lang="ko">잔차 학습</span><span class="lang-sep"> / </span><span lang="en">Residual learning' +
        '</span></strong> — <span lang="ko">층이 [math]',
    );
    expect(html).toContain('<span class="lang-sep"> / </span><span lang="en">the layers fit [math]');
  });

  it("hides a dash whose two sides are in different languages, and a whole list in one language carries it", () => {
    const html = render("가 나 — 다 라 / words here — more words\n\n- 하나\n- 둘\n");
    expect(html).toContain(
      '<span lang="ko">가 나</span><span lang="ko"> — </span><span lang="ko">다 라</span><span class="lang-sep"> / ' +
        '</span><span lang="en">words here</span><span lang="en"> — </span><span lang="en">more words</span>',
    );
    expect(html).toContain('<ul lang="ko">');
  });

  it("renders a Try-it solution as a collapsed <details>, and any other HTML as text", () => {
    const html = render(
      "<details>\n<summary>풀이 / Solution</summary>\n\n풀이 문단.\n\nThe solution.\n\n</details>\n\n<b>bold</b>\n",
    );
    expect(html).toContain(
      '<details class="solution"><summary><span lang="ko">풀이</span><span class="lang-sep"> / </span>' +
        '<span lang="en">Solution</span></summary>\n<p lang="ko">풀이 문단.</p>\n<p lang="en">The solution.</p>\n</details>',
    );
    expect(html).toContain("&lt;b>bold&lt;/b>");
    expect(html).not.toContain("<b>");
  });
});

describe("plain texts and output tables", () => {
  it("splits a pair into spans and escapes everything", () => {
    expect(bilingualTextHtml("목차 / Contents")).toBe(
      '<span lang="ko">목차</span><span class="lang-sep"> / </span><span lang="en">Contents</span>',
    );
    expect(bilingualTextHtml("a < b")).toBe("a &lt; b");
  });

  it("splits the captions and headers of lib/display's tables that are pairs, and nothing else", () => {
    const html = "<table><caption>Algorithm 1: this run vs the paper / 이번 실행과 논문</caption><thead><tr>" +
      "<th>this run / 이번 실행</th><th>k &lt; 2</th></tr></thead><tbody><tr><td>a / 가</td><td>1</td></tr></tbody></table>";
    const out = bilingualTableHtml(html);
    expect(out).toContain(
      '<caption><span lang="en">Algorithm 1: this run vs the paper</span><span class="lang-sep"> / </span>' +
        '<span lang="ko">이번 실행과 논문</span></caption>',
    );
    expect(out).toContain('<th><span lang="en">this run</span>');
    expect(out).toContain("<th>k &lt; 2</th><");
    expect(out).toContain("<td>a / 가</td>");
  });

  it("ships scripts that parse as JavaScript", () => {
    expect(() => new Function(LANGUAGE_SCRIPT)).not.toThrow();
    expect(() => new Function(languageHeadScript())).not.toThrow();
  });
});
