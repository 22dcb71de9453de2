import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/** Vite does not read Deno's import map, so the `@lib/` prefix is aliased here too. */
export default defineConfig({
  resolve: { alias: [{ find: /^@lib\//, replacement: fileURLToPath(new URL("./lib/", import.meta.url)) }] },
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
