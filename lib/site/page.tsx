/**
 * The page of one executed notebook: the paper header (title, date · venue, purpose and conclusion), the run record,
 * every cell with its outputs, a table of contents following the notebook's sections, and links from each section
 * and code cell to the declarations of the lib names it uses.
 */
import { Fragment, type VNode } from "preact";
import { type Cell, type Output, sourceText, tagsOf } from "../notebook/nbformat.ts";
import type { ParameterRow } from "../parameters/parameter_spec.ts";
import { categoryLabel, type PaperRun, type SiteEntry } from "./entry.ts";
import { Bi } from "./bilingual.tsx";
import { highlightCode, linkStrings } from "./highlight.tsx";
import { formatDuration, formatTimestamp, htmlDocument } from "./layout.tsx";
import type { SymbolIndex } from "./lib_sources.ts";
import { notebookLibUses } from "./lib_uses.ts";
import {
  type Heading,
  type MarkdownContext,
  markdownContext,
  renderInlineMarkdown,
  renderMarkdown,
} from "./markdown.tsx";
import { outputContext, outputsView } from "./outputs.tsx";
import { deckPath } from "./slides.tsx";

/** What a notebook page needs from the rest of the site. */
export interface PageContext {
  /** Relative path from the page to the site root ("../" for a page one folder down). */
  root: string;
  /** Where lib names are declared. */
  symbols: SymbolIndex;
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

/** A lib name a cell uses, resolved: where it is declared (a whole module has no line). */
interface LibRef {
  label: string;
  file: string;
  line?: number;
}

function libHref(ref: { file: string; line?: number }, ctx: PageContext): string | undefined {
  if (!ctx.libPages.has(ref.file)) return undefined;
  return `${ctx.root}lib/${ref.file}.html${ref.line ? `#L${ref.line}` : ""}`;
}

function RefLinks({ refs, ctx }: { refs: readonly LibRef[]; ctx: PageContext }): VNode {
  return (
    <>
      {refs.map((r, i) => {
        const href = libHref(r, ctx);
        const title = `lib/${r.file}${r.line ? `:${r.line}` : ""}`;
        return (
          <Fragment key={`${r.file}:${r.label}`}>
            {i > 0 && ", "}
            {href
              ? (
                <a class="lib-link" href={href} title={title}>
                  <code>{r.label}</code>
                </a>
              )
              : <code title={title}>{r.label}</code>}
          </Fragment>
        );
      })}
    </>
  );
}

function cellSeconds(cell: Cell): number | undefined {
  const t = cell.metadata?.execution as Record<string, unknown> | undefined;
  const start = t?.["iopub.execute_input"] ?? t?.["iopub.status.busy"];
  const end = t?.["shell.execute_reply"] ?? t?.["iopub.status.idle"];
  if (typeof start !== "string" || typeof end !== "string") return undefined;
  const s = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : undefined;
}

/** Inline markdown (titles, header fields) in an element of its own. */
function inline(text: string, md: MarkdownContext): { dangerouslySetInnerHTML: { __html: string } } {
  return { dangerouslySetInnerHTML: { __html: renderInlineMarkdown(text, md) } };
}

function headerBlock(entry: SiteEntry, md: MarkdownContext, titleInCells: boolean): VNode {
  const h = entry.header;
  const meta = [entry.date, entry.venue].filter(Boolean).join(" · ");
  if (!h) {
    return (
      <header class="paper-header" id="top">
        {!titleInCells && <h1 class="paper-title" {...inline(entry.title, md)} />}
        {meta && <p class="paper-meta">{meta}</p>}
      </header>
    );
  }
  const field = (ko: string, en: string, textKo: string, textEn: string): VNode => (
    <div class="abstract-field">
      <div class="abstract-label">
        <Bi text={`${ko} / ${en}`} />
      </div>
      <p lang="ko" {...inline(textKo, md)} />
      <p lang="en" {...inline(textEn, md)} />
    </div>
  );
  return (
    <header class="paper-header" id="top">
      <h1 class="paper-title" {...inline(h.title, md)} />
      <p class="paper-meta">{meta}</p>
      <div class="abstract">
        {field("목적", "Purpose", h.purposeKo, h.purposeEn)}
        {field("결론", "Conclusion", h.conclusionKo, h.conclusionEn)}
      </div>
    </header>
  );
}

/** What stands between a pair's halves when both languages show. */
const PAIR_SEP = " / ";

/** The declared parameters with this run's values (changed ones marked), as `deno task run NOTEBOOK --help` lists them. */
function ParameterTable({ rows, run }: { rows: readonly ParameterRow[]; run: PaperRun }): VNode {
  const changed = (r: ParameterRow): boolean => r.value !== undefined && r.value !== r.default;
  const how = [
    run.preset ? `preset ${run.preset}` : "",
    Object.keys(run.parameters).length ? `-p ${Object.keys(run.parameters).join(", ")}` : "",
    `${rows.filter(changed).length} changed`,
  ].filter(Boolean).join(" · ");
  return (
    // Open when this run changed something (a preset or -p): then the reader needs to see what; a default run's
    // long table stays one line until asked for.
    <details class="parameters" open={rows.some(changed)}>
      <summary>
        <Bi text="매개변수 / Parameters" />
        {` (${rows.length}; ${how})`}
      </summary>
      <table>
        <thead>
          <tr>
            {["이름 / name", "이 실행 / this run", "기본값 / default", "논문 / paper", "허용 / allowed", "뜻 / meaning"]
              .map(
                (t) => (
                  <th key={t}>
                    <Bi text={t} />
                  </th>
                ),
              )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} class={changed(r) ? "changed" : undefined}>
              <th>{r.name}</th>
              <td>
                <code>{r.value ?? ""}</code>
              </td>
              <td>
                <code>{r.default}</code>
              </td>
              <td>{r.paper}</td>
              <td>{r.allowed}</td>
              <td>
                <span lang="ko">{r.ko}</span>
                <span class="lang-sep">{PAIR_SEP}</span>
                <span lang="en">{r.en}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The "last run" bar: when the notebook was executed, how long it took, its status and parameters. */
export function runInfo(entry: SiteEntry): VNode {
  const run = entry.run;
  if (!run) {
    return (
      <div class="run-info run-none">
        <Bi text="실행 기록 없음 / No run record in this notebook" />
      </div>
    );
  }
  const params = Object.entries(run.parameters);
  return (
    <div class={`run-info run-${run.status ?? "unknown"}`}>
      <span>
        <Bi text="마지막 실행 / Last run" />:{" "}
        <time datetime={run.finishedAt ?? ""}>{formatTimestamp(run.finishedAt)}</time>
      </span>
      <span>
        <Bi text="걸린 시간 / Took" />
        {`: ${formatDuration(run.durationS)}`}
      </span>
      {run.status === "error" && (
        <span class="status status-error">
          ✗ <Bi text="오류 / error" />
        </span>
      )}
      {run.status === "ok" && (
        <span class="status status-ok">
          ✓ <Bi text="성공 / ok" />
        </span>
      )}
      {run.parameterTable?.length
        ? <ParameterTable rows={run.parameterTable} run={run} />
        : params.length
        ? (
          <details class="parameters">
            <summary>{`매개변수 / Parameters (${params.length})`}</summary>
            <table>
              {params.map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>
                    <code>{JSON.stringify(v)}</code>
                  </td>
                </tr>
              ))}
            </table>
          </details>
        )
        : <span class="parameters-none">기본 매개변수 / default parameters</span>}
    </div>
  );
}

function Toc(
  { headings, sectionRefs, ctx }: {
    headings: readonly Heading[];
    sectionRefs: Map<string, LibRef[]>;
    ctx: PageContext;
  },
): VNode {
  const wanted = headings.some((h) => h.level === 2)
    ? headings.filter((h) => h.level === 2 || h.level === 3)
    : headings.filter((h) => h.level <= 3);
  const libOf = (id: string): VNode | undefined => {
    const refs = sectionRefs.get(id);
    return refs?.length
      ? (
        <div class="toc-lib">
          <span>lib</span> <RefLinks refs={refs} ctx={ctx} />
        </div>
      )
      : undefined;
  };
  return (
    <nav class="toc" aria-label="목차 / Contents">
      <div class="toc-title">
        <Bi text="목차 / Contents" />
      </div>
      <ol>
        <li class="toc-level-2">
          <a href="#top">
            <Bi text="개요 / Overview" />
          </a>
          {libOf("")}
        </li>
        {wanted.map((h) => (
          <li key={h.id} class={`toc-level-${h.level}`}>
            <a href={`#${encodeURIComponent(h.id)}`} dangerouslySetInnerHTML={{ __html: h.html }} />
            {libOf(h.id)}
          </li>
        ))}
      </ol>
    </nav>
  );
}

const SHOWN_TAGS = ["parameters", "injected-parameters", "raises-exception"];
const KEYWORDS = /^키워드 \/ Keywords\b/;

function codeCell(
  cell: Cell,
  n: number,
  refs: readonly LibRef[],
  outputs: VNode[] | "not-run" | undefined,
  ctx: PageContext,
): VNode {
  const src = sourceText(cell.source);
  const code = linkStrings(highlightCode(src, "typescript"), (s) => {
    return s.startsWith("@lib/") ? libHref({ file: s.slice("@lib/".length) }, ctx) : undefined;
  });
  const seconds = cellSeconds(cell);
  const hasError = (cell.outputs ?? []).some((o) => o.output_type === "error");
  const notRun = cell.execution_count == null && (cell.outputs ?? []).length === 0;
  const classes = ["cell", "cell-code", hasError ? "cell-error" : "", notRun ? "cell-not-run" : ""].filter(Boolean);
  return (
    <section class={classes.join(" ")} id={`cell-${n}`}>
      <div class="cell-input">
        <div class="prompt" title={`cell ${n}`}>
          {`[${cell.execution_count ?? " "}]`}
          {seconds !== undefined && <span class="cell-time">{formatDuration(seconds)}</span>}
        </div>
        <div class="cell-code-body">
          {tagsOf(cell).filter((t) => SHOWN_TAGS.includes(t)).map((t) => <span key={t} class={`tag tag-${t}`}>{t}
          </span>)}
          <pre class="hljs"><code class="language-typescript" dangerouslySetInnerHTML={{ __html: code }} /></pre>
          {refs.length > 0 && (
            <div class="cell-lib">
              lib → <RefLinks refs={refs} ctx={ctx} />
            </div>
          )}
        </div>
      </div>
      {outputs === "not-run"
        ? (
          <div class="cell-outputs">
            <div class="not-run-note">
              <Bi text="실행되지 않음 (앞 셀의 오류) / Not run (an earlier cell failed)" />
            </div>
          </div>
        )
        : outputs && <div class="cell-outputs">{outputs}</div>}
    </section>
  );
}

function errorBanner(failedAt: number, failed: Cell | undefined): VNode {
  const err = (failed?.outputs ?? []).find((o): o is Extract<Output, { output_type: "error" }> =>
    o.output_type === "error"
  );
  return (
    <div class="error-banner" role="alert">
      이 실행은{" "}
      <a href={`#cell-${failedAt}`}>셀 {failedAt}</a>에서 오류로 멈췄습니다 / This run stopped with an error at{" "}
      <a href={`#cell-${failedAt}`}>cell {failedAt}</a>
      {err && (
        <>
          : <code>{`${err.ename}: ${err.evalue}`}</code>
        </>
      )}
    </div>
  );
}

/** Renders the page of one executed notebook. */
export function renderNotebookPage(entry: SiteEntry, ctx: PageContext): RenderedPage {
  const md = markdownContext();
  const out = outputContext(md, (file, line) => libHref({ file, line }, ctx));
  const cells = entry.notebook.cells;
  const firstError = cells.findIndex((c) => (c.outputs ?? []).some((o) => o.output_type === "error"));
  const failedAt = entry.run?.failedCell ?? (entry.run?.status === "error" && firstError >= 0 ? firstError + 1 : 0);
  const firstMarkdown = cells.find((c) => c.cell_type === "markdown");
  const titleInCells = !entry.header && firstMarkdown !== undefined && /^# /m.test(sourceText(firstMarkdown.source));
  const header = headerBlock(entry, md, titleInCells);

  const codeCells = cells.filter((c) => c.cell_type === "code");
  const uses = new Map(notebookLibUses(codeCells.map((c) => sourceText(c.source))).map((u, i) => [codeCells[i], u]));
  const sectionRefs = new Map<string, LibRef[]>();
  let section = "";
  // Cells are rendered in order: markdown headings get their ids and figures their numbers as the notebook has them.
  const parts: VNode[] = [];
  cells.forEach((cell, i) => {
    const n = i + 1;
    md.where = `${entry.source} cell ${n}`;
    const src = sourceText(cell.source);
    if (i === 0 && entry.header) return; // shown as the page header
    if (cell.cell_type === "markdown") {
      const before = md.headings.length;
      const html = renderMarkdown(src, md, (cell.attachments ?? {}) as Record<string, Record<string, string>>);
      // The keywords follow the header (the group's template): the cells after them still belong to the overview.
      const h2 = md.headings.slice(before).filter((h) => h.level <= 2 && !KEYWORDS.test(h.text)).at(-1);
      if (h2) section = h2.id;
      parts.push(<section class="cell cell-markdown" id={`cell-${n}`} dangerouslySetInnerHTML={{ __html: html }} />);
      return;
    }
    if (cell.cell_type === "raw") {
      parts.push(
        <section class="cell cell-raw" id={`cell-${n}`}>
          <pre>{src}</pre>
        </section>,
      );
      return;
    }
    const refs: LibRef[] = (uses.get(cell) ?? []).map((u) => {
      const decl = u.name === undefined ? undefined : ctx.symbols.lookup(u.module, u.name);
      return { label: u.label, file: decl?.file ?? u.module, line: decl?.line };
    });
    if (refs.length) {
      const list = sectionRefs.get(section) ?? [];
      for (const r of refs) if (!list.some((x) => x.label === r.label && x.file === r.file)) list.push(r);
      sectionRefs.set(section, list);
    }
    const outputs = cell.outputs ?? [];
    const notRun = cell.execution_count == null && outputs.length === 0;
    const shown = notRun && failedAt && n > failedAt
      ? "not-run"
      : outputs.length
      ? outputsView(outputs, out)
      : undefined;
    parts.push(codeCell(cell, n, refs, shown, ctx));
  });

  const record = (
    <>
      {runInfo(entry)}
      {failedAt > 0 && errorBanner(failedAt, cells[failedAt - 1])}
      {entry.headerProblem && (
        <div class="header-note">
          머리말이 템플릿과 다릅니다 / The header does not follow the template: {entry.headerProblem}
        </div>
      )}
    </>
  );
  // The run record sits under the title: after the header, or after the first cell when that cell holds the title.
  const titleAt = titleInCells ? cells.indexOf(firstMarkdown!) : -1; // parts[i] is cell i when no header is parsed
  const main = titleAt >= 0
    ? [header, ...parts.slice(0, titleAt + 1), record, ...parts.slice(titleAt + 1)]
    : [header, record, ...parts];
  const body = (
    <div class="layout">
      <Toc headings={md.headings} sectionRefs={sectionRefs} ctx={ctx} />
      <main class="notebook">
        <div class="breadcrumb">
          <a href={`${ctx.root}index.html`}>
            <Bi text="목록 / Index" />
          </a>
          {entry.category && (
            <>
              {" › "}
              <Bi text={categoryLabel(entry.category)} />
            </>
          )}
          {entry.isPaper && (
            <a class="present-link" href={deckPath(entry).replace(/^.*\//, "")}>
              ▶ <Bi text="발표 / Present" />
            </a>
          )}
        </div>
        {main}
      </main>
    </div>
  );
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
