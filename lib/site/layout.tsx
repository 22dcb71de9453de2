/**
 * The HTML shell every page of the site shares, and the formatting of run times and durations. Pages are preact JSX
 * rendered to static HTML (preact-render-to-string), so every text and attribute is escaped by the renderer; HTML made
 * by a library (marked, KaTeX, highlight.js, ansi_up) or sent by the kernel goes in through `dangerouslySetInnerHTML`.
 */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import { Bi, languageHeadScript, LanguageSwitch } from "./bilingual.tsx";

/** Options of {@link htmlDocument}. */
export interface DocumentOptions {
  /** The page title (plain text). */
  title: string;
  /** The page body. */
  body: ComponentChildren;
  /** Relative path from the page to the site root: "" for the index, "../" one folder down. */
  root: string;
  /** Load plotly.js and draw the page's figures (only pages that have some). */
  plotly?: boolean;
  /** A class for `<body>`. */
  bodyClass?: string;
}

/**
 * A complete page: head with the site's local stylesheets (KaTeX, highlight.js, site, languages) and the script that
 * applies the reader's language before the page paints, the body under a header with the language switch, and
 * scripts.
 */
export function htmlDocument(options: DocumentOptions): string {
  const { title, body, root, plotly = false, bodyClass } = options;
  const page = (
    <html lang="ko" data-lang="both">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href={`${root}assets/katex/katex.min.css`} />
        <link rel="stylesheet" href={`${root}assets/hljs.css`} />
        <link rel="stylesheet" href={`${root}assets/site.css`} />
        <link rel="stylesheet" href={`${root}assets/lang.css`} />
        <script dangerouslySetInnerHTML={{ __html: languageHeadScript() }} />
      </head>
      <body class={bodyClass || undefined}>
        <header class="site-header">
          <a href={`${root}index.html`}>
            Paper Notebooks{" "}
            <span class="ko" lang="ko">
              · 논문 노트북
            </span>
          </a>
          <LanguageSwitch />
        </header>
        {body}
        <footer class="site-footer">
          Paper Notebooks — <Bi text="실행된 노트북에서 만든 정적 페이지 / built from the executed notebooks" />
        </footer>
        <script src={`${root}assets/lang.js`}></script>
        {plotly && <script src={`${root}assets/plotly.min.js`}></script>}
        {plotly && <script src={`${root}assets/figures.js`}></script>}
      </body>
    </html>
  );
  return `<!doctype html>\n${renderToString(page)}\n`;
}

/** An ISO timestamp as "2026-11-28 16:10 UTC" (the same on every machine), or "—" when missing or invalid. */
export function formatTimestamp(iso: unknown): string {
  if (typeof iso !== "string") return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Seconds as "0.42 s", "42 s", "3 min 05 s" or "1 h 02 min"; "—" when not a finite non-negative number. */
export function formatDuration(seconds: unknown): string {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 10) return `${seconds.toFixed(seconds < 1 ? 2 : 1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}
