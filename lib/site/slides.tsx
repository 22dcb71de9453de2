/**
 * Present mode: the reveal.js slide deck of an executed paper notebook (out/site/<category>/<slug>.slides.html),
 * rendered from lib/site/deck.ts's {@link buildDeck}. The deck works offline from `file://`: reveal.js, its notes
 * plugin, plotly.js, KaTeX's stylesheet and the deck's own stylesheet and script are copied into the site's assets
 * ({@link copyDeckAssets}).
 *
 * A presenter opens the deck from the notebook's page ("발표 / Present") or the index, presses `F` for full screen,
 * `S` for the speaker view (each section's suggested time, where the plan stands, the discussion prompts), → or
 * Space to step (a question's answer is one step after it), `O` or Esc for the overview, `L` or the switch at the
 * bottom for one language at a time (한국어 → English → 둘 다; kept across pages and decks, see bilingual.tsx);
 * appending `?print-pdf` to the address and printing from Chromium gives a handout of one page per slide, answers
 * shown, in the language chosen.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { CheckReveal } from "../exercise/mod.ts";
import { Bi, languageHeadScript, LanguageSwitch } from "./bilingual.tsx";
import { type Deck, type DeckItem, type DeckSection, type DeckSlide, SLIDE } from "./deck.ts";
import { type SiteEntry } from "./entry.ts";
import { formatTimestamp } from "./layout.tsx";
import { type MarkdownContext, markdownContext, renderInlineMarkdown, renderMarkdown } from "./markdown.tsx";
import { scriptJson } from "./outputs.tsx";

/** A rendered deck and what was found while rendering it. */
export interface RenderedDeck {
  html: string;
  /** Number of slides. */
  slides: number;
  /** Number of plotly figures. */
  figures: number;
  /** Problems worth a build warning (bad TeX), each naming the notebook and cell. */
  problems: string[];
}

/** Where a notebook's deck goes below the site folder: beside its page, `<slug>.slides.html`. */
export function deckPath(entry: Pick<SiteEntry, "rel">): string {
  return entry.rel.replace(/\.ipynb$/, ".slides.html");
}

type Html = { dangerouslySetInnerHTML: { __html: string } };

function html(markup: string): Html {
  return { dangerouslySetInnerHTML: { __html: markup } };
}

/** "8분 / 8 min", or "" without a time. */
function minutesLabel(minutes: number | undefined): string {
  return minutes === undefined ? "" : `${minutes}분 / ${minutes} min`;
}

/** "0:08" for 8 minutes, "1:05" for 65. */
function clock(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(Math.round(minutes % 60)).padStart(2, "0")}`;
}

function revealView(r: CheckReveal): VNode {
  return (
    <div class="answer">
      <p class="answer-value">
        {r.question && <span class="answer-question">{`${r.question} — `}</span>}
        <span class="answer-label">
          <Bi text="이번 실행의 답 / This run's answer:" />
        </span>{" "}
        <strong>{r.expected}</strong>
        {r.tolerance && <span class="answer-tolerance">{` (± ${r.tolerance})`}</span>}
      </p>
      {r.why && (
        <p class="answer-why">
          <b>
            <Bi text="왜 / Why" />
          </b>{" "}
          — {r.why}
        </p>
      )}
    </div>
  );
}

function itemView(item: DeckItem, md: MarkdownContext, figures: { n: number }): VNode {
  switch (item.kind) {
    case "markdown":
      return <div class="deck-markdown" {...html(renderMarkdown(item.markdown, md, item.attachments ?? {}))} />;
    case "markdown-output":
      return <div class="deck-markdown deck-output" {...html(renderMarkdown(item.markdown, md))} />;
    case "plotly": {
      const id = `deck-figure-${++figures.n}`;
      return (
        <div class="deck-figure-box">
          <div class="deck-figure" id={id} data-spec={`${id}-spec`} />
          <script type="application/json" id={`${id}-spec`} {...html(scriptJson(item.spec))} />
        </div>
      );
    }
    case "image":
      return item.mime === "image/svg+xml"
        ? <div class="deck-image fit" {...html(item.data)} />
        : (
          <div class="deck-image">
            <img
              src={`data:${item.mime};base64,${item.data.replace(/\s+/g, "")}`}
              width={item.width}
              height={item.height}
              alt="output image"
            />
          </div>
        );
    case "html":
      return (
        <div class="deck-output fit">
          <div class="fit-inner" {...html(item.html)} />
        </div>
      );
    case "error":
      return (
        <p class="deck-error">
          <Bi text="오류 / Error" />
          {` — ${item.text}`}
        </p>
      );
  }
}

/** The notes of a slide: where it is in the plan, then its section's notes (prompts), rendered. */
function notesView(slide: DeckSlide, deck: Deck, md: MarkdownContext, position: Map<DeckSlide, string>): VNode {
  const s = slide.section;
  if (!s) {
    return (
      <aside class="notes">
        <p>{`전체 / In all: ${minutesLabel(deck.minutes) || "시간 미정 / no times given"}`}</p>
        <ol>
          {inDeckOrder(deck).map((x) => (
            <li key={x.number}>
              <span {...html(renderInlineMarkdown(x.title, md))} />
              {x.notes?.minutes !== undefined ? ` — ${minutesLabel(x.notes.minutes)}` : ""}
            </li>
          ))}
        </ol>
      </aside>
    );
  }
  return (
    <aside class="notes">
      <p>
        <b {...html(renderInlineMarkdown(s.title, md))} />
        {` — ${minutesLabel(s.notes?.minutes) || "시간 미정 / no time given"} · ${position.get(slide) ?? ""}`}
      </p>
      {s.notes?.body ? <div {...html(renderMarkdown(s.notes.body, md))} /> : (
        <p>
          이 절에는 발표 노트가 없습니다 / This section has no speaker notes (a "#### 발표 노트 / Speaker notes" cell).
        </p>
      )}
    </aside>
  );
}

function titleSlide(entry: SiteEntry, deck: Deck, md: MarkdownContext): VNode {
  const h = entry.header;
  const meta = [entry.date, entry.venue].filter(Boolean).join(" · ");
  const field = (label: string, ko: string, en: string) => (
    <div class="deck-field">
      <div class="deck-field-label">
        <Bi text={label} />
      </div>
      <p lang="ko" {...html(renderInlineMarkdown(ko, md))} />
      <p lang="en" {...html(renderInlineMarkdown(en, md))} />
    </div>
  );
  const run = entry.run;
  return (
    <div class="slide-frame">
      <h1 class="deck-title" {...html(renderInlineMarkdown(h?.title ?? entry.title, md))} />
      {meta && <p class="deck-meta">{meta}</p>}
      {h && field("목적 / Purpose", h.purposeKo, h.purposeEn)}
      {h && field("결론 / Conclusion", h.conclusionKo, h.conclusionEn)}
      <p class="deck-run">
        {run
          ? (
            <>
              <Bi text="마지막 실행 / Last run" /> {formatTimestamp(run.finishedAt)}
            </>
          )
          : <Bi text="실행 기록 없음 / No run record" />}
        {run?.status === "error" && (
          <>
            {" · ✗ "}
            <Bi
              text={`오류로 멈춤 (${run.failedCell ?? "?"}번 셀) / stopped with an error (cell ${
                run.failedCell ?? "?"
              })`}
            />
          </>
        )}
        {deck.minutes > 0 && (
          <>
            {" · "}
            <Bi text={minutesLabel(deck.minutes)} />
          </>
        )}
      </p>
    </div>
  );
}

function kicker(slide: DeckSlide, md: MarkdownContext): VNode | undefined {
  const s = slide.section as DeckSection;
  return (
    <header class="slide-kicker">
      <span class="kicker-section" {...html(renderInlineMarkdown(s.title, md))} />
      {slide.part && <span class="kicker-part">{`${slide.part[0]}/${slide.part[1]}`}</span>}
    </header>
  );
}

function slideView(slide: DeckSlide, md: MarkdownContext, figures: { n: number }): VNode {
  const items = slide.items.map((item, i) => <div key={i} class="deck-item">{itemView(item, md, figures)}</div>);
  if (slide.kind === "question") {
    return (
      <div class="slide-frame">
        {kicker(slide, md)}
        <h2 class="slide-title" {...html(renderInlineMarkdown(slide.title ?? "질문 / Question", md))} />
        <div class="slide-body">
          {items}
          {slide.answersFollow ? null : answers(slide)}
        </div>
      </div>
    );
  }
  const figure = slide.items.some((i) => i.kind === "plotly" || i.kind === "image");
  return (
    <div class="slide-frame">
      {kicker(slide, md)}
      {slide.title && <h2 class="slide-title" {...html(renderInlineMarkdown(slide.title, md))} />}
      <div class={figure ? "slide-body slide-figure" : "slide-body"}>{items}</div>
    </div>
  );
}

/** A question's answers, hidden until the slide's next step (the reader predicts first). */
function answers(slide: DeckSlide): VNode {
  return (
    <div class="fragment answers" data-fragment-index="0">
      {slide.reveals?.length
        ? slide.reveals.map((r, i) => <div key={i}>{revealView(r)}</div>)
        : (
          <p class="answer-missing">
            <Bi text="이번 실행에는 이 질문의 답이 기록되지 않았습니다 (이 버전의 lib로 노트북을 다시 실행하세요) / This run recorded no answer for this question (run the notebook again with this version of lib to get it)." />
          </p>
        )}
    </div>
  );
}

/** The sections in the order the deck shows them (the keywords last, wherever the notebook has them). */
function inDeckOrder(deck: Deck): DeckSection[] {
  const first = (s: DeckSection) => deck.slides.findIndex((x) => x.section === s);
  return deck.sections.filter((s) => first(s) >= 0).sort((a, b) => first(a) - first(b));
}

/** "이 절의 슬라이드 2/4 / slide 2 of 4 in this section · 계획 / plan 0:08–0:16" for every slide of a section. */
function positions(deck: Deck): Map<DeckSlide, string> {
  const out = new Map<DeckSlide, string>();
  const starts = new Map<DeckSection, number>();
  let t = 0;
  for (const s of inDeckOrder(deck)) {
    starts.set(s, t);
    t += s.notes?.minutes ?? 0;
  }
  for (const s of deck.sections) {
    const own = deck.slides.filter((x) => x.section === s);
    own.forEach((x, i) => {
      const start = starts.get(s) ?? 0;
      const plan = s.notes?.minutes !== undefined
        ? ` · 계획 / plan ${clock(start)}–${clock(start + s.notes.minutes)}`
        : "";
      out.set(x, `이 절의 슬라이드 ${i + 1}/${own.length} / slide ${i + 1} of ${own.length} in this section${plan}`);
    });
  }
  return out;
}

/** What reveal.js and the deck's script are configured with (the deck page carries it as JSON). */
export const REVEAL_CONFIG = {
  width: SLIDE.width,
  height: SLIDE.height,
  // No margin: at 1280×720 the slide shows at scale 1, so the type sizes in slides.css are the projector's.
  margin: 0,
  minScale: 0.2,
  maxScale: 2.5,
  center: false,
  hash: true,
  slideNumber: "c/t",
  transition: "none",
  backgroundTransition: "none",
  pdfMaxPagesPerSlide: 1,
  pdfSeparateFragments: false,
} as const;

/** Renders the deck of an executed paper notebook; `root` is the path from the deck to the site root ("../"). */
export function renderDeck(entry: SiteEntry, deck: Deck, root: string): RenderedDeck {
  const md = markdownContext();
  const figures = { n: 0 };
  const where = positions(deck);
  const sections = deck.slides.map((slide, i) => {
    md.where = `${entry.source} cell ${slide.cell ?? 1}`;
    return (
      <section
        key={i}
        class={`slide slide-${slide.kind}`}
        data-section={slide.section?.number}
        data-cell={slide.cell}
      >
        {slide.kind === "title" ? titleSlide(entry, deck, md) : slideView(slide, md, figures)}
        {notesView(slide, deck, md, where)}
      </section>
    );
  });
  const page = (
    <html lang="ko" data-lang="both">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${entry.title} — 발표 / Present`}</title>
        <link rel="stylesheet" href={`${root}assets/reveal/reveal.css`} />
        <link rel="stylesheet" href={`${root}assets/reveal/theme/white.css`} />
        <link rel="stylesheet" href={`${root}assets/katex/katex.min.css`} />
        <link rel="stylesheet" href={`${root}assets/hljs.css`} />
        <link rel="stylesheet" href={`${root}assets/slides.css`} />
        <link rel="stylesheet" href={`${root}assets/lang.css`} />
        <script {...html(languageHeadScript())} />
      </head>
      <body class="deck">
        <div class="reveal">
          <div class="slides">{sections}</div>
        </div>
        <a class="deck-back" href={entry.page.slice(entry.page.lastIndexOf("/") + 1)}>
          ← <Bi text="노트북 / Notebook" />
        </a>
        <div class="deck-lang" title="L: 언어 바꾸기 / switch language">
          <LanguageSwitch />
        </div>
        <script type="application/json" id="deck-config" {...html(scriptJson(REVEAL_CONFIG))} />
        <script src={`${root}assets/reveal/reveal.js`}></script>
        <script src={`${root}assets/reveal/plugin/notes.js`}></script>
        <script src={`${root}assets/lang.js`}></script>
        {figures.n > 0 && <script src={`${root}assets/plotly.min.js`}></script>}
        <script src={`${root}assets/slides.js`}></script>
      </body>
    </html>
  );
  return {
    html: `<!doctype html>\n${renderToString(page)}\n`,
    slides: deck.slides.length,
    figures: figures.n,
    problems: md.problems,
  };
}

const require = createRequire(import.meta.url);

/** Copies reveal.js (core, white theme, notes plugin), the deck stylesheet and the deck script into `<siteDir>/assets`. */
export async function copyDeckAssets(siteDir: string): Promise<void> {
  let dist: string;
  try {
    dist = dirname(require.resolve("reveal.js/reveal.css"));
  } catch (e) {
    throw new Error(
      `cannot find reveal.js (${(e as Error).message}); run \`deno install\` in the project root to install the ` +
        "site's pinned packages",
    );
  }
  const to = join(siteDir, "assets", "reveal");
  await Deno.mkdir(join(to, "theme"), { recursive: true });
  await Deno.mkdir(join(to, "plugin"), { recursive: true });
  await Deno.copyFile(join(dist, "reveal.css"), join(to, "reveal.css"));
  await Deno.copyFile(join(dist, "reveal.js"), join(to, "reveal.js"));
  await Deno.copyFile(join(dist, "theme", "white.css"), join(to, "theme", "white.css"));
  await Deno.copyFile(join(dist, "plugin", "notes.js"), join(to, "plugin", "notes.js"));
  await Deno.copyFile(join(dirname(dist), "LICENSE"), join(to, "LICENSE"));
  for (const file of ["slides.css", "slides.js"]) {
    await Deno.copyFile(fileURLToPath(new URL(`./${file}`, import.meta.url)), join(siteDir, "assets", file));
  }
}
