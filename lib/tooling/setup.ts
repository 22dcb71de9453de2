/**
 * The setup step `deno task test` runs before vitest, in the manner of `playwright install --with-deps`: it checks
 * each {@link Requirement}; on Debian or Ubuntu as root it installs what is missing with apt (one `apt-get update`,
 * then one `apt-get install`); anywhere else it prints the exact command to run and fails.
 */
import type { Host } from "./host.ts";
import { which } from "./host.ts";
import { type Requirement, REQUIREMENTS } from "./requirements.ts";

/** The facts about a machine that decide how the setup step gets what is missing. */
export interface SystemFacts {
  /** Operating system ("linux", "darwin", ...). */
  os: string;
  /** Effective user id; null where there is none. */
  uid: number | null;
  /** Which apt package names apply: Debian's, Ubuntu's, or null where there is no apt-get. */
  apt: "debian" | "ubuntu" | null;
}

/** Reads {@link SystemFacts} from a host: /etc/os-release's ID and ID_LIKE, and apt-get on the PATH. */
export function systemFacts(host: Host): SystemFacts {
  let apt: SystemFacts["apt"] = null;
  const release = host.os === "linux" ? host.readText("/etc/os-release") : undefined;
  if (release !== undefined && which(host, "apt-get")) {
    const field = (key: string) =>
      (release.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1] ?? "").replace(/^["']|["']$/g, "").split(/\s+/);
    const ids = [...field("ID"), ...field("ID_LIKE")];
    // Ubuntu's derivatives list "ubuntu" before "debian" in ID_LIKE; Ubuntu's names win over Debian's.
    apt = ids.includes("ubuntu") ? "ubuntu" : ids.includes("debian") ? "debian" : null;
  }
  return { os: host.os, uid: host.uid, apt };
}

/** What the setup step will do. */
export type SetupPlan =
  /** Nothing is missing. */
  | { kind: "ready" }
  /** Install `packages` by running `commands` (program and arguments), as root. */
  | { kind: "install"; packages: string[]; commands: string[][] }
  /** Nothing can be installed from here: `steps` are what the user should run or do. */
  | { kind: "manual"; steps: string[] };

/** apt-get's options for a run nobody answers: wait for another apt to finish instead of failing on its lock. */
const APT_OPTIONS = ["-o", "DPkg::Lock::Timeout=600"];

/** The apt packages that provide `missing` under `apt` naming, each once. */
export function aptPackages(missing: readonly Requirement[], apt: "debian" | "ubuntu"): string[] {
  return [...new Set(missing.map((r) => (apt === "ubuntu" ? r.ubuntu : undefined) ?? r.debian))];
}

/** Decides how to get what is `missing` on a machine with these facts. */
export function planSetup(missing: readonly Requirement[], facts: SystemFacts): SetupPlan {
  if (missing.length === 0) return { kind: "ready" };
  if (facts.apt) {
    const packages = aptPackages(missing, facts.apt);
    if (facts.uid === 0) {
      return {
        kind: "install",
        packages,
        commands: [
          ["apt-get", ...APT_OPTIONS, "update", "-qq"],
          ["apt-get", ...APT_OPTIONS, "install", "-y", "-qq", "--no-upgrade", ...packages],
        ],
      };
    }
    return { kind: "manual", steps: [`sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`] };
  }
  const os = facts.os === "darwin" ? "darwin" : "other";
  return { kind: "manual", steps: missing.map((r) => `${r.name}: ${r.elsewhere[os] ?? r.elsewhere.other}`) };
}

/** What each requirement's probe found: a path or description, or null when missing. */
export async function checkRequirements(
  host: Host,
  requirements: readonly Requirement[] = REQUIREMENTS,
): Promise<Map<Requirement, string | null>> {
  const found = new Map<Requirement, string | null>();
  for (const r of requirements) found.set(r, await r.find(host));
  return found;
}

/** Options of {@link runSetup}. */
export interface SetupOptions {
  /** What to check. Default: {@link REQUIREMENTS}. */
  requirements?: readonly Requirement[];
  /** Where progress goes. Default: console.log. */
  log?: (line: string) => void;
  /** Where problems go. Default: console.error. */
  error?: (line: string) => void;
}

function missingIn(found: Map<Requirement, string | null>): Requirement[] {
  return [...found].filter(([, v]) => v === null).map(([r]) => r);
}

function readyLine(found: Map<Requirement, string | null>): string {
  return `setup: ready (${[...found].map(([r, v]) => `${r.name}: ${v}`).join("; ")})`;
}

/**
 * Checks the requirements and installs what is missing where it can (see {@link planSetup}). Returns the exit code:
 * 0 when everything is present afterwards, 1 otherwise (with the command to run, or the failed install, printed).
 */
export async function runSetup(host: Host, options: SetupOptions = {}): Promise<number> {
  const log = options.log ?? console.log;
  const error = options.error ?? console.error;
  const requirements = options.requirements ?? REQUIREMENTS;
  const found = await checkRequirements(host, requirements);
  const missing = missingIn(found);
  const plan = planSetup(missing, systemFacts(host));
  const list = missing.map((r) => `  - ${r.name} (${r.why})`).join("\n");
  switch (plan.kind) {
    case "ready":
      log(readyLine(found));
      return 0;
    case "manual":
      error(
        `setup: the tests need what this machine does not have:\n${list}\n` +
          `Run ${plan.steps.length === 1 ? "this" : "these"}, then the test command again:\n` +
          plan.steps.map((s) => `  ${s}`).join("\n"),
      );
      return 1;
    case "install": {
      log(`setup: installing ${plan.packages.join(" ")} for:\n${list}`);
      for (const [cmd, ...args] of plan.commands) {
        const line = [cmd, ...args].join(" ");
        log(`setup: ${line}`);
        const out = await host.run(cmd, args, { inherit: true, env: { DEBIAN_FRONTEND: "noninteractive" } });
        if (out?.code !== 0) {
          error(
            `setup: \`${line}\` ${out ? `failed with exit code ${out.code}` : "could not be started"}; fix what it ` +
              "reported above (network, package sources, another apt holding the lock) and run the test command again",
          );
          return 1;
        }
      }
      const after = await checkRequirements(host, requirements);
      const still = missingIn(after);
      if (still.length) {
        error(
          `setup: apt installed ${plan.packages.join(" ")}, but these are still not found: ` +
            `${still.map((r) => r.name).join(", ")}; check the packages' contents (dpkg -L <package>)`,
        );
        return 1;
      }
      log(readyLine(after));
      return 0;
    }
  }
}
