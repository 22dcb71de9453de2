/** Tables as displayables: HTML for Jupyter, aligned plain text for terminals and tests. */
import { checkedBundle, type Displayable, escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "./bundle.ts";

/** A cell of a table: numbers are formatted with `digits` significant digits. */
export type TableCell = string | number | boolean | null | undefined;

/** A table with a header row that renders as HTML in Jupyter and as aligned text elsewhere. */
export class Table implements Displayable {
  readonly columns: string[];
  readonly rows: TableCell[][];
  readonly caption: string;
  private readonly digits: number;

  constructor(columns: string[], rows: TableCell[][], options: { caption?: string; digits?: number } = {}) {
    for (const [i, r] of rows.entries()) {
      if (r.length !== columns.length) {
        throw new RangeError(
          `Table row ${i} has ${r.length} cells, expected ${columns.length} (${columns.join(", ")})`,
        );
      }
    }
    this.columns = columns;
    this.rows = rows;
    this.caption = options.caption ?? "";
    this.digits = options.digits ?? 4;
  }

  /** A cell formatted as text. */
  format(cell: TableCell): string {
    if (cell === null || cell === undefined) return "";
    if (typeof cell === "number") {
      if (Number.isInteger(cell)) return cell.toLocaleString("en-US");
      return Number(cell.toPrecision(this.digits)).toString();
    }
    return String(cell);
  }

  toString(): string {
    const text = [this.columns, ...this.rows.map((r) => r.map((c) => this.format(c)))];
    const widths = this.columns.map((_, j) => Math.max(...text.map((r) => [...r[j]].length)));
    const lines = text.map((r) => r.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd());
    lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
    return (this.caption ? `${this.caption}\n` : "") + lines.join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const head = this.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
    const body = this.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(this.format(c))}</td>`).join("")}</tr>`)
      .join("");
    const caption = this.caption ? `<caption>${escapeHtml(this.caption)}</caption>` : "";
    return checkedBundle({
      "text/html": `<table>${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`,
      "text/plain": this.toString(),
    }, `the table${this.caption ? ` "${this.caption}"` : ""} (${this.rows.length} rows)`);
  }
}

/** Builds a {@link Table} from records (columns are the keys of the first record, unless given). */
export function table(
  records: Record<string, TableCell>[],
  options: { columns?: string[]; caption?: string; digits?: number } = {},
): Table {
  const columns = options.columns ?? Object.keys(records[0] ?? {});
  return new Table(columns, records.map((r) => columns.map((c) => r[c])), options);
}
