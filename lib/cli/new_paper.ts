/**
 * `deno task new-paper --title ... --category ... --date ... --venue ...`: adds a paper notebook from the template
 * and updates notebooks/README.md; `deno task new-paper --reindex` only regenerates the index.
 */
import { parseArgs } from "node:util";
import { createPaperNotebook, NewPaperError, writeCollectionIndex } from "../collection/new_paper.ts";

/** lib/<slug>/parameters.ts for notebooks/<category>/<slug>.ipynb. */
const parametersFile = (file: string): string => `lib/${file.split("/").at(-1)!.replace(/\.ipynb$/, "")}/parameters.ts`;
import { KNOWN_CATEGORIES } from "../collection/categories.ts";

const USAGE = `usage: deno task new-paper --title TITLE --category CATEGORY --date DATE --venue VENUE [options]

  --title          the paper's title, e.g. "Attention Is All You Need (Transformer)"
  --category       ${KNOWN_CATEGORIES.map((c) => `${c.slug} (${c.ko})`).join(", ")}, or a new English name
  --category-ko    Korean name of a new category
  --date           publication date, e.g. "12 Jun 2017" or 2017-06-12
  --venue          e.g. NIPS, CVPR, arXiv
  --slug           file name (default: from the title)
  --purpose-ko, --purpose-en, --conclusion-ko, --conclusion-en
                   purpose and conclusion from the abstract (else left for you to fill in the header cell)
  --reindex        only regenerate notebooks/README.md`;

const STRING_FLAGS = [
  "title",
  "category",
  "category-ko",
  "date",
  "venue",
  "slug",
  "purpose-ko",
  "purpose-en",
  "conclusion-ko",
  "conclusion-en",
] as const;
const options: Record<string, { type: "string" | "boolean" }> = {
  reindex: { type: "boolean" },
  help: { type: "boolean" },
};
for (const k of STRING_FLAGS) options[k] = { type: "string" };
let args;
try {
  args = parseArgs({ args: Deno.args, options, strict: true });
} catch (e) {
  console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
  Deno.exit(2);
}
const v = args.values as Record<string, string | undefined> & { reindex?: boolean; help?: boolean };
if (v.help) {
  console.log(USAGE);
  Deno.exit(0);
}
try {
  if (v.reindex) {
    console.log(`wrote ${await writeCollectionIndex()}`);
    Deno.exit(0);
  }
  const missing = ["title", "category", "date", "venue"].filter((k) => !v[k]);
  if (missing.length) throw new NewPaperError(`missing ${missing.map((k) => `--${k}`).join(", ")}`);
  const file = await createPaperNotebook({
    title: v.title!,
    category: v.category!,
    categoryKo: v["category-ko"],
    date: v.date!,
    venue: v.venue!,
    slug: v.slug,
    purposeKo: v["purpose-ko"],
    purposeEn: v["purpose-en"],
    conclusionKo: v["conclusion-ko"],
    conclusionEn: v["conclusion-en"],
  });
  console.log(
    `created ${file}\ncreated its parameter set ${parametersFile(file)}\nupdated notebooks/README.md\n` +
      `next: fill the [[...]] fields of the header and sections, declare each parameter in ${parametersFile(file)}, ` +
      `then deno task run ${file}`,
  );
} catch (e) {
  if (!(e instanceof NewPaperError)) throw e;
  console.error(`error: ${e.message}\n\n${USAGE}`);
  Deno.exit(2);
}
