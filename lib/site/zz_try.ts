import { buildSite } from "./mod.ts";
import { chromium } from "playwright-core";
const r = await buildSite({ outDir: Deno.args[0], siteDir: "/tmp/site-real" });
const dir = await Deno.makeTempDir();
const ctx = await chromium.launchPersistentContext(dir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
  ],
});
for (const f of [r.index, ...r.pages, ...(Deno.args[1] ? [Deno.args[1]] : [])]) {
  const page = await ctx.newPage();
  page.on("console", (m) => console.log("console", m.type(), m.text()));
  await page.goto("file://" + f);
  await page.waitForTimeout(500);
  const name = f.replace("/tmp/site-real/", "").replaceAll("/", "__").replace(".html", "");
  await page.screenshot({ path: `/tmp/pwt/${name}.png`, fullPage: !Deno.args[2] });
  await page.close();
}
await ctx.close();
