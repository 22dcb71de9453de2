/**
 * The declared parameters of notebooks/template.ipynb, the paper template. `deno task new-paper` copies this file to
 * lib/<paper>/parameters.ts under the paper's names, so a new paper starts from exactly these; declare each new
 * parameter there (default, the paper's value, meaning in Korean and English, constraint).
 */
import { defineParameters, schemas } from "../parameters/parameter_spec.ts";

/** The parameters of the paper template: a seed and a training length, the two every paper notebook has. */
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
  file: "lib/collection/template_parameters.ts",
  presets: { long: { ko: "더 긴 학습", en: "longer training", values: { steps: 1000 } } },
});
