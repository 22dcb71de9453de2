/**
 * Drives a present-mode deck (lib/site/slides.tsx) in Chromium the way a presenter does: from the first slide to the
 * last with the → key, checking on every slide that it has content, that its figures are drawn, that it fits the
 * 1280×720 slide at 24 px or more, and that a question's answer stays hidden until its step; and prints a deck to
 * PDF as `?print-pdf` lays it out. Shared by tests/slides_test.ts (fixture and new-paper decks) and
 * tests/notebooks_test.ts (the decks of the freshly executed paper notebooks).
 */
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { readNotebook } from "@lib/notebook/nbformat.ts";
import { copyAssets } from "@lib/site/assets.ts";
import { buildDeck } from "@lib/site/deck.ts";
import { siteEntry } from "@lib/site/entry.ts";
import { copyDeckAssets, renderDeck } from "@lib/site/slides.tsx";
import { chromiumExecutable, HEADLESS_CHROMIUM_ARGS } from "@lib/tooling/chromium.ts";

/** What walking a deck found. */
export interface DeckWalk {
  /** Slides visited, and the total reveal.js counts. */
  visited: number;
  total: number;
  /** Plotly figures drawn on the way. */
  figures: number;
  /** Question slides whose answer was hidden until its step, and then shown. */
  questions: number;
  /** Everything wrong, each naming the slide: empty when the deck is fine. */
  problems: string[];
}

/** Records console errors and warnings, uncaught exceptions and failed requests of a page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return problems;
}

interface SlideCheck {
  index: number;
  hasContent: boolean;
  figures: number;
  overflow: string;
  smallText: string[];
  hiddenAnswer: boolean | undefined;
}

/** The checks of the current slide, run in the page. */
function checkCurrentSlide(): SlideCheck {
  const R = (globalThis as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal;
  const slide = document.querySelector(".reveal .slides > section.present") as HTMLElement;
  const frame = slide.querySelector(".slide-frame") as HTMLElement;
  const body = (slide.querySelector(".slide-body") ?? frame) as HTMLElement;
  const text = (body.innerText ?? "").trim();
  const figures = slide.querySelectorAll(".deck-figure").length;
  const hasContent = text.length > 0 || figures > 0 || slide.querySelector(".deck-image img, .deck-image svg") !== null;
  const over: string[] = [];
  if (frame.scrollHeight > frame.clientHeight + 1) over.push(`${frame.scrollHeight - frame.clientHeight}px too tall`);
  if (body.scrollHeight > body.clientHeight + 1) over.push(`body ${body.scrollHeight - body.clientHeight}px too tall`);
  if (frame.scrollWidth > frame.clientWidth + 1) over.push(`${frame.scrollWidth - frame.clientWidth}px too wide`);
  // Type size as shown: the computed size times any zoom a too-wide table or formula was given.
  const zoomOf = (el: Element | null): number => {
    let z = 1;
    for (let e = el; e && e !== slide; e = e.parentElement) z *= parseFloat(getComputedStyle(e).zoom) || 1;
    return z;
  };
  const small: string[] = [];
  const walker = document.createTreeWalker(frame, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !(n.textContent ?? "").trim() || el.closest(".katex, .deck-figure, script, style, .notes")) continue;
    const px = parseFloat(getComputedStyle(el).fontSize) * zoomOf(el);
    if (px < 23.5) small.push(`${px.toFixed(1)}px "${(n.textContent ?? "").trim().slice(0, 30)}"`);
  }
  const answer = slide.querySelector(".fragment.answers") as HTMLElement | null;
  return {
    index: R.getIndices().h,
    hasContent,
    figures,
    overflow: over.join(", "),
    smallText: small.slice(0, 3),
    hiddenAnswer: answer
      ? getComputedStyle(answer).visibility === "hidden" || getComputedStyle(answer).opacity === "0"
      : undefined,
  };
}

async function figuresDrawn(page: Page, selector: string, timeout = 30_000): Promise<boolean> {
  return await page.waitForFunction(
    (sel) =>
      [...document.querySelectorAll(sel)].every((el) =>
        (el as HTMLElement).dataset.drawn === "true" && el.querySelector(".main-svg") !== null
      ),
    selector,
    { timeout },
  ).then(() => true, () => false);
}

/** Opens a deck and walks it from the first slide to the last with the → key. */
export async function walkDeck(context: BrowserContext | Browser, file: string): Promise<DeckWalk> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  const problems = watch(page);
  // Generous limits: plotly.js is 4.6 MB of script to parse, slow on a busy two-core machine.
  await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 120_000 });
  await page.waitForFunction(() => (globalThis as { deckReady?: boolean }).deckReady === true, undefined, {
    timeout: 120_000,
  });
  await page.evaluate(() => document.fonts.ready);
  const total = await page.evaluate(() =>
    (globalThis as unknown as { Reveal: { getTotalSlides(): number } }).Reveal.getTotalSlides()
  );
  const walk: DeckWalk = { visited: 0, total, figures: 0, questions: 0, problems };
  for (let step = 0; step < 4 * total + 4; step++) {
    if (!(await figuresDrawn(page, ".reveal .slides > section.present .deck-figure"))) {
      problems.push(`slide ${walk.visited + 1}: a figure was not drawn`);
    }
    const s = await page.evaluate(checkCurrentSlide);
    const where = `slide ${s.index + 1}`;
    walk.visited++;
    walk.figures += s.figures;
    if (!s.hasContent) problems.push(`${where}: no content`);
    if (s.overflow) problems.push(`${where}: does not fit the slide (${s.overflow})`);
    if (s.smallText.length) problems.push(`${where}: text under 24 px: ${s.smallText.join("; ")}`);
    if (s.hiddenAnswer !== undefined) {
      if (!s.hiddenAnswer) problems.push(`${where}: the question's answer shows before its step`);
      await page.keyboard.press("ArrowRight");
      const shown = await page.waitForFunction(
        () => {
          const a = document.querySelector(".reveal .slides > section.present .fragment.answers");
          return a !== null && getComputedStyle(a).visibility === "visible" && getComputedStyle(a).opacity === "1";
        },
        undefined,
        { timeout: 5_000 },
      ).then(() => true, () => false);
      if (!shown) problems.push(`${where}: the answer did not show on the next step`);
      else walk.questions++;
      const after = await page.evaluate(checkCurrentSlide);
      if (after.overflow) problems.push(`${where} with its answer: does not fit the slide (${after.overflow})`);
    }
    const last = await page.evaluate(() => {
      const R = (globalThis as unknown as {
        Reveal: { isLastSlide(): boolean; availableFragments(): { next: boolean } };
      }).Reveal;
      return R.isLastSlide() && !R.availableFragments().next;
    });
    if (last) break;
    await page.keyboard.press("ArrowRight");
  }
  if (walk.visited !== total) problems.push(`visited ${walk.visited} of ${total} slides`);
  await page.close();
  return walk;
}

/** Prints a deck as `?print-pdf` lays it out; returns the PDF's page count, the slide count and figures drawn. */
export async function printDeck(
  context: BrowserContext | Browser,
  file: string,
): Promise<{ pages: number; slides: number; figures: number; drawn: boolean; problems: string[] }> {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${pathToFileURL(file).href}?print-pdf`, { waitUntil: "load", timeout: 120_000 });
  await page.waitForFunction(() => (globalThis as { deckReady?: boolean }).deckReady === true, undefined, {
    timeout: 120_000,
  });
  const drawn = await figuresDrawn(page, ".deck-figure");
  const { slides, figures } = await page.evaluate(() => ({
    slides: document.querySelectorAll(".reveal .slides section.slide").length,
    figures: document.querySelectorAll(".deck-figure").length,
  }));
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  await page.close();
  // Chromium writes each page object's dictionary as plain text: count the `/Type /Page` entries (not `/Pages`).
  const pages = (new TextDecoder("latin1").decode(pdf).match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  return { pages, slides, figures, drawn, problems };
}

/**
 * Renders the deck of one executed paper notebook (`out/<category>/<slug>.ipynb`) into a scratch site with the deck's
 * assets, and walks it in a fresh Chromium: for a notebook just re-run, without building the whole site.
 */
export async function walkExecutedDeck(file: string, outDir = "out"): Promise<DeckWalk> {
  const dir = await mkdtemp(join(tmpdir(), "paper-deck-"));
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: [...HEADLESS_CHROMIUM_ARGS],
  });
  try {
    const rel = relative(outDir, file).replaceAll("\\", "/");
    const entry = siteEntry(await readNotebook(file), rel, file);
    await copyAssets(dir);
    await copyDeckAssets(dir);
    const deck = join(dir, "deck.slides.html");
    await writeFile(deck, renderDeck(entry, buildDeck(entry), "").html);
    return await walkDeck(browser, deck);
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}
