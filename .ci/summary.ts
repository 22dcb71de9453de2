/** Prints the plain "N passed, N failed" line from vitest's JSON report (written by vitest.config.ts). */
const file = Deno.args[0] ?? "out/test-results.json";
let report: { numPassedTests: number; numFailedTests: number; numPendingTests?: number; numTotalTests: number };
try {
  report = JSON.parse(await Deno.readTextFile(file));
} catch (e) {
  console.log(`tests: no report at ${file} (${(e as Error).message})`);
  console.log("0 passed, 1 failed");
  Deno.exit(1);
}
if (report.numTotalTests === 0) {
  console.log("tests: no test ran");
  console.log("0 passed, 1 failed");
  Deno.exit(1);
}
const skipped = report.numPendingTests ? `, ${report.numPendingTests} skipped` : "";
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped}`);
