/**
 * The paper header every paper notebook opens with, after the group's template: title (large),
 * date and venue (small), purpose and conclusion from the abstract, and a keywords section with explanations — in
 * Korean and English.
 *
 * Shape of the first cell (markdown):
 *
 * ```md
 * # Deep Residual Learning for Image Recognition (ResNet)
 *
 * ###### 10 Dec 2015 · CVPR
 *
 * **목적** — 깊은 네트워크를 쉽게 훈련시키기 위해 ...
 *
 * **Purpose** — Ease the training of much deeper networks ...
 *
 * **결론** — ...
 *
 * **Conclusion** — ...
 * ```
 *
 * (one paragraph per field, each starting its line; `deno fmt` keeps them with `proseWrap: "preserve"`)
 *
 * and, right after it (the group's template; the notebook lint checks the place), a markdown cell starting with
 * `## 키워드 / Keywords` whose bullets read
 * `- **term** — 한국어 설명 / English explanation`.
 */

/** The parsed header of a paper notebook. */
export interface PaperHeader {
  title: string;
  date: string;
  venue: string;
  purposeKo: string;
  purposeEn: string;
  conclusionKo: string;
  conclusionEn: string;
  keywords: { term: string; explanation: string }[];
}

/** A problem found in a paper header: what is missing or malformed, and how to fix it. */
export class HeaderError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: the paper header does not follow notebooks/template.ipynb:\n  - ${problems.join("\n  - ")}`);
    this.name = "HeaderError";
  }
}

const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;
const LATIN_WORD = /[A-Za-z]{3,}/;
const DATE = /^(\d{1,2} [A-Z][a-z]{2} \d{4})$/;

function sourceOf(cell: { source: string | string[] }): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

function field(text: string, label: string): string {
  const m = text.match(new RegExp(`^\\*\\*${label}\\*\\*\\s*[—:-]\\s*(.+)$`, "m"));
  return m ? m[1].trim() : "";
}

/**
 * Parses and validates the header of a paper notebook (`file` names it in errors). Throws {@link HeaderError} listing
 * every problem at once.
 */
export function parsePaperHeader(
  cells: readonly { cell_type: string; source: string | string[] }[],
  file: string,
): PaperHeader {
  const problems: string[] = [];
  const first = cells[0];
  const head = first && first.cell_type === "markdown" ? sourceOf(first) : "";
  if (!head) problems.push("the first cell must be a markdown cell with the paper header");
  for (const m of head.matchAll(/\[\[(.+?)\]\]/g)) problems.push(`unfilled template field [[${m[1]}]]`);
  const title = head.match(/^# (.+)$/m)?.[1].trim() ?? "";
  if (!title) problems.push("no title: the header's first line is `# <paper title>`");
  const dv = head.match(/^###### (.+?) · (.+)$/m);
  const date = dv?.[1].trim() ?? "";
  const venue = dv?.[2].trim() ?? "";
  if (!dv) problems.push("no date and venue: add a line `###### 10 Dec 2015 · CVPR`");
  else if (!DATE.test(date)) problems.push(`date "${date}" is not like "10 Dec 2015"`);
  const purposeKo = field(head, "목적");
  const purposeEn = field(head, "Purpose");
  const conclusionKo = field(head, "결론");
  const conclusionEn = field(head, "Conclusion");
  for (
    const [label, value, lang] of [
      ["목적", purposeKo, "ko"],
      ["Purpose", purposeEn, "en"],
      ["결론", conclusionKo, "ko"],
      ["Conclusion", conclusionEn, "en"],
    ] as const
  ) {
    if (!value) problems.push(`no **${label}** — ... line`);
    else if (lang === "ko" && !HANGUL.test(value)) problems.push(`**${label}** should be written in Korean`);
    else if (lang === "en" && !LATIN_WORD.test(value)) problems.push(`**${label}** should be written in English`);
  }
  const kwCell = cells.find((c) => c.cell_type === "markdown" && /^## 키워드 \/ Keywords\s*$/m.test(sourceOf(c)));
  const keywords: { term: string; explanation: string }[] = [];
  if (!kwCell) problems.push("no keywords section: add a markdown cell starting `## 키워드 / Keywords`");
  else {
    // A bullet may continue on indented lines (as markdown allows); join them before matching.
    const joined = sourceOf(kwCell).replace(/\n[ \t]+(?=\S)/g, " ");
    for (const m of joined.matchAll(/^- \*\*(.+?)\*\*\s*[—:-]\s*(.+)$/gm)) {
      keywords.push({ term: m[1].trim(), explanation: m[2].trim() });
    }
    for (const m of sourceOf(kwCell).matchAll(/\[\[(.+?)\]\]/g)) {
      problems.push(`unfilled template field [[${m[1]}]] in the keywords`);
    }
    if (keywords.length === 0) problems.push("the keywords section has no `- **term** — 설명 / explanation` bullet");
    for (const k of keywords) {
      if (!HANGUL.test(k.explanation) || !LATIN_WORD.test(k.explanation)) {
        problems.push(`keyword "${k.term}" needs its explanation in Korean and English`);
      }
    }
  }
  if (problems.length) throw new HeaderError(file, problems);
  return { title, date, venue, purposeKo, purposeEn, conclusionKo, conclusionEn, keywords };
}
