/**
 * The static site in a real browser: builds the site of the fixture notebooks (tests/fixtures/site/: every output kind,
 * math, named and namespace lib imports, a run that stopped with an error, a header off the template, a guide with
 * markup that must stay text) and drives Chromium
 * headless over file:// URLs (the one lib/tooling's chromiumExecutable finds: $CHROME_PATH, the PATH, install
 * locations). Screenshots go to out/screenshots/site-fixtures/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSite, type BuiltSite } from "@lib/site/mod.ts";
import { chromiumExecutable, HEADLESS_CHROMIUM_ARGS } from "@lib/tooling/chromium.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/site", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../out/screenshots/site-fixtures", import.meta.url));

interface Visit {
  page: Page;
  problems: string[];
}

let tmp = "";
let site: BuiltSite;
let siteDir = "";
const warnings: string[] = [];
let browser: BrowserContext;

/** Opens a site file, recording console errors, uncaught exceptions and failed requests. */
async function visit(file: string): Promise<Visit> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  return { page, problems };
}

/** Waits until every plotly placeholder on the page has been drawn (or a drawing error was logged). */
async function figuresDrawn(v: Visit): Promise<{ placeholders: number; drawn: number; svgs: number }> {
  const placeholders = await v.page.locator(".plotly-figure").count();
  if (placeholders > 0) {
    await v.page.waitForFunction(
      () =>
        document.querySelectorAll(".plotly-figure[data-drawn=true]").length ===
          document.querySelectorAll(".plotly-figure").length,
      undefined,
      { timeout: 20_000 },
    );
  }
  return {
    placeholders,
    drawn: await v.page.locator(".plotly-figure[data-drawn=true]").count(),
    svgs: await v.page.evaluate(() =>
      [...document.querySelectorAll(".plotly-figure.js-plotly-plot")].filter((el) => el.querySelector(".main-svg"))
        .length
    ),
  };
}

/** Text a reader sees outside code (pre, code, script, style): where raw TeX would show if math were not rendered. */
function proseText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement?.closest("pre, code, script, style, .katex-mathml, .source-listing")) {
        out.push(n.textContent ?? "");
      }
    }
    return out.join(" ");
  });
}

async function screenshot(page: Page, file: string): Promise<string> {
  const name = relative(siteDir, file).replace(/\.html$/, "").replaceAll("/", "__") + ".png";
  const target = join(SCREENSHOTS, name);
  await page.screenshot({ path: target, fullPage: true });
  return target;
}

beforeAll(async () => {
  const executablePath = chromiumExecutable(); // throws, saying what to install, when there is none
  tmp = await mkdtemp(join(tmpdir(), "paper-site-"));
  siteDir = join(tmp, "site");
  site = await buildSite({ outDir: FIXTURES, siteDir, warn: (m) => warnings.push(m) });
  await rm(SCREENSHOTS, { recursive: true, force: true });
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await chromium.launchPersistentContext(join(tmp, "profile"), {
    executablePath,
    headless: true,
    args: [...HEADLESS_CHROMIUM_ARGS],
    viewport: { width: 1280, height: 900 },
  });
});

afterAll(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("buildSite on the fixture notebooks", () => {
  it("writes the index, one page per notebook (the site folder itself skipped) and the lib source pages", async () => {
    expect(site.index).toBe(join(siteDir, "index.html"));
    expect(site.pages.map((p) => relative(siteDir, p)).sort()).toEqual([
      "getting_started.html",
      "image-classification/resnet.html",
      "image-generation/gan.html",
      "sequence-models/attention.html",
    ]);
    expect(site.sources.map((p) => relative(siteDir, p))).toContain("lib/math/divergence.ts.html");
    expect(site.sources.some((p) => p.endsWith("_test.ts.html"))).toBe(false);
    // plotly.js is copied once for the whole site
    expect((await readdir(join(siteDir, "assets"))).filter((f) => f.startsWith("plotly"))).toEqual(["plotly.min.js"]);
    // the header that is off the template is reported, and nothing else (no TeX errors)
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/attention\.ipynb: .*no \*\*결론\*\*/);
  });

  it("rebuilds into the same folder, but refuses a folder it did not make", async () => {
    const again = await buildSite({ outDir: FIXTURES, siteDir, warn: () => {} });
    expect(again.pages).toHaveLength(4);
    await expect(buildSite({ outDir: FIXTURES, siteDir: FIXTURES + "/image-generation", warn: () => {} }))
      .rejects.toThrow(/was not made by buildSite/);
  });
});

describe("every page in Chromium over file://", () => {
  it("loads with no console error, draws every plotly figure, leaves no raw $...$, and is screenshotted", async () => {
    const files = [site.index, ...site.pages, join(siteDir, "lib/math/divergence.ts.html")];
    const figures: Record<string, number> = {};
    for (const file of files) {
      const v = await visit(file);
      const f = await figuresDrawn(v);
      expect(f.drawn, file).toBe(f.placeholders);
      expect(f.svgs, file).toBe(f.placeholders);
      figures[relative(siteDir, file)] = f.placeholders;
      const prose = await proseText(v.page);
      expect(prose, `${file} has raw TeX`).not.toMatch(/\$[^$\s][^$]*\$/);
      expect(await v.page.locator(".katex-error").count(), file).toBe(0);
      // KaTeX's fonts load from the copied assets, not from a network
      if (await v.page.locator(".katex").count()) {
        expect(await v.page.evaluate(() => document.fonts.check("16px KaTeX_Main")), file).toBe(true);
      }
      const shot = await screenshot(v.page, file);
      expect(existsSync(shot)).toBe(true);
      expect(v.problems, file).toEqual([]);
      await v.page.close();
    }
    expect(figures["image-generation/gan.html"]).toBe(2);
    expect(figures["image-classification/resnet.html"]).toBe(1);
    expect(figures["index.html"]).toBe(0);
  });

  it("renders math at build time: inline and display, also inside headings and the paper header", async () => {
    const v = await visit(join(siteDir, "image-generation/gan.html"));
    expect(await v.page.locator(".math-display .katex-display").count()).toBeGreaterThanOrEqual(2);
    expect(await v.page.locator(".paper-header .katex").count()).toBeGreaterThan(0);
    expect(await v.page.locator(".output-markdown .katex").count()).toBe(1);
    // TeX with underscores and stars survives markdown: p_{data} renders as a subscript, not as emphasis
    expect(await v.page.locator(".cell-markdown em").count()).toBe(0);
    // no script is needed for math: the KaTeX HTML is in the file
    expect(await v.page.locator("script[src*=katex]").count()).toBe(0);
    await v.page.close();
  });

  it("shows every output kind of the fixture: streams, table, image, svg, markdown, coloured text", async () => {
    const v = await visit(join(siteDir, "image-generation/gan.html"));
    const p = v.page;
    await expect(p.locator(".output-stdout").first().innerText()).resolves.toContain("V(D,G) terms: 0.5 0.25");
    await expect(p.locator(".output-stderr").first().innerText()).resolves.toContain("quick run");
    await expect(p.locator(".output-html table td").first().innerText()).resolves.toBe("JSD");
    const png = await p.locator(".output-image img").evaluate((img: HTMLImageElement) => [
      img.complete,
      img.naturalWidth,
      img.naturalHeight,
    ]);
    expect(png).toEqual([true, 48, 32]);
    await expect(p.locator(".output-image svg text").textContent()).resolves.toBe("svg output");
    // the ANSI-coloured execute_result keeps its colour (site.css's palette for ansi_up's classes), not its escape codes
    const coloured = p.locator(".kind-execute_result pre span[class^=ansi-]");
    await expect(coloured.innerText()).resolves.toBe("0.5");
    expect(await coloured.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(183, 121, 31)");
    expect(await proseText(p)).not.toContain("\u001b");
    // code is highlighted at build time
    expect(await p.locator(".cell-code .hljs-keyword").count()).toBeGreaterThan(3);
    // the parameters cell is marked, and cells show their run time
    await expect(p.locator(".tag-parameters").count()).resolves.toBe(1);
    await expect(p.locator(".cell-time").first().innerText()).resolves.toBe("1.3 s");
    // plotly figures are interactive: plotly's mode bar is there, and hovering a curve shows its values
    expect(await p.locator(".js-plotly-plot .modebar").count()).toBe(2);
    const plotArea = p.locator("#plotly-2 .nsewdrag").first(); // the heatmap: every point of it has a value
    await plotArea.scrollIntoViewIfNeeded();
    const box = (await plotArea.boundingBox())!;
    await p.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await p.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.25, { steps: 5 });
    await p.waitForSelector("#plotly-2 .hoverlayer .hovertext", { timeout: 5_000 });
    expect(await p.locator("script[src$='plotly.min.js']").count()).toBe(1);
    await p.close();
  });

  it("shows the error where it happened, the cells after it as not run, and a banner linking to it", async () => {
    const v = await visit(join(siteDir, "image-classification/resnet.html"));
    const p = v.page;
    const failed = p.locator("#cell-5");
    await expect(failed.getAttribute("class")).resolves.toContain("cell-error");
    const outputs = failed.locator(".cell-outputs .output");
    expect(await outputs.count()).toBe(2);
    await expect(outputs.nth(0).innerText()).resolves.toContain("building block with 16 filters");
    const error = failed.locator(".output-error");
    expect(await error.isVisible()).toBe(true);
    const errorText = await error.innerText();
    expect(errorText).toContain("ValueError: Operands could not be broadcast");
    expect(errorText).toContain("at assertShapes");
    expect(errorText).not.toContain("\u001b");
    expect(errorText).not.toMatch(/\[3\dm/);
    await expect(error.locator("span[class^=ansi-]").first().innerText()).resolves.toBe("ValueError");
    const banner = p.locator(".error-banner");
    await expect(banner.innerText()).resolves.toContain("cell 5");
    await expect(banner.locator("a").first().getAttribute("href")).resolves.toBe("#cell-5");
    await expect(p.locator("#cell-7").getAttribute("class")).resolves.toContain("cell-not-run");
    await expect(p.locator("#cell-7 .not-run-note").innerText()).resolves.toContain("Not run");
    // the figure drawn before the error is still there
    expect((await figuresDrawn(v)).drawn).toBe(1);
    expect(v.problems).toEqual([]);
    await p.close();
  });

  it("has a table of contents following the sections, linking each section to the lib source it imports", async () => {
    const v = await visit(join(siteDir, "image-generation/gan.html"));
    const p = v.page;
    const toc = await p.locator(".toc li > a").allInnerTexts();
    expect(toc).toEqual([
      "개요 / Overview",
      "1. 서론 / Introduction",
      "2. 이론 / Theoretical results — §4.1",
      "명제 1 / Proposition 1",
      "질문 / Question",
      "키워드 / Keywords",
    ]);
    for (const href of await p.locator(".toc li > a").evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
      const id = decodeURIComponent(href.slice(1));
      expect(await p.evaluate((i) => document.getElementById(i) !== null, id), href).toBe(true);
    }
    // the imports cell sits before the first section: its lib links hang under "Overview"
    const overviewLib = await p.locator(".toc li").first().locator(".toc-lib a").allInnerTexts();
    expect(overviewLib).toEqual(["line", "plot", "table", "jsDivergence", "check"]);
    // follow jsDivergence to its declaration in lib/math/divergence.ts (through lib/math/mod.ts)
    const link = p.locator(".cell-lib a", { hasText: "jsDivergence" });
    const href = await link.getAttribute("href");
    expect(href).toMatch(/^\.\.\/lib\/math\/divergence\.ts\.html#L\d+$/);
    await link.click();
    await p.waitForURL(/divergence\.ts\.html#L\d+$/);
    const line = href!.split("#")[1];
    await expect(p.locator(`#${line} .line-code`).innerText()).resolves.toMatch(/^export function jsDivergence\(/);
    // the import specifier in the code is a link to the folder's mod.ts page
    await p.goBack();
    const spec = p.locator(".cell-code a.source-link", { hasText: "@lib/math/mod.ts" });
    await expect(spec.getAttribute("href")).resolves.toBe("../lib/math/mod.ts.html");
    await p.close();
  });

  it("links every lib name a cell uses, through a namespace import too, to the line that declares it", async () => {
    const v = await visit(join(siteDir, "image-classification/resnet.html"));
    const p = v.page;
    // the imports cell: its named imports, and the namespace as its module's page
    await expect(p.locator("#cell-2 .cell-lib a").allInnerTexts()).resolves.toEqual(["line", "plot", "resnet/mod.ts"]);
    await expect(p.locator("#cell-2 .cell-lib a", { hasText: "resnet/mod.ts" }).getAttribute("href")).resolves.toBe(
      "../lib/resnet/mod.ts.html",
    );
    // a later cell: what it uses, in order, and nothing from its comment or strings (resnet.stepsToError, runRows)
    const links = p.locator("#cell-4 .cell-lib a");
    expect(await links.allInnerTexts()).toEqual([
      "resnet.cifarResNet",
      "resnet.TrainVariantsConfig",
      "resnet.trainVariants",
      "plot",
      "line",
    ]);
    const targets = await links.evaluateAll((as) => as.map((a) => [a.textContent!, a.getAttribute("href")!]));
    for (const [label, href] of targets) {
      const name = label.replace(/^resnet\./, "");
      const folder = label.startsWith("resnet.") ? "resnet" : "display";
      expect(href, label).toMatch(new RegExp(`^\\.\\./lib/${folder}/[\\w/]+\\.ts\\.html#L\\d+$`));
      const [file, line] = href.slice("../".length).split("#");
      const source = await visit(join(siteDir, file));
      await expect(source.page.locator(`#${line} .line-code`).innerText(), label).resolves.toMatch(
        new RegExp(`^export (async )?(function|interface|type|const|class) ${name}\\b`),
      );
      expect(source.problems).toEqual([]);
      await source.page.close();
    }
    // the section's entry in the table of contents lists them too
    const section = await p.locator(".toc li", { hasText: "3.1 잔차 학습" }).locator(".toc-lib a").allInnerTexts();
    expect(section).toEqual([
      "resnet.cifarResNet",
      "resnet.TrainVariantsConfig",
      "resnet.trainVariants",
      "plot",
      "line",
    ]);
    await p.close();
  });

  it("shows markup in markdown and in outputs as text: no <script> or onerror of a notebook runs", async () => {
    const v = await visit(join(siteDir, "getting_started.html"));
    const p = v.page;
    expect(await p.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(await p.locator("main script, main img").count()).toBe(0);
    const markdown = await p.locator("#cell-3").innerText();
    expect(markdown).toContain('<script>window.pwned = "markdown"</script> and <img src="x"');
    expect(markdown).toContain('<script>window.pwned = "markdown block"</script>');
    await expect(p.locator("#cell-4 .output-stdout").innerText()).resolves.toBe(
      '<script>window.pwned = "stream"</script>\n',
    );
    await expect(p.locator("#cell-4 .kind-execute_result").innerText()).resolves.toBe(
      `"<script>window.pwned = 'result'</script>"`,
    );
    expect(v.problems).toEqual([]);
    await p.close();
  });

  it("lists the papers by category in Korean and English with date, venue, purpose and the last run", async () => {
    const v = await visit(site.index);
    const p = v.page;
    const headings = await p.locator(".category-section h2").allInnerTexts();
    expect(headings).toEqual([
      "이미지 분류 / Image Classification",
      "이미지 생성 / Image Generation",
      "Sequence Models",
      "안내 / Guides",
    ]);
    const gan = p.locator(".paper-card", { hasText: "Generative Adversarial Nets" });
    const text = await gan.innerText();
    expect(text).toContain("10 Jun 2014 · NIPS");
    expect(text).toContain("목적 — 생성 모델");
    expect(text).toContain("Purpose — Estimate generative models");
    expect(text).toContain("2026-11-28 10:02 UTC");
    expect(text).toContain("2 min 06 s");
    const resnet = await p.locator(".paper-card", { hasText: "ResNet" }).innerText();
    expect(resnet).toContain("오류 / error (cell 5)");
    // a header off the template still gets its card and page, from metadata.paper
    const attention = await p.locator(".paper-card", { hasText: "Attention Is All You Need" }).innerText();
    expect(attention).toContain("12 Jun 2017 · NeurIPS");
    await gan.locator("a.paper-link").click();
    await p.waitForURL(/image-generation\/gan\.html$/);
    await expect(p.locator("h1.paper-title").innerText()).resolves.toBe("Generative Adversarial Nets (GAN)");
    await p.close();
  });

  it("renders a guide without a paper header, with links between notebooks pointing at their pages", async () => {
    const v = await visit(join(siteDir, "getting_started.html"));
    const p = v.page;
    expect(await p.locator("h1").allInnerTexts()).toEqual(["시작하기 / Getting started"]);
    await expect(p.locator(".cell-markdown a", { hasText: "GAN" }).getAttribute("href")).resolves.toBe(
      "image-generation/gan.html",
    );
    await p.close();
  });
});
