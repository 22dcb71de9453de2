/**
 * Declared parameter sets. Each notebook's values are declared once, in lib (e.g. lib/resnet/parameters.ts): per
 * parameter its quick default, the paper's value, a one-line meaning in Korean and English, and its constraint (a zod
 * schema, and the same rule in words for people). The notebook's `parameters` cell stays plain `const x = ...;`
 * lines and ends with `spec.check({ x, ... })`, which throws one {@link ParameterError} naming every bad value.
 * `deno task run` imports the same spec (named by the notebook's `metadata.parameters`) to check `-p` overrides
 * before it starts a kernel, to turn a preset into explicit values, and to print `--help`.
 */
import { z } from "zod";

/** A parameter value that is not allowed, or an override that cannot be applied; the message says what to change. */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParameterError";
  }
}

/** One declared parameter. */
export interface ParameterDeclaration<S extends z.ZodType = z.ZodType> {
  /** The quick default: the value the notebook's parameters cell assigns. */
  default: z.output<S>;
  /** The paper's value, when one value of this parameter states it. */
  paper?: z.output<S>;
  /** The paper's setting in words, when no single value states it, or a remark on `paper`. */
  paperNote?: string;
  /** What the parameter means, one line in Korean. */
  ko: string;
  /** What the parameter means, one line in English. */
  en: string;
  /** What is allowed, in words (e.g. "integer ≥ 1"); `schema` checks it. */
  allowed: string;
  /** The constraint as a zod schema. */
  schema: S;
}

/** The schemas of a parameter set, by parameter name. */
export type ParameterSchemas = Record<string, z.ZodType>;

/** The values of a parameter set. */
export type ParameterValues<S extends ParameterSchemas> = { -readonly [K in keyof S]: z.output<S[K]> };

/** A named group of values declared beside the parameters (`--preset NAME`). */
export interface PresetDeclaration<S extends ParameterSchemas> {
  ko: string;
  en: string;
  values: Partial<ParameterValues<S>>;
}

/** A rule across parameters broken by some values: the parameter at fault and why. */
export interface CrossProblem {
  name: string;
  message: string;
}

/** Options of {@link defineParameters}. */
export interface ParameterSpecOptions<S extends ParameterSchemas> {
  /** The file that declares the set, relative to the repository (e.g. "lib/resnet/parameters.ts"), for messages. */
  file: string;
  /**
   * Presets besides the two every set has: "quick" (the defaults) and "paper" (every declared paper value).
   * "long" is the usual third: the experiments at a size worth hours.
   */
  presets?: Record<string, PresetDeclaration<S>>;
  /** Rules across parameters, run when every value passes its own schema. */
  refine?: (values: ParameterValues<S>) => CrossProblem[];
}

/** A value that breaks its constraint: the parameter, the value given and why. */
export interface ParameterProblem {
  name: string;
  value: unknown;
  reason: string;
}

/** One row of a parameter table (`--help`, the site): every field is display text. */
export interface ParameterRow {
  name: string;
  /** The value of a run, when the row describes one. */
  value?: string;
  default: string;
  paper: string;
  allowed: string;
  ko: string;
  en: string;
}

const SPEC_BRAND = Symbol.for("paper-notebooks.parameter-spec");

/** A value as a reader types it: JSON, with `undefined`, `NaN` and spaces after commas in lists. */
export function showValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(", ")}]`;
  if (typeof value === "bigint" || typeof value === "function" || typeof value === "symbol") return String(value);
  return JSON.stringify(value) ?? String(value);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = v === null || v === undefined ? undefined : (v as Record<PropertyKey, unknown>)[p];
  return v;
}

const PRESET_QUICK = {
  ko: "빠른 기본값 (parameters 셀의 값)",
  en: "the quick defaults (the parameters cell's values)",
};
const PRESET_PAPER = { ko: "논문의 설정", en: "the paper's settings (every declared paper value)" };

/** A declared parameter set; build one with {@link defineParameters}. */
export class ParameterSpec<S extends ParameterSchemas = ParameterSchemas> {
  /** Marks specs across copies of this module (a runner and a kernel may load it twice). */
  readonly [SPEC_BRAND] = true;
  readonly declarations: { readonly [K in keyof S]: ParameterDeclaration<S[K]> };
  readonly file: string;
  private readonly presets: Record<string, PresetDeclaration<S>>;
  /** Typed loosely so that every set is a `ParameterSpec` (the rules see values that passed their schemas). */
  private readonly refine?: (values: Record<string, unknown>) => CrossProblem[];

  constructor(declarations: { [K in keyof S]: ParameterDeclaration<S[K]> }, options: ParameterSpecOptions<S>) {
    this.declarations = declarations;
    this.file = options.file;
    this.refine = options.refine as ((values: Record<string, unknown>) => CrossProblem[]) | undefined;
    for (const reserved of ["quick", "paper"]) {
      if (options.presets && reserved in options.presets) {
        throw new ParameterError(
          `${options.file}: preset "${reserved}" is built in (quick: the defaults; paper: the declared paper values); ` +
            "declare it under another name",
        );
      }
    }
    const paper = Object.fromEntries(
      Object.entries(declarations).filter(([, d]) => "paper" in d && d.paper !== undefined).map((
        [k, d],
      ) => [k, d.paper]),
    ) as Partial<ParameterValues<S>>;
    this.presets = {
      quick: { ...PRESET_QUICK, values: {} },
      paper: { ...PRESET_PAPER, values: paper },
      ...options.presets,
    };
    this.assertConsistent();
  }

  /** The declared names, in declaration order. */
  get names(): string[] {
    return Object.keys(this.declarations);
  }

  /** The quick defaults. */
  defaults(): ParameterValues<S> {
    return Object.fromEntries(Object.entries(this.declarations).map(([k, d]) => [k, d.default])) as ParameterValues<S>;
  }

  /** The preset names: quick, paper, then the declared ones. */
  presetNames(): string[] {
    return Object.keys(this.presets);
  }

  /** A preset's description and values; throws a {@link ParameterError} listing the presets for an unknown name. */
  preset(name: string): PresetDeclaration<S> {
    const p = Object.hasOwn(this.presets, name) ? this.presets[name] : undefined;
    if (!p) {
      throw new ParameterError(
        `preset ${showValue(name)} is not declared in ${this.file}; the presets are: ${this.presetNames().join(", ")}`,
      );
    }
    return p;
  }

  /** How the paper sets a parameter, as display text ("—" when it does not). */
  paperText(name: string): string {
    const d = this.declarations[name];
    const has = d.paper !== undefined;
    if (has && d.paperNote) return `${showValue(d.paper)} (${d.paperNote})`;
    if (has) return showValue(d.paper);
    return d.paperNote ?? "—";
  }

  /**
   * The problems of a set of values: each given value against its schema, names that are not declared, and (when
   * every declared name is given and passes) the rules across parameters. With `complete`, a declared name missing
   * from `values` is a problem too.
   */
  problems(values: Record<string, unknown>, options: { complete?: boolean } = {}): ParameterProblem[] {
    const out: ParameterProblem[] = [];
    for (const [name, value] of Object.entries(values)) {
      if (!Object.hasOwn(this.declarations, name)) {
        out.push({
          name,
          value,
          reason: `not a declared parameter (declared in ${this.file}: ${this.names.join(", ")})`,
        });
        continue;
      }
      const result = this.declarations[name].schema.safeParse(value);
      if (result.success) continue;
      const reasons = result.error.issues.map((issue) => {
        const message = issue.message.replace(/^Invalid (input|option): /, "");
        return issue.path.length
          ? `${name}${pathText(issue.path)} = ${showValue(valueAt(value, issue.path))}: ${message}`
          : message;
      });
      out.push({ name, value, reason: [...new Set(reasons)].join("; ") });
    }
    const missing = this.names.filter((n) => !Object.hasOwn(values, n));
    if (options.complete) {
      for (const name of missing) {
        out.push({
          name,
          value: undefined,
          reason:
            `declared in ${this.file} but not passed to the check; add it to the check call of the parameters cell`,
        });
      }
    }
    if (out.length === 0 && missing.length === 0 && this.refine) {
      for (const p of this.refine(values)) {
        out.push({ name: p.name, value: values[p.name], reason: p.message });
      }
    }
    return out;
  }

  /** The message of a {@link ParameterError} for `problems`: one line per bad parameter, saying what to change. */
  describe(problems: readonly ParameterProblem[]): string {
    const n = problems.length;
    const head =
      `${n} parameter value${n === 1 ? " is" : "s are"} not allowed (the set is declared in ${this.file}); ` +
      `change ${n === 1 ? "it" : "them"} in the parameters cell or in the -p overrides ` +
      "(`deno task run NOTEBOOK --help` lists every parameter):";
    const lines = problems.map((p) => {
      if (!Object.hasOwn(this.declarations, p.name)) return `  - ${p.name} = ${showValue(p.value)}: ${p.reason}`;
      const d = this.declarations[p.name];
      const reason = p.reason.replace(/\.$/, "");
      const paper = this.paperText(p.name);
      const paperText = paper === "—" ? "not a setting of the paper" : paper;
      return `  - ${p.name} = ${showValue(p.value)}: ${reason}. Allowed: ${d.allowed}. Paper: ${paperText}.`;
    });
    return [head, ...lines].join("\n");
  }

  /**
   * Checks every value of the parameters cell at once — the call that ends the cell (and the injected-parameters cell
   * after it). Throws one {@link ParameterError} naming every bad value, what is allowed and the paper's value.
   */
  check(values: Record<string, unknown>): void {
    const problems = this.problems(values, { complete: true });
    if (problems.length) throw new ParameterError(this.describe(problems));
  }

  /** The parameter table: name, default, paper, allowed, meaning; with `values`, the value of that run too. */
  rows(values?: Record<string, unknown>): ParameterRow[] {
    return this.names.map((name) => {
      const d = this.declarations[name];
      return {
        name,
        ...(values && Object.hasOwn(values, name) ? { value: showValue(values[name]) } : {}),
        default: showValue(d.default),
        paper: this.paperText(name),
        allowed: d.allowed,
        ko: d.ko,
        en: d.en,
      };
    });
  }

  /** The `--help` text: every parameter (default, paper, allowed, meaning) and every preset. */
  help(title: string): string {
    const width = Math.max(...this.names.map((n) => n.length));
    const pad = " ".repeat(width + 4);
    const params = this.rows().flatMap((r) => [
      `  ${r.name.padEnd(width)}  default: ${r.default}  ·  paper: ${r.paper}`,
      `${pad}allowed: ${r.allowed}`,
      `${pad}${r.ko} / ${r.en}`,
    ]);
    const presets = this.presetNames().flatMap((name) => {
      const p = this.presets[name];
      const values = Object.entries(p.values).map(([k, v]) => `${k}=${showValue(v)}`).join(" ");
      return [`  ${name}: ${p.ko} / ${p.en}`, ...(values ? [`      ${values}`] : [])];
    });
    return [
      `${title} — parameters declared in ${this.file}`,
      'Set one with -p name=value: the value is JSON (a number, true/false, a [list], a "string"), else plain text;',
      "set a group with --preset NAME (or -p preset=NAME); -p values apply on top of the preset.",
      "",
      ...params,
      "",
      "Presets:",
      ...presets,
    ].join("\n");
  }

  private assertConsistent(): void {
    const bad: string[] = [];
    const defaults = this.problems(this.defaults(), { complete: true });
    if (defaults.length) bad.push(`the defaults: ${this.describe(defaults)}`);
    for (const [name, p] of Object.entries(this.presets)) {
      const problems = this.problems(p.values);
      if (problems.length) bad.push(`preset "${name}": ${this.describe(problems)}`);
    }
    if (bad.length) {
      throw new ParameterError(`${this.file}: the declared set breaks its own constraints — ${bad.join("\n")}`);
    }
  }
}

/**
 * Declares a notebook's parameter set: per parameter its quick default, the paper's value, a one-line meaning in
 * Korean and English, and its constraint (zod schema + words); presets beside them. Throws when a default or a preset
 * value breaks its own constraint.
 */
export function defineParameters<D extends Record<string, ParameterDeclaration<z.ZodType>>>(
  declarations: D,
  options: ParameterSpecOptions<SchemasOf<D>>,
): ParameterSpec<SchemasOf<D>> {
  return new ParameterSpec(
    declarations as { [K in keyof SchemasOf<D>]: ParameterDeclaration<SchemasOf<D>[K]> },
    options,
  );
}

/** The schemas of declarations, by name. */
export type SchemasOf<D extends Record<string, ParameterDeclaration<z.ZodType>>> = { [K in keyof D]: D[K]["schema"] };

/** True for a {@link ParameterSpec}, also one built by another copy of this module. */
export function isParameterSpec(value: unknown): value is ParameterSpec {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SPEC_BRAND] === true;
}

/** Schemas the notebooks share, with messages that say what is wrong in the reader's terms. */
export const schemas = {
  /** An integer in [min, max]. */
  integer(min: number, max = Number.MAX_SAFE_INTEGER): z.ZodNumber {
    return z.number().int({ error: "not an integer" }).min(min, { error: `below ${min}` }).max(max, {
      error: `above ${max}`,
    });
  },
  /** A number in [min, max] (zod rejects NaN and ±Infinity); `exclusiveMin` makes the lower bound strict. */
  number(min: number, max = Number.MAX_VALUE, options: { exclusiveMin?: boolean } = {}): z.ZodNumber {
    const low = options.exclusiveMin
      ? z.number().gt(min, { error: `not above ${min}` })
      : z.number().min(min, { error: `below ${min}` });
    return low.max(max, { error: `above ${max}` });
  },
  /** A list of seeds: non-negative integers without repeats. */
  seeds(options: { min: number }): z.ZodArray<z.ZodNumber> {
    return z.array(z.number().int({ error: "a seed must be an integer" }).min(0, { error: "a seed must be ≥ 0" }))
      .min(options.min, {
        error: options.min === 1 ? "an empty list: give at least one seed" : `fewer than ${options.min} seeds`,
      })
      .refine((xs) => new Set(xs).size === xs.length, { error: "a seed is repeated (each must be distinct)" });
  },
};
