/**
 * Deep Residual Learning for Image Recognition (He et al., 2015), as notebooks/image-classification/resnet.ipynb uses
 * it. One file per section of the notebook (and of the paper):
 *
 * | Notebook section                                   | File                                                     |
 * | -------------------------------------------------- | -------------------------------------------------------- |
 * | 1. The degradation problem (Figure 1)              | `degradation.ts` (trainVariants, runRows, runBudget)     |
 * | 2. §3.1 Residual learning                          | `residual_learning.ts`                                   |
 * | 3. §3.2 Identity mapping by shortcuts              | `shortcut_options.ts`; the shortcut: `shortcut.ts`       |
 * | 4. §3.3 Network architectures (Table 1, Table 6)   | `architectures.ts`; the networks: `networks.ts`          |
 * | 5. §4.1 Deeper bottleneck architectures (Figure 5) | `bottleneck.ts`; the block: `blocks.ts`                  |
 * | 6. §4.2 CIFAR-10 experiments (Figure 6, Table 3)   | `degradation.ts` (trainDepths, depthErrors, errorPairs)  |
 * | 7. §4.2 Analysis of layer responses (Figure 7)     | `layer_responses.ts`                                     |
 * | parameters cell                                    | `parameters.ts` (imported from its own path)             |
 *
 * Shared by several sections: `blocks.ts` (the basic and bottleneck blocks of Figure 5, Eqs. 1–2), `networks.ts` (the
 * CIFAR-10 and ImageNet networks), `complexity.ts` (parameters and multiply-adds as Tables 1 and 6 count them).
 */
export { cifarFamilyRows, imagenetFamilyRows } from "./architectures.ts";
// The blocks themselves, for the notebook's "look inside" cells (§3.1–§3.2 Eqs. 1–2, §4.1 Figure 5).
export { basicBlock, type BlockOptions, bottleneckBlock, type BottleneckOptions, type LayerOptions } from "./blocks.ts";
export { bottleneckRows } from "./bottleneck.ts";
export {
  CIFAR_SCHEDULE,
  depthErrors,
  type DepthGrid,
  depthVariants,
  errorPairs,
  type Figure6Judgement,
  figure6Summary,
  findRun,
  type JudgedOrdering,
  judgeFigure6,
  judgeShortcutOptions,
  type Run,
  runBudget,
  runRows,
  seedErrorRows,
  TABLE3_TOP1_PCT,
  TABLE6_ERROR_PCT,
  table6ErrorRows,
  trainDepths,
  trainVariants,
  type TrainVariantsConfig,
  type Variant,
} from "./degradation.ts";
export {
  type Figure7Judgement,
  judgeFigure7,
  type LayerResponse,
  layerResponseStd,
  type NetResponses,
  responseBudgetNote,
  responseChain,
  responsePairs,
  responseRows,
  responsesAcrossSeeds,
  responsesFigure,
  responseStats,
} from "./layer_responses.ts";
export { cifarResNet, type CifarResNetOptions } from "./networks.ts";
export {
  completeSeeds,
  FIGURE6_RECORD,
  figure6Experiment,
  figure6RecordParameters,
  missingRecordNote,
  recordedCurves,
  type RecordedFigure6,
  recordedFigure6,
  recordedResponses,
  recordedRuns,
} from "./recorded_run.ts";
export {
  compareStacks,
  fitIdentity,
  type FitIdentityOptions,
  identityStack,
  type IdentityStackOptions,
  stackCurvesFigure,
  type StackFit,
  stackPairs,
  stackRows,
  zeroBlockRows,
} from "./residual_learning.ts";
export { type ShortcutOption, zeroPadShortcut } from "./shortcut.ts";
export { shortcutNetworkRows, shortcutRows } from "./shortcut_options.ts";
