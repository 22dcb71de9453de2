/**
 * The site's index: the collection by category (Korean and English names), each paper with its title, date and venue,
 * the purpose line of its header, and when it was last executed and how long that took; guides and the template
 * follow the papers.
 */
import { escapeHtml } from "../display/mod.ts";
import { type Category, KNOWN_CATEGORIES } from "../notebook/categories.ts";
import { categoryLabel, type SiteEntry } from "./entry.ts";
import { formatDuration, formatTimestamp, htmlDocument } from "./layout.ts";
import { markdownContext, renderInlineMarkdown } from "./markdown.ts";

function runLine(entry: SiteEntry): string {
  const run = entry.run;
  if (!run) return `<div class="run-line run-none">실행 기록 없음 / not executed</div>`;
  const status = run.status === "error"
    ? `<span class="status status-error">✗ 오류 / error${run.failedCell ? ` (cell ${run.failedCell})` : ""}</span>`
    : run.status === "ok"
    ? `<span class="status status-ok">✓ 성공 / ok</span>`
    : "";
  return `<div class="run-line">마지막 실행 / Last run <time datetime="${escapeHtml(run.finishedAt ?? "")}">${
    formatTimestamp(run.finishedAt)
  }</time> · 걸린 시간 / took ${formatDuration(run.durationS)} ${status}</div>`;
}

function card(entry: SiteEntry): string {
  const md = markdownContext();
  const meta = [entry.date, entry.venue].filter(Boolean).map((s) => escapeHtml(s!)).join(" · ");
  const h = entry.header;
  const purpose = h
    ? `<p class="purpose" lang="ko"><b>목적</b> — ${renderInlineMarkdown(h.purposeKo, md)}</p>` +
      `<p class="purpose" lang="en"><b>Purpose</b> — ${renderInlineMarkdown(h.purposeEn, md)}</p>`
    : "";
  return `<li class="paper-card"><a class="paper-link" href="${escapeHtml(entry.page)}">${
    renderInlineMarkdown(entry.title, md)
  }</a>${meta ? `<div class="paper-meta">${meta}</div>` : ""}${purpose}${runLine(entry)}</li>`;
}

function byDateThenTitle(a: SiteEntry, b: SiteEntry): number {
  const da = Date.parse(a.date ?? "");
  const db = Date.parse(b.date ?? "");
  if (Number.isFinite(da) && Number.isFinite(db) && da !== db) return da - db;
  return a.title.localeCompare(b.title);
}

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
  const sections = categories.map((c) => {
    const list = papers.filter((p) => p.category?.slug === c.slug).sort(byDateThenTitle);
    return `<section class="category-section" id="category-${escapeHtml(c.slug)}"><h2>${
      escapeHtml(categoryLabel(c))
    }</h2><ul class="paper-list">${list.map(card).join("")}</ul></section>`;
  });
  const guides = entries.filter((e) => !e.isPaper).sort((a, b) => a.rel.localeCompare(b.rel));
  if (guides.length) {
    sections.push(
      `<section class="category-section" id="guides"><h2><span lang="ko">안내</span> / <span lang="en">Guides</span></h2>` +
        `<ul class="paper-list">${guides.map(card).join("")}</ul></section>`,
    );
  }
  const summary = `${papers.length} 편의 논문, ${categories.length} 개 분야 / ${papers.length} paper${
    papers.length === 1 ? "" : "s"
  } in ${categories.length} categor${categories.length === 1 ? "y" : "ies"}`;
  const body = `<main class="index"><h1>논문 노트북 / Paper Notebooks</h1><p class="lead">딥러닝 논문을 함께 읽고 ` +
    `유도와 실험을 숫자로 다시 확인하는 노트북 — 실행된 결과 그대로 / Notebooks that walk through deep-learning papers ` +
    `and re-run every derivation and experiment, shown as last executed.</p><p class="summary">${summary}</p>${
      sections.join("\n") || `<p class="empty">아직 실행된 노트북이 없습니다 / No executed notebooks yet.</p>`
    }</main>`;
  return htmlDocument({ title: "Paper Notebooks · 논문 노트북", body, root: "", bodyClass: "page-index" });
}
