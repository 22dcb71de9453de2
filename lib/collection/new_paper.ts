/**
 * Adds the next paper the way the group's template describes (title, date and venue, purpose and
 * conclusion from the abstract, keywords with explanations): a notebook from notebooks/template.ipynb under
 * notebooks/<category>/<slug>.ipynb with its own declared parameter set in lib/<slug>/parameters.ts, and the
 * collection index notebooks/README.md regenerated.
 */
import { dirname, join, relative, resolve } from "node:path";
import { type Category, findCategory, slugify } from "./categories.ts";
import { findNotebooks, isPaperNotebook } from "./collection.ts";
import { type Notebook, readNotebook, serializeNotebook, sourceText, toLines } from "../notebook/nbformat.ts";

/** What `new-paper` needs to know about the paper. */
export interface NewPaperOptions {
  /** The paper's title, e.g. "Attention Is All You Need (Transformer)". */
  title: string;
  /** A known category (slug, English or Korean name) or a new English name (then `categoryKo` is required). */
  category: string;
  /** Korean name of a new category, e.g. "자연어 처리". */
  categoryKo?: string;
  /** Publication date: "12 Jun 2017" or "2017-06-12". */
  date: string;
  /** Venue, e.g. "NIPS". */
  venue: string;
  /** File name without .ipynb; default: from the title. */
  slug?: string;
  /** Purpose and conclusion from the abstract, Korean and English; left as template fields when omitted. */
  purposeKo?: string;
  purposeEn?: string;
  conclusionKo?: string;
  conclusionEn?: string;
  /** The collection folder. Default: "notebooks". */
  notebooksDir?: string;
  /** The lib folder, where the paper's parameter set goes (<libDir>/<slug>/parameters.ts). Default: "lib". */
  libDir?: string;
}

/** A new-paper request that cannot be carried out; the message says which value is at fault. */
export class NewPaperError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NewPaperError";
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Normalises "10 Dec 2015", "2015-12-10" or "December 10, 2015" to the template's "10 Dec 2015". */
export function normalizeDate(text: string): string {
  const t = text.trim();
  let m = t.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) return `${d} ${MONTHS[mo - 1]} ${y}`;
  }
  m = t.match(/^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$/);
  if (m) {
    const mo = MONTHS.findIndex((x) => x.toLowerCase() === m![2].toLowerCase());
    if (mo >= 0 && Number(m[1]) >= 1 && Number(m[1]) <= 31) return `${Number(m[1])} ${MONTHS[mo]} ${m[3]}`;
  }
  m = t.match(/^([A-Za-z]{3})[a-z]* (\d{1,2}),? (\d{4})$/);
  if (m) {
    const mo = MONTHS.findIndex((x) => x.toLowerCase() === m![1].toLowerCase());
    if (mo >= 0) return `${Number(m[2])} ${MONTHS[mo]} ${m[3]}`;
  }
  throw new NewPaperError(`--date "${text}" is not a date like "10 Dec 2015" or "2015-12-10"`);
}

function assertName(value: string, flag: string): void {
  if (/[\/\\]|\.\./.test(value)) {
    throw new NewPaperError(
      `${flag} "${value}" looks like a path; give a name (notebooks are written under notebooks/)`,
    );
  }
}

function resolveCategory(options: NewPaperOptions): Category {
  assertName(options.category, "--category");
  const known = findCategory(options.category);
  if (known) return known;
  const slug = slugify(options.category);
  if (!slug) throw new NewPaperError(`--category "${options.category}" has no letters or digits to name a folder`);
  if (!options.categoryKo) {
    throw new NewPaperError(
      `--category "${options.category}" is new; give its Korean name with --category-ko (e.g. --category-ko "자연어 처리")`,
    );
  }
  return { slug, en: options.category.trim(), ko: options.categoryKo.trim() };
}

function fill(text: string, fields: Record<string, string | undefined>): string {
  let out = text;
  for (const [marker, value] of Object.entries(fields)) {
    if (value !== undefined && value.trim() !== "") out = out.replaceAll(marker, value.trim());
  }
  return out;
}

/** The paper template's parameter set, which a new paper's starts as a copy of. */
const TEMPLATE_PARAMETERS = new URL("./template_parameters.ts", import.meta.url);

/**
 * The source of a new paper's parameter set, lib/<slug>/parameters.ts: a copy of the template's
 * (template_parameters.ts) under the paper's names, to be extended with the paper's own parameters.
 */
export async function paperParametersSource(
  options: { title: string; notebook: string; file: string; exportName: string },
): Promise<string> {
  const title = options.title.replaceAll("*/", "* /");
  const template = await Deno.readTextFile(TEMPLATE_PARAMETERS);
  const body = template.slice(template.indexOf("*/") + 2).replace(/^\s*/, "");
  return `/**
 * The declared parameters of ${options.notebook} (${title}): quick defaults, the paper's settings,
 * meanings and constraints, and the presets quick, paper and long. The notebook's parameters cell assigns the
 * defaults and ends with \`${options.exportName}.check({...})\`; declare each new parameter here too.
 */
` + body
    .replace("The parameters of the paper template", `The parameters of ${title}`)
    .replaceAll("templateParameters", options.exportName)
    .replace('"lib/collection/template_parameters.ts"', JSON.stringify(options.file));
}

/** The export name of a paper's parameter set: "attention-is-all-you-need" → "attentionIsAllYouNeedParameters". */
export function parametersExportName(slug: string): string {
  const camel = slug.split("-").filter(Boolean).map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
  return `${/^[a-z]/.test(camel) ? camel : `paper${camel}`}Parameters`;
}

/**
 * Creates the notebook and its parameter set lib/<slug>/parameters.ts (never overwriting either) and regenerates the
 * index; returns the new notebook's path.
 */
export async function createPaperNotebook(options: NewPaperOptions): Promise<string> {
  const notebooksDir = options.notebooksDir ?? "notebooks";
  const title = options.title.trim();
  if (!title) throw new NewPaperError("--title is empty");
  if (/\[\[|\]\]|\n/.test(title)) throw new NewPaperError(`--title "${title}" contains "[[", "]]" or a line break`);
  const venue = options.venue.trim();
  if (!venue) throw new NewPaperError("--venue is empty");
  const date = normalizeDate(options.date);
  const category = resolveCategory(options);
  if (options.slug !== undefined) assertName(options.slug, "--slug");
  const slug = slugify(options.slug ?? title);
  if (!slug) throw new NewPaperError(`cannot make a file name from --title "${title}"; give one with --slug`);
  const dir = resolve(notebooksDir, category.slug);
  const file = join(dir, `${slug}.ipynb`);
  if (relative(resolve(notebooksDir), file).startsWith("..")) {
    throw new NewPaperError(`${file} is outside ${notebooksDir}/`);
  }

  const libDir = options.libDir ?? "lib";
  const specPath = join(libDir, slug, "parameters.ts");
  const spec = {
    module: `@lib/${slug}/parameters.ts`,
    export: parametersExportName(slug),
    file: `lib/${slug}/parameters.ts`,
  };
  try {
    await Deno.lstat(specPath);
    throw new NewPaperError(
      `${specPath} already exists; choose another --slug (nothing was overwritten)`,
    );
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const template = await readNotebook(join(notebooksDir, "template.ipynb"));
  const templateSpec = template.metadata.parameters as { module?: string; export?: string } | undefined;
  const ownSpec = (text: string): string =>
    templateSpec?.module && templateSpec.export
      ? text.replaceAll(templateSpec.module, spec.module).replaceAll(templateSpec.module.replace(/^@/, ""), spec.file)
        .replaceAll(templateSpec.export, spec.export)
      : text;
  const header = fill(sourceText(template.cells[0].source), {
    "[[논문 제목 / Paper title]]": title,
    "[[10 Dec 2015]]": date,
    "[[Venue]]": venue,
    "[[Abstract에 나온 목적을 한국어로 한두 문장]]": options.purposeKo,
    "[[The purpose stated in the abstract, in English]]": options.purposeEn,
    "[[Abstract에 나온 결론을 한국어로]]": options.conclusionKo,
    "[[The conclusion stated in the abstract, in English]]": options.conclusionEn,
  });
  const nb: Notebook = {
    ...template,
    metadata: {
      ...template.metadata,
      paper: { title, date, venue, category: category.slug, category_ko: category.ko, category_en: category.en },
      parameters: { module: spec.module, export: spec.export },
    },
    cells: template.cells.map((c, i) => ({
      ...structuredClone(c),
      id: crypto.randomUUID().replaceAll("-", "").slice(0, 12),
      ...(i === 0
        ? { source: toLines(header) }
        : c.cell_type === "code"
        ? { source: toLines(ownSpec(sourceText(c.source))) }
        : {}),
    })),
  };
  await Deno.mkdir(dir, { recursive: true });
  try {
    await Deno.writeTextFile(file, serializeNotebook(nb), { createNew: true });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new NewPaperError(`${relative(".", file)} already exists; choose another --slug (nothing was overwritten)`);
    }
    throw e;
  }
  await Deno.mkdir(dirname(specPath), { recursive: true });
  await Deno.writeTextFile(
    specPath,
    await paperParametersSource({
      title,
      notebook: `notebooks/${category.slug}/${slug}.ipynb`,
      file: spec.file,
      exportName: spec.export,
    }),
    { createNew: true },
  );
  await writeCollectionIndex(notebooksDir);
  return file;
}

/** One paper of the collection index. */
export interface IndexEntry {
  file: string;
  title: string;
  date: string;
  venue: string;
  category: Category;
}

/** The paper notebooks under `notebooksDir` with their metadata.paper, in index order. */
export async function collectionEntries(notebooksDir = "notebooks"): Promise<IndexEntry[]> {
  const entries: IndexEntry[] = [];
  for (const file of await findNotebooks([notebooksDir])) {
    if (!isPaperNotebook(file, notebooksDir)) continue;
    const nb = await readNotebook(file);
    const p = (nb.metadata.paper ?? {}) as Record<string, string | undefined>;
    const slug = relative(resolve(notebooksDir), resolve(file)).split("/")[0];
    const category = findCategory(slug) ??
      { slug, ko: p.category_ko ?? slug, en: p.category_en ?? slug };
    entries.push({
      file: relative(notebooksDir, file),
      title: p.title ?? slug,
      date: p.date ?? "",
      venue: p.venue ?? "",
      category,
    });
  }
  return entries;
}

/**
 * How the notebooks are written, at the end of the collection index: the two-language convention
 * (lib/collection/languages.ts), the keywords after the header, Try-it exercises, look-inside cells and speaker notes,
 * which the notebook lint (lib/collection/notebook_lint.ts) checks.
 */
export const WRITING_GUIDE: readonly string[] = [
  "## 쓰는 법 / How the notebooks are written",
  "",
  "- **두 언어 / Two languages.** 노트북은 두 언어를 모두 담고, 사이트와 발표 자료는 한 언어만 보여 줄 수 있습니다 " +
  "(한국어 / English / 둘 다). / Notebooks keep both languages; the site and the decks can show one (한국어 / English / " +
  "둘 다).",
  "  - 문단, 목록 항목, 인용 문단은 한 언어로 씁니다: 한글이 있으면 한국어, 없으면 영어. 한국어 블록 다음에 영어 블록. " +
  "/ A paragraph, list item or quoted paragraph is in one language: Korean if it has Hangul, else English; the Korean " +
  "block first, then the English one.",
  "  - 짧은 글은 `한국어 / English` 쌍으로 씁니다 (빗금 앞뒤에 빈칸): 제목 `## 2. 잔차 학습 / §3.1 Residual learning`, " +
  "키워드, 굵은 이름표, 표 제목, 그림 제목. ` — `는 쌍을 여럿으로 나눕니다. / Short texts are pairs `한국어 / English` " +
  "(a slash with a space on each side): headings, keywords, bold labels, table captions, figure titles; ` — ` " +
  "separates several pairs.",
  "  - 조사는 라틴 문자, 숫자, 수식, 코드 뒤에 붙여 씁니다 (`ResNet은`, `0으로`, `$p_g$가`). / Korean particles attach " +
  "to Latin words, numbers, formulas and code without a space.",
  "- **키워드 / Keywords.** 머리말 바로 다음 셀입니다: `- **한국어 / English** — 한국어 설명 / English " +
  "explanation`, 한국어 설명도 영어만큼 자세히. / The cell right after the header; the Korean explanation as " +
  "complete as the English.",
  "- **해 보기 / Try it.** 각 절은 바꿔 볼 것과 볼 것을 담은 `### 해 보기: … / Try it: …` 셀 한두 개로 끝나고, 풀이는 " +
  "`<details>` / `<summary>풀이 / Solution</summary>` 안에 접어 둡니다. 풀이는 이 실행이 보여 주지 않을 수도 있는 " +
  "결과를 단정하지 않고, 무엇을 비교하고 출력된 판정이 어떻게 알려 주는지 말합니다. / Each section ends with one to " +
  "three Try-it cells; the solution is folded in `<details>`, and says what to compare and how the printed verdicts " +
  "tell, never asserting an outcome the reader's run may not show.",
  "- **코드 보기 / Look inside.** 논문의 생각이 코드인 곳에서는 `await lookInside(fn)` (lib/display) 셀이 lib의 선언을 " +
  "파일과 줄 번호와 함께 보여 줍니다. / Where the paper's idea is code, an `await lookInside(fn)` cell shows the lib " +
  "declaration with its file and line.",
  "- **발표 노트 / Speaker notes.** 절마다 `#### 발표 노트 / Speaker notes — N분 / N min` 셀 하나 " +
  "(lib/collection/speaker_notes.ts). / One speaker-notes cell per section.",
  "",
  "`deno task test`의 노트북 검사 (lib/collection/notebook_lint.ts)가 이 규칙을 확인합니다. / The test suite's notebook " +
  "lint checks these rules.",
];

/** The collection index (notebooks/README.md): papers grouped by category, in Korean and English, then the guide. */
export function renderCollectionIndex(entries: readonly IndexEntry[]): string {
  const lines = [
    "# 논문 노트북 모음 / The collection",
    "",
    "<!-- Generated by `deno task new-paper`; regenerate with `deno task new-paper --reindex`. -->",
    "",
    "- [시작하기 / Getting started](getting_started.ipynb)",
    "- [논문 템플릿 / Paper template](template.ipynb)",
  ];
  const bySlug = new Map<string, IndexEntry[]>();
  for (const e of entries) bySlug.set(e.category.slug, [...(bySlug.get(e.category.slug) ?? []), e]);
  for (const group of bySlug.values()) {
    const c = group[0].category;
    lines.push("", `## ${c.ko} / ${c.en}`, "");
    for (const e of group) lines.push(`- [${e.title}](${e.file}) — ${e.date} · ${e.venue}`);
  }
  lines.push("", ...WRITING_GUIDE);
  return lines.join("\n") + "\n";
}

/** Regenerates notebooks/README.md from the notebooks on disk. */
export async function writeCollectionIndex(notebooksDir = "notebooks"): Promise<string> {
  const file = join(notebooksDir, "README.md");
  await Deno.writeTextFile(file, renderCollectionIndex(await collectionEntries(notebooksDir)));
  return file;
}
