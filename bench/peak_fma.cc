// Peak multiply-add rate of one core: a register-only loop of independent FMA chains, compiled with the kernels'
// flags (bench/peak_fma.ts builds it through lib/backend/native_build.ts), so the conv kernels' GMAC/s can be read as
// a fraction of what the core can do at each vector width.
template <int L>
struct Vec {
  typedef float type __attribute__((vector_size(4 * L)));
};

// 12 chains: enough to cover FMA latency × issue width (4 cycles × 2 pipes on current x86-64) without spilling
// AVX2's 16 registers.
template <int L>
static double fmaLoop(int iters) {
  typedef typename Vec<L>::type vf;
  constexpr int K = 12;
  vf acc[K];
  for (int k = 0; k < K; k++) acc[k] = vf{} + 1.0f + 0.001f * k;
  const vf m = vf{} + 0.999999f, a = vf{} + 1e-7f;
  // Without -ffast-math the compiler may not merge or reorder the chains, and the sum below keeps them live.
  for (int i = 0; i < iters; i++) {
#pragma GCC unroll 12
    for (int k = 0; k < K; k++) acc[k] = acc[k] * m + a;
  }
  double s = 0;
  for (int k = 0; k < K; k++)
    for (int l = 0; l < L; l++) s += acc[k][l];
  return s;
}

extern "C" {
// Number of multiply-adds per iteration at each width (12 chains × lanes).
int paper_fma_per_iter(int bits) { return 12 * bits / 32; }
double paper_fma_256(int iters) { return fmaLoop<8>(iters); }
#if defined(__AVX512F__)
double paper_fma_512(int iters) { return fmaLoop<16>(iters); }
#else
// No 512-bit vectors on this target: the caller reports no figure.
double paper_fma_512(int) { return -1; }
#endif
}
