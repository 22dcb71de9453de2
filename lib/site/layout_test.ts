import { describe, expect, it } from "vitest";
import { formatDuration, formatTimestamp, htmlDocument } from "./layout.tsx";

describe("formatTimestamp and formatDuration", () => {
  it("formats run times in UTC, the same on every machine", () => {
    expect(formatTimestamp("2026-11-28T10:02:05.500+09:00")).toBe("2026-11-28 01:02 UTC");
    expect(formatTimestamp("not a date")).toBe("—");
    expect(formatTimestamp(undefined)).toBe("—");
  });

  it("formats durations from fractions of a second to hours", () => {
    expect([0.42, 4, 42.4, 125.5, 3600 + 125].map(formatDuration)).toEqual([
      "0.42 s",
      "4.0 s",
      "42 s",
      "2 min 06 s",
      "1 h 02 min",
    ]);
    expect([-1, NaN, "3"].map(formatDuration)).toEqual(["—", "—", "—"]);
  });
});

describe("htmlDocument", () => {
  it("loads local assets relative to the root, and plotly.js only when asked", () => {
    const page = htmlDocument({ title: "a < b </title><script>", body: "x", root: "../" });
    expect(page).toMatch(/^<!doctype html>\n<html lang="ko" data-lang="both"><head><meta charset="utf-8"\/?>/);
    expect(page).toContain("<title>a &lt; b &lt;/title>&lt;script></title>");
    expect(page).toContain('href="../assets/katex/katex.min.css"');
    expect(page).not.toContain("plotly");
    // the language switch: its stylesheet, the head script that applies the stored choice, and the script after the body
    expect(page).toContain('href="../assets/lang.css"');
    expect(page).toMatch(/<head>[\s\S]*localStorage\.getItem\("paper-notebooks:lang"\)[\s\S]*<\/head>/);
    expect(page).toContain('<script src="../assets/lang.js"></script>');
    expect(page.match(/data-lang-choice="(ko|en|both)"/g)).toHaveLength(3);
    const withFigures = htmlDocument({ title: "t", body: "", root: "", plotly: true });
    expect(withFigures.match(/plotly\.min\.js/g)).toHaveLength(1);
  });
});
