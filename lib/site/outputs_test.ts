import { describe, expect, it } from "vitest";
import { PLOTLY_MIME } from "../display/mod.ts";
import { outputContext, renderBundle, renderOutput, scriptJson } from "./outputs.ts";

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
      '<pre class="output-text"><span style="color:#2e7d32">ok</span> &lt;1&gt;</pre>',
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
    expect(html).toContain('<span style="color:#c0392b">TypeError</span>: x\n  at f');
    const bare = renderOutput({ output_type: "error", ename: "E", evalue: "<v>", traceback: [] }, ctx);
    expect(bare).toContain("E: &lt;v&gt;</pre>");
  });

  it("marks stderr streams apart from stdout", () => {
    const ctx = outputContext();
    expect(renderOutput({ output_type: "stream", name: "stderr", text: ["a\n", "b"] }, ctx)).toBe(
      '<pre class="output-text output-stderr">a\nb</pre>',
    );
  });
});

describe("scriptJson", () => {
  it("cannot close its script element early", () => {
    const s = scriptJson({ t: "</script><!--", u: "\u2028" });
    expect(s).not.toMatch(/<\/script|<!--/);
    expect(JSON.parse(s)).toEqual({ t: "</script><!--", u: "\u2028" });
  });
});
