/**
 * A notebook's key results as one displayable: a table for the reader, and the same values as JSON under a MIME type
 * of our own, so the test suite can put floors on what the quick run shows without
 * parsing printed text. Frontends that do not know the MIME type show the table.
 */
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle } from "./bundle.ts";
import { Table } from "./table.ts";

/** The MIME type that carries a summary's values in an executed notebook. */
export const SUMMARY_MIME = "application/vnd.paper-notebooks.summary+json";

/** One value of a summary. */
export type SummaryValue = number | boolean | string;

/** Named results of an experiment, shown as a table and readable by tests. */
export class Summary implements Displayable {
  constructor(readonly name: string, readonly values: Readonly<Record<string, SummaryValue>>) {}

  /** The table a reader sees. */
  table(): Table {
    return new Table(["quantity", "value"], Object.entries(this.values).map(([k, v]) => [k, v]), {
      caption: this.name,
    });
  }

  toString(): string {
    return this.table().toString();
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { ...this.table()[JUPYTER_DISPLAY](), [SUMMARY_MIME]: { name: this.name, values: { ...this.values } } };
  }
}

/** A summary of an experiment's results under a name tests refer to (e.g. "resnet-figure-6"). */
export function summary(name: string, values: Record<string, SummaryValue>): Summary {
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === "number" && !Number.isFinite(v)) throw new RangeError(`summary "${name}": ${k} is ${v}`);
  }
  return new Summary(name, values);
}

/** The summaries found in a notebook's outputs, by name (the last one wins when a name repeats). */
export function summariesIn(
  cells: readonly { outputs?: readonly object[] }[],
): Record<string, Record<string, SummaryValue>> {
  const found: Record<string, Record<string, SummaryValue>> = {};
  for (const cell of cells) {
    for (const output of cell.outputs ?? []) {
      const s = (output as { data?: Record<string, unknown> }).data?.[SUMMARY_MIME] as {
        name: string;
        values: Record<string, SummaryValue>;
      } | undefined;
      if (s) found[s.name] = s.values;
    }
  }
  return found;
}
