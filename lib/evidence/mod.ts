/**
 * Evidence for what a run showed: a paper's ordering claim judged on this run's seeds (`ordering`,
 * `adjacentOrderings`), and the run's budget beside it (`budget`). Markdown says what the paper claims and what to
 * look for; the sentence about the outcome is printed from here.
 */
export {
  adjacentOrderings,
  agreement,
  explainOutcome,
  ordering,
  OrderingEvidence,
  type OrderingOptions,
  outcomeOf,
  type SeedPair,
} from "./ordering.ts";
export { Budget, budget, type PaperSchedule, type RunBudget } from "./budget.ts";
export { IterationBudget, iterationBudget, type IterationRun, type PaperIterations } from "./iteration_budget.ts";
