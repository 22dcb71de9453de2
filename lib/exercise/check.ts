/**
 * Exercises a study group can verify on their own: a reader writes a prediction (a number, a shape, a word) in a cell,
 * and `check` compares it with the value the notebook computed, saying right or wrong and why.
 */
import { type Displayable, escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "../display/bundle.ts";

/** An answer: a number, a string, or an array of them (a shape, a list). */
export type Answer = number | string | boolean | readonly (number | string)[];

/** Options of {@link check}. */
export interface CheckOptions {
  /** What was asked, shown in the verdict. */
  question?: string;
  /** Relative tolerance for numbers: |answer − expected| ≤ relTol·|expected|. Default: 0.05. */
  relTol?: number;
  /** Absolute tolerance for numbers, used with relTol (whichever is larger). Default: 0. */
  absTol?: number;
  /** Why the expected value is what it is; shown with every verdict. */
  why?: string;
}

/** The outcome of a check: right or wrong, with the explanation. Renders in Jupyter. */
export class Verdict implements Displayable {
  constructor(
    readonly correct: boolean,
    readonly answer: Answer | undefined,
    readonly expected: Answer,
    readonly message: string,
    readonly why: string,
  ) {}

  toString(): string {
    return [this.message, this.why ? `Why / 이유: ${this.why}` : ""].filter(Boolean).join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const colour = this.correct ? "#1a7f37" : this.answer === undefined ? "#6e7781" : "#cf222e";
    const html = `<div style="border-left:4px solid ${colour};padding:4px 8px"><b style="color:${colour}">` +
      `${escapeHtml(this.message)}</b>${this.why ? `<br>${escapeHtml(`Why / 이유: ${this.why}`)}` : ""}</div>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

function show(value: Answer | undefined): string {
  if (Array.isArray(value)) return `[${value.join(", ")}]`;
  return String(value);
}

function near(a: number, b: number, relTol: number, absTol: number): boolean {
  return Math.abs(a - b) <= Math.max(relTol * Math.abs(b), absTol);
}

function equalAnswers(answer: Answer, expected: Answer, relTol: number, absTol: number): boolean {
  if (typeof expected === "number") return typeof answer === "number" && near(answer, expected, relTol, absTol);
  if (typeof expected === "string") {
    return typeof answer === "string" && answer.trim().toLowerCase() === expected.trim().toLowerCase();
  }
  if (typeof expected === "boolean") return answer === expected;
  if (!Array.isArray(answer) || answer.length !== expected.length) return false;
  return expected.every((e, i) => equalAnswers(answer[i], e, relTol, absTol));
}

/**
 * Compares a reader's answer with the computed value. An unanswered question (`undefined` or `null`) is reported as
 * such with the expected value, so the notebook still runs end to end before anyone has answered.
 */
export function check(answer: Answer | undefined | null, expected: Answer, options: CheckOptions = {}): Verdict {
  const relTol = options.relTol ?? 0.05;
  const absTol = options.absTol ?? 0;
  const why = options.why ?? "";
  const q = options.question ? `${options.question}: ` : "";
  if (answer === undefined || answer === null) {
    return new Verdict(
      false,
      undefined,
      expected,
      `${q}no answer yet / 아직 답이 없음 — the computed value is ${show(expected)}`,
      why,
    );
  }
  const ok = equalAnswers(answer, expected, relTol, absTol);
  const tol = typeof expected === "number"
    ? ` (tolerance ${Math.max(relTol * Math.abs(expected), absTol).toPrecision(2)})`
    : "";
  const message = ok
    ? `${q}정답 / Right: ${show(answer)} matches ${show(expected)}${tol}`
    : `${q}오답 / Wrong: you said ${show(answer)}, the computed value is ${show(expected)}${tol}`;
  return new Verdict(ok, answer, expected, message, why);
}
