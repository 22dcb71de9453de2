/**
 * Declared parameter sets: each notebook's `parameters` cell names its set (e.g. `lib/resnet/parameters.ts`), which
 * gives every parameter its quick default, the paper's value, a meaning in Korean and English, its constraint as a
 * zod schema, and named presets. The runner checks `-p` overrides and presets against it before a kernel starts; the
 * cell checks its own values when run in Jupyter.
 *
 * @example Declaring a set
 * ```ts
 * import { defineParameters, schemas } from "@lib/parameters/mod.ts";
 *
 * export const toyParameters = defineParameters({
 *   steps: {
 *     default: 100,
 *     paper: 10_000,
 *     ko: "학습 반복 수",
 *     en: "training steps",
 *     allowed: "integer ≥ 1",
 *     schema: schemas.integer(1),
 *   },
 * }, { file: "lib/toy/parameters.ts" });
 * toyParameters.check({ steps: 100 });
 * ```
 */
export {
  defineParameters,
  isParameterSpec,
  type ParameterDeclaration,
  ParameterError,
  type ParameterRow,
  ParameterSpec,
  schemas,
  showValue,
} from "./parameter_spec.ts";
