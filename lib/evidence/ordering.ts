/**
 * A paper's claim about an ordering ("the deeper plain net has the higher training error"), judged on this run's
 * per-seed numbers. The sentence a notebook prints about an outcome comes from here, never from markdown: it says
 * on how many seeds the ordering held and by how much, or that this budget did not show it.
 */
import { type Displayable, escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "../display/bundle.ts";

/** One seed's pair of values: `higher` is the one the claim says is larger. */
export interface SeedPair {
  seed: number;
  /** The value the claim expects to be the larger (e.g. the deeper plain net's training error). */
  higher: number;
  /** The value the claim expects to be the smaller. */
  lower: number;
}

/** Options of {@link ordering}. */
export interface OrderingOptions {
  /** Multiplies gaps for the sentence (100 turns fractions into percentage points). Default: 1. */
  scale?: number;
  /** The unit of the scaled gap, e.g. "points" or "nats". Default: "". */
  unit?: string;
  /** Decimals of the gap in the sentence. Default: 1. */
  digits?: number;
  /**
   * Seeds on which the ordering must hold for the claim to count as shown. Default: every seed (an effect a notebook
   * claims must hold across seeds, not on one picked to make it appear).
   */
  required?: number;
}

/** The judged claim: evidence for the sentence and the numbers a test or a summary reads. */
export class OrderingEvidence implements Displayable {
  constructor(
    /** The claim, in words ("deeper plain net trains worse (44 vs 20)"). */
    readonly claim: string,
    /** Seeds on which `higher > lower`. */
    readonly held: number,
    /** Seeds judged. */
    readonly seeds: number,
    /** Whether the ordering held on at least the required number of seeds. */
    readonly shown: boolean,
    /** Mean of the scaled gaps `higher − lower` over the seeds. */
    readonly meanGap: number,
    /** Sample standard deviation of the scaled gaps (0 for one seed). */
    readonly sdGap: number,
    /** The sentence for the reader. */
    readonly sentence: string,
  ) {}

  toString(): string {
    return this.sentence;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const colour = this.shown ? "#1a7f37" : "#9a6700";
    return {
      "text/plain": this.sentence,
      "text/html": `<div style="border-left:4px solid ${colour};padding:4px 8px">${escapeHtml(this.sentence)}</div>`,
    };
  }
}

/**
 * Judges a claim that `higher > lower` on every seed of this run: "held on 3 of 3 seeds, by 8.4 ± 2.1 points", or
 * "not shown at this budget: held on 1 of 3 seeds (gap −0.8 ± 1.2 points)". Ties count as not held.
 */
export function ordering(claim: string, pairs: readonly SeedPair[], options: OrderingOptions = {}): OrderingEvidence {
  if (pairs.length === 0) throw new RangeError(`ordering "${claim}": no seeds to judge`);
  for (const p of pairs) {
    if (!Number.isFinite(p.higher) || !Number.isFinite(p.lower)) {
      throw new RangeError(`ordering "${claim}": seed ${p.seed} has ${p.higher} vs ${p.lower}, not finite numbers`);
    }
  }
  const scale = options.scale ?? 1;
  const digits = options.digits ?? 1;
  const unit = options.unit ? ` ${options.unit}` : "";
  const required = options.required ?? pairs.length;
  if (!(required >= 1 && required <= pairs.length)) {
    throw new RangeError(`ordering "${claim}": required must be 1 to ${pairs.length} seeds, got ${required}`);
  }
  const gaps = pairs.map((p) => (p.higher - p.lower) * scale);
  const held = pairs.filter((p) => p.higher > p.lower).length;
  const mean = gaps.reduce((a, g) => a + g, 0) / gaps.length;
  const sd = gaps.length > 1 ? Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (gaps.length - 1)) : 0;
  const n = pairs.length;
  const gap = n > 1 ? `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}${unit}` : `${mean.toFixed(digits)}${unit}`;
  const seedWord = n === 1 ? "seed" : "seeds";
  const shown = held >= required;
  const sentence = shown
    ? `${claim}: held on ${held} of ${n} ${seedWord}, by ${gap}.`
    : `${claim}: not shown at this budget — held on ${held} of ${n} ${seedWord} (gap ${gap}).`;
  return new OrderingEvidence(claim, held, n, shown, mean, sd, sentence);
}

/**
 * Judges a chain of orderings between neighbours (Figure 6: 8→20, 20→44, …): one {@link OrderingEvidence} per
 * adjacent pair of `labels`, where `values[seed][i]` belongs to `labels[i]` and the claim is that values rise along
 * the chain (`rising`) or fall (`falling`).
 */
export function adjacentOrderings(
  claim: (from: string, to: string) => string,
  data: { labels: readonly string[]; seeds: readonly number[]; values: readonly (readonly number[])[] },
  options: OrderingOptions & { direction: "rising" | "falling" },
): OrderingEvidence[] {
  const { labels, seeds, values } = data;
  if (values.length !== seeds.length || values.some((v) => v.length !== labels.length)) {
    throw new RangeError(
      `adjacentOrderings: values must have one row per seed (${seeds.length}) of one value per label ` +
        `(${labels.length})`,
    );
  }
  return labels.slice(1).map((to, j) => {
    const from = labels[j];
    const pairs = seeds.map((seed, s) => {
      const [a, b] = [values[s][j], values[s][j + 1]];
      return options.direction === "rising" ? { seed, higher: b, lower: a } : { seed, higher: a, lower: b };
    });
    return ordering(claim(from, to), pairs, options);
  });
}

/**
 * The "why" of a self-check question (lib/exercise `check`) built from this run's evidence: it says whether the
 * reader's prediction agreed with the run, prints the evidence's sentence, and explains the outcome the run had
 * (`shown` or `notShown`), so the explanation never claims what the run did not show.
 */
export function explainOutcome(
  evidence: Pick<OrderingEvidence, "sentence" | "shown">,
  texts: { shown: string; notShown: string },
): (agreed: boolean | undefined) => string {
  return (agreed) => `${agreement(agreed)}. ${evidence.sentence} ${evidence.shown ? texts.shown : texts.notShown}`;
}

/**
 * The opening of a self-check's "why": whether the reader's prediction agreed with this run. Empty when nobody
 * predicted (`undefined`: a slide deck revealing the answer to a room), and lib/exercise's check then drops the
 * sentence's ". " so the why starts at its reason.
 */
export function agreement(agreed: boolean | undefined): string {
  if (agreed === undefined) return "";
  return agreed
    ? "예측이 이번 실행과 일치 / your prediction agrees with this run"
    : "예측이 이번 실행과 다름 / your prediction differs from this run";
}

/**
 * The category a judged ordering falls in, for a self-check answer matched exactly: `all` when it held on every seed,
 * `none` when on no seed, `some` otherwise.
 */
export function outcomeOf<T>(
  evidence: Pick<OrderingEvidence, "held" | "seeds">,
  names: { all: T; none: T; some: T },
): T {
  return evidence.held === evidence.seeds ? names.all : evidence.held === 0 ? names.none : names.some;
}
