/** The experiments `deno task record <name>` knows, by name: each paper folder declares its own. */
import { FIGURE6_RECORD, figure6Experiment } from "../resnet/recorded_run.ts";
import type { RecordedExperiment } from "../train/mod.ts";

/** Record name → the experiment with its recorded parameters. */
export const EXPERIMENTS: Readonly<Record<string, () => RecordedExperiment>> = {
  [FIGURE6_RECORD]: () => figure6Experiment(),
};

/** The experiment of a record name; an unknown name throws, listing the known ones. */
export function experimentNamed(name: string): RecordedExperiment {
  const make = Object.hasOwn(EXPERIMENTS, name) ? EXPERIMENTS[name] : undefined;
  if (!make) {
    throw new RangeError(
      `no recorded experiment named "${name}"; the names are: ${Object.keys(EXPERIMENTS).join(", ")}`,
    );
  }
  return make();
}

/** The record file of a name: `data/runs/<name>.json` under the repository root. */
export function recordPath(name: string): string {
  return new URL(`../../data/runs/${name}.json`, import.meta.url).pathname;
}
