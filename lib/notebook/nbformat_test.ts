import { describe, expect, it } from "vitest";
import { NotebookFormatError, readNotebook, serializeNotebook, toLines, validateNotebook } from "./nbformat.ts";
import { notebookOf, tempNotebook } from "./test_util.ts";

describe("nbformat", () => {
  it("round-trips a notebook built from cells", async () => {
    const nb = notebookOf(["1 + 1", { md: "# Title\ntext" }]);
    const file = await tempNotebook(nb);
    const back = await readNotebook(file);
    expect(serializeNotebook(back)).toBe(serializeNotebook(nb));
    expect(back.cells[1].source).toEqual(["# Title\n", "text"]);
  });

  it("names the file in the error for malformed JSON", async () => {
    const file = await tempNotebook('{"nbformat": 4, "cells": [', "broken.ipynb");
    await expect(readNotebook(file)).rejects.toThrow(/broken\.ipynb: malformed JSON/);
  });

  it("rejects another nbformat version", () => {
    expect(() => validateNotebook({ nbformat: 3, metadata: {}, worksheets: [] }, "old.ipynb"))
      .toThrow(/old\.ipynb: nbformat 3 is not supported/);
  });

  it("rejects a non-Deno kernelspec", () => {
    const nb = { ...notebookOf(["1"]), metadata: { kernelspec: { name: "python3" } } };
    expect(() => validateNotebook(nb, "py.ipynb")).toThrow(NotebookFormatError);
    expect(() => validateNotebook(nb, "py.ipynb")).toThrow(/py\.ipynb: kernelspec "python3" is not the Deno kernel/);
  });

  it("rejects a cell without a text source", () => {
    const nb = notebookOf(["1"]);
    (nb.cells[0] as { source: unknown }).source = 42;
    expect(() => validateNotebook(nb, "x.ipynb")).toThrow(/x\.ipynb: cell 1 has no text source/);
  });

  it("splits text into lines that keep their newlines", () => {
    expect(toLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(toLines("")).toEqual([]);
  });
});
