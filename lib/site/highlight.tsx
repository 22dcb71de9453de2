/**
 * Syntax highlighting at build time with highlight.js (core plus the few languages the notebooks use), so pages need
 * no script to colour code. Two small steps over its HTML are written here because highlight.js has neither: linking
 * import specifiers (its output has no hook for a token's markup) and splitting the output into self-contained lines
 * for numbered listings (line numbers were left out of highlight.js on purpose; the plugins for them work on a DOM).
 */
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import bash from "highlight.js/lib/languages/bash";
import python from "highlight.js/lib/languages/python";
import plaintext from "highlight.js/lib/languages/plaintext";
import { renderToString } from "preact-render-to-string";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("python", python);
hljs.registerLanguage("plaintext", plaintext);

/**
 * Highlighted HTML (highlight.js `hljs-*` spans) for code in `language`; code in an unknown or missing language is
 * escaped, not guessed.
 */
export function highlightCode(code: string, language = "typescript"): string {
  const lang = language.trim().toLowerCase();
  const known = lang && hljs.getLanguage(lang) ? lang : "plaintext";
  return hljs.highlight(code, { language: known, ignoreIllegals: true }).value;
}

const QUOTED_STRING = /<span class="hljs-string">(&quot;|&#x27;|`)([^<]*?)\1<\/span>/g;

/**
 * Turns string literals in highlighted code into links where `hrefFor(text)` gives one (used for import specifiers:
 * `"@lib/display/mod.ts"`, `"./bundle.ts"`). `hrefFor` receives the unescaped string and returns an unescaped URL.
 */
export function linkStrings(html: string, hrefFor: (text: string) => string | undefined): string {
  return html.replace(QUOTED_STRING, (whole, quote: string, body: string) => {
    const value = body.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
    const href = hrefFor(value);
    if (!href) return whole;
    const link = renderToString(<a class="source-link" href={href} dangerouslySetInnerHTML={{ __html: body }} />);
    return `<span class="hljs-string">${quote}${link}${quote}</span>`;
  });
}

/**
 * Splits highlighted HTML into lines, closing the spans open at each line end and reopening them on the next line, so
 * every line is well-formed HTML on its own (for numbered source listings).
 */
export function splitHighlightedLines(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let current = "";
  for (const m of html.matchAll(/<span[^>]*>|<\/span>|[^<\n]+|\n|</g)) {
    const tok = m[0];
    if (tok === "\n") {
      lines.push(current + "</span>".repeat(open.length));
      current = open.join("");
    } else if (tok.startsWith("<span")) {
      open.push(tok);
      current += tok;
    } else if (tok === "</span>") {
      open.pop();
      current += tok;
    } else current += tok;
  }
  lines.push(current + "</span>".repeat(open.length));
  return lines;
}
