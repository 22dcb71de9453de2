/**
 * One language at a time, in a real browser: builds the site of the collection's own notebooks (copied from
 * notebooks/, as written, so the test reads the convention the authors follow; the ResNet notebook's first
 * look-inside cell gets the output lookInside really gives) and drives Chromium headless over file:// URLs through the
 * 한국어 / English / 둘 다 switch. Screenshots of each choice go to out/screenshots/language/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleOf, lookInside } from "@lib/display/mod.ts";
import { readNotebook, writeNotebook } from "@lib/notebook/nbformat.ts";
import { basicBlock } from "@lib/resnet/mod.ts";
import { buildSite } from "@lib/site/mod.ts";
import { chromiumExecutable, HEADLESS_CHROMIUM_ARGS } from "@lib/tooling/chromium.ts";

const NOTEBOOKS = fileURLToPath(new URL("../notebooks", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../out/screenshots/language", import.meta.url));
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

let tmp = "";
let siteDir = "";
let browser: BrowserContext;

async function open(file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(join(siteDir, file)).href, { waitUntil: "load", timeout: 120_000 });
  return { page, problems };
}

/**
 * The text a reader sees as prose: visible text nodes outside code, outputs, KaTeX's MathML and the switch itself,
 * each with the nearest block that holds it.
 */
function visibleProse(page: Page): Promise<{ block: string; text: string }[]> {
  return page.evaluate(() => {
    const out: { block: string; text: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = (n.textContent ?? "").trim();
      if (!el || !text) continue;
      if (el.closest("pre, code, script, style, .katex-mathml, .lang-switch, .cell-outputs, .cell-lib, .toc-lib")) {
        continue;
      }
      if (!el.checkVisibility()) continue;
      const block = el.closest("p, li, h1, h2, h3, h4, h5, h6, summary, figcaption, td, th, div") as HTMLElement;
      out.push({ block: block?.innerText.trim().slice(0, 120) ?? "", text });
    }
    return out;
  });
}

/** The visible blocks of markdown cells and headings, with their whole visible text. */
function visibleBlocks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".cell-markdown :is(p, li, h2, h3, h4, h5, h6, summary), .toc li > a")]
      .filter((el) => (el as HTMLElement).checkVisibility())
      .map((el) => (el as HTMLElement).innerText.replace(/\s+/g, " ").replace(/#$/, "").trim())
      .filter(Boolean)
  );
}

async function choose(page: Page, lang: "ko" | "en" | "both"): Promise<void> {
  await page.locator(`.site-header [data-lang-choice=${lang}]`).click();
  await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe(lang);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

beforeAll(async () => {
  const executablePath = chromiumExecutable();
  tmp = await mkdtemp(join(tmpdir(), "paper-lang-"));
  const outDir = join(tmp, "out");
  siteDir = join(tmp, "site");
  await cp(NOTEBOOKS, outDir, { recursive: true });
  // The first look-inside cell with the output lookInside gives (as the kernel would display it).
  const resnetFile = join(outDir, "image-classification", "resnet.ipynb");
  const resnet = await readNotebook(resnetFile);
  const look = resnet.cells.find((c) => c.id === "look-s2");
  if (!look) throw new Error("the ResNet notebook has no look-inside cell look-s2");
  look.execution_count = 1;
  look.outputs = [{
    output_type: "execute_result",
    execution_count: 1,
    metadata: {},
    data: bundleOf(await lookInside(basicBlock, { helpers: ["merge"] })),
  }];
  await writeNotebook(resnetFile, resnet);
  await buildSite({ outDir, siteDir, warn: () => {} });
  await rm(SCREENSHOTS, { recursive: true, force: true });
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await chromium.launchPersistentContext(join(tmp, "profile"), {
    executablePath,
    headless: true,
    args: [...HEADLESS_CHROMIUM_ARGS],
    viewport: { width: 1280, height: 900 },
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// The paper pages are long (every cell of two notebooks) and the machine may be busy: a generous limit per test.
describe("the language switch, on the pages of the collection's notebooks", { timeout: 300_000 }, () => {
  it("shows both languages at first, then only English, remembered on the next page, then only Korean", async () => {
    const { page, problems } = await open("image-classification/resnet.html");
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("both");
    await expect(page.locator("[data-lang-choice=both]").getAttribute("aria-pressed")).resolves.toBe("true");
    const both = await visibleBlocks(page);
    expect(both.some((t) => HANGUL.test(t))).toBe(true);
    expect(both).toContain("2. 잔차 학습 / §3.1 Residual learning");
    await screenshot(page, "resnet-both");

    // English: no Hangul anywhere a reader looks, headings and table of contents included
    await choose(page, "en");
    const english = (await visibleProse(page)).filter((p) => HANGUL.test(p.text));
    expect(english, "Korean text still shown in English").toEqual([]);
    expect(await visibleBlocks(page)).toContain("2. §3.1 Residual learning");
    await expect(page.locator(".toc li > a", { hasText: "Residual learning" }).innerText()).resolves.toBe(
      "2. §3.1 Residual learning",
    );
    await screenshot(page, "resnet-en");

    // the choice holds across pages (localStorage): the index and the GAN page open in English
    await page.locator(".breadcrumb a").first().click();
    await page.waitForURL(/index\.html$/);
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("en");
    expect((await visibleProse(page)).filter((p) => HANGUL.test(p.text))).toEqual([]);
    await screenshot(page, "index-en");
    await page.goto(pathToFileURL(join(siteDir, "image-generation/gan.html")).href);
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("en");
    await expect(page.locator("[data-lang-choice=en]").getAttribute("aria-pressed")).resolves.toBe("true");
    expect((await visibleProse(page)).filter((p) => HANGUL.test(p.text))).toEqual([]);

    // Korean: every visible block of the notebook's text is Korean or in neither language (math, numbers)
    await choose(page, "ko");
    const korean = await visibleBlocks(page);
    const notKorean = korean.filter((t) => !HANGUL.test(t) && /[A-Za-z]{2,}/.test(t));
    expect(notKorean, "English-only blocks still shown in Korean").toEqual([]);
    expect(await page.locator("main [lang=en]").evaluateAll((els) => els.filter((e) => e.checkVisibility()).length))
      .toBe(0);
    expect(korean).toContain("2. 알고리즘 1: D를 k번, 그다음 G를 한 번");
    await screenshot(page, "gan-ko");
    await page.reload();
    await expect(page.locator("html").getAttribute("data-lang")).resolves.toBe("ko");

    await choose(page, "both");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps every Try-it solution folded until its summary is clicked", async () => {
    const { page } = await open("image-generation/gan.html");
    const solutions = page.locator("details.solution");
    const count = await solutions.count();
    expect(count).toBe(await page.locator(".cell-markdown h3", { hasText: "Try it" }).count());
    expect(count).toBeGreaterThanOrEqual(8); // one at least in each of the eight sections
    expect(await solutions.evaluateAll((ds) => ds.filter((d) => (d as HTMLDetailsElement).open).length)).toBe(0);
    const first = solutions.first();
    await first.scrollIntoViewIfNeeded();
    expect(await first.locator("p").first().isVisible()).toBe(false);
    await first.locator("summary").click();
    await first.locator("p").first().waitFor({ state: "visible", timeout: 10_000 });
    await expect(first.getAttribute("open")).resolves.toBe("");
    await screenshot(page, "gan-try-it-open");
    await page.close();
  });

  it("shows a look-inside cell's lib source with its file and line, every line linked to the source page", async () => {
    const { page, problems } = await open("image-classification/resnet.html");
    const block = page.locator(".lib-source-block").first();
    await block.scrollIntoViewIfNeeded();
    const caption = block.locator("figcaption a");
    await expect(caption.innerText()).resolves.toMatch(/^lib\/resnet\/blocks\.ts:\d+$/);
    const href = (await caption.getAttribute("href"))!;
    expect(href).toMatch(/^\.\.\/lib\/resnet\/blocks\.ts\.html#L\d+$/);
    // the declaration's own line in the excerpt, and where its number leads
    const row = block.locator("tr", { hasText: "export function basicBlock(" });
    const lineHref = (await row.locator(".line-number a").getAttribute("href"))!;
    await expect(block.locator(".hljs-keyword").count()).resolves.toBeGreaterThan(3);
    expect(await page.locator(".lib-source-block figcaption code").allInnerTexts()).toEqual(["basicBlock", "merge"]);
    await screenshot(page, "resnet-look-inside");
    await row.locator(".line-number a").click();
    await page.waitForURL(/blocks\.ts\.html#L\d+$/);
    const target = lineHref.split("#")[1];
    await expect(page.locator(`#${target} .line-code`).innerText()).resolves.toMatch(
      /^export function basicBlock\(/,
    );
    expect(problems).toEqual([]);
    await page.close();
  });
});
