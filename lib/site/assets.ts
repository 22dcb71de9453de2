/**
 * The site's local assets, copied from the pinned packages so pages work offline from `file://`: KaTeX's stylesheet
 * and fonts, plotly.js (one copy for the whole site), a highlight.js theme, the site stylesheet and the script that
 * draws plotly figures, and the language switch's stylesheet and script (bilingual.tsx).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LANGUAGE_SCRIPT } from "./bilingual.tsx";

const require = createRequire(import.meta.url);

/**
 * Draws every `.plotly-figure` placeholder from the JSON spec beside it; marks each drawn figure `data-drawn`. A
 * bilingual title or axis title (`한국어 / English`) shows the reader's language (assets/lang.js's PaperLang), and
 * follows the switch.
 */
export const FIGURES_SCRIPT = `(function () {
  "use strict";
  if (typeof Plotly === "undefined") {
    console.error("plotly.js did not load: assets/plotly.min.js is missing from the site");
    return;
  }
  document.querySelectorAll(".plotly-figure").forEach(function (el) {
    var spec;
    try {
      spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    } catch (e) {
      console.error("plotly figure " + el.id + ": bad spec: " + e);
      return;
    }
    var config = Object.assign({ responsive: true, displaylogo: false }, spec.config || {});
    var layout = spec.layout || {};
    var lang = window.PaperLang;
    var titles = lang ? lang.titlesOf(layout) : {};
    function localTitles() {
      return lang.localTitles(titles);
    }
    Plotly.newPlot(el, spec.data, layout, config).then(function () {
      return Object.keys(titles).length ? Plotly.relayout(el, localTitles()) : undefined;
    }).then(function () {
      if (Object.keys(titles).length) {
        lang.onChange(function () { Plotly.relayout(el, localTitles()); });
      }
      if (spec.frames && spec.frames.length) return Plotly.addFrames(el, spec.frames);
    }).then(function () {
      el.dataset.drawn = "true";
    }, function (e) {
      console.error("plotly figure " + el.id + ": " + e);
    });
  });
})();
`;

function packageFile(specifier: string): string {
  try {
    return require.resolve(specifier);
  } catch (e) {
    throw new Error(
      `cannot find ${specifier} (${(e as Error).message}); run \`deno install\` in the project root to install the ` +
        `site's pinned packages`,
    );
  }
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isFile) await Deno.copyFile(join(from, e.name), join(to, e.name));
    else if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
  }
}

/** Copies every asset into `<siteDir>/assets/`. */
export async function copyAssets(siteDir: string): Promise<void> {
  const assets = join(siteDir, "assets");
  await Deno.mkdir(join(assets, "katex"), { recursive: true });
  const katexDist = dirname(packageFile("katex/dist/katex.min.css"));
  await Deno.copyFile(join(katexDist, "katex.min.css"), join(assets, "katex", "katex.min.css"));
  await copyDir(join(katexDist, "fonts"), join(assets, "katex", "fonts"));
  await Deno.copyFile(packageFile("plotly.js-dist-min"), join(assets, "plotly.min.js"));
  await Deno.copyFile(packageFile("highlight.js/styles/github.min.css"), join(assets, "hljs.css"));
  await Deno.copyFile(fileURLToPath(new URL("./site.css", import.meta.url)), join(assets, "site.css"));
  await Deno.copyFile(fileURLToPath(new URL("./lang.css", import.meta.url)), join(assets, "lang.css"));
  await Deno.writeTextFile(join(assets, "lang.js"), LANGUAGE_SCRIPT);
  await Deno.writeTextFile(join(assets, "figures.js"), FIGURES_SCRIPT);
}
