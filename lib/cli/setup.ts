/**
 * `deno run -A lib/cli/setup.ts`: the setup step `deno task test` runs before vitest. Checks what the tests
 * need besides Deno (Chromium, a Korean font, Python's nbformat, a C++ compiler, the full Fashion-MNIST set) and
 * installs what is missing with apt on Debian or Ubuntu as root; elsewhere prints the command to run and exits 1.
 */
import { realHost } from "../tooling/host.ts";
import { runSetup } from "../tooling/setup.ts";

if (Deno.args.length) {
  console.error(
    `error: lib/cli/setup.ts takes no arguments, got ${Deno.args.join(" ")}\n` +
      "usage: deno run -A lib/cli/setup.ts   (run by `deno task test` before the tests)",
  );
  Deno.exit(2);
}
try {
  Deno.exit(await runSetup(realHost()));
} catch (e) {
  // A probe's own complaint (e.g. a CHROME_PATH that is not an executable) already says what to do.
  console.error(`setup: ${(e as Error).message}`);
  Deno.exit(1);
}
