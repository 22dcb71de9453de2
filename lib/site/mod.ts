/** The static site of the executed notebooks (`deno task run` builds it into out/site/). */
export { buildSite, type BuiltSite } from "./build.ts";
