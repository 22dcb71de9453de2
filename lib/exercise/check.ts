/**
 * Exercises a study group can verify on their own: a reader writes a prediction (a number, a shape, a word) in a cell,
 * and `check` compares it with the value the notebook computed, saying right or wrong and why. Until the reader has
 * answered, the computed value and the explanation stay hidden, so an executed notebook does not give them away.
 *
 * The slide deck of a notebook (lib/site) asks the same question of a room and reveals this run's answer on the next
 * step, so every verdict also carries the answer and its why under {@link CHECK_MIME}: a vendor MIME type that
 * Jupyter, VS Code and the site page do not render (each shows the verdict's HTML), read only by the deck builder.
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
   * prediction agreed with this run, so the explanation can follow what the reader thought and what the run showed;
   * it gets `undefined` for the deck's reveal ({@link CHECK_MIME}), where nobody wrote a prediction.
   */
  why?: string | ((agreed: boolean | undefined) => string);
}

/** The MIME type of a verdict's machine-readable part, read by the slide deck (lib/site/deck.ts). */
export const CHECK_MIME = "application/vnd.paper-notebooks.check+json";

/** What a verdict carries under {@link CHECK_MIME}: the question, this run's answer and why, for a deck to reveal. */
export interface CheckReveal {
  /** `options.question`, when given. */
  question?: string;
  /** This run's computed value as the verdict prints it (four significant digits). */
  expected: string;
  /** The tolerance a numeric answer is matched with, e.g. "0.001"; absent for exact matches. */
  tolerance?: string;
  /** The explanation without the reader's agreement (`why(undefined)`). */
  why: string;
  /** Whether the notebook's reader had answered when it ran. */
  answered: boolean;
}

/** The outcome of a check: right or wrong, with the explanation. Renders in Jupyter. */
export class Verdict implements Displayable {
  constructor(
    readonly correct: boolean,
    readonly answer: Answer | undefined,
    readonly expected: Answer,
    readonly message: string,
    readonly why: string,
    /** This run's answer and why, for the deck (see {@link CHECK_MIME}). */
    readonly reveal?: CheckReveal,
  ) {}

  toString(): string {
    return [this.message, this.why ? `Why / 이유: ${this.why}` : ""].filter(Boolean).join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const colour = this.correct ? "#1a7f37" : this.answer === undefined ? "#6e7781" : "#cf222e";
    const html = `<div style="border-left:4px solid ${colour};padding:4px 8px"><b style="color:${colour}">` +
      `${escapeHtml(this.message)}</b>${this.why ? `<br>${escapeHtml(`Why / 이유: ${this.why}`)}` : ""}</div>`;
    return { "text/plain": this.toString(), "text/html": html, ...(this.reveal ? { [CHECK_MIME]: this.reveal } : {}) };
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
  const tolerance = typeof expected === "number" && Math.max(relTol * Math.abs(expected), absTol) > 0
    ? String(+Math.max(relTol * Math.abs(expected), absTol).toPrecision(2))
    : undefined;
  // A why written as `${agreement(agreed)}. reason` has an empty opener when nobody answered: the reveal starts at
  // its reason.
  const revealWhy = (typeof options.why === "function" ? options.why(undefined) : options.why ?? "")
    .replace(/^\s*\.\s*/, "");
  const reveal = (answered: boolean): CheckReveal => ({
    ...(options.question ? { question: options.question } : {}),
    expected: show(expected),
    ...(tolerance ? { tolerance } : {}),
    why: revealWhy,
    answered,
  });
  if (answer === undefined || answer === null) {
    return new Verdict(
      false,
      undefined,
      expected,
      `${q}아직 답이 없음: myAnswer에 예측을 적고 이 셀을 다시 실행하세요 / no answer yet: write your prediction in ` +
        "myAnswer and run this cell again (the computed value stays hidden until then)",
      "",
      reveal(false),
    );
  }
  const ok = equalAnswers(answer, expected, relTol, absTol);
  const tol = typeof expected === "number" ? ` (tolerance ${tolerance ?? 0})` : "";
  const message = ok
    ? `${q}정답 / Right: ${show(answer)} matches ${show(expected)}${tol}`
    : `${q}오답 / Wrong: you said ${show(answer)}, the computed value is ${show(expected)}${tol}`;
  const why = typeof options.why === "function" ? options.why(ok) : options.why ?? "";
  return new Verdict(ok, answer, expected, message, why, reveal(true));
}
