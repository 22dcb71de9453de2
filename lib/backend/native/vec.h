// Vectors of L floats for the native kernels (conv.cc, matmul.cc): GCC/Clang vector extensions, so the same source
// compiles to AVX-512 or AVX2+FMA on x86-64 and NEON on arm64 (-march=native), with unaligned loads and stores and a
// broadcast.
#pragma once

// Vector width in bits: 512 (16 floats) where the compiler targets AVX-512, else 256 (8 floats: AVX2, or two NEON
// registers). native_build.ts passes -DPAPER_VECTOR_WIDTH=256 to force the narrow path on an AVX-512 machine (tests
// and the bench run both). The 8-float kernels stay in every build: 8-channel layers and blocks use them.
#ifndef PAPER_VECTOR_WIDTH
#if defined(__AVX512F__)
#define PAPER_VECTOR_WIDTH 512
#else
#define PAPER_VECTOR_WIDTH 256
#endif
#endif
#if PAPER_VECTOR_WIDTH == 512 && !defined(__AVX512F__)
#error "PAPER_VECTOR_WIDTH=512 needs a compiler targeting AVX-512"
#endif

template <int L>
struct Vec {
  typedef float type __attribute__((vector_size(4 * L)));
  typedef float unaligned __attribute__((vector_size(4 * L), aligned(4)));
};

template <int L>
static inline typename Vec<L>::type ld(const float* p) {
  return *reinterpret_cast<const typename Vec<L>::unaligned*>(p);
}
template <int L>
static inline void st(float* p, typename Vec<L>::type v) {
  *reinterpret_cast<typename Vec<L>::unaligned*>(p) = v;
}
// s in every lane. Written s − 0, which equals s for every float (−0 included), so the compiler folds it into one
// broadcast load; s + 0 does not (−0 + 0 is +0) and cost a scalar add and a register broadcast per use.
template <int L>
static inline typename Vec<L>::type bc(float s) {
  return s - typename Vec<L>::type{};
}
