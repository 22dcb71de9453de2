/**
 * The declared parameters of the GAN notebook (notebooks/image-generation/gan.ipynb): quick defaults that run each
 * training cell in about a minute on two CPU cores, the paper's settings where its text states them, and the presets
 * quick, paper and long. Settings the paper's text does not give but the authors' released code does
 * (github.com/goodfeli/adversarial: mnist.yaml, parzen_ll.py) are named as such in `paperNote`, never as the
 * paper's. The notebook's parameters cell assigns the defaults and ends with `ganParameters.check({...})`.
 */
import { z } from "zod";
import { defineParameters, schemas } from "../parameters/parameter_spec.ts";

/** Training images the notebook's §5 holds (the rest of the 9,500 it loads is the validation set for σ). */
const GAN_TRAIN_IMAGES = 9000;

/** The authors' released code, where settings the paper's text leaves out are found. */
const RELEASED = "github.com/goodfeli/adversarial";

/** The GAN notebook's parameters: defaults, the paper's values (§5), meanings, constraints and presets. */
export const ganParameters = defineParameters({
  seeds: {
    default: [1, 2, 3],
    ko: "모든 다중 시드 실험의 시드들 (효과는 여러 시드에서 유지되어야 함)",
    en: "seeds of every multi-seed experiment (an effect must hold across seeds)",
    allowed: "non-empty list of distinct integers ≥ 0",
    schema: schemas.seeds({ min: 1 }),
  },
  mcSamples: {
    default: 100_000,
    ko: "§3 V(D, G)의 몬테카를로 샘플 수",
    en: "§3: Monte Carlo samples for V(D, G)",
    allowed: "integer from 10 to 10000000",
    schema: schemas.integer(10, 10_000_000),
  },
  dSteps: {
    default: 600,
    ko: "§4.1 고정된 p_g에 대한 판별자 갱신 수",
    en: "§4.1: discriminator updates against a fixed p_g",
    allowed: "integer ≥ 1",
    schema: schemas.integer(1),
  },
  toySteps: {
    default: 1000,
    ko: "그림 1: 1차원 장난감 GAN의 알고리즘 1 반복 수",
    en: "Figure 1: iterations of Algorithm 1 on the 1-D toy",
    allowed: "integer ≥ 1",
    schema: schemas.integer(1),
  },
  helveticaUpdates: {
    default: 1000,
    ko: "§6: 일정마다 실행당 생성자 갱신 수 (G×10 일정은 이것의 1/10 반복)",
    en: "§6: generator updates per run in each schedule (the G×10 schedules run a tenth as many iterations)",
    allowed: "integer ≥ 10, a multiple of 10",
    schema: schemas.integer(10).refine((n) => n % 10 === 0, { error: "not a multiple of 10" }),
  },
  optimizer: {
    default: "adam",
    paper: "momentum",
    paperNote: `Algorithm 1's caption: "We used momentum in our experiments"; learning rate 0.1 and momentum 0.5 ` +
      `are not in the text but the initial values of ${RELEASED} mnist.yaml`,
    ko: "알고리즘 1의 갱신 규칙 (그림 1, §5, §6의 훈련): Adam 또는 논문의 모멘텀 SGD",
    en: "Algorithm 1's update rule (the training of Figure 1, §5 and §6): Adam, or the paper's momentum SGD",
    allowed: '"adam" (lr 1e-3, β1 0.5) or "momentum" (SGD, lr 0.1, momentum 0.5)',
    schema: z.enum(["adam", "momentum"]),
  },
  generatorLoss: {
    default: "non-saturating",
    paperNote: "Algorithm 1 writes log(1 − D(G(z))) (saturating); §3 recommends maximising log D(G(z)) in practice",
    ko: "생성자 손실: 비포화 −log D(G(z)) (§3의 권고) 또는 알고리즘 1의 포화 log(1 − D(G(z)))",
    en: "generator loss: non-saturating −log D(G(z)) (§3's advice) or Algorithm 1's saturating log(1 − D(G(z)))",
    allowed: '"non-saturating" or "saturating"',
    schema: z.enum(["non-saturating", "saturating"]),
  },
  imageSteps: {
    default: 1000,
    paperNote: `not stated in the paper (nor in ${RELEASED} mnist.yaml, which trains until stopped)`,
    ko: "§5: Fashion-MNIST에서의 반복 수",
    en: "§5: iterations on Fashion-MNIST",
    allowed: "integer ≥ 1",
    schema: schemas.integer(1),
  },
  imageHidden: {
    default: [128, 128],
    paperNote: `not in the paper's text; ${RELEASED} mnist.yaml: G [1200, 1200] ReLU units, D [240, 240] maxout ` +
      "units (one list here sets both)",
    ko: "§5: G의 ReLU 층 너비와 D의 맥스아웃 유닛 수",
    en: "§5: G's ReLU widths and D's maxout units",
    allowed: "non-empty list of integers from 1 to 4096",
    schema: z.array(schemas.integer(1, 4096)).min(1, { error: "an empty list: give at least one hidden layer" }),
  },
  maxoutPieces: {
    default: 3,
    paperNote: `not in the paper's text; 5 in ${RELEASED} mnist.yaml`,
    ko: "§5: 맥스아웃 유닛당 조각 수",
    en: "§5: linear pieces per maxout unit",
    allowed: "integer from 2 to 32 (a maxout unit takes the max over at least 2 pieces)",
    schema: schemas.integer(2, 32),
  },
  parzenSamples: {
    default: 1000,
    paperNote: `not in the paper's text; 10,000 is the default of ${RELEASED} parzen_ll.py; here at most ` +
      `${GAN_TRAIN_IMAGES.toLocaleString("en-US")}, since the reference row uses as many real training images`,
    ko: "§5 표 1: 파젠 창에 넣을 생성 샘플 수",
    en: "§5 Table 1: generated samples in the Parzen window",
    allowed: `integer from 1 to ${GAN_TRAIN_IMAGES}`,
    schema: schemas.integer(1, GAN_TRAIN_IMAGES),
  },
  parzenTest: {
    default: 1000,
    paper: 10000,
    paperNote: "Table 1: the mean log-likelihood of the test set (MNIST's: 10,000 images)",
    ko: "§5 표 1: 평가할 시험 이미지 수",
    en: "§5 Table 1: held-out test images",
    allowed: "integer from 1 to 10000",
    schema: schemas.integer(1, 10000),
  },
}, {
  file: "lib/gan/parameters.ts",
  presets: {
    long: {
      ko:
        "긴 실행: 모든 실험을 더 오래, §5는 더 큰 망과 저자 공개 코드의 맥스아웃 조각 수로. §5의 반복 수는 기록된 실행 " +
        "(`deno task record gan-fashion-mnist`: `seeds`의 시드마다 한 번, 코어 하나)이 한 시간 안에 끝나도록 정했습니다: " +
        "기록된 실행은 AVX2 코어 하나에서 반복 하나에 약 0.11초, 파젠 추정 하나 (샘플 9,000개, 시험 이미지 10,000개; " +
        "실행마다 다섯 번)에 약 30초가 걸려 시드 세 개에 50분이었고, 9,000장의 약 50에폭입니다",
      en:
        "a long run: every experiment trained longer; §5 with larger nets and the released code's maxout pieces. §5's " +
        "iterations are sized so that its recorded run (`deno task record gan-fashion-mnist`: one run per seed of " +
        "`seeds`, on one core) ends within an hour: the recorded run took about 0.11 s per iteration and about 30 s " +
        "per Parzen estimate (9,000 samples, 10,000 test images; five per run) on one AVX2 core, 50 minutes for three " +
        "seeds, about 50 epochs of the 9,000 images",
      values: {
        dSteps: 3000,
        toySteps: 5000,
        helveticaUpdates: 5000,
        imageSteps: 7000,
        imageHidden: [240, 240],
        maxoutPieces: 5,
        parzenSamples: GAN_TRAIN_IMAGES,
        parzenTest: 10000,
      },
    },
  },
});
