/**
 * Training: one step abstraction (`TrainStep`: gradients, then momentum SGD or another optimiser), the training loop and
 * its history (`trainModel`), evaluation with batch norm folded into the convolutions (`evaluateModel`,
 * `foldedInference`), learning-rate schedules, error-curve figures, grids of runs on all cores (`runGrid`) and
 * data-parallel training of one model on several cores (`DataParallelTrainer`).
 */
export {
  learningRateSchedule,
  type LrSchedule,
  paperCifarSchedule,
  SCHEDULE_NAMES,
  type ScheduleName,
  stepSchedule,
} from "./schedule.ts";
export { MomentumSgd, type MomentumSgdOptions } from "./sgd.ts";
export {
  StatefulAdam,
  type StatefulAdamOptions,
  StatefulMomentum,
  type StatefulMomentumOptions,
  type StatefulOptimizer,
} from "./optimizers.ts";
export {
  type LossName,
  type OptimizerSpec,
  softmaxCrossEntropy,
  supervisedLoss,
  TrainStep,
  type TrainStepOptions,
} from "./step.ts";
export { foldedInference, type FoldSummary, type InferenceModel } from "./inference.ts";
export {
  emptyHistory,
  evaluateModel,
  type EvaluateOptions,
  imageTensor,
  tailMean,
  type TrainConfig,
  type TrainHistory,
  trainModel,
  type TrainState,
} from "./train.ts";
export {
  formatRecord,
  type JobCurves,
  parseRecord,
  type Provenance,
  provenanceRows,
  readRecord,
  readRecordIfPresent,
  type RecordedCustomJob,
  type RecordedJob,
  type RecordSession,
  type RunRecord,
  writeFileAtomic,
} from "./record.ts";
export {
  decodeCheckpoint,
  decodeJobCheckpoint,
  encodeCheckpoint,
  encodeJobCheckpoint,
  loadCheckpoint,
  loadJobCheckpoint,
  saveCheckpoint,
  saveJobCheckpoint,
} from "./checkpoint.ts";
export type {
  CustomJob,
  CustomJobContext,
  CustomJobResult,
  CustomJobState,
  ExperimentData,
  ExperimentJob,
  RecordedExperiment,
} from "./experiment.ts";
export { type CurveRun, errorCurves, movingAverage } from "./plots.ts";
export { type GridOptions, type GridResult, type GridRun, runGrid } from "./grid.ts";
export { currentBackend, runOnWorkers, type TaskOutcome, workerCount, type WorkerPoolOptions } from "./worker_pool.ts";
export { type PoolHandlers, servePool, type Transferring } from "./pool_worker.ts";
export {
  type DataParallelBatch,
  type DataParallelOptions,
  DataParallelTrainer,
  type StepTiming,
} from "./data_parallel.ts";
