/**
 * One seed per run: every random stream of a GAN run (network initialisers, data minibatches, noise) derives its seed
 * from the run's seed, so that one number reproduces a run and the streams stay independent of each other.
 */

/**
 * Offsets added to a run's seed to seed each of its random streams. The data sampler and the generator use the run's
 * seed itself. The values are the ones every published number of the GAN notebook was computed with: changing one
 * changes the notebook's results.
 */
export const SEED_OFFSET = {
  /** The discriminator's initialisers and dropout masks, apart from the generator's. */
  discriminator: 1000,
  /** The noise minibatches z ~ p_z of Algorithm 1. */
  noise: 1,
  /** The fixed noise of the sample grids shown across training (§5), apart from the training noise. */
  snapshotNoise: 7,
  /** The sampler of a fixed p_g in §4.1, apart from the data sampler. */
  generatedSamples: 10,
} as const;

/** Throws a RangeError naming `who`'s seeds unless they are a non-empty list of distinct integers ≥ 0. */
export function checkSeeds(seeds: readonly number[], who: string): void {
  if (
    !Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0) ||
    new Set(seeds).size !== seeds.length
  ) {
    throw new RangeError(
      `${who}: seeds must be a non-empty list of distinct integers ≥ 0 (every seed is one run), got ${
        JSON.stringify(seeds)
      }`,
    );
  }
}
