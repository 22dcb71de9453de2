/** The static site of the executed notebooks (`deno task run` builds it into out/site/). */
export * from "./ansi.ts";
export * from "./assets.ts";
export * from "./build.ts";
export * from "./entry.ts";
export * from "./highlight.ts";
export * from "./index_page.ts";
export * from "./layout.ts";
export * from "./lib_sources.ts";
export * from "./markdown.ts";
export * from "./outputs.ts";
export * from "./page.ts";
export * from "./source_page.ts";
