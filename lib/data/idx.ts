/**
 * The IDX file format (MNIST, Fashion-MNIST): a big-endian header `0x00 0x00 <type> <ndims>`, one uint32 per dimension,
 * then the data row-major. Files may be gzip-compressed (detected from the gzip magic bytes 0x1f 0x8b).
 */
import { readFile } from "node:fs/promises";
import { gunzipSync, gzipSync } from "node:zlib";

/** Element type codes of the IDX header's third byte. */
export const IDX_TYPES = {
  0x08: "uint8",
  0x09: "int8",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
} as const;

/** An element type an IDX file can hold. */
export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES];

/** A decoded IDX array: its dimensions and its data (uint8 files stay a Uint8Array view, no copy). */
export interface IdxArray {
  type: IdxType;
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const BYTES: Record<IdxType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/** True when the bytes start with the gzip magic number 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes, with an error naming `source` when the stream is truncated or corrupt. */
export function gunzip(bytes: Uint8Array, source = "<bytes>"): Uint8Array {
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new Error(
      `${source}: not a valid gzip stream (${(e as Error).message}); the file is truncated or corrupt — ` +
        `download or copy it again, or use the uncompressed file`,
    );
  }
}

/** Parses IDX bytes (raw or gzip). `source` names the file in error messages. */
export function parseIdx(bytes: Uint8Array, source = "<bytes>"): IdxArray {
  const raw = isGzip(bytes) ? gunzip(bytes, source) : bytes;
  if (raw.length < 4) {
    throw new Error(`${source}: truncated IDX file: ${raw.length} bytes, expected at least a 4-byte magic number`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0);
  const type = IDX_TYPES[raw[2] as keyof typeof IDX_TYPES];
  const ndims = raw[3];
  if (raw[0] !== 0 || raw[1] !== 0 || type === undefined || ndims === 0) {
    throw new Error(
      `${source}: wrong magic number 0x${magic.toString(16).padStart(8, "0")}; an IDX file starts with ` +
        `0x00 0x00, a type byte (0x08 = uint8 ... 0x0e = float64) and the number of dimensions ` +
        `(0x00000801 for labels, 0x00000803 for images). Is this an IDX file (e.g. train-images-idx3-ubyte.gz)?`,
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (raw.length < headerBytes) {
    throw new Error(`${source}: truncated IDX header: ${raw.length} bytes, expected ${headerBytes} for ${ndims} dims`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const size = BYTES[type];
  const expected = headerBytes + count * size;
  if (raw.length < expected) {
    throw new Error(
      `${source}: truncated IDX file: header declares ${dims.join("×")} ${type} values (${expected} bytes), ` +
        `the file holds ${raw.length} bytes — copy the file again`,
    );
  }
  if (raw.length > expected) {
    throw new Error(
      `${source}: IDX file has ${raw.length - expected} bytes beyond the ${dims.join("×")} ${type} values its ` +
        `header declares — the file is corrupt`,
    );
  }
  const start = raw.byteOffset + headerBytes;
  if (type === "uint8") return { type, dims, data: new Uint8Array(raw.buffer, start, count) };
  if (type === "int8") return { type, dims, data: new Int8Array(raw.buffer, start, count) };
  const data = type === "int16"
    ? new Int16Array(count)
    : type === "int32"
    ? new Int32Array(count)
    : type === "float32"
    ? new Float32Array(count)
    : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = headerBytes + i * size;
    data[i] = type === "int16"
      ? view.getInt16(o)
      : type === "int32"
      ? view.getInt32(o)
      : type === "float32"
      ? view.getFloat32(o)
      : view.getFloat64(o);
  }
  return { type, dims, data };
}

/** Encodes a uint8 array as IDX bytes (gzip-compressed when `gzip`), the inverse of {@link parseIdx}. */
export function encodeIdx(dims: readonly number[], data: Uint8Array, options: { gzip?: boolean } = {}): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(`encodeIdx: dims ${dims.join("×")} hold ${count} values, data has ${data.length}`);
  }
  const out = new Uint8Array(4 + 4 * dims.length + count);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  if (!options.gzip) return out;
  const z = gzipSync(out, { level: 9 });
  return new Uint8Array(z.buffer, z.byteOffset, z.byteLength);
}

/** Reads an IDX file (raw or gzip) from disk; a missing file gets an error naming it. */
export async function readIdx(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") throw new Error(`${path}: file not found (expected an IDX file)`);
    throw e;
  }
  return parseIdx(bytes, path);
}
