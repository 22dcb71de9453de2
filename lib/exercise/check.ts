/**
 * Exercises a study group can verify on their own: a reader writes a prediction (a number, a shape, a word) in a cell,
 * and `check` compares it with the value the notebook computed, saying right or wrong and why. Until the reader has
 * answered, the computed value and the explanation stay hidden, so an executed notebook does not give them away.
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
  /**
   * Why the computed value is what it is, shown once the reader has answered. A function gets whether the reader's
   * prediction agreed with this run, so the explanation can follow what the reader thought and what the run showed.
   */
  why?: string | ((agreed: boolean) => string);
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
  if (Array.isArray(value)) return `[${value.map((v) => show(v)).join(", ")}]`;
  // Four significant digits: what a prediction can be compared with, not the float's noise.
  if (typeof value === "number" && !Number.isInteger(value)) return String(+value.toPrecision(4));
  return String(value);
}

function near(a: number, b: number, relTol: number, absTol: number): boolean {
  return Math.abs(a - b) <= Math.max(relTol * Math.abs(b), absTol);
}

function equalAnswers(answer: Answer, expected: Answer, relTol: number, absTol: number): boolean {
  if (typeof expected === "number") return typeof answer === "number" && near(answer, expected, relTol, absTol);
  // Categories ("plain", "resnet", "above") are matched exactly, up to surrounding spaces.
  if (typeof expected === "string") return typeof answer === "string" && answer.trim() === expected.trim();
  if (typeof expected === "boolean") return answer === expected;
  if (!Array.isArray(answer) || answer.length !== expected.length) return false;
  return expected.every((e, i) => equalAnswers(answer[i], e, relTol, absTol));
}

/**
 * Compares a reader's answer with the computed value. An unanswered question (`undefined` or `null`) says so and
 * shows neither the computed value nor the explanation, so the notebook still runs end to end before anyone has
 * answered without printing the answers.
 */
export function check(answer: Answer | undefined | null, expected: Answer, options: CheckOptions = {}): Verdict {
  const relTol = options.relTol ?? 0.05;
  const absTol = options.absTol ?? 0;
  const q = options.question ? `${options.question}: ` : "";
  if (answer === undefined || answer === null) {
    return new Verdict(
      false,
      undefined,
      expected,
      `${q}아직 답이 없음: myAnswer에 예측을 적고 이 셀을 다시 실행하세요 / no answer yet: write your prediction in ` +
        "myAnswer and run this cell again (the computed value stays hidden until then)",
      "",
    );
  }
  const ok = equalAnswers(answer, expected, relTol, absTol);
  const tol = typeof expected === "number"
    ? ` (tolerance ${+Math.max(relTol * Math.abs(expected), absTol).toPrecision(2)})`
    : "";
  const message = ok
    ? `${q}정답 / Right: ${show(answer)} matches ${show(expected)}${tol}`
    : `${q}오답 / Wrong: you said ${show(answer)}, the computed value is ${show(expected)}${tol}`;
  const why = typeof options.why === "function" ? options.why(ok) : options.why ?? "";
  return new Verdict(ok, answer, expected, message, why);
}
