/**
 * The page of one executed notebook: the paper header (title, date · venue, purpose and conclusion), the run record,
 * every cell with its outputs, a table of contents following the notebook's sections, and links from each section
 * and code cell to the lib source it imports.
 */
import { escapeHtml } from "../display/mod.ts";
import { type Cell, sourceText, tagsOf } from "../notebook/nbformat.ts";
import type { ParameterRow } from "../notebook/parameter_spec.ts";
import { categoryLabel, type PaperRun, type SiteEntry } from "./entry.ts";
import { highlightCode, linkStrings } from "./highlight.ts";
import { formatDuration, formatTimestamp, htmlDocument } from "./layout.ts";
import { type LibDefinition, libImports, type LibIndex } from "./lib_sources.ts";
import {
  type Heading,
  type MarkdownContext,
  markdownContext,
  renderInlineMarkdown,
  renderMarkdown,
} from "./markdown.ts";
import { outputContext, renderOutputs } from "./outputs.ts";

/** What a notebook page needs from the rest of the site. */
export interface PageContext {
  /** Relative path from the page to the site root ("../" for a page one folder down). */
  root: string;
  /** The lib sources, to resolve imported names to their declarations. */
  lib: LibIndex;
  /** Lib files (relative to lib/) that have a source page under `lib/` on the site. */
  libPages: ReadonlySet<string>;
}

/** A rendered notebook page and what was found while rendering it. */
export interface RenderedPage {
  html: string;
  headings: Heading[];
  /** Number of plotly figures on the page. */
  figures: number;
  /** Problems worth a build warning (bad TeX), each naming the notebook and cell. */
  problems: string[];
}

/** A lib reference of a cell: an imported name, or a whole file (namespace or side-effect import). */
interface LibRef {
  label: string;
  file: string;
  line?: number;
}

function libHref(ref: { file: string; line?: number }, ctx: PageContext): string | undefined {
  if (!ctx.libPages.has(ref.file)) return undefined;
  return `${ctx.root}lib/${ref.file}.html${ref.line ? `#L${ref.line}` : ""}`;
}

function libRefsOf(code: string, ctx: PageContext): LibRef[] {
  const refs: LibRef[] = [];
  for (const imp of libImports(code)) {
    if (imp.names.length === 0) refs.push({ label: imp.file, file: imp.file });
    for (const name of imp.names) {
      const def: LibDefinition | undefined = ctx.lib.definition(imp.file, name);
      refs.push({ label: name, file: def?.file ?? imp.file, line: def?.line });
    }
  }
  return refs;
}

function refLinks(refs: readonly LibRef[], ctx: PageContext): string {
  return refs.map((r) => {
    const href = libHref(r, ctx);
    const title = `lib/${r.file}${r.line ? `:${r.line}` : ""}`;
    return href
      ? `<a class="lib-link" href="${escapeHtml(href)}" title="${escapeHtml(title)}"><code>${
        escapeHtml(r.label)
      }</code></a>`
      : `<code title="${escapeHtml(title)}">${escapeHtml(r.label)}</code>`;
  }).join(", ");
}

function cellSeconds(cell: Cell): number | undefined {
  const t = cell.metadata?.execution as Record<string, unknown> | undefined;
  const start = t?.["iopub.execute_input"] ?? t?.["iopub.status.busy"];
  const end = t?.["shell.execute_reply"] ?? t?.["iopub.status.idle"];
  if (typeof start !== "string" || typeof end !== "string") return undefined;
  const s = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : undefined;
}

function headerBlock(entry: SiteEntry, md: MarkdownContext, titleInCells: boolean): string {
  const h = entry.header;
  const meta = [entry.date, entry.venue].filter(Boolean).map((s) => escapeHtml(s!)).join(" · ");
  if (!h) {
    const title = titleInCells ? "" : `<h1 class="paper-title">${renderInlineMarkdown(entry.title, md)}</h1>`;
    return `<header class="paper-header" id="top">${title}${meta ? `<p class="paper-meta">${meta}</p>` : ""}</header>`;
  }
  const field = (ko: string, en: string, textKo: string, textEn: string): string =>
    `<div class="abstract-field"><div class="abstract-label">${ko} / ${en}</div>` +
    `<p lang="ko">${renderInlineMarkdown(textKo, md)}</p><p lang="en">${renderInlineMarkdown(textEn, md)}</p></div>`;
  return `<header class="paper-header" id="top"><h1 class="paper-title">${
    renderInlineMarkdown(h.title, md)
  }</h1><p class="paper-meta">${meta}</p><div class="abstract">${field("목적", "Purpose", h.purposeKo, h.purposeEn)}${
    field("결론", "Conclusion", h.conclusionKo, h.conclusionEn)
  }</div></header>`;
}

/** The "last run" bar: when the notebook was executed, how long it took, its status and parameters. */
export function runInfo(entry: SiteEntry): string {
  const run = entry.run;
  if (!run) return `<div class="run-info run-none">실행 기록 없음 / No run record in this notebook</div>`;
  const status = run.status === "error"
    ? `<span class="status status-error">✗ 오류 / error</span>`
    : run.status === "ok"
    ? `<span class="status status-ok">✓ 성공 / ok</span>`
    : "";
  const params = Object.entries(run.parameters);
  const paramHtml = run.parameterTable?.length
    ? parameterTable(run.parameterTable, run)
    : params.length
    ? `<details class="parameters"><summary>매개변수 / Parameters (${params.length})</summary><table>${
      params.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(JSON.stringify(v))}</code></td></tr>`)
        .join("")
    }</table></details>`
    : `<span class="parameters-none">기본 매개변수 / default parameters</span>`;
  return `<div class="run-info run-${run.status ?? "unknown"}"><span>마지막 실행 / Last run: <time datetime="${
    escapeHtml(run.finishedAt ?? "")
  }">${formatTimestamp(run.finishedAt)}</time></span><span>걸린 시간 / Took: ${
    formatDuration(run.durationS)
  }</span>${status}${paramHtml}</div>`;
}

/** The declared parameters with this run's values (changed ones marked), as `deno task run NOTEBOOK --help` lists them. */
function parameterTable(rows: readonly ParameterRow[], run: PaperRun): string {
  const cell = (v: string | undefined) => `<td><code>${escapeHtml(v ?? "")}</code></td>`;
  const changed = rows.filter((r) => r.value !== undefined && r.value !== r.default).length;
  const how = [
    run.preset ? `preset ${run.preset}` : "",
    Object.keys(run.parameters).length ? `-p ${Object.keys(run.parameters).join(", ")}` : "",
    `${changed} changed`,
  ].filter(Boolean).join(" · ");
  return `<details class="parameters" open><summary>매개변수 / Parameters (${rows.length}; ${
    escapeHtml(how)
  })</summary>` +
    "<table><thead><tr><th>이름 / name</th><th>이 실행 / this run</th><th>기본값 / default</th><th>논문 / paper</th>" +
    "<th>허용 / allowed</th><th>뜻 / meaning</th></tr></thead><tbody>" +
    rows.map((r) =>
      `<tr${r.value !== undefined && r.value !== r.default ? ' class="changed"' : ""}><th>${escapeHtml(r.name)}</th>${
        cell(r.value)
      }${cell(r.default)}<td>${escapeHtml(r.paper)}</td><td>${escapeHtml(r.allowed)}</td><td><span lang="ko">${
        escapeHtml(r.ko)
      }</span> / <span lang="en">${escapeHtml(r.en)}</span></td></tr>`
    ).join("") + "</tbody></table></details>";
}

function tocHtml(headings: readonly Heading[], sectionRefs: Map<string, LibRef[]>, ctx: PageContext): string {
  const wanted = headings.some((h) => h.level === 2)
    ? headings.filter((h) => h.level === 2 || h.level === 3)
    : headings.filter((h) => h.level <= 3);
  const libOf = (id: string): string => {
    const refs = sectionRefs.get(id);
    return refs?.length ? `<div class="toc-lib"><span>lib</span> ${refLinks(refs, ctx)}</div>` : "";
  };
  const setup = libOf("");
  const items = wanted.map((h) =>
    `<li class="toc-level-${h.level}"><a href="#${escapeHtml(encodeURIComponent(h.id))}">${escapeHtml(h.text)}</a>${
      libOf(h.id)
    }</li>`
  );
  return `<nav class="toc" aria-label="목차 / Contents"><div class="toc-title">목차 / Contents</div><ol>` +
    `<li class="toc-level-2"><a href="#top">개요 / Overview</a>${setup}</li>${items.join("")}</ol></nav>`;
}

/** Renders the page of one executed notebook. */
export function renderNotebookPage(entry: SiteEntry, ctx: PageContext): RenderedPage {
  const md = markdownContext();
  const out = outputContext(md);
  const cells = entry.notebook.cells;
  const sectionRefs = new Map<string, LibRef[]>();
  let section = "";
  const firstError = cells.findIndex((c) => (c.outputs ?? []).some((o) => o.output_type === "error"));
  const failedAt = entry.run?.failedCell ?? (entry.run?.status === "error" && firstError >= 0 ? firstError + 1 : 0);
  const parts: string[] = [];
  const firstMarkdown = cells.find((c) => c.cell_type === "markdown");
  const titleInCells = !entry.header && firstMarkdown !== undefined && /^# /m.test(sourceText(firstMarkdown.source));
  const header = headerBlock(entry, md, titleInCells);

  cells.forEach((cell, i) => {
    const n = i + 1;
    md.where = `${entry.source} cell ${n}`;
    const src = sourceText(cell.source);
    if (i === 0 && entry.header) return; // shown as the page header
    if (cell.cell_type === "markdown") {
      const before = md.headings.length;
      const html = renderMarkdown(src, md, (cell.attachments ?? {}) as Record<string, Record<string, string>>);
      const h2 = md.headings.slice(before).filter((h) => h.level <= 2).at(-1);
      if (h2) section = h2.id;
      parts.push(`<section class="cell cell-markdown" id="cell-${n}">${html}</section>`);
      return;
    }
    if (cell.cell_type === "raw") {
      parts.push(`<section class="cell cell-raw" id="cell-${n}"><pre>${escapeHtml(src)}</pre></section>`);
      return;
    }
    const outputs = cell.outputs ?? [];
    const refs = libRefsOf(src, ctx);
    if (refs.length) {
      const list = sectionRefs.get(section) ?? [];
      for (const r of refs) {
        if (!list.some((x) => x.label === r.label && x.file === r.file)) list.push(r);
      }
      sectionRefs.set(section, list);
    }
    const code = linkStrings(highlightCode(src, "typescript"), (s) => {
      if (!s.startsWith("@lib/")) return undefined;
      const file = s.slice("@lib/".length);
      return libHref({ file }, ctx);
    });
    const tags = tagsOf(cell).filter((t) => ["parameters", "injected-parameters", "raises-exception"].includes(t));
    const seconds = cellSeconds(cell);
    const notRun = cell.execution_count == null && outputs.length === 0;
    const hasError = outputs.some((o) => o.output_type === "error");
    const classes = ["cell", "cell-code", hasError ? "cell-error" : "", notRun ? "cell-not-run" : ""].filter(Boolean);
    parts.push(
      `<section class="${classes.join(" ")}" id="cell-${n}">` +
        `<div class="cell-input"><div class="prompt" title="cell ${n}">[${cell.execution_count ?? " "}]${
          seconds !== undefined ? `<span class="cell-time">${formatDuration(seconds)}</span>` : ""
        }</div><div class="cell-code-body">${
          tags.map((t) => `<span class="tag tag-${escapeHtml(t)}">${escapeHtml(t)}</span>`).join("")
        }<pre class="hljs"><code class="language-typescript">${code}</code></pre>${
          refs.length ? `<div class="cell-lib">lib → ${refLinks(refs, ctx)}</div>` : ""
        }</div></div>` +
        (notRun && failedAt && n > failedAt
          ? `<div class="cell-outputs"><div class="not-run-note">실행되지 않음 (앞 셀의 오류) / Not run (an earlier cell failed)</div></div>`
          : outputs.length
          ? `<div class="cell-outputs">${renderOutputs(outputs, out)}</div>`
          : "") +
        `</section>`,
    );
  });

  let banner = "";
  if (failedAt) {
    const failed = cells[failedAt - 1];
    const err = (failed?.outputs ?? []).find((o) => o.output_type === "error");
    const what = err && err.output_type === "error"
      ? `: <code>${escapeHtml(`${err.ename}: ${err.evalue}`)}</code>`
      : "";
    banner = `<div class="error-banner" role="alert">이 실행은 <a href="#cell-${failedAt}">셀 ${failedAt}</a>에서 ` +
      `오류로 멈췄습니다 / This run stopped with an error at <a href="#cell-${failedAt}">cell ${failedAt}</a>${what}</div>`;
  }
  const headerNote = entry.headerProblem
    ? `<div class="header-note">머리말이 템플릿과 다릅니다 / The header does not follow the template: ${
      escapeHtml(entry.headerProblem)
    }</div>`
    : "";
  const crumb = `<div class="breadcrumb"><a href="${ctx.root}index.html">목록 / Index</a>${
    entry.category ? ` › ${escapeHtml(categoryLabel(entry.category))}` : ""
  }</div>`;
  // The run record sits under the title: after the header, or after the first cell when that cell holds the title.
  const record = runInfo(entry) + banner + headerNote;
  const titleAt = titleInCells ? cells.indexOf(firstMarkdown!) : -1; // parts[i] is cell i when no header is parsed
  const main = titleAt >= 0
    ? [header, ...parts.slice(0, titleAt + 1), record, ...parts.slice(titleAt + 1)]
    : [header, record, ...parts];
  const body = `<div class="layout">${tocHtml(md.headings, sectionRefs, ctx)}<main class="notebook">${crumb}${
    main.join("\n")
  }</main></div>`;
  return {
    html: htmlDocument({
      title: entry.title,
      body,
      root: ctx.root,
      plotly: out.figures > 0,
      bodyClass: "page-notebook",
    }),
    headings: md.headings,
    figures: out.figures,
    problems: md.problems,
  };
}
