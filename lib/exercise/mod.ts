/** Exercises for the study group: predict a value, then check it against the computed one. */
export { type Answer, check, type CheckOptions, Verdict } from "./check.ts";
