import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineParameters, isParameterSpec, ParameterError, schemas, showValue } from "./parameter_spec.ts";

const spec = defineParameters({
  steps: {
    default: 10,
    paper: 64000,
    ko: "반복 수",
    en: "iterations",
    allowed: "integer ≥ 1",
    schema: schemas.integer(1),
  },
  mode: {
    default: "fast",
    paper: "exact",
    paperNote: "§4.2",
    ko: "방식",
    en: "mode",
    allowed: '"fast" or "exact"',
    schema: z.enum(["fast", "exact"]),
  },
  seeds: {
    default: [1, 2],
    ko: "시드",
    en: "seeds",
    allowed: "non-empty list of distinct integers ≥ 0",
    schema: schemas.seeds({ min: 1 }),
  },
  window: { default: 5, ko: "창", en: "window", allowed: "integer from 1 to steps", schema: schemas.integer(1) },
}, {
  file: "lib/example/parameters.ts",
  presets: { long: { ko: "긴 실행", en: "a long run", values: { steps: 5000, seeds: [1, 2, 3] } } },
  refine: (v) => v.window > v.steps ? [{ name: "window", message: `longer than steps (${v.steps})` }] : [],
});

describe("declared parameter sets", () => {
  it("accept their defaults and name every bad value once: value, reason, allowed, paper", () => {
    expect(() => spec.check(spec.defaults())).not.toThrow();
    let error: unknown;
    try {
      spec.check({ ...spec.defaults(), steps: "abc", mode: "Z", seeds: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParameterError);
    const lines = (error as Error).message.split("\n");
    expect(lines[0]).toMatch(
      /^3 parameter values are not allowed \(the set is declared in lib\/example\/parameters\.ts\)/,
    );
    expect(lines.slice(1)).toEqual([
      '  - steps = "abc": expected number, received string. Allowed: integer ≥ 1. Paper: 64000.',
      '  - mode = "Z": expected one of "fast"|"exact". Allowed: "fast" or "exact". Paper: "exact" (§4.2).',
      "  - seeds = []: an empty list: give at least one seed. Allowed: non-empty list of distinct integers ≥ 0. " +
      "Paper: not a setting of the paper.",
    ]);
  });

  it("name the element at fault in a list, and undeclared or missing names", () => {
    expect(spec.problems({ seeds: [1, -2, 1] }).map((p) => p.reason)).toEqual([
      "seeds[1] = -2: a seed must be ≥ 0; a seed is repeated (each must be distinct)",
    ]);
    expect(spec.problems({ stepz: 3 })[0].reason).toMatch(/^not a declared parameter \(declared in .*: steps, mode/);
    const missing = spec.problems({ steps: 3 }, { complete: true }).map((p) => p.name);
    expect(missing).toEqual(["mode", "seeds", "window"]);
  });

  it("check rules across parameters once every value passes its own", () => {
    expect(spec.problems({ ...spec.defaults(), window: 50 })).toEqual([
      { name: "window", value: 50, reason: "longer than steps (10)" },
    ]);
    // A value that fails its own schema is reported alone; the cross rule waits for it.
    expect(spec.problems({ ...spec.defaults(), window: 50, steps: 0 }).map((p) => p.name)).toEqual(["steps"]);
    // A partial set (the runner's view when a cell value is an expression) skips the cross rules.
    expect(spec.problems({ window: 50 })).toEqual([]);
  });

  it("have quick, paper and the declared presets", () => {
    expect(spec.presetNames()).toEqual(["quick", "paper", "long"]);
    expect(spec.preset("quick").values).toEqual({});
    expect(spec.preset("paper").values).toEqual({ steps: 64000, mode: "exact" });
    expect(spec.preset("long").values).toEqual({ steps: 5000, seeds: [1, 2, 3] });
    expect(() => spec.preset("huge")).toThrow(
      /preset "huge" is not declared in lib\/example\/parameters\.ts; the presets are: quick, paper, long/,
    );
  });

  it("refuse a declaration whose default or preset breaks its own constraint", () => {
    const bad = () =>
      defineParameters({
        n: { default: 0, ko: "n", en: "n", allowed: "integer ≥ 1", schema: schemas.integer(1) },
      }, { file: "lib/bad.ts", presets: { long: { ko: "", en: "", values: { n: 1.5 } } } });
    expect(bad).toThrow(/lib\/bad\.ts: the declared set breaks its own constraints — the defaults: .*n = 0: below 1/s);
    expect(bad).toThrow(/preset "long": .*n = 1\.5: not an integer/s);
    expect(() =>
      defineParameters({ n: { default: 1, ko: "", en: "", allowed: "", schema: z.number() } }, {
        file: "lib/bad.ts",
        presets: { paper: { ko: "", en: "", values: {} } },
      })
    ).toThrow(/preset "paper" is built in/);
  });

  it("list every parameter and preset for --help, and rows for the site", () => {
    const help = spec.help("nb.ipynb");
    expect(help).toMatch(/^nb\.ipynb — parameters declared in lib\/example\/parameters\.ts/);
    expect(help).toContain(
      "  steps   default: 10  ·  paper: 64000\n          allowed: integer ≥ 1\n          반복 수 / iterations",
    );
    expect(help).toContain('  mode    default: "fast"  ·  paper: "exact" (§4.2)');
    expect(help).toContain("  seeds   default: [1, 2]  ·  paper: —");
    expect(help).toContain("  long: 긴 실행 / a long run\n      steps=5000 seeds=[1, 2, 3]");
    expect(spec.rows({ steps: 20 })[0]).toEqual({
      name: "steps",
      value: "20",
      default: "10",
      paper: "64000",
      allowed: "integer ≥ 1",
      ko: "반복 수",
      en: "iterations",
    });
    expect(isParameterSpec(spec)).toBe(true);
    expect(isParameterSpec({ check() {} })).toBe(false);
  });

  it("show values as a reader types them", () => {
    expect([undefined, NaN, [8, 20], "A", { a: 1 }, 1e-4].map(showValue)).toEqual([
      "undefined",
      "NaN",
      "[8, 20]",
      '"A"',
      '{"a":1}',
      "0.0001",
    ]);
  });
});
