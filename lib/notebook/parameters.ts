/**
 * Papermill-style parameters: the cell tagged `parameters` holds defaults; overrides from the command line
 * (`-p epochs=20`) go into a cell tagged `injected-parameters` inserted right after it, which redeclares them
 * (the Deno kernel allows redeclaring `const` in a later cell).
 *
 * A notebook that names a declared parameter set in `metadata.parameters` ({ module, export }, see
 * lib/parameters/parameter_spec.ts) gets more: its `-p` overrides and presets are checked against the set before a
 * kernel starts, a preset becomes explicit injected values, and the injected cell repeats the parameters cell's
 * closing `spec.check({...})` so that the values the notebook runs with are checked in the kernel as well.
 */
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Cell, codeCell, type Notebook, sourceText, tagsOf } from "./nbformat.ts";
import { isParameterSpec, ParameterError, type ParameterSpec, showValue } from "../parameters/parameter_spec.ts";

export { ParameterError } from "../parameters/parameter_spec.ts";

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * Parses `name=value` strings. A value that reads as JSON (numbers, true/false, null, arrays, objects, quoted
 * strings) is taken as JSON; anything else is a string.
 */
export function parseParameterArgs(args: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new ParameterError(`parameter "${arg}" is not of the form name=value (e.g. -p epochs=20)`);
    const name = arg.slice(0, eq).trim();
    if (!IDENT.test(name)) throw new ParameterError(`parameter name "${name}" is not a valid identifier`);
    const raw = arg.slice(eq + 1);
    try {
      out[name] = JSON.parse(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/** The names a parameters cell declares (`const x = ...`, `let y = ...`, `var z`). */
export function declaredNames(source: string): string[] {
  return [...source.matchAll(/^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
}

/** The end of a one-line statement: the text before its `;` or `//` comment (outside strings), or undefined. */
function statementText(rest: string): string | undefined {
  let quote = "";
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("[{(".includes(c)) depth++;
    else if ("]})".includes(c)) depth--;
    else if (depth === 0 && (c === ";" || rest.startsWith("//", i))) return rest.slice(0, i).trim();
  }
  return quote || depth !== 0 ? undefined : rest.trim();
}

/** The value of a literal as a parameters cell writes it (JSON, `undefined`, `1_000`, 'text'), or "unknown". */
export function parseLiteral(expr: string): { value: unknown } | "unknown" {
  const e = expr.trim();
  if (e === "undefined") return { value: undefined };
  if (/^[-+]?\d[\d_]*(\.\d[\d_]*)?([eE][-+]?\d+)?$/.test(e)) return { value: Number(e.replaceAll("_", "")) };
  if (/^'[^'\\"]*'$/.test(e)) return { value: e.slice(1, -1) };
  try {
    return { value: JSON.parse(e) };
  } catch {
    return "unknown";
  }
}

/**
 * The values a parameters cell assigns with one-line literals (`const steps = 150; // paper: 64000`); a name whose
 * value is an expression or spans lines is left out.
 */
export function cellLiterals(source: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of source.matchAll(/^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=(.*)$/gm)) {
    const text = statementText(m[2]);
    const parsed = text === undefined ? "unknown" : parseLiteral(text);
    if (parsed !== "unknown") out[m[1]] = parsed.value;
  }
  return out;
}

/** The source of an injected-parameters cell; `check` (the parameters cell's check call) is repeated at its end. */
export function injectedSource(
  parameters: Record<string, unknown>,
  options: { header?: string; check?: string } = {},
): string {
  const lines = Object.entries(parameters).map(([k, v]) => `const ${k} = ${showValue(v)};`);
  const header = options.header ?? "// Injected parameters (deno task run -p ...)";
  return [header, ...lines, ...(options.check ? [options.check] : [])].join("\n");
}

function parametersCellIndex(cells: readonly Cell[]): number {
  return cells.findIndex((c) => c.cell_type === "code" && tagsOf(c).includes("parameters"));
}

/**
 * Returns a copy of the notebook with an `injected-parameters` cell after the `parameters` cell (replacing an
 * earlier injected cell). Throws when parameters are given but the notebook has no parameters cell, or a name is
 * not declared there. With no parameters the notebook is returned unchanged.
 */
export function injectParameters(
  nb: Notebook,
  parameters: Record<string, unknown>,
  file: string,
  options: { header?: string; check?: string } = {},
): Notebook {
  if (Object.keys(parameters).length === 0) return nb;
  const cells = nb.cells.filter((c) => !tagsOf(c).includes("injected-parameters"));
  const at = parametersCellIndex(cells);
  if (at < 0) {
    throw new ParameterError(
      `${file}: no cell is tagged "parameters", so ${Object.keys(parameters).join(", ")} cannot be set; ` +
        `tag the cell that holds the defaults with "parameters"`,
    );
  }
  const declared = declaredNames(sourceText(cells[at].source));
  for (const name of Object.keys(parameters)) {
    if (!declared.includes(name)) {
      throw new ParameterError(
        `${file}: parameter "${name}" is not defined in the parameters cell (cell ${at + 1}); ` +
          `it defines: ${declared.join(", ") || "nothing"}`,
      );
    }
  }
  const injected: Cell = codeCell(injectedSource(parameters, options), { tags: ["injected-parameters"] });
  return { ...nb, cells: [...cells.slice(0, at + 1), injected, ...cells.slice(at + 1)] };
}

/** Where a notebook's declared parameter set lives (`metadata.parameters`): a lib module and its export. */
export interface ParameterSpecRef {
  /** `@lib/...` (the repository's lib/) or a path relative to the notebook, e.g. "@lib/resnet/parameters.ts". */
  module: string;
  /** The exported {@link ParameterSpec}, e.g. "resnetParameters". */
  export: string;
}

/** The notebook's `metadata.parameters`, or undefined when it declares no parameter set. */
export function parameterSpecRef(nb: Notebook, file: string): ParameterSpecRef | undefined {
  const ref = nb.metadata.parameters;
  if (ref === undefined) return undefined;
  const r = ref as Partial<ParameterSpecRef> | null;
  if (typeof r !== "object" || r === null || typeof r.module !== "string" || typeof r.export !== "string") {
    throw new ParameterError(
      `${file}: metadata.parameters must be { "module": "@lib/<paper>/parameters.ts", "export": "<name>" }, ` +
        `got ${JSON.stringify(ref)}`,
    );
  }
  return { module: r.module, export: r.export };
}

/** Imports the declared parameter set a notebook names; errors name the notebook and the module. */
export async function loadParameterSpec(ref: ParameterSpecRef, file: string): Promise<ParameterSpec> {
  let url: URL;
  if (ref.module.startsWith("@lib/")) url = new URL(`../${ref.module.slice("@lib/".length)}`, import.meta.url);
  else if (/^\.\.?\//.test(ref.module)) url = pathToFileURL(resolve(dirname(file), ref.module));
  else {
    throw new ParameterError(
      `${file}: metadata.parameters.module "${ref.module}" must start with "@lib/" or be relative to the notebook`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(url.href);
  } catch (e) {
    throw new ParameterError(`${file}: cannot import ${ref.module} (metadata.parameters): ${(e as Error).message}`);
  }
  const spec = mod[ref.export];
  if (!isParameterSpec(spec)) {
    throw new ParameterError(
      `${file}: ${ref.module} has no parameter set named "${ref.export}" (metadata.parameters.export); ` +
        "declare one with defineParameters",
    );
  }
  return spec;
}

/** The closing `spec.check({...})` statement of a parameters cell (to the end of the cell), or undefined. */
export function checkStatement(source: string, exportName: string): string | undefined {
  const lines = source.split("\n");
  const at = lines.findIndex((l) => new RegExp(`^\\s*${exportName.replace(/\$/g, "\\$")}\\.check\\(`).test(l));
  return at < 0 ? undefined : lines.slice(at).join("\n").trim();
}

/** What a run sets: the preset and `-p` overrides asked for, and the values that go into the injected cell. */
export interface ParameterPlan {
  /** The declared set and where it lives, when the notebook names one. */
  spec?: ParameterSpec;
  ref?: ParameterSpecRef;
  /** The preset asked for (`--preset NAME` or `-p preset=NAME`). */
  preset?: string;
  /** The `-p` overrides, as given. */
  overrides: Record<string, unknown>;
  /** What the injected cell sets: the preset's values, then the overrides. */
  injected: Record<string, unknown>;
  /** Every parameter's value for this run, where known (the parameters cell's literals, then the injected values). */
  values: Record<string, unknown>;
  /** The parameters cell's closing check call, repeated by the injected cell. */
  check?: string;
}

/**
 * Resolves a run's preset and overrides against the notebook's declared parameter set (when it names one in
 * `metadata.parameters`) and checks them before any kernel starts: an unknown name or preset, a value that breaks
 * its constraint, or a parameters cell that does not match its declared set throws a {@link ParameterError} naming
 * the notebook, each bad parameter, what is allowed and the paper's value.
 */
export async function planParameters(
  nb: Notebook,
  file: string,
  request: { parameters?: Record<string, unknown>; preset?: string } = {},
): Promise<ParameterPlan> {
  const given = { ...request.parameters };
  const ref = parameterSpecRef(nb, file);
  const at = parametersCellIndex(nb.cells);
  const source = at < 0 ? "" : sourceText(nb.cells[at].source);
  if (!ref) {
    if (request.preset !== undefined || ("preset" in given && !declaredNames(source).includes("preset"))) {
      throw new ParameterError(
        `${file}: declares no parameter set (metadata.parameters), so it has no presets; set values with -p name=value`,
      );
    }
    injectParameters(nb, given, file); // throws naming a name the parameters cell does not define
    return { overrides: given, injected: given, values: { ...cellLiterals(source), ...given } };
  }
  const spec = await loadParameterSpec(ref, file);
  if (at < 0) {
    throw new ParameterError(
      `${file}: metadata.parameters names ${ref.module}, but no cell is tagged "parameters"; tag the cell that ` +
        "assigns the defaults",
    );
  }
  const declared = declaredNames(source);
  const undeclared = declared.filter((n) => !spec.names.includes(n));
  const unassigned = spec.names.filter((n) => !declared.includes(n));
  if (undeclared.length || unassigned.length) {
    throw new ParameterError(
      `${file}: the parameters cell (cell ${at + 1}) does not match its declared set in ${spec.file}: ` +
        [
          undeclared.length ? `it assigns ${undeclared.join(", ")}, which ${spec.file} does not declare` : "",
          unassigned.length ? `it does not assign ${unassigned.join(", ")}` : "",
        ].filter(Boolean).join("; ") +
        `. Declare each parameter in ${spec.file} (default, paper value, meaning, constraint) and assign it in the ` +
        "cell; computed values belong in a later cell",
    );
  }
  const check = checkStatement(source, ref.export);
  if (!check) {
    throw new ParameterError(
      `${file}: the parameters cell (cell ${at + 1}) does not end with ${ref.export}.check({ ${
        spec.names.join(", ")
      } }); add it so the values are checked when the cell runs`,
    );
  }
  let preset = request.preset;
  if ("preset" in given) {
    const p = given.preset;
    delete given.preset;
    if (typeof p !== "string") throw new ParameterError(`${file}: -p preset=${showValue(p)} is not a preset name`);
    if (preset !== undefined && preset !== p) {
      throw new ParameterError(`${file}: --preset ${preset} and -p preset=${p} disagree; give one`);
    }
    preset = p;
  }
  const presetValues = preset === undefined ? {} : presetOf(spec, preset, file);
  const injected = { ...presetValues, ...given };
  const values = { ...cellLiterals(source), ...injected };
  const problems = spec.problems(values);
  if (problems.length) {
    const fromPreset = problems.map((p) => p.name).filter((n) => n in presetValues && !(n in given));
    throw new ParameterError(
      `${file}: ${spec.describe(problems)}` +
        (fromPreset.length ? `\n(preset "${preset}" set ${fromPreset.join(", ")})` : "") +
        "\nChecked before starting the kernel: nothing ran.",
    );
  }
  return { spec, ref, preset, overrides: given, injected, values, check };
}

function presetOf(spec: ParameterSpec, name: string, file: string): Record<string, unknown> {
  try {
    return spec.preset(name).values;
  } catch (e) {
    throw new ParameterError(`${file}: ${(e as Error).message}`);
  }
}

/** The notebook with the plan's injected cell (none when the plan sets nothing). */
export function applyParameterPlan(nb: Notebook, plan: ParameterPlan, file: string): Notebook {
  const what = [
    ...(plan.preset === undefined ? [] : [`--preset ${plan.preset}`]),
    ...Object.entries(plan.overrides).map(([k, v]) => `-p ${k}=${showValue(v)}`),
  ];
  return injectParameters(nb, plan.injected, file, {
    header: `// Injected parameters (deno task run${what.length ? ` ${what.join(" ")}` : ""})`,
    check: plan.check,
  });
}

/**
 * What an executed copy records about its parameters (`metadata.paper_run`): the `-p` overrides, the preset, the
 * values injected, and with a declared set the table of every parameter with this run's value.
 */
export function parameterRecord(plan: ParameterPlan): Record<string, unknown> {
  return {
    parameters: plan.overrides,
    ...(plan.preset === undefined ? {} : { preset: plan.preset, injected: plan.injected }),
    ...(plan.spec && plan.ref
      ? { parameter_set: `${plan.ref.module}#${plan.ref.export}`, parameter_table: plan.spec.rows(plan.values) }
      : {}),
  };
}

/**
 * Plans, checks and injects a run's parameters ({@link planParameters}, {@link applyParameterPlan}); returns the
 * notebook to execute and the record for its `metadata.paper_run`.
 */
export async function prepareParameters(
  nb: Notebook,
  file: string,
  request: { parameters?: Record<string, unknown>; preset?: string } = {},
): Promise<{ notebook: Notebook; record: Record<string, unknown> }> {
  const plan = await planParameters(nb, file, request);
  return { notebook: applyParameterPlan(nb, plan, file), record: parameterRecord(plan) };
}

/**
 * The `deno task run NOTEBOOK --help` text of one notebook: its declared parameters (name, default, paper value,
 * allowed values, meaning) and presets, like `papermill --help-notebook`; for a notebook without a declared set, the
 * names and values its parameters cell assigns.
 */
export async function parameterHelp(nb: Notebook, file: string): Promise<string> {
  const ref = parameterSpecRef(nb, file);
  if (ref) return (await loadParameterSpec(ref, file)).help(file);
  const at = parametersCellIndex(nb.cells);
  if (at < 0) return `${file}: no cell is tagged "parameters", so nothing can be set with -p`;
  const source = sourceText(nb.cells[at].source);
  const literals = cellLiterals(source);
  const lines = declaredNames(source).map((n) =>
    `  ${n} = ${n in literals ? showValue(literals[n]) : "(an expression)"}`
  );
  return [
    `${file} — no declared parameter set (metadata.parameters); its parameters cell (cell ${at + 1}) assigns:`,
    ...lines,
    "Set one with -p name=value (the value is JSON).",
  ].join("\n");
}

/** A run's parameters in a few words for progress lines and summaries: "preset long, steps=300", or "defaults". */
export function planSummary(plan: Pick<ParameterPlan, "preset" | "overrides">): string {
  const parts = [
    ...(plan.preset === undefined ? [] : [`preset ${plan.preset}`]),
    ...Object.entries(plan.overrides).map(([k, v]) => `${k}=${showValue(v)}`),
  ];
  return parts.length ? parts.join(", ") : "defaults";
}
