/**
 * A training run's checkpoint on disk: the {@link TrainState} that `trainModel`'s `resume` continues from, as one
 * file — a JSON header (step, history, array lengths) and the weights and optimiser state as raw float32.
 */
import type { TrainState } from "./train.ts";
import { writeFileAtomic } from "./record.ts";

const MAGIC = "paper-notebooks checkpoint 1\n";

/** The bytes of a checkpoint: magic line, header length (u32 LE), header JSON, padding to 4 bytes, float32 data. */
export function encodeCheckpoint(state: TrainState): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({
    step: state.step,
    history: state.history,
    weights: state.weights.map((w) => w.length),
    optimizer: state.optimizer.map((w) => w.length),
  }));
  const magic = new TextEncoder().encode(MAGIC);
  const head = magic.length + 4 + header.length;
  const start = Math.ceil(head / 4) * 4;
  const arrays = [...state.weights, ...state.optimizer];
  const floats = arrays.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(start + 4 * floats);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(magic.length, header.length, true);
  out.set(header, magic.length + 4);
  const body = new Float32Array(out.buffer, start, floats);
  let at = 0;
  for (const a of arrays) {
    body.set(a, at);
    at += a.length;
  }
  return out;
}

/** Reads the bytes {@link encodeCheckpoint} wrote; throws naming `file` if they are not a whole checkpoint. */
export function decodeCheckpoint(bytes: Uint8Array, file: string): TrainState {
  const magic = new TextEncoder().encode(MAGIC);
  const bad = (why: string) => new Error(`${file} is not a whole checkpoint (${why}); delete it to restart that run`);
  if (bytes.length < magic.length + 4 || new TextDecoder().decode(bytes.subarray(0, magic.length)) !== MAGIC) {
    throw bad("wrong header");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(magic.length, true);
  const headEnd = magic.length + 4 + len;
  if (headEnd > bytes.length) throw bad("truncated header");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(magic.length + 4, headEnd))) as {
    step: number;
    history: TrainState["history"];
    weights: number[];
    optimizer: number[];
  };
  const start = Math.ceil(headEnd / 4) * 4;
  const lengths = [...header.weights, ...header.optimizer];
  const floats = lengths.reduce((n, a) => n + a, 0);
  if (bytes.length !== start + 4 * floats) throw bad(`${bytes.length} bytes, expected ${start + 4 * floats}`);
  const body = new Float32Array(bytes.slice(start).buffer);
  let at = 0;
  const take = (n: number) => body.slice(at, at += n);
  const weights = header.weights.map(take);
  const optimizer = header.optimizer.map(take);
  return { step: header.step, history: header.history, weights, optimizer };
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
