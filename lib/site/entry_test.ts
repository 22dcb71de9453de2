import { describe, expect, it } from "vitest";
import { guideTitle, siteEntry } from "./entry.ts";
import { readNotebook } from "../notebook/nbformat.ts";

describe("site entries", () => {
  it("name the paper template as the template, not by its unfilled title field", async () => {
    const nb = await readNotebook("notebooks/template.ipynb");
    expect(siteEntry(nb, "template.ipynb", "notebooks/template.ipynb").title).toBe("논문 템플릿 / Paper template");
    expect(guideTitle("시작하기 / Getting started")).toBe("시작하기 / Getting started");
  });
});
