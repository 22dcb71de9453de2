/** Training: momentum SGD, learning-rate schedules, the training loop and its history, grids of runs on all cores. */
export * from "./schedule.ts";
export * from "./sgd.ts";
export * from "./train.ts";
export * from "./plots.ts";
export * from "./grid.ts";
