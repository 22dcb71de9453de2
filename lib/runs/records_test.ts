/**
 * Every record in data/runs/ is this code's: its provenance is complete (parseRecord), and re-running the first
 * REPLAY_STEPS steps of its nets from its recorded parameters reproduces the recorded losses within float tolerance
 * (all of them on the kernels the record was made with, the first CROSS_KERNEL_STEPS on others). A change to a model,
 * its initialisation, the data order, the augmentation or the optimiser moves the losses of the very first steps, so a
 * record that no longer matches the code fails here, naming the net and the step.
 */
import { describe, expect, it } from "vitest";
import { initBackend } from "../backend/mod.ts";
import { readRecord, type RecordedExperiment, runGrid, type RunRecord } from "../train/mod.ts";
import { experimentNamed } from "./registry.ts";

const RUNS = new URL("../../data/runs/", import.meta.url).pathname;
const REPLAY_STEPS = 20;
/** Relative tolerance on a replayed loss: the same kernels reproduce bit for bit; this leaves room for rounding. */
const RTOL = 1e-3;
/**
 * Steps compared when the record was made with other kernels (another vector width, or a record that does not say):
 * summing in another order changes the last bits of step 1's update, and the deep plain nets at lr 0.1 amplify that at
 * once (measured here, 256-bit kernels replaying the 512-bit ResNet record: plain-44's step 2 loss 0.3 % apart,
 * plain-56's step 3 4 % apart; on the wasm kernels plain-56's step 2 4 %). Step 1 still tests the model, its
 * initialisation, the data order and the augmentation; the optimiser is tested on the record's own kernels only.
 */
const CROSS_KERNEL_STEPS = 1;

/** The native kernels' vector width a backend description names ("…, 256-bit vectors)"), else undefined. */
function vectorWidthOf(backend: string): string | undefined {
  return backend.match(/(\d+)-bit vectors/)?.[1];
}

/** How many first steps of `record` must replay within RTOL here: all of them on the kernels it was made with. */
async function comparedSteps(record: RunRecord): Promise<{ steps: number; why: string }> {
  const here = vectorWidthOf((await initBackend({ quiet: true })).reason);
  // every session's kernels: a record resumed on another machine rounds differently from that session on
  const widths = new Set(record.provenance.sessions.map((s) => vectorWidthOf(s.backend ?? record.provenance.backend)));
  const made = widths.size === 1 ? [...widths][0] : undefined;
  return here !== undefined && made === here
    ? { steps: REPLAY_STEPS, why: `made with this machine's ${here}-bit kernels` }
    : {
      steps: CROSS_KERNEL_STEPS,
      why: `made with ${made ? `${made}-bit` : "unnamed"} kernels, replayed on ${here ?? "no"}-bit native ones`,
    };
}

const files = [...Deno.readDirSync(RUNS)].filter((e) => e.isFile && e.name.endsWith(".json")).map((e) => e.name)
  .sort();

/**
 * A record of custom jobs (e.g. the GAN's runs): the first REPLAY_STEPS steps of every job that recorded them,
 * re-trained by the experiment's own function without its evaluations, reproduce every recorded per-step curve.
 */
async function replayCustomJobs(
  file: string,
  record: RunRecord,
  experiment: RecordedExperiment,
  compared: { steps: number; why: string },
): Promise<void> {
  const chosen = (record.customJobs ?? []).filter((j) =>
    (Object.values(j.curves.steps)[0]?.length ?? 0) >= REPLAY_STEPS
  );
  expect(chosen.length, `${file} has no job with ${REPLAY_STEPS} recorded steps`).toBeGreaterThan(0);
  const data = await experiment.data();
  for (const recorded of chosen) {
    const job = experiment.customJobs?.find((e) => e.key === recorded.key);
    if (!job) throw new Error(`${file}: job ${recorded.key} is not in the experiment ${record.name} any more`);
    const { curves } = await job.train({ steps: REPLAY_STEPS, data, evaluate: false, onStep: () => {} });
    for (const [name, values] of Object.entries(recorded.curves.steps)) {
      values.slice(0, compared.steps).forEach((want, step) => {
        const got = curves.steps[name]?.[step];
        expect(
          got !== undefined && Math.abs(got - want) <= RTOL * Math.max(1, Math.abs(want)),
          `${file} ${recorded.label} step ${step + 1} (${compared.why}): replayed ${name} ${got}, recorded ${want}`,
        ).toBe(true);
      });
    }
  }
}

describe("recorded runs in data/runs/", () => {
  it("there is at least one record to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(
      `${file}: its first steps replay from its recorded parameters (${REPLAY_STEPS} on its own kernels)`,
      async () => {
        const record = await readRecord(`${RUNS}${file}`);
        expect(record.provenance.command).toMatch(new RegExp(`^deno task record ${record.name}\\b`));
        const experiment = experimentNamed(record.name, record.provenance.parameters);
        const compared = await comparedSteps(record);
        if (record.customJobs?.length) await replayCustomJobs(file, record, experiment, compared);
        if (record.jobs.length === 0) return;
        // Every net of the first seed (all architectures and options), and the first net of each other seed.
        const firstSeed = record.jobs[0].meta.seed;
        const seen = new Set<unknown>();
        const chosen = record.jobs.filter((j) => {
          if (j.history.loss.length < REPLAY_STEPS) return false;
          if (j.meta.seed === firstSeed) return true;
          if (seen.has(j.meta.seed)) return false;
          seen.add(j.meta.seed);
          return true;
        });
        expect(chosen.length, `${file} has no net with ${REPLAY_STEPS} recorded steps`).toBeGreaterThan(0);
        const { train } = await experiment.data();
        const results = await runGrid(
          chosen.map((j) => {
            const job = experiment.jobs.find((e) => e.key === j.key);
            if (!job) throw new Error(`${file}: net ${j.key} is not in the experiment ${record.name} any more`);
            return { ...job.run, config: { ...job.run.config, steps: REPLAY_STEPS } };
          }),
          { data: { train }, display: false },
        );
        for (const [k, r] of results.entries()) {
          expect(r.error, r.error).toBeUndefined();
          const recorded = chosen[k].history.loss.slice(0, compared.steps);
          const replayed = r.history!.loss;
          recorded.forEach((want, step) => {
            const got = replayed[step];
            expect(
              Math.abs(got - want) <= RTOL * Math.max(1, Math.abs(want)),
              `${file} ${chosen[k].label} step ${step + 1} (${compared.why}): replayed loss ${got}, recorded ${want}`,
            ).toBe(true);
          });
        }
      },
      600_000,
    );
  }
});
