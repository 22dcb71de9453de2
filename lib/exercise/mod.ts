/** Exercises for the study group: predict a value, then check it against the computed one. */
export { type Answer, check, CHECK_MIME, type CheckOptions, type CheckReveal, Verdict } from "./check.ts";
