/**
 * Finding the Chromium (or Google Chrome) that tests drive headless: $CHROME_PATH, else the browser's usual names on
 * the PATH, else where the packages install it on Linux and macOS. One function for everything that launches it.
 */
import { join } from "node:path";
import { type Host, realHost, which } from "./host.ts";

/** Names Chromium and Chrome have on a PATH: Debian's, Ubuntu's, Google's packages, and other distributions'. */
export const CHROMIUM_NAMES: readonly string[] = [
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
  "chrome",
];

/** Install locations looked at when none of {@link CHROMIUM_NAMES} is on the PATH, by operating system. */
export function chromiumLocations(host: Host): string[] {
  if (host.os === "darwin") {
    const apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium"];
    const home = host.env("HOME");
    return [
      ...apps.map((a) => join("/Applications", a)),
      ...(home ? apps.map((a) => join(home, "Applications", a)) : []),
    ];
  }
  if (host.os === "linux") {
    return [
      "/usr/bin/chromium",
      "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome",
      "/opt/google/chrome/chrome",
      "/snap/bin/chromium",
    ];
  }
  return [];
}

/** A Chromium found by {@link findChromium}, and how. */
export interface ChromiumFound {
  /** The executable. */
  path: string;
  /** Where it was found: the CHROME_PATH variable, the PATH, or a known install location. */
  via: "CHROME_PATH" | "PATH" | "install location";
}

/**
 * Finds Chromium or Chrome: $CHROME_PATH when set (it must then be an executable file: a wrong CHROME_PATH is an
 * error, not silently passed over), else the first of {@link CHROMIUM_NAMES} on the PATH, else the first
 * {@link chromiumLocations} entry that exists. Returns null when there is none.
 */
export function findChromium(host: Host = realHost()): ChromiumFound | null {
  const fromEnv = host.env("CHROME_PATH");
  if (fromEnv) {
    if (!host.isExecutable(fromEnv)) {
      throw new Error(
        `CHROME_PATH is ${fromEnv}, which is not an executable file: point CHROME_PATH at a Chromium or Chrome ` +
          "executable, or unset it to use the one on the PATH",
      );
    }
    return { path: fromEnv, via: "CHROME_PATH" };
  }
  for (const name of CHROMIUM_NAMES) {
    const path = which(host, name);
    if (path) return { path, via: "PATH" };
  }
  const path = chromiumLocations(host).find((p) => host.isExecutable(p));
  return path ? { path, via: "install location" } : null;
}

/**
 * The Chromium executable to launch, for tests and anything else that drives a browser. Throws an Error saying
 * where it looked and what to run when there is none.
 */
export function chromiumExecutable(host: Host = realHost()): string {
  const found = findChromium(host);
  if (found) return found.path;
  throw new Error(
    `no Chromium or Chrome found (looked for ${CHROMIUM_NAMES.join(", ")} on the PATH and in ` +
      `${chromiumLocations(host).join(", ") || "no install location for this system"}): run \`deno task test\`, ` +
      "whose setup step installs it, or set CHROME_PATH to a Chromium or Chrome executable",
  );
}

/**
 * Arguments for a headless Chromium driven by the tests: no sandbox (root in CI), no GPU, and none of the background
 * traffic (first-run, component updates, sync, QUIC) that has no network to reach here.
 */
export const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];
