/**
 * Syntax highlighting at build time with highlight.js (core plus the few languages the notebooks use), so pages need
 * no script to colour code.
 */
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import bash from "highlight.js/lib/languages/bash";
import python from "highlight.js/lib/languages/python";
import { escapeHtml } from "../display/mod.ts";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("python", python);

/** Languages {@link highlightCode} colours (with their aliases: ts, js, sh, py, ...). */
export function highlightLanguages(): string[] {
  return hljs.listLanguages();
}

/**
 * Highlighted HTML (highlight.js `hljs-*` spans) for code in `language`; code in an unknown or missing language is
 * escaped, not guessed.
 */
export function highlightCode(code: string, language = "typescript"): string {
  const lang = language.trim().toLowerCase();
  if (lang && hljs.getLanguage(lang)) return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
  return escapeHtml(code);
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
    return href
      ? `<span class="hljs-string">${quote}<a class="source-link" href="${escapeHtml(href)}">${body}</a>${quote}</span>`
      : whole;
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
