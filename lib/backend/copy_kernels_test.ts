import { describe, expect, it } from "vitest";
import { mergeSliceDims, sliceCopy } from "./copy_kernels.ts";

describe("sliceCopy", () => {
  it("merges whole inner dimensions into their outer neighbour", () => {
    // [n, h/2, 2, w/2, 2, c] taking the first of each pair: rank 6 -> 3.
    expect(mergeSliceDims({ shape: [4, 3, 2, 3, 2, 5], begin: [0, 0, 0, 0, 0, 0], size: [4, 3, 1, 3, 1, 5] })).toEqual({
      shape: [12, 6, 10],
      begin: [0, 0, 0],
      size: [12, 3, 5],
    });
    expect(mergeSliceDims({ shape: [1, 1], begin: [0, 0], size: [1, 1] })).toEqual({
      shape: [1],
      begin: [0],
      size: [1],
    });
  });

  it("equals an index-by-index slice", () => {
    const shape = [3, 4, 5, 6];
    const src = Float32Array.from({ length: 360 }, (_, i) => i);
    const begin = [1, 0, 2, 1], size = [2, 4, 3, 4];
    const dst = new Float32Array(2 * 4 * 3 * 4);
    sliceCopy(src, dst, { shape, begin, size });
    let o = 0;
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 4; b++) {
        for (let c = 0; c < 3; c++) {
          for (let d = 0; d < 4; d++) {
            expect(dst[o++]).toBe(src[(((a + 1) * 4 + b) * 5 + c + 2) * 6 + d + 1]);
          }
        }
      }
    }
  });
});
