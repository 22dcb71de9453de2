/**
 * What the test suite needs from the machine besides Deno and the npm packages deno.json pins: each requirement with
 * a probe that says whether (and where) it is present, its Debian and Ubuntu package, and how to get it elsewhere.
 */
import { fullFashionMnistDir } from "../data/fashion_mnist.ts";
import { findChromium } from "./chromium.ts";
import { type Host, which } from "./host.ts";

/** One thing the tests need from the machine. */
export interface Requirement {
  /** Short name used in messages, e.g. "Chromium". */
  name: string;
  /** Which tests need it and why. */
  why: string;
  /** The apt package on Debian. */
  debian: string;
  /** The apt package on Ubuntu, when its name differs from Debian's. */
  ubuntu?: string;
  /** How to get it without apt: on macOS, and on other systems. */
  elsewhere: { darwin?: string; other: string };
  /** What was found (a path or a short description), or null when it is missing. */
  find(host: Host): Promise<string | null>;
}

/** Chromium or Chrome, found as tests/site_test.ts finds it. */
export const CHROMIUM_REQUIREMENT: Requirement = {
  name: "Chromium",
  why: "tests/site_test.ts drives the static site in headless Chromium",
  debian: "chromium",
  // Ubuntu ships Chromium as a snap; its apt package installs that snap.
  ubuntu: "chromium-browser",
  elsewhere: {
    darwin: "install Google Chrome (or `brew install --cask chromium`), or set CHROME_PATH",
    other: "install Chromium or Google Chrome from your system's packages, or set CHROME_PATH to its executable",
  },
  find: (host) => Promise.resolve(findChromium(host)?.path ?? null),
};

/** A font with Korean glyphs, so the site's screenshots show the notebooks' Korean text rather than boxes. */
export const KOREAN_FONT_REQUIREMENT: Requirement = {
  name: "Korean font (Noto CJK)",
  why: "the site's screenshots show Korean text",
  debian: "fonts-noto-cjk",
  elsewhere: { other: "install the Noto Sans CJK fonts from your system's packages" },
  find: async (host) => {
    if (host.os === "darwin") return "macOS system fonts"; // macOS ships Korean fonts (Apple SD Gothic Neo)
    const out = await host.run("fc-list", [":lang=ko", "family"]);
    const family = out?.code === 0 ? out.stdout.split("\n").map((l) => l.trim()).find((l) => l !== "") : undefined;
    return family ? `font ${family.split(",")[0]}` : null;
  },
};

/** Jupyter's own nbformat package, the independent schema check of executed notebooks. */
export const NBFORMAT_REQUIREMENT: Requirement = {
  name: "Python nbformat",
  why: "lib/notebook/run_test.ts validates executed notebooks with Jupyter's nbformat",
  debian: "python3-nbformat",
  elsewhere: { other: "python3 -m pip install nbformat" },
  find: async (host) => {
    const python = await findPythonWithNbformat(host);
    return python ? `${python.version} in ${python.path}` : null;
  },
};

/**
 * The Python 3 that has nbformat: the system's /usr/bin/python3 first (apt's python3-nbformat goes there, and a
 * pyenv or venv python3 earlier on the PATH may lack it), else python3 on the PATH. Null when neither has it.
 */
export async function findPythonWithNbformat(host: Host): Promise<{ path: string; version: string } | null> {
  const candidates = [...new Set(["/usr/bin/python3", which(host, "python3")].filter((p): p is string => !!p))];
  for (const path of candidates) {
    const out = await host.run(path, ["-c", "import nbformat; print(nbformat.__version__)"]);
    if (out?.code === 0) return { path, version: `nbformat ${out.stdout.trim()}` };
  }
  return null;
}

/** A C++ compiler, as lib/backend/native_build.ts looks for one ($CXX, g++, clang++). */
export const CXX_REQUIREMENT: Requirement = {
  name: "C++ compiler",
  why: "lib/backend's native kernel tests compile lib/backend/native/*.cc",
  debian: "g++",
  elsewhere: { darwin: "xcode-select --install", other: "install g++ or clang++, or set CXX" },
  find: (host) => {
    const cxx = host.env("CXX");
    const candidates = cxx ? [cxx] : ["g++", "clang++"];
    for (const c of candidates) {
      const path = c.includes("/") ? (host.isExecutable(c) ? c : undefined) : which(host, c);
      if (path) return Promise.resolve(path);
    }
    return Promise.resolve(null);
  },
};

/** The full Fashion-MNIST set, which the shipped subset is checked against. */
export const FASHION_MNIST_REQUIREMENT: Requirement = {
  name: "Fashion-MNIST (full set)",
  why: "lib/data/data_test.ts checks the shipped subset against the full set",
  debian: "dataset-fashion-mnist",
  elsewhere: {
    other: "download the four IDX .gz files from the Fashion-MNIST project (Zalando Research) into a folder and " +
      "set FASHION_MNIST_DIR to it",
  },
  find: (host) => Promise.resolve(fullFashionMnistDir(host.env("FASHION_MNIST_DIR"), host.exists) ?? null),
};

/** Everything `deno task test` needs beyond Deno, in the order the setup step checks it. */
export const REQUIREMENTS: readonly Requirement[] = [
  CHROMIUM_REQUIREMENT,
  KOREAN_FONT_REQUIREMENT,
  NBFORMAT_REQUIREMENT,
  CXX_REQUIREMENT,
  FASHION_MNIST_REQUIREMENT,
];
