import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/**
 * Vite reads neither Deno's import map nor its compilerOptions, so the `@lib/` prefix is aliased here too, and JSX
 * compiles as deno.json says (automatic runtime, preact's jsx-runtime).
 */
export default defineConfig({
  resolve: { alias: [{ find: /^@lib\//, replacement: fileURLToPath(new URL("./lib/", import.meta.url)) }] },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    include: ["lib/**/*_test.ts", "tests/**/*_test.ts"],
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: "out/test-results.json" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
