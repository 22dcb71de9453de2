/**
 * One core's peak multiply-add rate per vector width: bench/peak_fma.cc (independent FMA chains in registers) built
 * with the native kernels' flags by lib/backend/native_build.ts and timed here, so that bench/conv_kernels.ts can
 * state each convolution as a fraction of what the core can do. `deno run -A bench/peak_fma.ts` prints one JSON line.
 */
import { buildNativeLibrary, cpuHasAvx512 } from "../lib/backend/mod.ts";

const SYMBOLS = {
  paper_fma_per_iter: { parameters: ["i32"], result: "i32" },
  paper_fma_256: { parameters: ["i32"], result: "f64" },
  paper_fma_512: { parameters: ["i32"], result: "f64" },
} as const;

/**
 * G multiply-adds per second of one core, by vector width in bits ("256", and "512" where the CPU and compiler have
 * AVX-512): best of `rounds` timed loops of about 2 ms each (short, so that on a shared machine some run unpreempted,
 * as the kernels' best rounds do).
 */
export async function peakGmacs(options: { rounds?: number } = {}): Promise<Record<string, number>> {
  const rounds = options.rounds ?? 50;
  const build = await buildNativeLibrary({
    sources: [new URL("./peak_fma.cc", import.meta.url).pathname],
    name: "libpaper_peak_fma",
  });
  const lib = Deno.dlopen(build.path, SYMBOLS);
  try {
    const out: Record<string, number> = {};
    for (const bits of cpuHasAvx512() ? [256, 512] : [256]) {
      const f = bits === 512 ? lib.symbols.paper_fma_512 : lib.symbols.paper_fma_256;
      if (f(1) < 0) continue; // built without AVX-512
      const perIter = lib.symbols.paper_fma_per_iter(bits);
      let iters = 1 << 16, best = 0;
      // Grow the loop to about 2 ms, then keep the best of the rounds.
      for (;;) {
        const t0 = performance.now();
        f(iters);
        if (performance.now() - t0 >= 2) break;
        iters *= 2;
      }
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        f(iters);
        best = Math.max(best, (iters * perIter) / ((performance.now() - t0) / 1000) / 1e9);
      }
      out[String(bits)] = +best.toFixed(1);
    }
    return out;
  } finally {
    lib.close();
  }
}

if (import.meta.main) console.log(JSON.stringify({ peak_gmacs: await peakGmacs() }));
