/**
 * The machine as the setup step and the Chromium finder see it — operating system, user id, environment, files and
 * commands — behind one interface, so tests can play a machine without Chromium, without root or without apt.
 */
import { delimiter, join } from "node:path";

/** The outcome of a command run to completion. */
export interface CommandOutcome {
  /** Exit code. */
  code: number;
  /** Standard output (empty when it was inherited). */
  stdout: string;
  /** Standard error (empty when it was inherited). */
  stderr: string;
}

/** What the tooling asks of the machine. {@link realHost} is this machine; tests pass fakes. */
export interface Host {
  /** Operating system, as `Deno.build.os` names it: "linux", "darwin", "windows", ... */
  os: string;
  /** Effective user id; null where there is none (Windows). */
  uid: number | null;
  /** An environment variable, or undefined when unset. */
  env(name: string): string | undefined;
  /** True when `path` is a regular file with an execute bit (on Windows: any regular file). */
  isExecutable(path: string): boolean;
  /** True when `path` exists. */
  exists(path: string): boolean;
  /** A text file's contents, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  /**
   * Runs a command to completion: its exit code and output, or null when it could not be started (not installed).
   * `inherit` shows its output on this process's terminal instead of capturing it; `env` adds variables.
   */
  run(
    cmd: string,
    args: readonly string[],
    options?: { inherit?: boolean; env?: Record<string, string> },
  ): Promise<CommandOutcome | null>;
}

/** This machine, through Deno's APIs. */
export function realHost(): Host {
  return {
    os: Deno.build.os,
    uid: Deno.uid(),
    env: (name) => Deno.env.get(name),
    isExecutable: (path) => {
      try {
        const info = Deno.statSync(path);
        return info.isFile && (Deno.build.os === "windows" || ((info.mode ?? 0) & 0o111) !== 0);
      } catch {
        return false;
      }
    },
    exists: (path) => {
      try {
        Deno.statSync(path);
        return true;
      } catch {
        return false;
      }
    },
    readText: (path) => {
      try {
        return Deno.readTextFileSync(path);
      } catch {
        return undefined;
      }
    },
    run: async (cmd, args, options = {}) => {
      const io = options.inherit ? "inherit" : "piped";
      try {
        const out = await new Deno.Command(cmd, {
          args: [...args],
          stdin: "null",
          stdout: io,
          stderr: io,
          env: options.env,
        })
          .output();
        const td = new TextDecoder();
        return {
          code: out.code,
          stdout: options.inherit ? "" : td.decode(out.stdout),
          stderr: options.inherit ? "" : td.decode(out.stderr),
        };
      } catch (e) {
        if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) return null;
        throw e;
      }
    },
  };
}

/** The first executable called `name` in the host's PATH, or undefined. */
export function which(host: Host, name: string): string | undefined {
  for (const dir of (host.env("PATH") ?? "").split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    if (host.isExecutable(path)) return path;
  }
  return undefined;
}
