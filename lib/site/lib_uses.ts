/**
 * Which lib names each code cell of a notebook uses. Cells are parsed with @babel/parser (TypeScript syntax, top-level
 * await), so comments, strings and property names never count; `@lib/...` imports bind names for the cells that follow
 * (a Jupyter kernel shares one scope across cells), and a cell uses a name when it imports it or refers to its
 * binding, including `ns.name` through `import * as ns`. Where each name is declared is lib_sources.ts's job.
 * The AST is walked here rather than with @babel/traverse: its scopes end at one program, and a cell's bindings come
 * from the cells before it.
 */
import { parse } from "@babel/parser";
import { posix } from "node:path";

/** A lib name a cell uses: `name` exported by `module` (relative to lib/), or the whole module when `name` is absent. */
export interface LibUse {
  /** The module the cell imports from, relative to lib/, e.g. "math/mod.ts". */
  module: string;
  /** The exported name ("default" for a default import); absent for a namespace or side-effect import. */
  name?: string;
  /** What the page shows: the exported name, `ns.name` for a namespace member, or the module. */
  label: string;
}

/** A binding an `@lib/...` import made: a named or default import, or a namespace. */
type Binding = { module: string; name: string } | { module: string; namespace: true };

interface AstNode {
  type: string;
  start?: number | null;
  [key: string]: unknown;
}

const LIB = "@lib/";
const SKIP_KEYS = new Set(["loc", "extra", "comments", "leadingComments", "trailingComments", "innerComments"]);
/** Node types whose non-computed `key` is a property name, not a reference. */
const KEYED = new Set([
  "ObjectProperty",
  "ObjectMethod",
  "ClassProperty",
  "ClassMethod",
  "ClassAccessorProperty",
  "ClassPrivateProperty",
  "TSPropertySignature",
  "TSMethodSignature",
  "TSEnumMember",
]);

function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && typeof (value as AstNode).type === "string";
}

function nameOf(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === "Identifier") return node.name as string;
  if (node.type === "StringLiteral") return node.value as string;
  return undefined;
}

/** The lib module an import specifier names, or undefined for anything not under `@lib/`. */
function libModule(source: unknown): string | undefined {
  const spec = nameOf(source);
  return spec?.startsWith(LIB) ? posix.normalize(spec.slice(LIB.length)) : undefined;
}

/** Calls `visit` on every node below `node` with its parent and the key it hangs from, in source order. */
function walk(node: AstNode, visit: (node: AstNode, parent: AstNode | undefined, key: string) => void): void {
  const go = (n: AstNode, parent: AstNode | undefined, key: string): void => {
    visit(n, parent, key);
    for (const [k, v] of Object.entries(n)) {
      if (SKIP_KEYS.has(k)) continue;
      if (Array.isArray(v)) { for (const item of v) if (isNode(item)) go(item, n, k); }
      if (isNode(v)) go(v, n, k);
    }
  };
  go(node, undefined, "");
}

/** True when the identifier at `parent[key]` names a property, a label or a declared member rather than a binding. */
function notAReference(parent: AstNode | undefined, key: string): boolean {
  if (!parent) return false;
  const t = parent.type;
  if ((t === "MemberExpression" || t === "OptionalMemberExpression") && key === "property") return !parent.computed;
  if (KEYED.has(t) && key === "key") return !parent.computed;
  if (t === "TSQualifiedName" && key === "right") return true;
  return t === "LabeledStatement" || t === "BreakStatement" || t === "ContinueStatement" ||
    t === "ExportSpecifier" || t.startsWith("Import");
}

/**
 * The lib names each cell uses, in order of appearance, each once; `codes` are the code cells in notebook order.
 * A cell that does not parse uses nothing (its imports bind nothing either).
 */
export function notebookLibUses(codes: readonly string[]): LibUse[][] {
  const bindings = new Map<string, Binding>();
  return codes.map((code) => {
    let program: AstNode;
    try {
      program = parse(code, {
        sourceType: "module",
        plugins: [["typescript", {}]],
        errorRecovery: true,
        allowAwaitOutsideFunction: true,
        allowReturnOutsideFunction: true,
        allowUndeclaredExports: true,
      }).program as unknown as AstNode;
    } catch {
      return [];
    }
    const found: { at: number; use: LibUse }[] = [];
    const add = (at: number | null | undefined, use: LibUse): void => void found.push({ at: at ?? 0, use });
    // Imports first: they bind names for this cell and the ones after it.
    walk(program, (node) => {
      if (node.type === "ImportDeclaration" || node.type === "ExportNamedDeclaration") {
        const module = libModule(node.source);
        if (!module) return;
        const specifiers = (node.specifiers ?? []) as AstNode[];
        if (specifiers.length === 0) add(node.start, { module, label: module });
        for (const s of specifiers) {
          if (s.type === "ImportNamespaceSpecifier") {
            bindings.set(nameOf(s.local)!, { module, namespace: true });
            add(s.start, { module, label: module });
          } else {
            const name = s.type === "ImportDefaultSpecifier" ? "default" : nameOf(s.imported ?? s.local)!;
            if (s.type !== "ExportSpecifier") bindings.set(nameOf(s.local)!, { module, name });
            add(s.start, { module, name, label: name });
          }
        }
      } else if (node.type === "ExportAllDeclaration" || node.type === "ImportExpression") {
        const module = libModule(node.source);
        if (module) add(node.start, { module, label: module });
      }
    });
    walk(program, (node, parent, key) => {
      if (node.type === "Identifier" && !notAReference(parent, key)) {
        const b = bindings.get(node.name as string);
        if (b && !("namespace" in b)) add(node.start, { module: b.module, name: b.name, label: b.name });
        return;
      }
      // ns.name (a value) or ns.Name (a type), through `import * as ns`
      const member = node.type === "MemberExpression" || node.type === "OptionalMemberExpression";
      if (!member && node.type !== "TSQualifiedName") return;
      const object = (member ? node.object : node.left) as AstNode;
      const b = object.type === "Identifier" ? bindings.get(object.name as string) : undefined;
      if (!b || !("namespace" in b)) return;
      const property = (member ? node.property : node.right) as AstNode;
      const name = member && node.computed && property.type !== "StringLiteral" ? undefined : nameOf(property);
      if (name !== undefined) add(node.start, { module: b.module, name, label: `${object.name}.${name}` });
    });
    found.sort((a, b) => a.at - b.at);
    const uses: LibUse[] = [];
    for (const { use } of found) {
      if (!uses.some((u) => u.module === use.module && u.label === use.label)) uses.push(use);
    }
    return uses;
  });
}
