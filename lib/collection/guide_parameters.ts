/**
 * The declared parameters of the collection's two guides: notebooks/getting_started.ipynb and the paper template
 * notebooks/template.ipynb (`deno task new-paper` gives each new paper its own set in lib/<paper>/parameters.ts).
 */
import { defineParameters, schemas } from "../parameters/parameter_spec.ts";

/** The getting-started notebook's parameters. */
export const gettingStartedParameters = defineParameters({
  n: {
    default: 200,
    ko: "곡선의 점 개수",
    en: "points on the curve",
    allowed: "integer from 2 to 100000",
    schema: schemas.integer(2, 100_000),
  },
}, {
  file: "lib/collection/guide_parameters.ts",
  presets: { long: { ko: "더 촘촘한 곡선", en: "a finer curve", values: { n: 2000 } } },
});

/** The paper template's parameters: a seed and a training length, the two every paper notebook has. */
export const templateParameters = defineParameters({
  seed: {
    default: 0,
    ko: "초기 가중치와 데이터 순서의 시드",
    en: "seed of the initial weights and the data order",
    allowed: "integer ≥ 0",
    schema: schemas.integer(0),
  },
  steps: {
    default: 100,
    paperNote: "[[the paper's setting]]",
    ko: "학습 반복 수",
    en: "training iterations",
    allowed: "integer ≥ 1",
    schema: schemas.integer(1),
  },
}, {
  file: "lib/collection/guide_parameters.ts",
  presets: { long: { ko: "더 긴 학습", en: "longer training", values: { steps: 1000 } } },
});
