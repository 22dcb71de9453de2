/**
 * Present mode in a real browser: builds the site of the fixture notebooks (tests/fixtures/site/) together with a
 * paper made by `new-paper` from the template and executed on the real Deno kernel, then drives Chromium over
 * file:// (tests/deck_walk.ts) through every deck with the keyboard and prints decks to PDF. The decks of the paper
 * notebooks themselves are walked by tests/notebooks_test.ts right after each re-run. Screenshots of the new paper's
 * deck go to out/screenshots/slides/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, chromium } from "playwright-core";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createPaperNotebook } from "@lib/collection/new_paper.ts";
import { speakerNotesProblems } from "@lib/collection/speaker_notes.ts";
import { readNotebook, sourceText, tagsOf, writeNotebook } from "@lib/notebook/nbformat.ts";
import { runNotebook } from "@lib/notebook/run.ts";
import { buildSite, type BuiltSite } from "@lib/site/mod.ts";
import { chromiumExecutable, HEADLESS_CHROMIUM_ARGS } from "@lib/tooling/chromium.ts";
import { printDeck, walkDeck } from "./deck_walk.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURES = join(ROOT, "tests/fixtures/site");
const SCREENSHOTS = join(ROOT, "out/screenshots/slides");

const PAPER = {
  title: "Batch Normalization (BN)",
  category: "image-classification",
  date: "2015-02-11",
  venue: "ICML",
  purposeKo: "층 입력의 분포 변화를 미니배치 정규화로 줄여 깊은 망의 학습을 빠르게 한다.",
  purposeEn: "Speed up the training of deep networks by normalising each layer's inputs over the mini-batch.",
  conclusionKo: "같은 정확도에 14배 적은 학습 단계로 도달한다.",
  conclusionEn: "The same accuracy is reached with 14 times fewer training steps.",
};
const SLUG = "batch-normalization-bn";

let tmp = "";
let site: BuiltSite;
let browser: Browser;
let newPaperDeck = "";

/**
 * `new-paper` into a scratch collection, executed on the kernel. The scratch folder sits inside the project (hidden,
 * under tests/) so that the kernel finds deno.json and `@lib/`; the paper's declared parameter set is written there
 * too instead of into the project's lib/, and the notebook and the set point at each other by relative paths.
 */
async function executedNewPaper(outDir: string): Promise<string> {
  const notebooks = join(tmp, "notebooks");
  await mkdir(notebooks, { recursive: true });
  await cp(join(ROOT, "notebooks/template.ipynb"), join(notebooks, "template.ipynb"));
  const file = await createPaperNotebook({ ...PAPER, notebooksDir: notebooks, libDir: join(tmp, "lib") });
  const spec = join(tmp, "lib", SLUG, "parameters.ts");
  const helper = pathToFileURL(join(ROOT, "lib/parameters/parameter_spec.ts")).href;
  await writeFile(
    spec,
    (await readFile(spec, "utf8")).replace('"../parameters/parameter_spec.ts"', JSON.stringify(helper)),
  );
  const nb = await readNotebook(file);
  const module = relative(dirname(file), spec);
  nb.metadata.parameters = { ...(nb.metadata.parameters as object), module };
  for (const cell of nb.cells.filter((c) => tagsOf(c).includes("parameters"))) {
    cell.source = sourceText(cell.source).replace(`@lib/${SLUG}/parameters.ts`, module);
  }
  await writeNotebook(file, nb);
  expect(speakerNotesProblems(nb.cells, file)).toEqual([]); // the template gives every section its notes cell
  const outFile = join(outDir, PAPER.category, `${SLUG}.ipynb`);
  const run = await runNotebook(file, { outFile });
  const f = run.failure;
  expect(f, f && `cell ${f.sourceCell}: ${f.ename}: ${f.evalue}`).toBeUndefined();
  return outFile;
}

beforeAll(async () => {
  const executablePath = chromiumExecutable();
  tmp = await mkdtemp(join(ROOT, "tests/.slides-"));
  const outDir = join(tmp, "out");
  await cp(FIXTURES, outDir, { recursive: true });
  await executedNewPaper(outDir);
  site = await buildSite({ outDir, siteDir: join(tmp, "site"), warn: () => {} });
  newPaperDeck = join(tmp, "site", PAPER.category, `${SLUG}.slides.html`);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...HEADLESS_CHROMIUM_ARGS],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the decks of the site", () => {
  it("are built for every paper notebook, the new paper's too, and linked from its page and the index", async () => {
    const decks = site.decks.map((d) => relative(join(tmp, "site"), d)).sort();
    expect(decks).toEqual([
      `image-classification/${SLUG}.slides.html`,
      "image-classification/resnet.slides.html",
      "image-generation/gan.slides.html",
      "sequence-models/attention.slides.html",
    ]);
    const page = await readFile(join(tmp, "site/image-generation/gan.html"), "utf8");
    expect(page).toContain('href="gan.slides.html"');
    const index = await readFile(join(tmp, "site/index.html"), "utf8");
    for (const d of decks) expect(index).toContain(`href="${d}"`);
    // nothing is fetched from a network: every script and stylesheet is a copied asset
    const deck = await readFile(newPaperDeck, "utf8");
    expect(deck).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("walk from the first slide to the last with the keyboard: content on each, figures drawn, no errors", async () => {
    for (const file of site.decks) {
      const walk = await walkDeck(browser, file);
      expect(walk.problems, relative(tmp, file)).toEqual([]);
      expect(walk.visited, relative(tmp, file)).toBe(walk.total);
    }
  }, 300_000);

  it("ask a question first and show this run's answer and why on the next step", async () => {
    const walk = await walkDeck(browser, newPaperDeck);
    expect(walk.questions).toBe(1);
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(pathToFileURL(newPaperDeck).href, { timeout: 120_000 });
    await page.waitForFunction(() => (globalThis as { deckReady?: boolean }).deckReady === true, undefined, {
      timeout: 120_000,
    });
    const question = page.locator(".reveal .slides > section.slide-question");
    const n = await question.evaluate((el) => [...el.parentElement!.children].indexOf(el));
    await page.evaluate((h) => (globalThis as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(h), n);
    const answer = question.locator(".answers");
    await expect(answer.evaluate((el) => getComputedStyle(el).visibility)).resolves.toBe("hidden");
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => getComputedStyle(document.querySelector(".present .answers")!).opacity === "1");
    // the template's question: the sum of squares of [1, 2, 3], computed by this run
    await expect(answer.innerText()).resolves.toMatch(/This run's answer: 14/);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${SLUG}-question.png`) });
    await page.close();
  }, 300_000);

  it("show one language at a time with the switch (or L), figure titles too, remembered on the next deck", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    const open = async (file: string) => {
      await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 120_000 });
      await page.waitForFunction(() => (globalThis as { deckReady?: boolean }).deckReady === true, undefined, {
        timeout: 120_000,
      });
    };
    /**
     * The prose of every slide (shown or not) that the choice leaves visible, by block, in `other`'s language: for
     * English any Hangul; for Korean a block with Latin words and no Hangul (Korean prose keeps names like ResNet).
     */
    const shownInOther = (other: "ko" | "en") =>
      page.evaluate((other) => {
        const hangul = /[\uac00-\ud7af]/;
        const latin = /[A-Za-z]{3,}/;
        const blocks = new Map<Element, string>();
        for (const section of document.querySelectorAll(".reveal .slides > section")) {
          const walker = document.createTreeWalker(section.querySelector(".slide-frame")!, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement!;
            const text = (n.textContent ?? "").trim();
            // the notebook's printed outputs, code, figures and math are not prose under the convention, nor are the
            // paper's title and venue (names)
            if (
              !text || el.closest(".deck-output, pre, code, .deck-figure, .katex, .deck-image, .deck-title, .deck-meta")
            ) {
              continue;
            }
            let hidden = false;
            for (let e: Element | null = el; e && e !== section; e = e.parentElement) {
              if (getComputedStyle(e).display === "none") hidden = true;
            }
            if (hidden) continue;
            const block = el.closest("p, li, h1, h2, h3, h4, h5, h6, summary, td, th, header, div")!;
            blocks.set(block, `${blocks.get(block) ?? ""} ${text}`);
          }
        }
        return [...blocks.values()].map((t) => t.trim()).filter((t) =>
          other === "ko" ? hangul.test(t) : latin.test(t) && !hangul.test(t)
        ).map((t) => t.slice(0, 80));
      }, other);
    const figureTitle = (id: string) =>
      page.evaluate((id) => {
        const el = document.getElementById(id) as HTMLElement & { layout?: { title?: { text?: string } } };
        return el.dataset.drawn === "true" ? el.layout?.title?.text : undefined;
      }, id);

    const gan = join(tmp, "site/image-generation/gan.slides.html");
    await open(gan);
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("both");
    expect(await shownInOther("en")).not.toEqual([]);
    await page.locator(".deck-lang [data-lang-choice=en]").click();
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("en");
    expect(await shownInOther("ko"), "Korean text still shown on English slides").toEqual([]);
    // the fixture's figure is titled "그림 1: 밀도 / Figure 1: densities": drawn in English once its slide shows
    const figure = page.locator(".deck-figure").first();
    const id = (await figure.getAttribute("id"))!;
    const slide = await figure.evaluate((el) =>
      [...el.closest("section")!.parentElement!.children].indexOf(el.closest("section")!)
    );
    await page.evaluate(
      (h) => (globalThis as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(h),
      slide,
    );
    await page.waitForFunction((id) => document.getElementById(id)?.dataset.drawn === "true", id, { timeout: 30_000 });
    await expect(figureTitle(id)).resolves.toBe("Figure 1: densities");
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "gan-figure-en.png") });

    // L steps on: English → both → Korean; the drawn figure follows
    await page.keyboard.press("l");
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("both");
    await page.keyboard.press("l");
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("ko");
    await page.waitForFunction(
      (id) => {
        const el = document.getElementById(id) as HTMLElement & { layout?: { title?: { text?: string } } };
        return el.layout?.title?.text === "그림 1: 밀도";
      },
      id,
      { timeout: 10_000 },
    );
    expect(await shownInOther("en"), "English text still shown on Korean slides").toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "gan-figure-ko.png") });

    // the choice is kept: the next deck opens in Korean
    await open(newPaperDeck);
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("ko");
    await expect(page.locator(".deck-lang [data-lang-choice=ko]").getAttribute("aria-pressed")).resolves.toBe("true");
    expect(await shownInOther("en")).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);

  it("carry each section's speaker notes: its time and discussion prompts", async () => {
    const html = await readFile(newPaperDeck, "utf8");
    const notes = [...html.matchAll(/<aside class="notes">([\s\S]*?)<\/aside>/g)].map((m) => m[1]);
    const slides = (html.match(/<section class="slide /g) ?? []).length;
    expect(notes).toHaveLength(slides);
    // the title slide's plan sums the sections' times; each section's slides carry its time and prompts
    expect(notes[0]).toMatch(/18분 \/ 18 min/); // 3 + 5 + 5 + 5 from the template
    expect(notes.slice(1).every((n) => /\d+분 \/ \d+ min/.test(n) && /<li[ >]/.test(n))).toBe(true);
  });

  it("print to PDF as one page per slide, with every figure drawn", async () => {
    for (const file of [newPaperDeck, join(tmp, "site/image-generation/gan.slides.html")]) {
      const printed = await printDeck(browser, file);
      expect(printed.problems, relative(tmp, file)).toEqual([]);
      expect(printed.drawn, relative(tmp, file)).toBe(true);
      expect(printed.figures, relative(tmp, file)).toBeGreaterThan(0);
      expect(printed.pages, relative(tmp, file)).toBe(printed.slides);
    }
  }, 300_000);
});
