/**
 * The site's index: the collection by category (Korean and English names), each paper with its title, date and venue,
 * the purpose line of its header, and when it was last executed and how long that took; guides and the template
 * follow the papers.
 */
import type { VNode } from "preact";
import { type Category, KNOWN_CATEGORIES } from "../collection/categories.ts";
import { Bi } from "./bilingual.tsx";
import { categoryLabel, type SiteEntry } from "./entry.ts";
import { formatDuration, formatTimestamp, htmlDocument } from "./layout.tsx";
import { markdownContext, renderInlineMarkdown } from "./markdown.tsx";
import { deckPath } from "./slides.tsx";

function runLine(entry: SiteEntry): VNode {
  const run = entry.run;
  if (!run) {
    return (
      <div class="run-line run-none">
        <Bi text="실행 기록 없음 / not executed" />
      </div>
    );
  }
  return (
    <div class="run-line">
      <Bi text="마지막 실행 / Last run" />{" "}
      <time datetime={run.finishedAt ?? ""}>{formatTimestamp(run.finishedAt)}</time>
      {" · "}
      <Bi text="걸린 시간 / took" />
      {` ${formatDuration(run.durationS)} `}
      {run.status === "error" && (
        <span class="status status-error">
          ✗ <Bi text="오류 / error" />
          {run.failedCell ? ` (cell ${run.failedCell})` : ""}
        </span>
      )}
      {run.status === "ok" && (
        <span class="status status-ok">
          ✓ <Bi text="성공 / ok" />
        </span>
      )}
    </div>
  );
}

function card(entry: SiteEntry): VNode {
  const md = markdownContext();
  const meta = [entry.date, entry.venue].filter(Boolean).join(" · ");
  const h = entry.header;
  return (
    <li key={entry.rel} class="paper-card">
      <a
        class="paper-link"
        href={entry.page}
        dangerouslySetInnerHTML={{ __html: renderInlineMarkdown(entry.title, md) }}
      />
      {meta && <div class="paper-meta">{meta}</div>}
      {entry.isPaper && (
        <a class="present-link" href={deckPath(entry)}>
          ▶ <Bi text="발표 / Present" />
        </a>
      )}
      {h && (
        <p class="purpose" lang="ko">
          <b>목적</b> — <span dangerouslySetInnerHTML={{ __html: renderInlineMarkdown(h.purposeKo, md) }} />
        </p>
      )}
      {h && (
        <p class="purpose" lang="en">
          <b>Purpose</b> — <span dangerouslySetInnerHTML={{ __html: renderInlineMarkdown(h.purposeEn, md) }} />
        </p>
      )}
      {runLine(entry)}
    </li>
  );
}

function byDateThenTitle(a: SiteEntry, b: SiteEntry): number {
  const da = Date.parse(a.date ?? "");
  const db = Date.parse(b.date ?? "");
  if (Number.isFinite(da) && Number.isFinite(db) && da !== db) return da - db;
  return a.title.localeCompare(b.title);
}

const LEAD = "딥러닝 논문을 함께 읽고 유도와 실험을 숫자로 다시 확인하는 노트북, 실행된 결과 그대로 / Notebooks that " +
  "walk through deep-learning papers and re-run every derivation and experiment, shown as last executed.";

/** Renders the index page (at the site root) for the given notebooks. */
export function renderIndexPage(entries: readonly SiteEntry[]): string {
  const papers = entries.filter((e) => e.isPaper);
  const categories: Category[] = [];
  for (const known of KNOWN_CATEGORIES) {
    if (papers.some((p) => p.category?.slug === known.slug)) categories.push(known);
  }
  const others = [...new Set(papers.map((p) => p.category?.slug ?? ""))]
    .filter((slug) => !categories.some((c) => c.slug === slug)).sort();
  for (const slug of others) categories.push(papers.find((p) => (p.category?.slug ?? "") === slug)!.category!);
  const guides = entries.filter((e) => !e.isPaper).sort((a, b) => a.rel.localeCompare(b.rel));
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const body = (
    <main class="index">
      <h1>
        <Bi text="논문 노트북 / Paper Notebooks" />
      </h1>
      <p class="lead">
        <Bi text={LEAD} />
      </p>
      <p class="summary">
        <Bi
          text={`논문 ${papers.length}편, 분야 ${categories.length}개 / ${
            plural(papers.length, "paper", "papers")
          } in ${plural(categories.length, "category", "categories")}`}
        />
      </p>
      {categories.map((c) => (
        <section key={c.slug} class="category-section" id={`category-${c.slug}`}>
          <h2>
            <Bi text={categoryLabel(c)} />
          </h2>
          <ul class="paper-list">
            {papers.filter((p) => p.category?.slug === c.slug).sort(byDateThenTitle).map(card)}
          </ul>
        </section>
      ))}
      {guides.length > 0 && (
        <section class="category-section" id="guides">
          <h2>
            <Bi text="안내 / Guides" />
          </h2>
          <ul class="paper-list">{guides.map(card)}</ul>
        </section>
      )}
      {categories.length === 0 && guides.length === 0 && (
        <p class="empty">
          <Bi text="아직 실행된 노트북이 없습니다 / No executed notebooks yet." />
        </p>
      )}
    </main>
  );
  return htmlDocument({ title: "Paper Notebooks · 논문 노트북", body, root: "", bodyClass: "page-index" });
}
