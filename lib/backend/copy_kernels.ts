/**
 * Data-movement kernels for wasm without needless copies: Identity and same-dtype Cast share the input's memory (as the
 * cpu backend does; tensors are immutable), and Slice copies straight between heap views after merging dimensions
 * (the stock kernel first copies the whole input out of the heap, and walks rank > 4 element by element).
 */

import type { BackendValues } from "./heap.ts";

/** A slice of a row-major array: the array's shape, and the slice's start and size per dimension. */
export interface SliceSpec {
  shape: readonly number[];
  begin: readonly number[];
  size: readonly number[];
}

/** Shape/begin/size of a slice with adjacent dimensions merged wherever the inner one is taken whole. */
export interface MergedSlice {
  shape: number[];
  begin: number[];
  size: number[];
}

/** Merges dimension i into i−1 whenever dimension i is taken whole — pure, for {@link sliceCopy}. */
export function mergeSliceDims(slice: SliceSpec): MergedSlice {
  const { shape, begin, size } = slice;
  const out: MergedSlice = { shape: [], begin: [], size: [] };
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = out.shape.length - 1;
    const whole = begin[i] === 0 && size[i] === shape[i];
    if (last >= 0 && whole) {
      out.begin[last] *= shape[i];
      out.size[last] *= shape[i];
      out.shape[last] *= shape[i];
    } else {
      out.shape.push(shape[i]);
      out.begin.push(begin[i]);
      out.size.push(size[i]);
    }
  }
  if (out.shape.length === 0) return { shape: [1], begin: [0], size: [1] };
  return out;
}

/**
 * Copies the slice `begin`/`size` of `src` (row-major, `shape`) into `dst` — pure typed-array code; the innermost run
 * is copied with `set` when long and with a loop when short.
 */
export function sliceCopy(src: BackendValues, dst: BackendValues, slice: SliceSpec): void {
  const m = mergeSliceDims(slice);
  const r = m.shape.length;
  const strides = new Array<number>(r);
  strides[r - 1] = 1;
  for (let i = r - 2; i >= 0; i--) strides[i] = strides[i + 1] * m.shape[i + 1];
  const run = m.size[r - 1];
  const rows = m.size.slice(0, r - 1).reduce((a, b) => a * b, 1);
  const idx = new Array<number>(Math.max(r - 1, 0)).fill(0);
  let base = 0;
  for (let i = 0; i < r; i++) base += m.begin[i] * strides[i];
  let o = 0;
  for (let row = 0; row < rows; row++) {
    let off = base;
    for (let d = 0; d < r - 1; d++) off += idx[d] * strides[d];
    if (run >= 64) {
      dst.set(src.subarray(off, off + run), o);
    } else {
      for (let k = 0; k < run; k++) dst[o + k] = src[off + k];
    }
    o += run;
    for (let d = r - 2; d >= 0; d--) {
      if (++idx[d] < m.size[d]) break;
      idx[d] = 0;
    }
  }
}
