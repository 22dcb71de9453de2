/** What a record's provenance says of the machine and the code: commit, CPU, cores, backend, versions. */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";

/** The facts of this machine and work tree that a record keeps. */
export interface MachineFacts {
  /** `git rev-parse HEAD`, with "+dirty" when the work tree has uncommitted changes; "unknown" outside git. */
  commit: string;
  backend: string;
  cpu: string;
  cores: number;
  deno: string;
  tfjs: string;
}

async function git(args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The commit of the work tree: HEAD, marked "+dirty" when tracked files have uncommitted changes. */
export async function currentCommit(): Promise<string> {
  const head = await git(["rev-parse", "HEAD"]);
  if (!head) return "unknown";
  const dirty = await git(["status", "--porcelain", "--untracked-files=no"]);
  return dirty ? `${head}+dirty` : head;
}

async function cpuModel(): Promise<string> {
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    return info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? Deno.build.arch;
  } catch {
    return Deno.build.arch;
  }
}

/** Reads this machine's facts; starts the backend that the record's nets train on. */
export async function machineFacts(): Promise<MachineFacts> {
  const backend = await initBackend({ quiet: true });
  return {
    commit: await currentCommit(),
    backend: `${backend.name}: ${backend.reason}`,
    cpu: await cpuModel(),
    cores: navigator.hardwareConcurrency || 1,
    deno: Deno.version.deno,
    tfjs: tf.version.tfjs,
  };
}
