/**
 * A training run's checkpoint on disk: the {@link TrainState} that `trainModel`'s `resume` continues from, or the
 * {@link CustomJobState} of a job whose loop the experiment provides, as one file — a JSON header (step, history or
 * curves and small values, array lengths) and the weights and optimiser state as raw float32.
 */
import type { CustomJobState } from "./experiment.ts";
import type { TrainState } from "./train.ts";
import { writeFileAtomic } from "./record.ts";

const MAGIC = "paper-notebooks checkpoint 1\n";
const JOB_MAGIC = "paper-notebooks job checkpoint 1\n";

/** Magic line, header length (u32 LE), header JSON, padding to 4 bytes, then the arrays as float32. */
function frame(magicText: string, header: unknown, arrays: readonly Float32Array[]): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const magic = new TextEncoder().encode(magicText);
  const head = magic.length + 4 + headerBytes.length;
  const start = Math.ceil(head / 4) * 4;
  const floats = arrays.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(start + 4 * floats);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(magic.length, headerBytes.length, true);
  out.set(headerBytes, magic.length + 4);
  const body = new Float32Array(out.buffer, start, floats);
  let at = 0;
  for (const a of arrays) {
    body.set(a, at);
    at += a.length;
  }
  return out;
}

/** Reads {@link frame}'s bytes: the header, and the arrays cut to `lengths(header)`. Throws naming `file`. */
function unframe<H>(
  bytes: Uint8Array,
  magicText: string,
  file: string,
  lengths: (header: H) => number[],
): { header: H; arrays: Float32Array[] } {
  const magic = new TextEncoder().encode(magicText);
  const bad = (why: string) => new Error(`${file} is not a whole checkpoint (${why}); delete it to restart that run`);
  if (bytes.length < magic.length + 4 || new TextDecoder().decode(bytes.subarray(0, magic.length)) !== magicText) {
    throw bad("wrong header");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(magic.length, true);
  const headEnd = magic.length + 4 + len;
  if (headEnd > bytes.length) throw bad("truncated header");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(magic.length + 4, headEnd))) as H;
  const start = Math.ceil(headEnd / 4) * 4;
  const sizes = lengths(header);
  const floats = sizes.reduce((n, a) => n + a, 0);
  if (bytes.length !== start + 4 * floats) throw bad(`${bytes.length} bytes, expected ${start + 4 * floats}`);
  const body = new Float32Array(bytes.slice(start).buffer);
  let at = 0;
  return { header, arrays: sizes.map((n) => body.slice(at, at += n)) };
}

/** The bytes of a checkpoint: magic line, header length (u32 LE), header JSON, padding to 4 bytes, float32 data. */
export function encodeCheckpoint(state: TrainState): Uint8Array {
  return frame(MAGIC, {
    step: state.step,
    history: state.history,
    weights: state.weights.map((w) => w.length),
    optimizer: state.optimizer.map((w) => w.length),
  }, [...state.weights, ...state.optimizer]);
}

/** Reads the bytes {@link encodeCheckpoint} wrote; throws naming `file` if they are not a whole checkpoint. */
export function decodeCheckpoint(bytes: Uint8Array, file: string): TrainState {
  type Header = { step: number; history: TrainState["history"]; weights: number[]; optimizer: number[] };
  const { header, arrays } = unframe<Header>(bytes, MAGIC, file, (h) => [...h.weights, ...h.optimizer]);
  const weights = arrays.slice(0, header.weights.length);
  const optimizer = arrays.slice(header.weights.length);
  return { step: header.step, history: header.history, weights, optimizer };
}

/** The bytes of a custom job's checkpoint: as {@link encodeCheckpoint}, with the job's curves and values. */
export function encodeJobCheckpoint(state: CustomJobState): Uint8Array {
  return frame(JOB_MAGIC, {
    step: state.step,
    curves: state.curves,
    values: state.values,
    arrays: state.arrays.map((a) => a.length),
  }, state.arrays);
}

/** Reads the bytes {@link encodeJobCheckpoint} wrote; throws naming `file` if they are not a whole checkpoint. */
export function decodeJobCheckpoint(bytes: Uint8Array, file: string): CustomJobState {
  type Header = Omit<CustomJobState, "arrays"> & { arrays: number[] };
  const { header, arrays } = unframe<Header>(bytes, JOB_MAGIC, file, (h) => h.arrays);
  return { step: header.step, curves: header.curves, values: header.values, arrays };
}

/** Saves a checkpoint atomically (a crash mid-write leaves the previous one). */
export async function saveCheckpoint(file: string, state: TrainState): Promise<void> {
  await writeFileAtomic(file, encodeCheckpoint(state));
}

/** Loads a checkpoint, or undefined when there is none at `file`. */
export async function loadCheckpoint(file: string): Promise<TrainState | undefined> {
  try {
    return decodeCheckpoint(await Deno.readFile(file), file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Saves a custom job's checkpoint atomically (a crash mid-write leaves the previous one). */
export async function saveJobCheckpoint(file: string, state: CustomJobState): Promise<void> {
  await writeFileAtomic(file, encodeJobCheckpoint(state));
}

/** Loads a custom job's checkpoint, or undefined when there is none at `file`. */
export async function loadJobCheckpoint(file: string): Promise<CustomJobState | undefined> {
  try {
    return decodeJobCheckpoint(await Deno.readFile(file), file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
