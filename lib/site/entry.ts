/**
 * What the site knows about one executed notebook: where it lives, whether it is a paper and in which category, its
 * parsed paper header (or a fallback when the header does not parse), and the runner's record of the run.
 */
import { type Category, findCategory } from "../collection/categories.ts";
import { HeaderError, type PaperHeader, parsePaperHeader } from "../collection/header.ts";
import { type Notebook, sourceText } from "../notebook/nbformat.ts";
import type { ParameterRow } from "../parameters/parameter_spec.ts";

/** The runner's `metadata.paper_run`, read defensively (every field may be missing in an older file). */
export interface PaperRun {
  startedAt?: string;
  finishedAt?: string;
  durationS?: number;
  status?: "ok" | "error";
  /** 1-based position of the failing cell in the executed notebook. */
  failedCell?: number;
  /** The `-p` overrides. */
  parameters: Record<string, unknown>;
  /** The preset the run asked for (quick, paper, long, ...). */
  preset?: string;
  /** Every declared parameter with this run's value, default, paper value, constraint and meaning. */
  parameterTable?: ParameterRow[];
}

/** One executed notebook as the site shows it. */
export interface SiteEntry {
  /** The executed notebook file (for messages). */
  source: string;
  /** Its path below the output folder, with `/` separators, e.g. "image-classification/resnet.ipynb". */
  rel: string;
  /** Its page below the site folder, e.g. "image-classification/resnet.html". */
  page: string;
  notebook: Notebook;
  /** A paper notebook (notebooks/<category>/<slug>.ipynb), not a top-level guide or the template. */
  isPaper: boolean;
  category?: Category;
  /** The parsed header, when it follows the template. */
  header?: PaperHeader;
  /** Why the header did not parse (paper notebooks only). */
  headerProblem?: string;
  title: string;
  date?: string;
  venue?: string;
  run?: PaperRun;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

/** Reads `metadata.paper_run` into a {@link PaperRun}, or undefined when the notebook has none. */
export function paperRunOf(nb: Notebook): PaperRun | undefined {
  const r = nb.metadata.paper_run;
  if (!r || typeof r !== "object") return undefined;
  const run = r as Record<string, unknown>;
  return {
    startedAt: str(run.started_at),
    finishedAt: str(run.finished_at),
    durationS: typeof run.duration_s === "number" ? run.duration_s : undefined,
    status: run.status === "ok" || run.status === "error" ? run.status : undefined,
    failedCell: typeof run.failed_cell === "number" ? run.failed_cell : undefined,
    parameters: run.parameters && typeof run.parameters === "object" ? run.parameters as Record<string, unknown> : {},
    preset: str(run.preset),
    parameterTable: Array.isArray(run.parameter_table)
      ? (run.parameter_table as ParameterRow[]).filter((r) => r && typeof r.name === "string")
      : undefined,
  };
}

function titleCase(slug: string): string {
  return slug.split(/[-_\s]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
}

/** A category's name as the site shows it: "이미지 분류 / Image Classification", or the one name it has. */
export function categoryLabel(c: Category): string {
  return c.ko && c.en && c.ko !== c.en ? `${c.ko} / ${c.en}` : c.ko || c.en || c.slug;
}

function firstH1(nb: Notebook): string | undefined {
  const cell = nb.cells.find((c) => c.cell_type === "markdown");
  return cell ? sourceText(cell.source).match(/^# (.+)$/m)?.[1].trim() : undefined;
}

/** A guide's title; the paper template's H1 is an unfilled `[[...]]` field, so it is named as the template. */
export function guideTitle(h1: string | undefined): string | undefined {
  return h1 && /\[\[.*\]\]/.test(h1) ? "논문 템플릿 / Paper template" : h1;
}

/** Builds the site's view of an executed notebook found at `rel` below the output folder. */
export function siteEntry(nb: Notebook, rel: string, source: string): SiteEntry {
  const paperMeta = (nb.metadata.paper && typeof nb.metadata.paper === "object" ? nb.metadata.paper : undefined) as
    | Record<string, unknown>
    | undefined;
  const folder = rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : undefined;
  // Papers live in a category folder (notebooks/<category>/<slug>.ipynb, mirrored under out/); top-level notebooks
  // (getting_started, the template) are guides even when they carry `metadata.paper` placeholders.
  const isPaper = folder !== undefined;
  const stem = rel.slice(rel.lastIndexOf("/") + 1).replace(/\.ipynb$/, "");
  const entry: SiteEntry = {
    source,
    rel,
    page: rel.replace(/\.ipynb$/, ".html"),
    notebook: nb,
    isPaper,
    title: (isPaper ? str(paperMeta?.title) : undefined) ?? guideTitle(firstH1(nb)) ?? stem,
    date: isPaper ? str(paperMeta?.date) : undefined,
    venue: isPaper ? str(paperMeta?.venue) : undefined,
    run: paperRunOf(nb),
  };
  if (!isPaper) return entry;
  const slug = str(paperMeta?.category) ?? folder ?? "uncategorised";
  entry.category = findCategory(slug) ?? { slug, ko: "", en: titleCase(slug) };
  try {
    const header = parsePaperHeader(nb.cells, source);
    Object.assign(entry, { header, title: header.title, date: header.date, venue: header.venue });
  } catch (e) {
    if (!(e instanceof HeaderError)) throw e;
    entry.headerProblem = e.problems.join("; ");
  }
  return entry;
}
