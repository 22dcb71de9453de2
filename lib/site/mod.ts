/** The static site of the executed notebooks (`deno task run` builds it into out/site/). */
export * from "./assets.ts";
export * from "./build.ts";
export * from "./entry.ts";
export * from "./highlight.tsx";
export * from "./index_page.tsx";
export * from "./layout.tsx";
export * from "./lib_sources.ts";
export * from "./lib_uses.ts";
export * from "./markdown.tsx";
export * from "./outputs.tsx";
export * from "./page.tsx";
export * from "./source_page.tsx";
