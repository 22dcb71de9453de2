/**
 * Recorded long runs: `deno task record <name>` trains a paper's long experiment with checkpoints, progress and ETA,
 * and writes `data/runs/<name>.json` with its provenance; notebooks read a record with {@link loadRecord}.
 */
export { checkpointFolder, recordExperiment, type RecordOptions } from "./recorder.ts";
export { currentCommit, type MachineFacts, machineFacts } from "./provenance.ts";
export { experimentNamed, EXPERIMENTS, recordPath } from "./registry.ts";
export { loadRecord } from "./load.ts";
