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
