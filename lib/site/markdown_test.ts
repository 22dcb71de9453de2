import { describe, expect, it } from "vitest";
import { headingId, markdownContext, renderInlineMarkdown, renderMarkdown, renderMath } from "./markdown.tsx";

/** The TeX sources KaTeX embedded (MathML annotations): what was typeset, in order. */
function typeset(html: string): string[] {
  return [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((m) =>
    m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
  );
}

describe("renderMarkdown", () => {
  it("typesets inline and display math, keeping markdown's hands off TeX", () => {
    const html = renderMarkdown(
      "Value $V(D,G) = \\mathbb{E}_{x}[a_1 * b_2]$ and *em*.\n\n$$\nD^*_G = \\frac{p_{data}}{p_{data}+p_g}\n$$\n",
    );
    expect(typeset(html)).toEqual(["V(D,G) = \\mathbb{E}_{x}[a_1 * b_2]", "D^*_G = \\frac{p_{data}}{p_{data}+p_g}"]);
    expect(html.match(/<em>/g)).toHaveLength(1); // only *em*, none from `_` or `*` in TeX
    expect(html).toContain('class="katex-display"');
    expect(html).not.toContain("$");
  });

  it("leaves dollars alone in code, after a space, before a digit, and when escaped", () => {
    const html = renderMarkdown("`cost $x$` costs $5 and $10, not \\$y\\$.\n\n```ts\nconst s = `${a}$`;\n```\n");
    expect(typeset(html)).toEqual([]);
    expect(html).toContain("<code>cost $x$</code>");
    expect(html).toContain("costs $5 and $10, not $y$.");
    expect(html).toContain('<span class="hljs-keyword">const</span>');
  });

  it("typesets $$...$$ inside a paragraph as display math", () => {
    const html = renderMarkdown("so $$x^2$$ here");
    expect(typeset(html)).toEqual(["x^2"]);
    expect(html).toContain("katex-display");
  });

  it("gives headings unique ids (Korean kept) and collects them, math in headings as text", () => {
    const ctx = markdownContext();
    const html = renderMarkdown("## 1. 서론 / Intro\n\n## 1. 서론 / Intro\n\n### Eq. $F(x)$", ctx);
    expect(ctx.headings.map((h) => [h.level, h.id, h.text])).toEqual([
      [2, "1-서론-intro", "1. 서론 / Intro"],
      [2, "1-서론-intro-2", "1. 서론 / Intro"],
      [3, "eq-f-x", "Eq. F(x)"],
    ]);
    expect(html).toContain('<h2 id="1-서론-intro">');
  });

  it("records bad TeX as a problem naming where it was, and still renders", () => {
    const ctx = { ...markdownContext(), where: "nb.ipynb cell 3" };
    const html = renderMarkdown("bad $\\frac{1$ here", ctx);
    expect(ctx.problems).toHaveLength(1);
    expect(ctx.problems[0]).toMatch(/^nb\.ipynb cell 3: TeX error in "\\frac\{1"/);
    expect(html).toContain("katex-error");
  });

  it("points links to notebooks at their pages and resolves cell attachments", () => {
    const html = renderMarkdown(
      "[GAN](../image-generation/gan.ipynb#sec) ![fig](attachment:a.png)",
      markdownContext(),
      {
        "a.png": { "image/png": "iVBORw0K\nGgo=" },
      },
    );
    expect(html).toContain('href="../image-generation/gan.html#sec"');
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
  });

  it("shows raw HTML as text: a <script> or an onerror in a cell never runs", () => {
    const html = renderMarkdown('a <script>alert("x")</script> <img src=x onerror="alert(1)">\n\n<script>b</script>\n');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain("&lt;script>");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;>");
    expect(renderInlineMarkdown("**<b>x</b>**")).toBe("<strong>&lt;b>x&lt;/b></strong>");
  });

  it("escapes link targets and image text marked writes", () => {
    const html = renderMarkdown('[a](x.ipynb "t\\"><b>") ![<b>"alt"](attachment:none.png)');
    expect(html).toContain('<a href="x.html" title="t&quot;&gt;&lt;b&gt;">a</a>');
    expect(html).toContain('<img src="attachment:none.png" alt="&lt;b&gt;&quot;alt&quot;">');
  });

  it("renders inline markdown without a paragraph", () => {
    expect(renderInlineMarkdown("**a** b")).toBe("<strong>a</strong> b");
  });
});

describe("headingId and renderMath", () => {
  it("falls back to 'section' for a heading with no letters", () => {
    const used = new Set<string>();
    expect([headingId("§ —", used), headingId("", used)]).toEqual(["section", "section-2"]);
  });

  it("renders display math in display mode only when asked", () => {
    expect(renderMath("x", true)).toContain("katex-display");
    expect(renderMath("x", false)).not.toContain("katex-display");
  });
});
