/**
 * Building the native training kernels (lib/backend/native/*.cc) with the machine's C++ compiler into a shared
 * library that Deno's FFI loads. The library's file name carries a hash of the sources, the flags, the compiler's
 * version and the CPU, so an edited source or another machine builds afresh and a stale build is never loaded.
 * Builds go to a temporary file first and are renamed into place (concurrent workers never see half a library).
 */

/** The C++ sources of the library, in lib/backend/native/. */
export const NATIVE_SOURCES: readonly string[] = ["conv.cc", "batch_norm.cc"];

/** Where the sources live and where builds go (lib/backend/native/build/, ignored by git). */
const SOURCE_DIR = new URL("./native/", import.meta.url);

/** What was built (or found already built). */
export interface NativeBuild {
  /** Absolute path of the shared library. */
  path: string;
  /** The compiler command and its version line, e.g. "g++ (Debian 12.2.0-14+deb12u1) 12.2.0". */
  compiler: string;
  /** Compiler flags used. */
  flags: string[];
  /** True when this call ran the compiler (false: an up-to-date build was already there). */
  compiled: boolean;
}

/** Options of {@link buildNativeLibrary}. */
export interface NativeBuildOptions {
  /** C++ compiler. Default: `$CXX`, else "g++", else "clang++". */
  cxx?: string;
  /** Folder for the built library. Default: lib/backend/native/build/. */
  outDir?: string;
}

function libraryExtension(): string {
  return Deno.build.os === "darwin" ? "dylib" : Deno.build.os === "windows" ? "dll" : "so";
}

/** Compiler flags: optimised for the CPU it runs on (AVX2+FMA on current x86-64, NEON on arm64). */
export function nativeFlags(): string[] {
  const cpu = Deno.build.arch === "aarch64" ? "-mcpu=native" : "-march=native";
  return ["-O3", cpu, "-ffp-contract=fast", "-fno-math-errno", "-fPIC", "-shared", "-std=c++17", "-Wall"];
}

async function versionLine(cxx: string): Promise<string | null> {
  try {
    const out = await new Deno.Command(cxx, { args: ["--version"], stdout: "piped", stderr: "null" }).output();
    if (!out.success) return null;
    return new TextDecoder().decode(out.stdout).split("\n")[0].trim();
  } catch {
    return null;
  }
}

async function cpuFacts(): Promise<string> {
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    return (info.match(/^(model name|flags|Features)\s*:.*$/gm) ?? []).slice(0, 2).join("\n");
  } catch {
    return `${Deno.build.target}`;
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Builds lib/backend/native/*.cc into a shared library (or returns the up-to-date build) — the kernels behind the
 * fast training of the ResNet experiments (ResNet §4.2, Figure 6). Throws an Error naming the compiler, the command
 * and its first error lines when no compiler is found or the build fails.
 */
export async function buildNativeLibrary(options: NativeBuildOptions = {}): Promise<NativeBuild> {
  const candidates = options.cxx != null
    ? [options.cxx]
    : [Deno.env.get("CXX"), "g++", "clang++"].filter((c) => c != null && c !== "") as string[];
  let cxx: string | null = null, version: string | null = null;
  for (const c of candidates) {
    version = await versionLine(c);
    if (version != null) {
      cxx = c;
      break;
    }
  }
  if (cxx == null || version == null) {
    throw new Error(
      `lib/backend native kernels: no C++ compiler found (tried ${candidates.join(", ")}); install g++ ` +
        `(Debian: apt-get install g++) or set CXX.`,
    );
  }
  const flags = nativeFlags();
  const sources = NATIVE_SOURCES.map((s) => new URL(s, SOURCE_DIR).pathname);
  const texts = await Promise.all(sources.map((s) => Deno.readTextFile(s)));
  const hash = (await sha256Hex([...texts, flags.join(" "), version, await cpuFacts()].join("\n\0"))).slice(0, 16);
  const outDir = options.outDir ?? new URL("build/", SOURCE_DIR).pathname;
  const path = `${outDir.replace(/\/$/, "")}/libpaper_kernels-${hash}.${libraryExtension()}`;
  const build: NativeBuild = { path, compiler: `${cxx}: ${version}`, flags, compiled: false };
  try {
    if ((await Deno.stat(path)).isFile) return build;
  } catch {
    // Not built yet.
  }
  await Deno.mkdir(outDir, { recursive: true });
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const args = [...flags, "-o", tmp, ...sources];
  const out = await new Deno.Command(cxx, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    await Deno.remove(tmp).catch(() => {});
    const err = new TextDecoder().decode(out.stderr).split("\n").slice(0, 12).join("\n");
    throw new Error(`lib/backend native kernels: \`${cxx} ${args.join(" ")}\` failed:\n${err}`);
  }
  await Deno.rename(tmp, path);
  return { ...build, compiled: true };
}
