/**
 * Building the native training kernels (lib/backend/native/*.cc) with the machine's C++ compiler into a shared
 * library that Deno's FFI loads. The library's file name carries a hash of the sources, the flags, the compiler's
 * version and the CPU, so an edited source or another machine builds afresh and a stale build is never loaded.
 * Builds go to a temporary file first and are renamed into place (concurrent workers never see half a library).
 */

/** The C++ sources of the library, in lib/backend/native/. */
export const NATIVE_SOURCES: readonly string[] = ["conv.cc", "batch_norm.cc", "matmul.cc", "distances.cc"];

/** The headers the sources include: part of a build's hash, so an edited header builds afresh. */
const NATIVE_HEADERS: readonly string[] = ["vec.h"];

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

/** Vector width of the kernels in bits: 512 (16 floats, AVX-512) or 256 (8 floats: AVX2, NEON). */
export type VectorWidth = 256 | 512;

/** Options of {@link buildNativeLibrary}. */
export interface NativeBuildOptions {
  /** C++ compiler. Default: `$CXX`, else "g++", else "clang++". */
  cxx?: string;
  /** Folder for the built library. Default: lib/backend/native/build/. */
  outDir?: string;
  /**
   * Forces the kernels' vector width (512 fails to build where the compiler does not target AVX-512). Default:
   * `$PAPER_VECTOR_WIDTH` if set, else the widest the compiler targets for this CPU (conv.cc picks it).
   */
  vectorWidth?: VectorWidth;
  /** Absolute paths of the C++ sources to build instead of the kernels (bench/peak_fma.ts). Default: the kernels. */
  sources?: string[];
  /** File name stem of the library. Default: "libpaper_kernels". */
  name?: string;
}

/** The vector width forced by `options.vectorWidth` or `$PAPER_VECTOR_WIDTH`, or null (the compiler's choice). */
export function forcedVectorWidth(options: { vectorWidth?: VectorWidth } = {}): VectorWidth | null {
  if (options.vectorWidth != null) return options.vectorWidth;
  const env = Deno.env.get("PAPER_VECTOR_WIDTH");
  if (env == null || env === "") return null;
  if (env === "256" || env === "512") return Number(env) as VectorWidth;
  throw new Error(`lib/backend native kernels: PAPER_VECTOR_WIDTH must be 256 or 512, not "${env}".`);
}

/** True when this CPU reports AVX-512F (Linux /proc/cpuinfo), i.e. when a 512-bit build can run here. */
export function cpuHasAvx512(): boolean {
  try {
    return /^flags\s*:.*\bavx512f\b/m.test(Deno.readTextFileSync("/proc/cpuinfo"));
  } catch {
    return false;
  }
}

function libraryExtension(): string {
  return Deno.build.os === "darwin" ? "dylib" : Deno.build.os === "windows" ? "dll" : "so";
}

/**
 * Compiler flags: optimised for the CPU it runs on (AVX-512 or AVX2+FMA on current x86-64, NEON on arm64), plus
 * `-DPAPER_VECTOR_WIDTH=…` when a width is forced (see {@link forcedVectorWidth}).
 */
export function nativeFlags(options: { vectorWidth?: VectorWidth } = {}): string[] {
  const cpu = Deno.build.arch === "aarch64" ? "-mcpu=native" : "-march=native";
  const width = forcedVectorWidth(options);
  return [
    "-O3",
    cpu,
    "-ffp-contract=fast",
    "-fno-math-errno",
    "-fPIC",
    "-shared",
    "-std=c++17",
    "-Wall",
    ...(width == null ? [] : [`-DPAPER_VECTOR_WIDTH=${width}`]),
  ];
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
  const flags = nativeFlags(options);
  const sources = options.sources ?? NATIVE_SOURCES.map((s) => new URL(s, SOURCE_DIR).pathname);
  const headers = options.sources ? [] : NATIVE_HEADERS.map((s) => new URL(s, SOURCE_DIR).pathname);
  const texts = await Promise.all([...sources, ...headers].map((s) => Deno.readTextFile(s)));
  const hash = (await sha256Hex([...texts, flags.join(" "), version, await cpuFacts()].join("\n\0"))).slice(0, 16);
  const outDir = options.outDir ?? new URL("build/", SOURCE_DIR).pathname;
  const path = `${outDir.replace(/\/$/, "")}/${options.name ?? "libpaper_kernels"}-${hash}.${libraryExtension()}`;
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
