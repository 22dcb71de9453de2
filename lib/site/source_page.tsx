/**
 * Pages for lib source files: the highlighted source with numbered, linkable lines (`#L42`), and relative imports
 * linked to the pages of the files they name, so a reader can follow a notebook cell into lib.
 */
import { posix } from "node:path";
import { highlightCode, linkStrings, splitHighlightedLines } from "./highlight.tsx";
import { htmlDocument } from "./layout.tsx";

/** Renders the page of lib file `file` (relative to lib/, e.g. "display/plotly.ts") with source `text`. */
export function renderSourcePage(file: string, text: string, libPages: ReadonlySet<string>): string {
  const depth = file.split("/").length; // the page lives at lib/<file>.html
  const root = "../".repeat(depth);
  const dir = posix.dirname(file);
  const highlighted = linkStrings(highlightCode(text.replace(/\n$/, ""), "typescript"), (spec) => {
    if (!spec.startsWith(".")) return undefined;
    const target = posix.normalize(posix.join(dir, spec));
    return libPages.has(target) ? `${posix.relative(dir, target) || posix.basename(target)}.html` : undefined;
  });
  const body = (
    <main class="source">
      <div class="breadcrumb">
        <a href={`${root}index.html`}>목록 / Index</a> › lib
      </div>
      <h1 class="source-title">
        <code>lib/{file}</code>
      </h1>
      <table class="source-listing hljs">
        <tbody>
          {splitHighlightedLines(highlighted).map((line, i) => (
            <tr key={i} id={`L${i + 1}`}>
              <td class="line-number">
                <a href={`#L${i + 1}`}>{i + 1}</a>
              </td>
              <td class="line-code" dangerouslySetInnerHTML={{ __html: line || " " }} />
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
  return htmlDocument({ title: `lib/${file}`, body, root, bodyClass: "page-source" });
}
