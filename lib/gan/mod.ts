/**
 * Generative Adversarial Nets (Goodfellow et al., 2014), as notebooks/image-generation/gan.ipynb uses it. One file per
 * section of the notebook (and of the paper):
 *
 * | Notebook section                                  | File                                                      |
 * | ------------------------------------------------- | --------------------------------------------------------- |
 * | 1. §3 Adversarial nets: the value function, Eq. 1 | `value_function.ts`                                       |
 * | 2. Algorithm 1, and §3's saturation remark        | `algorithm1.ts` (`trainingSetup`), `losses.ts`, `saturation.ts` |
 * | 3. §4.1 Proposition 1: the optimal discriminator  | `optimal_discriminator.ts`; Eq. 1 → Eq. 3: `change_of_variables.ts` |
 * | 4. §4.1 Theorem 1: the optimal generator          | `virtual_criterion.ts`                                    |
 * | 5. §4.2 Proposition 2: convergence of Algorithm 1 | `proposition2.ts`                                         |
 * | 6. Figure 1: the 1-D toy GAN                      | `figure1.ts` (run by `runSchedules` with one schedule)    |
 * | 7. §5 Experiments: Fashion-MNIST, Table 1         | `image_gan.ts`, `parzen.ts`; the recorded long run: `recorded_run.ts` |
 * | 8. §6 The Helvetica scenario                      | `helvetica.ts`                                            |
 * | parameters cell                                   | `parameters.ts` (imported from its own path)              |
 *
 * Shared by several sections: `models.ts` and `maxout.ts` (the networks of §5), `toy.ts` (the 1-D setting of §4.1,
 * Figure 1 and §6: samplers, networks on a grid, p_g by kernel density), `seeds.ts` (how a run's seed seeds each of its
 * random streams).
 */
export {
  discriminatorStep,
  type DiscriminatorStepResult,
  GAN_OPTIMIZERS,
  type GanOptimizer,
  type GanSnapshot,
  type GanStepRecord,
  trainGan,
  type TrainGanOptions,
  trainingSetup,
} from "./algorithm1.ts";
export {
  changeOfVariables,
  type ChangeOfVariablesOptions,
  type ChangeOfVariablesResult,
  CUBIC_GENERATOR,
  cubicGeneratorDensity,
} from "./change_of_variables.ts";
export {
  figureOne,
  type FigureOneEvidence,
  figureOneEvidence,
  flatnessAcrossTraining,
  type ToyGanOptions,
  type ToySnapshot,
} from "./figure1.ts";
export {
  type ModeCoverageEvidence,
  modeCoverageEvidence,
  runSchedules,
  type Schedule,
  type ScheduleRun,
  schedulesBudget,
  type SchedulesOptions,
} from "./helvetica.ts";
export {
  generateSamples,
  imageGanBudget,
  type ImageGanOptions,
  type ImageGanResult,
  type ImageGanState,
  runImageGan,
  samplesAcrossTraining,
  type SamplesAcrossTrainingOptions,
} from "./image_gan.ts";
export { generatorLoss, type GeneratorLossKind } from "./losses.ts";
export {
  buildImageDiscriminator,
  buildImageGenerator,
  type DiscriminatorOptions,
  type GeneratorOptions,
} from "./models.ts";
export {
  fitDiscriminators,
  type FitDiscriminatorsOptions,
  type FittedDiscriminator,
  maximizePointwise,
  numericalOptimalDiscriminator,
  optimalDiscriminator,
} from "./optimal_discriminator.ts";
export {
  type LogLikelihoodEstimate,
  type ParzenEvidence,
  parzenEvidence,
  parzenForSamples,
  type ParzenForSamplesOptions,
  type ParzenResult,
} from "./parzen.ts";
export {
  GAN_RECORD,
  ganExperiment,
  ganRecordParameters,
  missingGanRecordNote,
  type RecordedGan,
  recordedGan,
  recordedGanCurves,
  type RecordedGanRun,
  recordedParzenEvidence,
  recordedParzenFigure,
  recordedSamples,
  recordedVsQuick,
  TABLE1_MNIST,
  table1Rows,
} from "./recorded_run.ts";
export { proposition2Descent, type Proposition2Options, type Proposition2Result } from "./proposition2.ts";
export { generatorLossGradients, measureSaturation, type SaturationOptions, type SaturationRow } from "./saturation.ts";
export { meanAbsDeviation } from "./toy.ts";
export { type MonteCarloEstimate, valueMonteCarloEstimate, valueQuadrature } from "./value_function.ts";
export { type TheoremOneTerms, theoremOneTerms, virtualCriterion } from "./virtual_criterion.ts";
