/** Helpers for the tests of the GAN's recorded run (not exported from mod.ts). */
import { ganRecordParameters } from "./recorded_run.ts";

/**
 * The recorded run's parameters at tiny settings, two seeds: nets of 6 hidden units with 2 maxout pieces, 20 Parzen
 * samples against 30 test images, `steps` iterations — the real jobs, in seconds.
 */
export function tinyGanParameters(steps: number): Record<string, unknown> {
  return {
    ...ganRecordParameters(),
    seeds: [1, 2],
    imageSteps: steps,
    imageHidden: [6],
    maxoutPieces: 2,
    parzenSamples: 20,
    parzenTest: 30,
  };
}
