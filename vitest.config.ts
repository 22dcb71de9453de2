import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/**
 * The Chromium tests wait on page loads with timeouts; beside the notebook re-runs (a training grid on every core)
 * those loads took over 30 s in CI. So they run as a second group, after every other test file has finished.
 */
const BROWSER_TESTS = ["tests/site_test.ts", "tests/slides_test.ts", "tests/language_switch_test.ts"];

/**
 * Vite reads neither Deno's import map nor its compilerOptions, so the `@lib/` prefix is aliased here too, and JSX
 * compiles as deno.json says (automatic runtime, preact's jsx-runtime).
 */
export default defineConfig({
  resolve: { alias: [{ find: /^@lib\//, replacement: fileURLToPath(new URL("./lib/", import.meta.url)) }] },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: "out/test-results.json" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "lib and notebooks",
          include: ["lib/**/*_test.ts", "tests/**/*_test.ts"],
          exclude: BROWSER_TESTS,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: "browser", include: BROWSER_TESTS, sequence: { groupOrder: 1 } } },
    ],
  },
});
