/** A notebook's way to a recorded long run: by name, from `data/runs/`. */
import { readRecordIfPresent, type RunRecord } from "../train/mod.ts";
import { recordPath } from "./registry.ts";

/**
 * The record `data/runs/<name>.json`, checked (lib/train `readRecordIfPresent`), or undefined when there is none yet, so that a
 * notebook can say which command produces it instead of failing.
 */
export async function loadRecord(name: string): Promise<RunRecord | undefined> {
  return await readRecordIfPresent(recordPath(name));
}
