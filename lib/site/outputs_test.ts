import { describe, expect, it } from "vitest";
import { PLOTLY_MIME } from "../display/mod.ts";
import { ansiToHtml, outputContext, renderBundle, renderOutput, scriptJson } from "./outputs.tsx";

describe("renderBundle", () => {
  it("prefers the plotly figure over its HTML and text fallbacks, numbering figures per page", () => {
    const ctx = outputContext();
    const fig = { data: [{ type: "scatter", y: [1, 2] }], layout: { title: { text: "</script><b>" } } };
    const a = renderBundle({ [PLOTLY_MIME]: fig, "text/html": "<b>fallback</b>", "text/plain": "Figure" }, {}, ctx);
    const b = renderBundle({ [PLOTLY_MIME]: fig }, {}, ctx);
    expect(a).toContain('<div class="plotly-figure" id="plotly-1" data-spec="plotly-1-spec"></div>');
    expect(b).toContain('id="plotly-2"');
    expect(a).not.toContain("fallback");
    const json = a.match(/<script type="application\/json" id="plotly-1-spec">([\s\S]*?)<\/script>/)![1];
    expect(JSON.parse(json)).toEqual(fig);
    expect(ctx.figures).toBe(2);
  });

  it("renders HTML, images with their size, markdown with math, and coloured plain text", () => {
    const ctx = outputContext();
    expect(renderBundle({ "text/html": ["<table>", "</table>"], "text/plain": "t" }, {}, ctx)).toBe(
      '<div class="output-html"><table></table></div>',
    );
    expect(renderBundle({ "image/png": "AAAA\nBBBB\n" }, { "image/png": { width: 10 } }, ctx)).toContain(
      '<img src="data:image/png;base64,AAAABBBB" width="10"',
    );
    expect(renderBundle({ "text/markdown": "**x** $y$" }, {}, ctx)).toMatch(/<strong>x<\/strong> <span class="katex">/);
    expect(renderBundle({ "text/plain": "\x1b[32mok\x1b[0m <1>" }, {}, ctx)).toBe(
      '<pre class="output-text"><span class="ansi-green-fg">ok</span> &lt;1&gt;</pre>',
    );
    expect(renderBundle({ "application/x-unknown": 1 }, {}, ctx)).toContain("application/x-unknown, not shown");
    expect(ctx.figures).toBe(0);
  });
});

describe("renderOutput", () => {
  it("renders an error with its name and coloured traceback, and the head when there is no traceback", () => {
    const ctx = outputContext();
    const html = renderOutput(
      {
        output_type: "error",
        ename: "TypeError",
        evalue: "x is <undefined>",
        traceback: ["\x1b[31mTypeError\x1b[0m: x", "  at f"],
      },
      ctx,
    );
    expect(html).toContain("오류 / Error: TypeError");
    expect(html).toContain('<span class="ansi-red-fg">TypeError</span>: x\n  at f');
    const bare = renderOutput({ output_type: "error", ename: "E<b>", evalue: "<v>", traceback: [] }, ctx);
    expect(bare).toContain("오류 / Error: E&lt;b></div>");
    expect(bare).toContain("E&lt;b&gt;: &lt;v&gt;</pre>");
  });

  it("marks stderr streams apart from stdout", () => {
    const ctx = outputContext();
    expect(renderOutput({ output_type: "stream", name: "stderr", text: ["a\n", "b"] }, ctx)).toBe(
      '<pre class="output-text output-stderr">a\nb</pre>',
    );
  });
});

describe("escaping", () => {
  it("shows a <script> in text outputs, JSON, warnings and error names as text", () => {
    const ctx = outputContext();
    const script = "<script>alert(1)</script>";
    const outputs = [
      renderOutput({ output_type: "stream", name: "stdout", text: script }, ctx),
      renderBundle({ "text/plain": script }, {}, ctx),
      renderBundle({ "application/json": { s: script } }, {}, ctx),
      renderBundle({ [script]: 1 }, {}, ctx),
      renderOutput({ output_type: "error", ename: script, evalue: script, traceback: [] }, ctx),
    ];
    for (const html of outputs) {
      expect(html).not.toContain("<script");
      expect(html).toContain("&lt;script");
    }
  });
});

describe("ansiToHtml", () => {
  it("turns colour codes into ansi_up's classes (the site's palette) and escapes HTML", () => {
    expect(ansiToHtml("\x1b[31mTypeError\x1b[0m: <x> & y")).toBe(
      '<span class="ansi-red-fg">TypeError</span>: &lt;x&gt; &amp; y',
    );
    expect(ansiToHtml("\x1b[1;91ma\x1b[22mb\x1b[0m")).toBe(
      '<span style="font-weight:bold" class="ansi-bright-red-fg">a</span><span class="ansi-bright-red-fg">b</span>',
    );
  });

  it("keeps 256 and 24-bit colours inline, starts every text with no colour, drops other escapes", () => {
    expect(ansiToHtml("\x1b[38;5;208ma\x1b[39;48;2;1;2;3mb\x1b[m")).toBe(
      '<span style="color:rgb(255,135,0)">a</span><span style="background-color:rgb(1,2,3)">b</span>',
    );
    expect(ansiToHtml("\x1b[31mred, never closed")).toBe('<span class="ansi-red-fg">red, never closed</span>');
    expect(ansiToHtml("plain")).toBe("plain");
    expect(ansiToHtml("a\x1b[2Kb\x1b[1Ac")).toBe("abc");
  });
});

describe("scriptJson", () => {
  it("cannot close its script element early", () => {
    const s = scriptJson({ t: "</script><!--", u: "\u2028" });
    expect(s).not.toMatch(/<\/script|<!--/);
    expect(JSON.parse(s)).toEqual({ t: "</script><!--", u: "\u2028" });
  });
});
