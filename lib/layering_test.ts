/**
 * lib's folders depend one way: the folder-level import graph, derived from the source by `deno info` (Deno's own
 * module graph, static and dynamic imports alike), has no cycle and no arrow that the layering table in
 * lib/README.md does not allow. The table is the documentation, so the two cannot drift apart.
 */
import { describe, expect, it } from "vitest";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const LIB = fileURLToPath(new URL(".", import.meta.url));

/** `folder → folders it may import`, from the table under "## Layering" in lib/README.md. */
async function documentedLayering(): Promise<Map<string, Set<string>>> {
  const readme = await Deno.readTextFile(join(LIB, "README.md"));
  const section = readme.split(/^## /m).find((s) => s.startsWith("Layering"));
  if (!section) throw new Error('lib/README.md has no "## Layering" section');
  const allowed = new Map<string, Set<string>>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const folder = /^`([a-z_]+)\/`$/.exec(cells[1] ?? "")?.[1];
    if (!folder) continue;
    const imports = [...(cells[3] ?? "").matchAll(/`([a-z_]+)\/`/g)].map((m) => m[1]);
    allowed.set(folder, new Set(imports));
  }
  return allowed;
}

/** Every lib source file (not tests or test data), relative to lib/. */
function sourceFiles(dir = LIB): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory && e.name !== "testdata" && e.name !== "native") out.push(...sourceFiles(path));
    else if (e.isFile && /\.tsx?$/.test(e.name) && !/_test\.tsx?$/.test(e.name)) out.push(relative(LIB, path));
  }
  return out;
}

const folderOf = (file: string) => file.split("/")[0];

/** Folder-level edges `from → to` (from ≠ to), with one file of each edge as the example to report. */
async function importGraph(): Promise<Map<string, Map<string, string>>> {
  const files = sourceFiles().filter((f) => f.includes("/"));
  const root = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    root,
    files.map((f) => `import ${JSON.stringify(pathToFileURL(join(LIB, f)).href)};`).join("\n"),
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", join(LIB, "..", "deno.json"), root],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(root);
  if (!out.success) throw new Error(`deno info failed: ${new TextDecoder().decode(out.stderr)}`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; dependencies?: { code?: { specifier?: string } }[] }[];
  };
  const libFile = (specifier: string | undefined) => {
    if (!specifier?.startsWith("file://")) return undefined;
    const rel = relative(LIB, fileURLToPath(specifier));
    return rel.startsWith("..") || !rel.includes("/") ? undefined : rel;
  };
  const edges = new Map<string, Map<string, string>>();
  for (const m of info.modules) {
    const from = libFile(m.specifier);
    if (!from) continue;
    for (const d of m.dependencies ?? []) {
      const to = libFile(d.code?.specifier);
      if (!to || folderOf(to) === folderOf(from)) continue;
      const targets = edges.get(folderOf(from)) ?? new Map<string, string>();
      if (!targets.has(folderOf(to))) targets.set(folderOf(to), `${from} imports ${to}`);
      edges.set(folderOf(from), targets);
    }
  }
  return edges;
}

describe("lib's folders depend one way", () => {
  it("documents every folder in lib/README.md's layering table", async () => {
    const documented = await documentedLayering();
    const folders = [...new Set(sourceFiles().filter((f) => f.includes("/")).map(folderOf))].sort();
    expect(folders.filter((f) => !documented.has(f)), "folders missing from lib/README.md's table").toEqual([]);
    expect([...documented.keys()].filter((f) => !folders.includes(f)), "table rows for folders that are gone")
      .toEqual([]);
  });

  it("has no import the layering table forbids", async () => {
    const documented = await documentedLayering();
    const forbidden: string[] = [];
    for (const [from, targets] of await importGraph()) {
      for (const [to, example] of targets) {
        if (!documented.get(from)?.has(to)) forbidden.push(`${from}/ → ${to}/ (${example})`);
      }
    }
    expect(forbidden).toEqual([]);
  }, 120_000);

  it("has no cycle between folders", async () => {
    const graph = await importGraph();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
        return;
      }
      for (const next of graph.get(node)?.keys() ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect([...new Set(cycles)]).toEqual([]);
  }, 120_000);

  it("would catch a forbidden arrow (the check itself)", async () => {
    const documented = await documentedLayering();
    // math/ is a leaf: a single import from it into another folder must be reported.
    expect(documented.get("math")?.size ?? 0).toBe(0);
    expect(documented.get("backend")?.has("train")).toBe(false);
  });
});
