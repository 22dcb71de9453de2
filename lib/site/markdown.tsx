/**
 * Markdown cells to HTML with marked, math typeset by KaTeX at build time. Math is tokenised by marked extensions
 * before any markdown rule sees it, so `_` and `*` inside `$...$` stay TeX; code spans and fenced code keep their
 * dollars. Headings get stable ids and are collected for the page's table of contents. Raw HTML in markdown is shown
 * as the text it is, never run: a `<script>` in a cell must not run in a reader's browser; the one exception is the
 * collapsed solution of a Try-it exercise (`<details>` around markdown), rendered as a real `<details>`. Blocks and
 * pairs are marked with their language (bilingual.tsx), so a reader can choose one.
 *
 * The math tokenisers are written here, not taken from marked-katex-extension: its inline rule wants a space or
 * punctuation after the closing `$` (Korean text runs on: "$p_g$이고"), its non-standard rule would typeset "$5 and
 * $10", and its block rule wants `$$` on lines of their own; ours is Pandoc's rule, as Jupyter's markdown reads it.
 */
import { Lexer, Marked, Parser, type Token, type Tokens } from "marked";
import katex from "katex";
import { createElement } from "preact";
import { renderToString } from "preact-render-to-string";
import { highlightCode } from "./highlight.tsx";
import { blockLanguage, langAttribute, pickLanguage, renderBilingualInline, type RunLanguage } from "./bilingual.tsx";

/**
 * A heading found while rendering: its level, anchor id, inline HTML (a pair's halves as `<span lang>`s), plain text,
 * and the text a reader of one language sees (the whole text when the heading is not a pair).
 */
export interface Heading {
  level: number;
  id: string;
  html: string;
  text: string;
  ko: string;
  en: string;
}

/** State shared by the markdown cells of one page: headings so far, ids in use, and problems found. */
export interface MarkdownContext {
  headings: Heading[];
  usedIds: Set<string>;
  /** Problems worth a warning at build time (bad TeX), each naming where it was found. */
  problems: string[];
  /** Where the text comes from, for problem messages (e.g. "out/gan.ipynb cell 3"). */
  where?: string;
}

/** A fresh context for one page. */
export function markdownContext(): MarkdownContext {
  return { headings: [], usedIds: new Set(), problems: [] };
}

/**
 * Typesets TeX with KaTeX (display or inline); a TeX error is rendered in place, red, and recorded in
 * `ctx.problems`.
 */
export function renderMath(tex: string, display: boolean, ctx?: MarkdownContext): string {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      strict: "ignore",
      output: "htmlAndMathml",
    });
  } catch (e) {
    ctx?.problems.push(`${ctx.where ?? "markdown"}: TeX error in "${tex}": ${(e as Error).message}`);
    return katex.renderToString(tex, { displayMode: display, throwOnError: false, strict: "ignore" });
  }
}

/** An anchor id from heading text: letters (any script, so Korean stays), digits and hyphens, unique on the page. */
export function headingId(text: string, used: Set<string>): string {
  const base = text.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "") ||
    "section";
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/**
 * The text of a heading's HTML, its math as KaTeX's visible text. Read from the HTML because marked's text renderer
 * would still hand math tokens to the KaTeX extension.
 */
function textOf(html: string): string {
  return html.replace(/<math[\s\S]*?<\/math>/g, "").replace(/<[^>]+>/g, "").replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
}

const DETAILS = /^<details>[ \t]*\n<summary>([^\n]*?)<\/summary>[ \t]*\n([\s\S]*?)\n<\/details>[ \t]*(?:\n+|$)/;
const BLOCK_MATH = /^\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/;
const DISPLAY_INLINE_MATH = /^\$\$([\s\S]+?)\$\$/;
// Pandoc's rule: no space after the opening `$`, none before the closing one, and no digit right after it (so "$5
// and $10" stays text).
const INLINE_MATH = /^\$(?![\s$])((?:\\[\s\S]|[^\\$])+?)(?<!\s)\$(?!\d)/;

/** An image's `src`: a cell attachment (`attachment:name`) as a data URL, anything else as written. */
function attachmentUrl(href: string, attachments: Record<string, Record<string, string>>): string {
  const name = href.match(/^attachment:(.+)$/)?.[1];
  const bundle = name === undefined ? undefined : attachments[name];
  const mime = Object.keys(bundle ?? {}).find((k) => k.startsWith("image/"));
  if (!bundle || !mime) return href;
  const data = String(bundle[mime]);
  return mime === "image/svg+xml" && data.trimStart().startsWith("<")
    ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}`
    : `data:${mime};base64,${data.replace(/\s+/g, "")}`;
}

/**
 * A list item: a tight item's text is one inline run (a pair splits into spans, one language goes on the `<li>`);
 * a loose item's paragraphs carry their own languages.
 */
function listItem(item: Tokens.ListItem, parser: Parser): { html: string; lang: RunLanguage } {
  const langs: RunLanguage[] = [];
  const inner = item.tokens.map((t) => {
    if (t.type === "text" && "tokens" in t && t.tokens) {
      const run = renderBilingualInline(t.tokens, parser);
      langs.push(run.lang);
      return run.html;
    }
    if (t.type === "paragraph") langs.push(renderBilingualInline((t as Tokens.Paragraph).tokens, parser).lang);
    return parser.parse([t]);
  }).join("");
  const lang = blockLanguage(langs);
  return { html: `<li${langAttribute(lang)}>${inner}</li>\n`, lang };
}

function markedFor(ctx: MarkdownContext, attachments: Record<string, Record<string, string>>): Marked {
  const m = new Marked({ gfm: true });
  m.use({
    extensions: [
      {
        name: "blockMath",
        level: "block",
        start: (src: string) => src.match(/^\$\$/m)?.index,
        tokenizer(src: string) {
          const hit = BLOCK_MATH.exec(src);
          return hit ? { type: "blockMath", raw: hit[0], text: hit[1].trim() } : undefined;
        },
        renderer: (token: Tokens.Generic) => `<div class="math-display">${renderMath(token.text, true, ctx)}</div>\n`,
      },
      {
        // The one piece of HTML a notebook may write: a collapsed solution, `<details>` / `<summary>…</summary>` /
        // markdown / `</details>`, which Jupyter shows collapsed too. Its summary and body are markdown, rendered
        // (and escaped) like any other; every other tag stays text.
        name: "details",
        level: "block",
        start: (src: string) => src.match(/^<details>/m)?.index,
        tokenizer(src: string) {
          const hit = DETAILS.exec(src);
          if (!hit) return undefined;
          const token = { type: "details", raw: hit[0], summary: [] as Token[], tokens: [] as Token[] };
          this.lexer.inline(hit[1].trim(), token.summary);
          this.lexer.blockTokens(hit[2], token.tokens);
          return token;
        },
        renderer(token: Tokens.Generic): string {
          const summary = renderBilingualInline(token.summary, this.parser);
          return `<details class="solution"><summary${langAttribute(summary.lang)}>${summary.html}</summary>\n` +
            `${this.parser.parse(token.tokens ?? [])}</details>\n`;
        },
        childTokens: ["summary", "tokens"],
      },
      {
        name: "inlineMath",
        level: "inline",
        start: (src: string) => {
          const i = src.indexOf("$");
          return i < 0 ? undefined : i;
        },
        tokenizer(src: string) {
          const display = DISPLAY_INLINE_MATH.exec(src);
          if (display) return { type: "inlineMath", raw: display[0], text: display[1].trim(), display: true };
          const inline = INLINE_MATH.exec(src);
          return inline ? { type: "inlineMath", raw: inline[0], text: inline[1], display: false } : undefined;
        },
        renderer: (token: Tokens.Generic) => renderMath(token.text, token.display, ctx),
      },
    ],
    // Links between notebooks point at their pages on the site; cell attachments become data URLs. marked's own
    // link and image renderers then write (and escape) them.
    walkTokens(token: Token): void {
      if (token.type === "link") token.href = token.href.replace(/\.ipynb(#.*)?$/, ".html$1");
      if (token.type === "image") token.href = attachmentUrl(token.href, attachments);
    },
    renderer: {
      heading({ tokens, depth }: Tokens.Heading): string {
        const run = renderBilingualInline(tokens, this.parser);
        const html = run.html;
        const text = textOf(html);
        const id = headingId(text, ctx.usedIds);
        ctx.headings.push({
          level: depth,
          id,
          html,
          text,
          ko: pickLanguage(text, "ko"),
          en: pickLanguage(text, "en"),
        });
        const anchor = renderToString(
          <a class="anchor" href={`#${encodeURIComponent(id)}`} aria-label="link to this section">#</a>,
        );
        const lang = run.lang === "ko" || run.lang === "en" ? run.lang : undefined;
        return renderToString(
          createElement(`h${depth}`, { id, lang, dangerouslySetInnerHTML: { __html: html + anchor } }),
        ) + "\n";
      },
      // Blocks in one language carry it (lang.css hides the other); a block with a pair carries spans instead.
      paragraph({ tokens }: Tokens.Paragraph): string {
        const run = renderBilingualInline(tokens, this.parser);
        return `<p${langAttribute(run.lang)}>${run.html}</p>\n`;
      },
      strong({ tokens }: Tokens.Strong): string {
        return `<strong>${renderBilingualInline(tokens, this.parser).html}</strong>`;
      },
      em({ tokens }: Tokens.Em): string {
        return `<em>${renderBilingualInline(tokens, this.parser).html}</em>`;
      },
      list(token: Tokens.List): string {
        const items = token.items.map((item) => listItem(item, this.parser));
        const tag = token.ordered ? "ol" : "ul";
        const start = token.ordered && token.start !== 1 && token.start !== "" ? ` start="${token.start}"` : "";
        const lang = langAttribute(blockLanguage(items.map((i) => i.lang)));
        return `<${tag}${start}${lang}>\n${items.map((i) => i.html).join("")}</${tag}>\n`;
      },
      code({ text, lang }: Tokens.Code): string {
        const language = (lang ?? "").split(/\s/)[0];
        return `<pre class="hljs"><code>${highlightCode(text, language)}</code></pre>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return renderToString(<>{text}</>);
      },
    },
  });
  return m;
}

/**
 * Renders markdown to HTML: GitHub-flavoured markdown, `$...$` and `$$...$$` math through KaTeX, highlighted fenced
 * code, ids on headings (collected in `ctx.headings`), cell attachments resolved, `.ipynb` links pointed at `.html`.
 */
export function renderMarkdown(
  text: string,
  ctx: MarkdownContext = markdownContext(),
  attachments: Record<string, Record<string, string>> = {},
): string {
  return markedFor(ctx, attachments).parse(text, { async: false });
}

/**
 * Renders one line of markdown (no surrounding paragraph), with math, for titles and header fields; a pair
 * `한국어 / English` gets its language spans as in a paragraph.
 */
export function renderInlineMarkdown(text: string, ctx: MarkdownContext = markdownContext()): string {
  const m = markedFor(ctx, {});
  const tokens = Lexer.lexInline(text, m.defaults);
  const walk = m.defaults.walkTokens;
  if (walk) m.walkTokens(tokens, walk);
  return renderBilingualInline(tokens, new Parser(m.defaults)).html;
}
