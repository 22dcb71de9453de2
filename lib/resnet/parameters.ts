/**
 * The declared parameters of the ResNet notebook (notebooks/image-classification/resnet.ipynb): quick defaults that
 * run each experiment cell in about a minute on two cores, the paper's settings (ResNet §4.2, CIFAR-10), and the
 * presets quick, paper and long. The notebook's parameters cell assigns the defaults and ends with
 * `resnetParameters.check({...})`.
 */
import { z } from "zod";
import { defineParameters, schemas } from "../parameters/parameter_spec.ts";

/** True for a CIFAR ResNet depth 6n+2 with n ≥ 1 (ResNet §4.2: 20, 32, 44, 56, 110; 8 and 14 for small runs). */
export function isCifarDepth(depth: number): boolean {
  return Number.isInteger(depth) && depth >= 8 && (depth - 2) % 6 === 0;
}

const cifarDepth = z.number({ error: "a depth must be a number" }).refine(isCifarDepth, {
  error: "not a CIFAR depth 6n+2 with n ≥ 1",
});
const width = schemas.integer(1, 4096);

/** The ResNet notebook's parameters: defaults, the paper's values (§4.2), meanings, constraints and presets. */
export const resnetParameters = defineParameters({
  dataset: {
    default: "fashion-mnist",
    paper: "cifar-10",
    ko: "데이터셋 (cifar-10은 dataDir 필요)",
    en: "the dataset (cifar-10 needs dataDir)",
    allowed: '"fashion-mnist" or "cifar-10"',
    schema: z.enum(["fashion-mnist", "cifar-10"]),
  },
  dataDir: {
    default: undefined,
    paperNote: "the folder cifar-10-batches-bin of CIFAR-10's binary version",
    ko: "데이터 파일 폴더 (undefined: 설치된 Fashion-MNIST, 없으면 data/의 부분집합)",
    en: "folder of the data files (undefined: the installed Fashion-MNIST, else the subset in data/)",
    allowed: 'undefined or a folder path; a path is required for "cifar-10"',
    schema: z.string().min(1, { error: "an empty path" }).optional(),
  },
  trainImages: {
    default: 8192,
    paper: 50000,
    paperNote: "45k train / 5k validation for Figure 6",
    ko: "학습 이미지 수 (앞에서부터)",
    en: "training images used (the first ones)",
    allowed: "integer from batchSize to 60000",
    schema: schemas.integer(1, 60000),
  },
  testImages: {
    default: 1000,
    paper: 10000,
    ko: "테스트 이미지 수",
    en: "test images used",
    allowed: "integer from 1 to 10000",
    schema: schemas.integer(1, 10000),
  },
  depths: {
    default: [8, 20, 44],
    paper: [20, 32, 44, 56],
    paperNote: "Figure 6; §4.2 also trains 110",
    ko: "평범한 망과 ResNet의 깊이들 (6n+2)",
    en: "depths of the plain nets and ResNets (6n+2)",
    allowed: "list of at least 2 distinct depths 6n+2 (8, 14, 20, 32, 44, 56, 110, ...)",
    schema: z.array(cifarDepth).min(2, { error: "fewer than 2 depths: the figures compare a shallow with a deep net" })
      .refine((ds) => new Set(ds).size === ds.length, { error: "a depth is repeated" }),
  },
  widths: {
    default: [8, 16, 32],
    paper: [16, 32, 64],
    ko: "세 단계의 필터 수",
    en: "filters of the three stages",
    allowed: "list of 3 integers ≥ 1 (one per stage)",
    schema: z.tuple([width, width, width], { error: "not a list of 3 widths (one per stage)" }),
  },
  shortcut: {
    default: "A",
    paper: "A",
    ko: "지름길 옵션 (§3.2; §5는 다른 옵션도 학습)",
    en: "shortcut option (§3.2; §5 also trains the other one)",
    allowed: '"A" (zero-padding), "B" (projections where dimensions grow) or "C" (all projections)',
    schema: z.enum(["A", "B", "C"]),
  },
  steps: {
    default: 150,
    paper: 64000,
    ko: "학습 반복 수",
    en: "SGD iterations per net",
    allowed: "integer ≥ 1",
    schema: schemas.integer(1),
  },
  batchSize: {
    default: 64,
    paper: 128,
    ko: "미니배치 크기",
    en: "minibatch size",
    allowed: "integer from 1 to trainImages",
    schema: schemas.integer(1, 60000),
  },
  learningRate: {
    default: 0.05,
    paper: 0.1,
    ko: "학습률 (lrSchedule이 paper면 시작값)",
    en: "learning rate (the starting value with lrSchedule paper)",
    allowed: "number > 0, at most 10",
    schema: schemas.number(0, 10, { exclusiveMin: true }),
  },
  lrSchedule: {
    default: "constant",
    paper: "paper",
    paperNote: "÷10 at 50% and 75% of the steps: 32k and 48k of 64k",
    ko: "학습률 일정",
    en: "learning-rate schedule",
    allowed: '"constant" or "paper"',
    schema: z.enum(["constant", "paper"]),
  },
  weightDecay: {
    default: 0,
    paper: 1e-4,
    ko: "가중치 감쇠",
    en: "weight decay",
    allowed: "number from 0 to 1",
    schema: schemas.number(0, 1),
  },
  augment: {
    default: false,
    paper: true,
    paperNote: "4-pixel padding, random 32×32 crop, horizontal flip",
    ko: "데이터 증강",
    en: "data augmentation",
    allowed: "true or false",
    schema: z.boolean(),
  },
  seed: {
    default: 1,
    ko: "초기 가중치와 배치 순서의 시드",
    en: "seed of the initial weights and the batch order",
    allowed: "integer ≥ 0",
    schema: schemas.integer(0),
  },
  extraSeeds: {
    default: [2, 3],
    ko: "§6에서 모든 깊이를 다시 학습해 순서를 확인할 시드들 ([]는 건너뜀)",
    en: "seeds on which §6 retrains every depth to re-judge the orderings ([] skips)",
    allowed: "list of distinct integers ≥ 0, without seed; may be empty",
    schema: schemas.seeds({ min: 0 }),
  },
  avgWindow: {
    default: 30,
    ko: '"최종 훈련 오류"로 평균할 스텝 수',
    en: 'steps averaged for the "final training error"',
    allowed: "integer from 1 to steps",
    schema: schemas.integer(1),
  },
  evalPoints: {
    default: 3,
    ko: "학습마다 테스트 평가 횟수",
    en: "test evaluations per run",
    allowed: "integer from 1 to steps",
    schema: schemas.integer(1),
  },
  identityLayers: {
    default: 8,
    ko: "§3.1 항등 함수 맞추기 스택의 층 수",
    en: "layers of the §3.1 identity-fitting stacks",
    allowed: "integer from 1 to 100",
    schema: schemas.integer(1, 100),
  },
  identitySteps: {
    default: 200,
    ko: "§3.1 항등 함수 맞추기의 반복 수",
    en: "iterations of the §3.1 identity fit",
    allowed: "integer ≥ 20 (the table averages the last 20)",
    schema: schemas.integer(20),
  },
  nearIdentity: {
    default: 0.3,
    ko: "§3.1 항등에 가까운 목표 H(x) = ReLU(x + ε·Ax)의 ε",
    en: "ε of the §3.1 near-identity target H(x) = ReLU(x + ε·Ax)",
    allowed: "number from 0 to 10",
    schema: schemas.number(0, 10),
  },
}, {
  file: "lib/resnet/parameters.ts",
  presets: {
    long: {
      ko: "긴 실행: 논문의 깊이 [20, 32, 44, 56]와 너비, 전체 데이터, 논문의 학습 설정, 더 많은 반복, 시드 3개",
      en: "a long run: the paper's depths [20, 32, 44, 56] and widths, all the data, the paper's training " +
        "settings, more steps, 3 seeds",
      values: {
        trainImages: 60000,
        testImages: 10000,
        depths: [20, 32, 44, 56],
        widths: [16, 32, 64],
        steps: 2000,
        batchSize: 128,
        learningRate: 0.1,
        lrSchedule: "paper",
        weightDecay: 1e-4,
        augment: true,
        seed: 1,
        extraSeeds: [2, 3],
        evalPoints: 10,
      },
    },
  },
  refine: (v) => [
    ...(v.dataset === "cifar-10" && v.dataDir === undefined
      ? [{ name: "dataDir", message: 'dataset "cifar-10" needs dataDir: the folder cifar-10-batches-bin' }]
      : []),
    ...(v.batchSize > v.trainImages
      ? [{ name: "batchSize", message: `larger than trainImages (${v.trainImages})` }]
      : []),
    ...(v.extraSeeds.includes(v.seed)
      ? [{ name: "extraSeeds", message: `repeats seed ${v.seed}, which §5 already counts` }]
      : []),
    ...(v.avgWindow > v.steps ? [{ name: "avgWindow", message: `longer than steps (${v.steps})` }] : []),
    ...(v.evalPoints > v.steps ? [{ name: "evalPoints", message: `more than steps (${v.steps})` }] : []),
  ],
});
