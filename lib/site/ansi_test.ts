import { describe, expect, it } from "vitest";
import { ansiToHtml, stripAnsi } from "./ansi.ts";

describe("ansiToHtml", () => {
  it("turns colour codes into styled spans and escapes HTML", () => {
    expect(ansiToHtml("\x1b[31mTypeError\x1b[0m: <x> & y")).toBe(
      '<span style="color:#c0392b">TypeError</span>: &lt;x&gt; &amp; y',
    );
  });

  it("handles bold, 256 and 24-bit colours, backgrounds and resets of one attribute", () => {
    expect(ansiToHtml("\x1b[1;38;5;208ma\x1b[22mb\x1b[39;48;2;1;2;3mc\x1b[m")).toBe(
      '<span style="color:rgb(255,135,0);font-weight:bold">a</span>' +
        '<span style="color:rgb(255,135,0)">b</span><span style="background-color:rgb(1,2,3)">c</span>',
    );
    expect(ansiToHtml("\x1b[38;5;244mg\x1b[0m")).toBe('<span style="color:rgb(128,128,128)">g</span>');
  });

  it("drops other escape sequences (cursor movement, erase line, hyperlinks)", () => {
    expect(ansiToHtml("a\x1b[2Kb\x1b[1Ac\x1b]8;;http://x\x07d")).toBe("abcd");
    expect(stripAnsi("\x1b[1m\x1b[31mbold red\x1b[0m")).toBe("bold red");
  });
});
