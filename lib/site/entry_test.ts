import { describe, expect, it } from "vitest";
import { guideTitle, paperRunOf, siteEntry } from "./entry.ts";
import { renderToString } from "preact-render-to-string";
import { runInfo } from "./page.tsx";
import { newNotebook, readNotebook } from "../notebook/nbformat.ts";
import { resnetParameters } from "../resnet/parameters.ts";

describe("site entries", () => {
  it("name the paper template as the template, not by its unfilled title field", async () => {
    const nb = await readNotebook("notebooks/template.ipynb");
    expect(siteEntry(nb, "template.ipynb", "notebooks/template.ipynb").title).toBe("논문 템플릿 / Paper template");
    expect(guideTitle("시작하기 / Getting started")).toBe("시작하기 / Getting started");
  });

  it("show a run's declared parameters at the top: this run's value, default, paper, allowed, meaning", () => {
    const values = { ...resnetParameters.defaults(), steps: 300, depths: [20, 32, 44, 56] };
    const nb = newNotebook([], {
      paper_run: {
        status: "ok",
        parameters: { steps: 300 },
        preset: "long",
        parameter_table: resnetParameters.rows(values),
      },
    });
    const run = paperRunOf(nb)!;
    expect(run.preset).toBe("long");
    expect(run.parameterTable!.map((r) => r.name)).toEqual(resnetParameters.names);
    const html = renderToString(runInfo({ ...siteEntry(nb, "r.ipynb", "out/r.ipynb"), run }));
    expect(html).toContain(
      `<span lang="en">Parameters</span></span> (${resnetParameters.names.length}; preset long · -p steps · 2 changed)`,
    );
    expect(html).toMatch(
      /<tr class="changed"><th>steps<\/th><td><code>300<\/code><\/td><td><code>150<\/code><\/td><td>64000<\/td>/,
    );
    expect(html).toContain("<tr><th>shortcut</th><td><code>&quot;A&quot;</code></td>");
    expect(html).toContain("integer ≥ 1");
    expect(html).toContain(
      '<span lang="ko">학습 반복 수</span><span class="lang-sep"> / </span><span lang="en">SGD iterations per net</span>',
    );
  });
});
