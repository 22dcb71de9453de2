/**
 * `deno task record <name> [--steps N] [--out FILE]`: trains a paper's recorded long run (lib/runs) and writes its
 * record, `data/runs/<name>.json` by default. Re-running the same command resumes from the checkpoints; Ctrl-C stops
 * with the checkpoints kept (a second Ctrl-C quits at once).
 */
import { parseArgs } from "node:util";
import { experimentNamed, EXPERIMENTS, recordExperiment, recordPath } from "../runs/mod.ts";

const USAGE = `usage: deno task record <name> [--steps N] [--out FILE]

  <name>      ${Object.keys(EXPERIMENTS).join(", ")}
  --steps N   stop every net after N steps (a check; the schedule stays the full run's); needs a new --out file
  --out FILE  the record file (default: data/runs/<name>.json; checkpoints in <FILE without .json>.checkpoints/)

Re-running the same command resumes from the checkpoints; Ctrl-C keeps them.`;

let args;
try {
  args = parseArgs({
    args: Deno.args,
    options: { steps: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
} catch (e) {
  console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
  Deno.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
if (args.positionals.length !== 1) {
  console.error(`error: give one record name\n\n${USAGE}`);
  Deno.exit(2);
}
const name = args.positionals[0];
const stepsText = args.values.steps;
const steps = stepsText === undefined ? undefined : Number(stepsText);
if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) {
  console.error(`error: --steps must be an integer ≥ 1, got "${stepsText}"`);
  Deno.exit(2);
}
const command = ["deno task record", name, ...(stepsText ? ["--steps", stepsText] : [])].join(" ");
const controller = new AbortController();
Deno.addSignalListener("SIGINT", () => {
  if (controller.signal.aborted) Deno.exit(130);
  console.log("\nstopping: the checkpoints stay; run the same command to resume (Ctrl-C again quits at once)");
  controller.abort(new Error("stopped by Ctrl-C"));
});
try {
  const experiment = experimentNamed(name);
  const out = args.values.out ?? recordPath(name);
  if (steps !== undefined && args.values.out === undefined) {
    throw new Error("--steps makes a check run: give it its own --out file, so the record is not replaced");
  }
  await recordExperiment(experiment, {
    out,
    command: args.values.out ? `${command} --out ${out}` : command,
    steps,
    signal: controller.signal,
  });
  Deno.exit(0);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  Deno.exit(controller.signal.aborted ? 130 : 1);
}
