/**
 * The declared parameters of notebooks/getting_started.ipynb (the paper template's are in template_parameters.ts).
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
