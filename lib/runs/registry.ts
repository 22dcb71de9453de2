/** The experiments `deno task record <name>` knows, by name: each paper folder declares its own. */
import { GAN_RECORD, ganExperiment } from "../gan/recorded_run.ts";
import { FIGURE6_RECORD, figure6Experiment } from "../resnet/recorded_run.ts";
import type { RecordedExperiment } from "../train/mod.ts";

/**
 * Record name → the experiment, with its recorded parameters by default or with the `parameters` a record kept (the
 * replay test rebuilds a record's nets from its provenance).
 */
export const EXPERIMENTS: Readonly<Record<string, (parameters?: Record<string, unknown>) => RecordedExperiment>> = {
  [FIGURE6_RECORD]: (parameters) => figure6Experiment(parameters),
  [GAN_RECORD]: (parameters) => ganExperiment(parameters),
};

/** The experiment of a record name (with `parameters`, else its own); an unknown name throws, listing the names. */
export function experimentNamed(name: string, parameters?: Record<string, unknown>): RecordedExperiment {
  const make = Object.hasOwn(EXPERIMENTS, name) ? EXPERIMENTS[name] : undefined;
  if (!make) {
    throw new RangeError(
      `no recorded experiment named "${name}"; the names are: ${Object.keys(EXPERIMENTS).join(", ")}`,
    );
  }
  return make(parameters);
}

/** The record file of a name: `data/runs/<name>.json` under the repository root. */
export function recordPath(name: string): string {
  return new URL(`../../data/runs/${name}.json`, import.meta.url).pathname;
}
