/** A notebook's way to a recorded long run: by name, from `data/runs/`. */
import { readRecord, type RunRecord } from "../train/mod.ts";
import { recordPath } from "./registry.ts";

/**
 * The record `data/runs/<name>.json`, checked (lib/train `readRecord`), or undefined when there is none yet, so that a
 * notebook can say which command produces it instead of failing.
 */
export async function loadRecord(name: string): Promise<RunRecord | undefined> {
  try {
    await Deno.stat(recordPath(name));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return await readRecord(recordPath(name));
}
