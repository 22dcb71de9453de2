/** Exercises for the study group: predict a value, then check it against the computed one. */
export * from "./check.ts";
