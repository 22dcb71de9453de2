/**
 * The collection of notebooks as the study group authors it: the paper header the group's template asks for (title,
 * date and venue, purpose and conclusion, keywords), the two-language convention and the notebook lint, the
 * categories, the index in notebooks/README.md, `new-paper`, and the parameter sets of the two guide notebooks.
 */
export { type Category, findCategory, KNOWN_CATEGORIES, slugify } from "./categories.ts";
export { fileSizeMb, findNotebooks, isPaperNotebook, PAPER_NOTEBOOK_BUDGET_MB } from "./collection.ts";
export { HeaderError, type PaperHeader, parsePaperHeader } from "./header.ts";
export {
  type Language,
  languageOf,
  type PairHalves,
  pickLanguage,
  READER_LANGUAGES,
  type ReaderLanguage,
  splitPair,
} from "./languages.ts";
export {
  type LintContext,
  type LintNotebook,
  lintNotebook,
  type LintProblem,
  NOTEBOOK_RULES,
  type NotebookRule,
} from "./notebook_lint.ts";
export {
  collectionEntries,
  createPaperNotebook,
  NewPaperError,
  renderCollectionIndex,
  writeCollectionIndex,
} from "./new_paper.ts";
export { gettingStartedParameters } from "./guide_parameters.ts";
export { templateParameters } from "./template_parameters.ts";
