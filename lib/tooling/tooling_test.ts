import { describe, expect, it } from "vitest";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHIPPED_FASHION_MNIST_DIR } from "../data/fashion_mnist.ts";
import {
  chromiumExecutable,
  type CommandOutcome,
  CXX_REQUIREMENT,
  FASHION_MNIST_REQUIREMENT,
  findChromium,
  type Host,
  KOREAN_FONT_REQUIREMENT,
  NBFORMAT_REQUIREMENT,
  planSetup,
  realHost,
  type Requirement,
  REQUIREMENTS,
  runSetup,
  systemFacts,
} from "./mod.ts";

const DEBIAN_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const UBUNTU_RELEASE = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n';
const MINT_RELEASE = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
const FEDORA_RELEASE = 'NAME="Fedora Linux"\nID=fedora\n';

interface FakeHostOptions {
  os?: string;
  uid?: number | null;
  env?: Record<string, string>;
  /** Executable files. */
  executables?: string[];
  /** Other files, with their text. */
  files?: Record<string, string>;
  /** Answers commands; default: the command is not installed. */
  run?: (cmd: string, args: readonly string[]) => CommandOutcome | null;
}

/** A machine made of the given files and commands; records every command run. */
function fakeHost(o: FakeHostOptions): Host & { calls: string[] } {
  const calls: string[] = [];
  const executables = new Set(o.executables ?? []);
  const files = o.files ?? {};
  return {
    calls,
    os: o.os ?? "linux",
    uid: o.uid === undefined ? 1000 : o.uid,
    env: (name) => o.env?.[name],
    isExecutable: (p) => executables.has(p),
    exists: (p) => executables.has(p) || p in files,
    readText: (p) => files[p],
    run: (cmd, args) => {
      calls.push([cmd, ...args].join(" "));
      return Promise.resolve(o.run ? o.run(cmd, args) : null);
    },
  };
}

/** A requirement whose probe says missing until `present()` is called. */
function switchable(name: string, debian: string, ubuntu?: string): Requirement & { present(): void } {
  let here = false;
  return {
    name,
    why: `a test needs ${name}`,
    debian,
    ubuntu,
    elsewhere: { darwin: `brew install ${debian}`, other: `install ${debian}` },
    find: () => Promise.resolve(here ? `/opt/${name}` : null),
    present: () => {
      here = true;
    },
  };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "paper-tooling-"));
}

function executable(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\nexit 0\n");
  chmodSync(path, 0o755);
  return path;
}

/** This machine, but with only the given environment and no executables outside `dir`. */
function confined(dir: string, env: Record<string, string>): Host {
  const real = realHost();
  return { ...real, env: (n) => env[n], isExecutable: (p) => p.startsWith(dir + "/") && real.isExecutable(p) };
}

describe("findChromium", () => {
  it("takes CHROME_PATH first, and says what to do when it is not an executable", () => {
    const dir = tempDir();
    const chrome = executable(dir, "my-chrome");
    const onPath = executable(dir, "chromium");
    expect(findChromium(confined(dir, { CHROME_PATH: chrome, PATH: dir }))).toEqual({
      path: chrome,
      via: "CHROME_PATH",
    });
    expect(onPath).toBe(join(dir, "chromium"));
    const wrong = join(dir, "no-such-chrome");
    expect(() => findChromium(confined(dir, { CHROME_PATH: wrong, PATH: dir }))).toThrow(
      new RegExp(`CHROME_PATH is ${wrong}, which is not an executable file: point CHROME_PATH at`),
    );
  });

  it("finds chromium-browser on a PATH, passing over a file of the right name that is not executable", () => {
    const dir = tempDir();
    const first = join(dir, "a");
    const second = join(dir, "b");
    Deno.mkdirSync(first);
    Deno.mkdirSync(second);
    writeFileSync(join(first, "chromium"), "not executable");
    const browser = executable(second, "chromium-browser");
    const host = confined(dir, { PATH: `${first}:${second}` });
    expect(findChromium(host)).toEqual({ path: browser, via: "PATH" });
    expect(chromiumExecutable(host)).toBe(browser);
  });

  it("finds Google Chrome in /Applications on macOS", () => {
    const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    const host = fakeHost({ os: "darwin", env: { PATH: "/usr/bin", HOME: "/Users/me" }, executables: [chrome] });
    expect(findChromium(host)).toEqual({ path: chrome, via: "install location" });
  });

  it("returns null when there is none, and chromiumExecutable names what to run", () => {
    const dir = tempDir();
    executable(dir, "firefox");
    const host = confined(dir, { PATH: dir });
    expect(findChromium(host)).toBeNull();
    expect(() => chromiumExecutable(host)).toThrow(
      /no Chromium or Chrome found \(looked for chromium, chromium-browser, .* \/usr\/bin\/chromium, .*\): run `deno task test`, whose setup step installs it, or set CHROME_PATH/,
    );
  });
});

describe("requirements' probes", () => {
  it("find a Korean font through fc-list, and none when fc-list lists none or is missing", async () => {
    const fonts = fakeHost({
      run: (cmd) =>
        cmd === "fc-list" ? { code: 0, stdout: "Noto Sans CJK KR,Noto Sans CJK KR Regular\n", stderr: "" } : null,
    });
    expect(await KOREAN_FONT_REQUIREMENT.find(fonts)).toBe("font Noto Sans CJK KR");
    expect(fonts.calls).toEqual(["fc-list :lang=ko family"]);
    const none = fakeHost({ run: () => ({ code: 0, stdout: "\n", stderr: "" }) });
    expect(await KOREAN_FONT_REQUIREMENT.find(none)).toBeNull();
    expect(await KOREAN_FONT_REQUIREMENT.find(fakeHost({}))).toBeNull();
  });

  it("find nbformat in /usr/bin/python3 when the python3 first on the PATH lacks it", async () => {
    const host = fakeHost({
      env: { PATH: "/home/me/.pyenv/shims:/usr/bin" },
      executables: ["/home/me/.pyenv/shims/python3", "/usr/bin/python3"],
      run: (cmd) =>
        cmd === "/usr/bin/python3" ? { code: 0, stdout: "5.5.0\n", stderr: "" } : { code: 1, stdout: "", stderr: "" },
    });
    expect(await NBFORMAT_REQUIREMENT.find(host)).toBe("nbformat 5.5.0 in /usr/bin/python3");
    const without = fakeHost({ env: { PATH: "/usr/bin" }, run: () => ({ code: 1, stdout: "", stderr: "" }) });
    expect(await NBFORMAT_REQUIREMENT.find(without)).toBeNull();
  });

  it("find a C++ compiler as the native build does: $CXX, else g++, else clang++", async () => {
    const path = { PATH: "/usr/bin" };
    expect(await CXX_REQUIREMENT.find(fakeHost({ env: path, executables: ["/usr/bin/clang++"] }))).toBe(
      "/usr/bin/clang++",
    );
    expect(await CXX_REQUIREMENT.find(fakeHost({ env: { ...path, CXX: "/opt/cxx" }, executables: ["/usr/bin/g++"] })))
      .toBeNull();
    expect(await CXX_REQUIREMENT.find(fakeHost({ env: path }))).toBeNull();
  });

  it("find the full Fashion-MNIST set in FASHION_MNIST_DIR, never taking the shipped subset for it", async () => {
    const names = [
      "train-images-idx3-ubyte",
      "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",
    ];
    const files = Object.fromEntries(names.map((n) => [`/data/fm/${n}.gz`, ""]));
    const shipped = Object.fromEntries(names.map((n) => [join(SHIPPED_FASHION_MNIST_DIR, `${n}.gz`), ""]));
    expect(await FASHION_MNIST_REQUIREMENT.find(fakeHost({ env: { FASHION_MNIST_DIR: "/data/fm" }, files }))).toBe(
      "/data/fm",
    );
    const partial = { ...files };
    delete partial["/data/fm/t10k-labels-idx1-ubyte.gz"];
    expect(await FASHION_MNIST_REQUIREMENT.find(fakeHost({ env: { FASHION_MNIST_DIR: "/data/fm" }, files: partial })))
      .toBeNull();
    const env = { FASHION_MNIST_DIR: SHIPPED_FASHION_MNIST_DIR };
    expect(await FASHION_MNIST_REQUIREMENT.find(fakeHost({ env, files: shipped }))).toBeNull();
  });
});

describe("systemFacts", () => {
  const facts = (release: string, apt = true) =>
    systemFacts(fakeHost({
      uid: 0,
      env: { PATH: "/usr/bin" },
      executables: apt ? ["/usr/bin/apt-get"] : [],
      files: { "/etc/os-release": release },
    }));

  it("reads which apt names apply from /etc/os-release, and needs apt-get on the PATH", () => {
    expect(facts(DEBIAN_RELEASE)).toEqual({ os: "linux", uid: 0, apt: "debian" });
    expect(facts(UBUNTU_RELEASE).apt).toBe("ubuntu");
    expect(facts(MINT_RELEASE).apt).toBe("ubuntu");
    expect(facts(FEDORA_RELEASE).apt).toBeNull();
    expect(facts(DEBIAN_RELEASE, false).apt).toBeNull();
    expect(systemFacts(fakeHost({ os: "darwin", uid: 501 }))).toEqual({ os: "darwin", uid: 501, apt: null });
  });
});

describe("planSetup", () => {
  const missing = [switchable("Chromium", "chromium", "chromium-browser"), switchable("fonts", "fonts-noto-cjk")];

  it("has nothing to do when nothing is missing", () => {
    expect(planSetup([], { os: "linux", uid: 1000, apt: null })).toEqual({ kind: "ready" });
  });

  it("installs with one apt-get update and one apt-get install as root on Debian, with Ubuntu's names on Ubuntu", () => {
    const debian = planSetup(missing, { os: "linux", uid: 0, apt: "debian" });
    expect(debian).toEqual({
      kind: "install",
      packages: ["chromium", "fonts-noto-cjk"],
      commands: [
        ["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq"],
        [
          "apt-get",
          "-o",
          "DPkg::Lock::Timeout=600",
          "install",
          "-y",
          "-qq",
          "--no-upgrade",
          "chromium",
          "fonts-noto-cjk",
        ],
      ],
    });
    const ubuntu = planSetup(missing, { os: "linux", uid: 0, apt: "ubuntu" });
    expect(ubuntu.kind === "install" && ubuntu.packages).toEqual(["chromium-browser", "fonts-noto-cjk"]);
  });

  it("prints the sudo apt-get command for a user who is not root", () => {
    expect(planSetup(missing, { os: "linux", uid: 1000, apt: "debian" })).toEqual({
      kind: "manual",
      steps: ["sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk"],
    });
  });

  it("says how to get each missing thing where there is no apt", () => {
    expect(planSetup(missing, { os: "darwin", uid: 501, apt: null })).toEqual({
      kind: "manual",
      steps: ["Chromium: brew install chromium", "fonts: brew install fonts-noto-cjk"],
    });
    expect(planSetup(missing, { os: "linux", uid: 0, apt: null })).toEqual({
      kind: "manual",
      steps: ["Chromium: install chromium", "fonts: install fonts-noto-cjk"],
    });
  });

  it("knows a Debian package for every requirement", () => {
    expect(REQUIREMENTS.map((r) => r.debian)).toEqual([
      "chromium",
      "fonts-noto-cjk",
      "python3-nbformat",
      "g++",
      "dataset-fashion-mnist",
    ]);
  });
});

describe("runSetup", () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, log: (l: string) => out.push(l), error: (l: string) => err.push(l) };
  }

  it("on a machine without Chromium and without root: prints the apt command, installs nothing, fails", async () => {
    const dir = tempDir();
    const real = realHost();
    // This machine's files and commands, but a PATH and CHROME_PATH without Chromium and a user who is not root.
    const host: Host = {
      ...confined(dir, { PATH: dir }),
      uid: 1000,
      readText: () => DEBIAN_RELEASE,
      isExecutable: (p) => p === join(dir, "apt-get") || (p.startsWith(dir + "/") && real.isExecutable(p)),
      run: (cmd, args, options) => {
        if (cmd.includes("apt-get")) throw new Error(`installed as a user who is not root: ${cmd} ${args.join(" ")}`);
        return real.run(cmd, args, options);
      },
    };
    executable(dir, "apt-get");
    const c = capture();
    const chromium = REQUIREMENTS[0];
    expect(await runSetup(host, { requirements: [chromium], log: c.log, error: c.error })).toBe(1);
    expect(c.out).toEqual([]);
    expect(c.err.join("\n")).toBe(
      "setup: the tests need what this machine does not have:\n" +
        "  - Chromium (tests/site_test.ts drives the static site in headless Chromium)\n" +
        "Run this, then the test command again:\n" +
        "  sudo apt-get update && sudo apt-get install -y chromium",
    );
  });

  it("as root with apt: updates once, installs, checks again and is ready", async () => {
    const need = switchable("Chromium", "chromium");
    const host = fakeHost({
      uid: 0,
      env: { PATH: "/usr/bin" },
      executables: ["/usr/bin/apt-get"],
      files: { "/etc/os-release": DEBIAN_RELEASE },
      run: (cmd, args) => {
        if (cmd === "apt-get" && args.includes("install")) need.present();
        return { code: 0, stdout: "", stderr: "" };
      },
    });
    const c = capture();
    expect(await runSetup(host, { requirements: [need], log: c.log, error: c.error })).toBe(0);
    expect(host.calls).toEqual([
      "apt-get -o DPkg::Lock::Timeout=600 update -qq",
      "apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-upgrade chromium",
    ]);
    expect(c.out.at(-1)).toBe("setup: ready (Chromium: /opt/Chromium)");
    expect(c.err).toEqual([]);
  });

  it("as root with apt: names the failed apt command, and what is still missing after an install", async () => {
    const base = {
      uid: 0,
      env: { PATH: "/usr/bin" },
      executables: ["/usr/bin/apt-get"],
      files: { "/etc/os-release": DEBIAN_RELEASE },
    };
    const failing = fakeHost({
      ...base,
      run: (_c, args) => ({ code: args.includes("update") ? 100 : 0, stdout: "", stderr: "" }),
    });
    const c = capture();
    expect(await runSetup(failing, { requirements: [switchable("Chromium", "chromium")], log: c.log, error: c.error }))
      .toBe(1);
    expect(failing.calls).toHaveLength(1);
    expect(c.err[0]).toMatch(/^setup: `apt-get -o DPkg::Lock::Timeout=600 update -qq` failed with exit code 100; fix/);
    const useless = fakeHost({ ...base, run: () => ({ code: 0, stdout: "", stderr: "" }) });
    const d = capture();
    expect(await runSetup(useless, { requirements: [switchable("Chromium", "chromium")], log: d.log, error: d.error }))
      .toBe(1);
    expect(d.err[0]).toMatch(/apt installed chromium, but these are still not found: Chromium;/);
  });

  it("takes the real apt path as root on Debian or Ubuntu, a no-op for the already installed apt package", async () => {
    const real = realHost();
    const facts = systemFacts(real);
    const need = switchable("apt again", "apt");
    if (facts.uid !== 0 || facts.apt === null) {
      // Only root with apt can take the install path; elsewhere the plan is to print the command.
      expect(planSetup([need], facts).kind).toBe("manual");
      return;
    }
    const status = async () => (await real.run("dpkg-query", ["-W", "-f=${Status} ${Version}", "apt"]))?.stdout;
    const before = await status();
    expect(before).toMatch(/^install ok installed /);
    const runs: string[] = [];
    const host: Host = {
      ...real,
      run: async (cmd, args, options) => {
        runs.push([cmd, ...args].join(" "));
        const out = await real.run(cmd, args, options);
        if (cmd === "apt-get" && args.includes("install") && out?.code === 0) need.present();
        return out;
      },
    };
    const c = capture();
    expect(await runSetup(host, { requirements: [need], log: c.log, error: c.error })).toBe(0);
    expect(runs).toEqual([
      "apt-get -o DPkg::Lock::Timeout=600 update -qq",
      "apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-upgrade apt",
    ]);
    expect(c.out.at(-1)).toBe("setup: ready (apt again: /opt/apt again)");
    expect(await status()).toBe(before); // --no-upgrade: installing what is installed changes nothing
  }, 600_000);
});
