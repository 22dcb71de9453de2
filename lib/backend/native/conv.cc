// Convolution kernels (NHWC, float32) for training the ResNet's conv layers (ResNet §3.3, §4.2) on the CPU:
// forward correlation, input gradient (as correlations of dy with flipped sub-filters, one per stride phase) and
// filter gradient (outer products accumulated in registers). Written with GCC/Clang vector extensions, so the same
// source compiles to AVX-512 or AVX2+FMA on x86-64 and NEON on arm64 (-march=native). Which tiles run, by output
// channel block: 512-bit builds take 16-float vectors for blocks of 32 and 16 channels and the pair tiles (16 floats
// holding two input channels, or two pixels for the filter gradient) for a block of 8; 256-bit builds take 8-float
// vectors throughout (6 pixels × 16 channels, or 6 input × 16 output channels for the filter gradient). corrTile and
// filterTile sum each output in the order of the plain loops (taps, then input channels; the filter gradient's pixels
// in (n, oh, ow) order), so how they are tiled and grouped changes speed, not results.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "vec.h"

extern "C" int paper_vector_width() { return PAPER_VECTOR_WIDTH; }

namespace {

inline int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
inline int ceilDiv(int a, int b) { return -floorDiv(-a, b); }

// What the inference kernel (paper_conv2d_fused) does to a tile's sums before storing them: add the bias of a batch
// norm folded into the weights, add a residual of the output's shape (the shortcut of ResNet §3.2, Eq. 1), apply the
// ReLU — one pass over the output instead of three or four. Null pointers skip a term. The training kernels store the
// sums as they are (the tiles' template flag E is false there, so their code is the code without an epilogue).
struct Epilogue {
  const float* bias;  // [CO]
  const float* res;   // laid out as the output
  const float* out;   // the output's first element: a store at out + i reads res + i
  bool relu;
};

template <int L>
static inline typename Vec<L>::type finish(const Epilogue& e, const float* at, int co, typename Vec<L>::type v) {
  typedef typename Vec<L>::type vf;
  if (e.bias != nullptr) v += ld<L>(e.bias + co);
  if (e.res != nullptr) v += ld<L>(e.res + (at - e.out));
  // x < 0 ? 0 : x, as tfjs's Relu: a NaN stays NaN.
  if (e.relu) v = v < vf{} ? vf{} : v;
  return v;
}

// Stores a tile's sums at `at` (output channel co), through the epilogue when E.
template <int L, bool E>
static inline void store(float* at, int co, typename Vec<L>::type v, const Epilogue& e) {
  if constexpr (E)
    st<L>(at, finish<L>(e, at, co, v));
  else
    st<L>(at, v);
}

// out[n, oh0 + oh·ohStep, ow0 + ow·owStep, :] = Σ_{kh,kw,c} in[n, oh·s − pt + kh, ow·s − pl + kw, c] · w[kh,kw,c,:]
// for oh < Ho, ow < Wo; taps outside the input count as zero.
struct Corr {
  const float* in;
  int N, Hi, Wi, C;
  const float* w;
  int KH, KW, CO;
  int s, pt, pl;
  int Ho, Wo;
  float* out;
  int OH, OW;
  int oh0, ohStep, ow0, owStep;
  Epilogue ep{};  // used by the tiles only when their flag E is set
};

// P output pixels × L·V output channels, accumulated over the taps [0,KH)×[0,KW) of a zero-padded input: pixel p of
// tap (kh, kw) reads srcs[p] + kh·rowStride + kw·C. outs[p] == nullptr skips a pixel's store.
template <int L, int P, int V, bool E>
inline void corrTile(const float* const* srcs, std::ptrdiff_t rowStride, int C, const float* w, int KH, int KW, int CO,
                     int co0, float* const* outs, const Epilogue& ep) {
  typedef typename Vec<L>::type vf;
  vf acc[P][V];
  for (int p = 0; p < P; p++)
    for (int v = 0; v < V; v++) acc[p][v] = vf{};
  // A row of taps (kw, c) is contiguous in the input and in the filter, so one loop of KW·C covers it, in the order
  // (kw, c) of the loops it replaces.
  const int KC = KW * C;
  for (int kh = 0; kh < KH; kh++) {
    const float* src[P];
    for (int p = 0; p < P; p++) src[p] = srcs[p] + kh * rowStride;
    const float* wt = w + (std::ptrdiff_t(kh) * KC) * CO + co0;
    for (int j = 0; j < KC; j++) {
      vf wv[V];
      for (int v = 0; v < V; v++) wv[v] = ld<L>(wt + std::ptrdiff_t(j) * CO + L * v);
      for (int p = 0; p < P; p++) {
        const vf b = bc<L>(src[p][j]);
        for (int v = 0; v < V; v++) acc[p][v] += b * wv[v];
      }
    }
  }
  for (int p = 0; p < P; p++)
    if (outs[p] != nullptr)
      for (int v = 0; v < V; v++) store<L, E>(outs[p] + co0 + L * v, co0 + L * v, acc[p][v], ep);
}

// Stride 1, one vector of L output channels, KW = 3: P consecutive output pixels. Each input value is broadcast once
// and used for the KW taps that read it (output pixels q, q−1, q−2), instead of once per tap — with one vector of
// output channels the broadcasts, not the multiply-adds, bound the generic tile. The products of corrTile<L, P, 1>,
// summed in another order.
template <int L, int P, bool E>
inline void corrTileReuse3(const float* src0, std::ptrdiff_t rowStride, int C, const float* w, int KH, int CO, int co0,
                           float* const* outs, const Epilogue& ep) {
  typedef typename Vec<L>::type vf;
  constexpr int KW = 3;
  vf acc[P];
  for (int p = 0; p < P; p++) acc[p] = vf{};
  for (int kh = 0; kh < KH; kh++) {
    const float* src = src0 + kh * rowStride;
    const float* wt = w + (std::ptrdiff_t(kh * KW) * C) * CO + co0;
    for (int c = 0; c < C; c++) {
      vf wk[KW];
      for (int kw = 0; kw < KW; kw++) wk[kw] = ld<L>(wt + (std::ptrdiff_t(kw) * C + c) * CO);
      for (int q = 0; q < P + KW - 1; q++) {
        const vf b = bc<L>(src[std::ptrdiff_t(q) * C + c]);
        for (int kw = 0; kw < KW; kw++) {
          const int p = q - kw;
          if (p >= 0 && p < P) acc[p] += b * wk[kw];
        }
      }
    }
  }
  for (int p = 0; p < P; p++)
    if (outs[p] != nullptr) store<L, E>(outs[p] + co0, co0, acc[p], ep);
}

// Runs tiles of P, then P/2, then 1 pixels over `count` pixels; `at(i, outs)` fills the store pointers of pixels
// i … i+P−1 and returns the source of pixel i.
// f(std::integral_constant<int, r>) for 1 ≤ r ≤ R: a tile of exactly the pixels left at the end of a run (a run of
// single-pixel tiles would be bound by its one accumulator chain; stride-2 rows of 14 or 7 pixels end in 2 or 1).
template <int R, class F>
inline void withTileSize(int r, F f) {
  if constexpr (R >= 1) {
    if (r == R)
      f(std::integral_constant<int, R>{});
    else
      withTileSize<R - 1>(r, f);
  }
}

template <int L, int P, int V, bool E, class At>
inline void corrRun(int count, std::ptrdiff_t pixStride, std::ptrdiff_t rowStride, const Corr& k, const float* w,
                    int co0, At at) {
  float* outs[P];
  const float* srcs[P];
  auto tile = [&](auto m, int i) {
    constexpr int M = decltype(m)::value;
    const float* src0 = at(i, M, outs);
    for (int p = 0; p < M; p++) srcs[p] = src0 + p * pixStride;
    corrTile<L, M, V, E>(srcs, rowStride, k.C, w, k.KH, k.KW, k.CO, co0, outs, k.ep);
  };
  int i = 0;
  for (; i + P <= count; i += P) tile(std::integral_constant<int, P>{}, i);
  withTileSize<P - 1>(count - i, [&](auto m) { tile(m, i); });
}

// Output channels co0 … co0 + L·V − 1 of the correlation; R: the pixels of a reuse tile (0: no reuse tile).
template <int L, int P, int V, int R, bool E>
void corrBlock(const Corr& k, const float* padded, std::ptrdiff_t imgStride, int Wp, int co0) {
  const std::ptrdiff_t C = k.C;
  auto outAt = [&](int n, int oh, int ow) {
    return k.out + ((std::ptrdiff_t(n) * k.OH + k.oh0 + oh * k.ohStep) * k.OW + k.ow0 + ow * k.owStep) * k.CO;
  };
  if (R > 0 && V == 1 && k.KW == 3 && k.s == 1) {
    // Stride 1 with reuse tiles: output pixel q = oh·Wp + ow reads the padded input from q·C on, so a whole image is
    // one run of consecutive pixels; the KW−1 columns per row past Wo are computed and not stored.
    for (int n = 0; n < k.N; n++) {
      const float* img = padded + std::ptrdiff_t(n) * imgStride;
      const int count = (k.Ho - 1) * Wp + k.Wo;
      auto at = [&](int q, int m, float** outs) {
        for (int p = 0; p < m; p++) {
          const int oh = (q + p) / Wp, ow = (q + p) % Wp;
          outs[p] = ow < k.Wo ? outAt(n, oh, ow) : nullptr;
        }
        return img + std::ptrdiff_t(q) * C;
      };
      int done = 0;
      float* outs[R > 0 ? R : 1];
      for (; done + R <= count; done += R)
        corrTileReuse3<L, (R > 0 ? R : 1), E>(at(done, R, outs), Wp * C, k.C, k.w, k.KH, k.CO, co0, outs, k.ep);
      corrRun<L, P, V, E>(count - done, C, Wp * C, k, k.w, co0,
                          [&](int q, int m, float** outs) { return at(done + q, m, outs); });
    }
    return;
  }
  // Tiles of P output pixels taken in (n, oh, ow) order across rows and images, each pixel with its own source
  // pointer: only the last tile is short, and no column past Wo is computed.
  const std::ptrdiff_t total = std::ptrdiff_t(k.N) * k.Ho * k.Wo;
  int n = 0, oh = 0, ow = 0;
  const float* srcs[P];
  float* outs[P];
  auto fill = [&](int m) {
    for (int p = 0; p < m; p++) {
      srcs[p] = padded + std::ptrdiff_t(n) * imgStride + (std::ptrdiff_t(oh) * Wp + ow) * k.s * C;
      outs[p] = outAt(n, oh, ow);
      if (++ow == k.Wo) {
        ow = 0;
        if (++oh == k.Ho) oh = 0, n++;
      }
    }
  };
  std::ptrdiff_t i = 0;
  for (; i + P <= total; i += P) {
    fill(P);
    corrTile<L, P, V, E>(srcs, Wp * C, k.C, k.w, k.KH, k.KW, k.CO, co0, outs, k.ep);
  }
  withTileSize<P - 1>(int(total - i), [&](auto m) {
    constexpr int M = decltype(m)::value;
    fill(M);
    corrTile<L, M, V, E>(srcs, Wp * C, k.C, k.w, k.KH, k.KW, k.CO, co0, outs, k.ep);
  });
}

#if PAPER_VECTOR_WIDTH == 512
// 8 output channels on 16-float vectors: lanes 2j and 2j+1 accumulate output channel j over the even and the odd input
// channels. One 64-bit broadcast carries channels c, c+1 of an input pixel to all lanes, the weights are interleaved to
// match (wI[tap][c/2][2j+h] = w[tap][c+h][co0+j]), and the store adds the two halves: twice the multiply-adds per
// broadcast of the 8-float tiles, which the broadcasts bound at 8 output channels. Requires C even.
typedef typename Vec<16>::type v16;
typedef typename Vec<8>::type v8;
typedef double v8d __attribute__((vector_size(64)));

inline v16 bcPair(const float* p) {
  double d;
  std::memcpy(&d, p, sizeof d);
  return reinterpret_cast<v16>(v8d{} + d);
}

template <bool E>
inline void stPair(float* out, int co, v16 a, const Epilogue& ep) {
  const v8 even = __builtin_shufflevector(a, a, 0, 2, 4, 6, 8, 10, 12, 14);
  const v8 odd = __builtin_shufflevector(a, a, 1, 3, 5, 7, 9, 11, 13, 15);
  store<8, E>(out, co, even + odd, ep);
}

// corrTile<8, P, 1> on interleaved weights.
template <int P, bool E>
inline void pairTile(const float* src0, std::ptrdiff_t pixStride, std::ptrdiff_t rowStride, int C, const float* wI,
                     int KH, int KW, int co0, float* const* outs, const Epilogue& ep) {
  const int C2 = C / 2;
  v16 acc[P];
  for (int p = 0; p < P; p++) acc[p] = v16{};
  for (int kh = 0; kh < KH; kh++)
    for (int kw = 0; kw < KW; kw++) {
      const float* src = src0 + kh * rowStride + std::ptrdiff_t(kw) * C;
      const float* wt = wI + std::ptrdiff_t(kh * KW + kw) * C2 * 16;
      for (int c2 = 0; c2 < C2; c2++) {
        const v16 wv = ld<16>(wt + c2 * 16);
        for (int p = 0; p < P; p++) acc[p] += bcPair(src + p * pixStride + 2 * c2) * wv;
      }
    }
  for (int p = 0; p < P; p++)
    if (outs[p] != nullptr) stPair<E>(outs[p] + co0, co0, acc[p], ep);
}

// corrTileReuse3<8, P> on interleaved weights.
template <int P, bool E>
inline void pairTileReuse3(const float* src0, std::ptrdiff_t rowStride, int C, const float* wI, int KH, int co0,
                           float* const* outs, const Epilogue& ep) {
  constexpr int KW = 3;
  const int C2 = C / 2;
  v16 acc[P];
  for (int p = 0; p < P; p++) acc[p] = v16{};
  for (int kh = 0; kh < KH; kh++) {
    const float* src = src0 + kh * rowStride;
    const float* wt = wI + std::ptrdiff_t(kh * KW) * C2 * 16;
    for (int c2 = 0; c2 < C2; c2++) {
      v16 wk[KW];
      for (int kw = 0; kw < KW; kw++) wk[kw] = ld<16>(wt + (std::ptrdiff_t(kw) * C2 + c2) * 16);
      for (int q = 0; q < P + KW - 1; q++) {
        const v16 b = bcPair(src + std::ptrdiff_t(q) * C + 2 * c2);
        for (int kw = 0; kw < KW; kw++) {
          const int p = q - kw;
          if (p >= 0 && p < P) acc[p] += b * wk[kw];
        }
      }
    }
  }
  for (int p = 0; p < P; p++)
    if (outs[p] != nullptr) stPair<E>(outs[p] + co0, co0, acc[p], ep);
}

// corrBlock<8, …> for output channels co0 … co0 + 7 through the pair tiles.
template <bool E>
void corrBlockPair(const Corr& k, const float* padded, std::ptrdiff_t imgStride, int Wp, int co0) {
  constexpr int P = 12;
  const std::ptrdiff_t C = k.C;
  const int C2 = k.C / 2, taps = k.KH * k.KW;
  static thread_local std::vector<float> wI;
  wI.resize(std::size_t(taps) * C2 * 16);
  for (int t = 0; t < taps; t++)
    for (int c2 = 0; c2 < C2; c2++)
      for (int j = 0; j < 8; j++)
        for (int h = 0; h < 2; h++)
          wI[(std::size_t(t) * C2 + c2) * 16 + 2 * j + h] = k.w[(std::ptrdiff_t(t) * C + 2 * c2 + h) * k.CO + co0 + j];
  const float* w = wI.data();
  for (int n = 0; n < k.N; n++) {
    const float* img = padded + std::ptrdiff_t(n) * imgStride;
    float* outImg = k.out + std::ptrdiff_t(n) * k.OH * k.OW * k.CO;
    auto outAt = [&](int oh, int ow) {
      return outImg + (std::ptrdiff_t(k.oh0 + oh * k.ohStep) * k.OW + k.ow0 + ow * k.owStep) * k.CO;
    };
    // Tiles of P, then one of the rest, over `count` pixels (see corrRun).
    auto run = [&](int count, std::ptrdiff_t pixStride, auto at) {
      float* outs[P];
      int i = 0;
      for (; i + P <= count; i += P)
        pairTile<P, E>(at(i, P, outs), pixStride, Wp * C, k.C, w, k.KH, k.KW, co0, outs, k.ep);
      withTileSize<P - 1>(count - i, [&](auto m) {
        constexpr int M = decltype(m)::value;
        pairTile<M, E>(at(i, M, outs), pixStride, Wp * C, k.C, w, k.KH, k.KW, co0, outs, k.ep);
      });
    };
    if (k.s == 1) {
      const int count = (k.Ho - 1) * Wp + k.Wo;
      auto at = [&](int q, int m, float** outs) {
        for (int p = 0; p < m; p++) {
          const int oh = (q + p) / Wp, ow = (q + p) % Wp;
          outs[p] = ow < k.Wo ? outAt(oh, ow) : nullptr;
        }
        return img + std::ptrdiff_t(q) * C;
      };
      int done = 0;
      if (k.KW == 3) {
        float* outs[P];
        for (; done + P <= count; done += P)
          pairTileReuse3<P, E>(at(done, P, outs), Wp * C, k.C, w, k.KH, co0, outs, k.ep);
      }
      run(count - done, C, [&](int q, int m, float** outs) { return at(done + q, m, outs); });
    } else {
      for (int oh = 0; oh < k.Ho; oh++) {
        const float* row = img + std::ptrdiff_t(oh) * k.s * Wp * C;
        run(k.Wo, k.s * C, [&](int ow, int m, float** outs) {
          for (int p = 0; p < m; p++) outs[p] = outAt(oh, ow + p);
          return row + std::ptrdiff_t(ow) * k.s * C;
        });
      }
    }
  }
}
#endif

// buf[n, r, c, :] = in[n, r − pt, c − pl, :] for r < Hp, c < Wp, zero outside the input. Each element written once.
void padInput(std::vector<float>& buf, const float* in, int N, int Hi, int Wi, int C, int pt, int pl, int Hp, int Wp) {
  buf.resize(std::size_t(N) * Hp * Wp * C);
  const int c0 = std::min(Wp, std::max(0, pl)), c1 = std::max(c0, std::min(Wp, Wi + pl));
  const std::size_t Cs = C;
  for (int n = 0; n < N; n++)
    for (int r = 0; r < Hp; r++) {
      float* row = buf.data() + (std::size_t(n) * Hp + r) * Wp * Cs;
      const int ih = r - pt;
      if (ih < 0 || ih >= Hi || c0 == c1) {
        std::memset(row, 0, sizeof(float) * Wp * Cs);
        continue;
      }
      std::memset(row, 0, sizeof(float) * c0 * Cs);
      std::memcpy(row + c0 * Cs, in + ((std::size_t(n) * Hi + ih) * Wi + (c0 - pl)) * Cs, sizeof(float) * (c1 - c0) * Cs);
      std::memset(row + c1 * Cs, 0, sizeof(float) * (Wp - c1) * Cs);
    }
}

// The correlation k on an input already padded: image n's pixel (r, c) at padded + n·imgStride + (r·Wp + c)·C holds
// in[n, r − k.pt, c − k.pl], zero outside the input, for every row and column the output reads. E: store through
// k.ep (the inference kernel).
// The output-channel blocks of the correlation k on images whose padded input is at `padded` (see corrPadded).
template <bool E>
void corrBlocks(const Corr& k, const float* padded, std::ptrdiff_t imgStride, int Wp) {
  int co0 = 0;
#if PAPER_VECTOR_WIDTH == 512
  // 32 registers: 12 pixels × 2 vectors of accumulators, or 12 pixels × 1 vector + 3 taps' weights.
  for (; co0 + 32 <= k.CO; co0 += 32) corrBlock<16, 12, 2, 0, E>(k, padded, imgStride, Wp, co0);
  for (; co0 + 16 <= k.CO; co0 += 16) corrBlock<16, 12, 1, 12, E>(k, padded, imgStride, Wp, co0);
#else
  for (; co0 + 16 <= k.CO; co0 += 16) corrBlock<8, 6, 2, 0, E>(k, padded, imgStride, Wp, co0);
#endif
  for (; co0 + 8 <= k.CO; co0 += 8) {
#if PAPER_VECTOR_WIDTH == 512
    if (k.C % 2 == 0) {
      corrBlockPair<E>(k, padded, imgStride, Wp, co0);
      continue;
    }
#endif
    corrBlock<8, 8, 1, 12, E>(k, padded, imgStride, Wp, co0);
  }
}

// Images per group: a group's (padded) input and its output together fit in about 256 KiB, so they stay in the L2
// cache while every block of output channels reads them, instead of streaming the whole batch from memory per block.
inline int imagesPerGroup(const Corr& k, std::ptrdiff_t imgStride) {
  const std::ptrdiff_t bytes = 4 * (imgStride + std::ptrdiff_t(k.OH) * k.OW * k.CO);
  return int(std::max<std::ptrdiff_t>(1, std::min<std::ptrdiff_t>(k.N, (std::ptrdiff_t(256) << 10) / bytes)));
}

// The images n0 … n0 + count − 1 of k (their output; the epilogue's residual is addressed from k.ep.out, unchanged).
inline Corr imagesOf(const Corr& k, int n0, int count) {
  Corr g = k;
  g.N = count;
  g.out = k.out + std::ptrdiff_t(n0) * k.OH * k.OW * k.CO;
  return g;
}

// The correlation k on an input already padded: image n's pixel (r, c) at padded + n·imgStride + (r·Wp + c)·C holds
// in[n, r − k.pt, c − k.pl], zero outside the input, for every row and column the output reads. E: store through
// k.ep (the inference kernel). Runs by groups of images (imagesPerGroup).
template <bool E = false>
void corrPadded(const Corr& k, const float* padded, std::ptrdiff_t imgStride, int Wp) {
  const int G = imagesPerGroup(k, imgStride);
  for (int n0 = 0; n0 < k.N; n0 += G)
    corrBlocks<E>(imagesOf(k, n0, std::min(G, k.N - n0)), padded + std::ptrdiff_t(n0) * imgStride, imgStride, Wp);
}

template <bool E = false>
void corr(const Corr& k) {
  const int Hp = (k.Ho - 1) * k.s + k.KH, Wp = (k.Wo - 1) * k.s + k.KW;
  // No padding and every tap inside the input (1×1 convolutions, "valid" ones): read the input where it is.
  if (k.pt == 0 && k.pl == 0 && Hp <= k.Hi && Wp <= k.Wi) {
    corrPadded<E>(k, k.in, std::ptrdiff_t(k.Hi) * k.Wi * k.C, k.Wi);
    return;
  }
  // Else each group of images zero-padded, into a buffer that stays in cache, to exactly the rows/columns the output
  // reads.
  static thread_local std::vector<float> padded;
  const std::ptrdiff_t padStride = std::ptrdiff_t(Hp) * Wp * k.C, inStride = std::ptrdiff_t(k.Hi) * k.Wi * k.C;
  const int G = imagesPerGroup(k, padStride);
  for (int n0 = 0; n0 < k.N; n0 += G) {
    const int g = std::min(G, k.N - n0);
    padInput(padded, k.in + n0 * inStride, g, k.Hi, k.Wi, k.C, k.pt, k.pl, Hp, Wp);
    corrBlocks<E>(imagesOf(k, n0, g), padded.data(), padStride, Wp);
  }
}

// Output rows r0 … r1 − 1 of one image, which a filter-gradient pass takes at a time.
struct Rows {
  int r0, r1;
};

// dW[kh,kw,ci0:ci0+CB, co0:co0+L·V] += Σ over the valid output pixels in rows `rows` of one image.
template <int L, int CB, int V>
inline void filterTile(const float* x, const float* dy, float* dw, int Hi, int Wi, int C, Rows rows, int Wo, int CO,
                       int s, int kh, int kw, int pt, int pl, int ci0, int co0) {
  // Output rows/columns whose input row oh·s + kh − pt (column ow·s + kw − pl) lies inside the image.
  const int ohLo = std::max(rows.r0, ceilDiv(pt - kh, s));
  const int ohHi = std::min(rows.r1, floorDiv(Hi - 1 + pt - kh, s) + 1);
  const int owLo = std::max(0, ceilDiv(pl - kw, s)), owHi = std::min(Wo, floorDiv(Wi - 1 + pl - kw, s) + 1);
  if (ohLo >= ohHi || owLo >= owHi) return;
  typedef typename Vec<L>::type vf;
  vf acc[CB][V];
  float* d = dw + ci0 * std::ptrdiff_t(CO) + co0;
  for (int b = 0; b < CB; b++)
    for (int v = 0; v < V; v++) acc[b][v] = ld<L>(d + b * std::ptrdiff_t(CO) + L * v);
  const std::ptrdiff_t sC = std::ptrdiff_t(s) * C;
  for (int oh = ohLo; oh < ohHi; oh++) {
    const float* xr = x + (std::ptrdiff_t(oh * s + kh - pt) * Wi + (owLo * s + kw - pl)) * C + ci0;
    const float* dr = dy + (std::ptrdiff_t(oh) * Wo + owLo) * CO + co0;
    for (int ow = owLo; ow < owHi; ow++, xr += sC, dr += CO) {
      vf g[V];
      for (int v = 0; v < V; v++) g[v] = ld<L>(dr + L * v);
      for (int b = 0; b < CB; b++) {
        const vf xb = bc<L>(xr[b]);
        for (int v = 0; v < V; v++) acc[b][v] += xb * g[v];
      }
    }
  }
  for (int b = 0; b < CB; b++)
    for (int v = 0; v < V; v++) st<L>(d + b * std::ptrdiff_t(CO) + L * v, acc[b][v]);
}

template <int L, int CB, int V>
int filterCis(const float* x, const float* dy, float* dw, int Hi, int Wi, int C, Rows rows, int Wo, int CO, int s,
              int kh, int kw, int pt, int pl, int ci0, int co0) {
  for (; ci0 + CB <= C; ci0 += CB)
    filterTile<L, CB, V>(x, dy, dw, Hi, Wi, C, rows, Wo, CO, s, kh, kw, pt, pl, ci0, co0);
  return ci0;
}

#if PAPER_VECTOR_WIDTH == 512
// filterTile<8, 8, 1> on 16-float vectors, two output pixels at a time: lane 2i+h of acc[j] sums x[pixel h, ci0+i] ·
// dy[pixel h, co0+j]. The x vector interleaves the two pixels' 8 channels; dyT holds the image's dy transposed per
// row (dyT[oh][j][ow], rows Wo + 1 long, the last a zero), so one 64-bit broadcast carries dy of both pixels. Twice
// the multiply-adds per broadcast of the 8-float tile at 8 output channels.
inline void filterTilePair(const float* x, const float* dyT, float* dw, int Hi, int Wi, int C, Rows rows, int Wo,
                           int CO, int s, int kh, int kw, int pt, int pl, int ci0, int co0) {
  const int ohLo = std::max(rows.r0, ceilDiv(pt - kh, s));
  const int ohHi = std::min(rows.r1, floorDiv(Hi - 1 + pt - kh, s) + 1);
  const int owLo = std::max(0, ceilDiv(pl - kw, s)), owHi = std::min(Wo, floorDiv(Wi - 1 + pl - kw, s) + 1);
  if (ohLo >= ohHi || owLo >= owHi) return;
  const std::ptrdiff_t sC = std::ptrdiff_t(s) * C, rowT = Wo + 1;
  v16 acc[8];
  for (int j = 0; j < 8; j++) acc[j] = v16{};
  for (int oh = ohLo; oh < ohHi; oh++) {
    const float* xr = x + (std::ptrdiff_t(oh * s + kh - pt) * Wi + (owLo * s + kw - pl)) * C + ci0;
    const float* dt = dyT + std::ptrdiff_t(oh) * 8 * rowT;
    int ow = owLo;
    for (; ow + 2 <= owHi; ow += 2, xr += 2 * sC) {
      const v16 xv = __builtin_shufflevector(ld<8>(xr), ld<8>(xr + sC), 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14,
                                             7, 15);
      for (int j = 0; j < 8; j++) acc[j] += bcPair(dt + j * rowT + ow) * xv;
    }
    if (ow < owHi) {  // the row's last pixel alone: pixel 1's x is zero (its dy is the next column or the zero pad)
      const v16 xv = __builtin_shufflevector(ld<8>(xr), v8{}, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
      for (int j = 0; j < 8; j++) acc[j] += bcPair(dt + j * rowT + ow) * xv;
    }
  }
  float* d = dw + ci0 * std::ptrdiff_t(CO) + co0;
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 8; j++) d[i * std::ptrdiff_t(CO) + j] += acc[j][2 * i] + acc[j][2 * i + 1];
}
#endif

}  // namespace

extern "C" {

// Forward convolution: y[N,Ho,Wo,CO] = x[N,H,W,C] ⋆ w[KH,KW,C,CO], stride s, padding top/left pt, pl.
// Requires CO % 8 == 0. Returns 0, or −1 for shapes it does not handle.
int paper_conv2d(const float* x, int N, int H, int W, int C, const float* w, int KH, int KW, int CO, int sh, int sw,
                 int pt, int pl, float* y, int Ho, int Wo) {
  if (CO % 8 != 0 || sh != sw) return -1;
  corr(Corr{x, N, H, W, C, w, KH, KW, CO, sh, pt, pl, Ho, Wo, y, Ho, Wo, 0, 1, 0, 1});
  return 0;
}

// The forward convolution above with an epilogue, for inference: y = [relu](x ⋆ w + bias + residual), where w and
// bias hold a batch norm folded in (w·γ/√(σ²+ε), β − γ·μ/√(σ²+ε); Ioffe & Szegedy 2015, §3.2) and residual (same
// shape as y) is a ResNet block's shortcut (§3.2, Eq. 1). bias and residual may be null; relu is 0 or 1. Each output
// is written once, from the tile's registers. Requires CO % 8 == 0. Returns 0, or −1 for shapes it does not handle.
int paper_conv2d_fused(const float* x, int N, int H, int W, int C, const float* w, int KH, int KW, int CO, int sh,
                       int sw, int pt, int pl, const float* bias, const float* residual, int relu, float* y, int Ho,
                       int Wo) {
  if (CO % 8 != 0 || sh != sw) return -1;
  Corr k{x, N, H, W, C, w, KH, KW, CO, sh, pt, pl, Ho, Wo, y, Ho, Wo, 0, 1, 0, 1};
  k.ep = Epilogue{bias, residual, y, relu != 0};
  corr<true>(k);
  return 0;
}

// Input gradient dx[N,H,W,C] of the convolution above, from dy[N,Ho,Wo,CO]: for each stride phase (r, c) the dx
// pixels ih ≡ r − pt, iw ≡ c − pl (mod s) are a stride-1 correlation of dy with the flipped, in/out-swapped
// sub-filter of taps r, r+s, … × c, c+s, … . Requires C % 8 == 0. Returns 0, or −1 for shapes it does not handle.
int paper_conv2d_backprop_input(const float* dy, int N, int Ho, int Wo, int CO, const float* w, int KH, int KW,
                                int sh, int sw, int pt, int pl, float* dx, int H, int W, int C) {
  if (C % 8 != 0 || sh != sw) return -1;
  const int s = sh;
  // A phase with no taps (a kernel smaller than the stride, e.g. a 1×1 projection at stride 2) gets zeros.
  if (KH < s || KW < s) std::memset(dx, 0, sizeof(float) * std::size_t(N) * H * W * C);
  // Phase (r, c): taps Lh × Lw; dx pixels ih = s·q + r − pt for q in [qh0, qh0 + Hq), likewise iw.
  struct Phase {
    int r, c, Lh, Lw, qh0, qw0, Hq, Wq;
  };
  std::vector<Phase> phases;
  for (int r = 0; r < s; r++)
    for (int c = 0; c < s; c++) {
      const int Lh = r < KH ? (KH - r + s - 1) / s : 0, Lw = c < KW ? (KW - c + s - 1) / s : 0;
      const int qh0 = ceilDiv(pt - r, s), qw0 = ceilDiv(pl - c, s);
      const int Hq = floorDiv(H - 1 + pt - r, s) + 1 - qh0, Wq = floorDiv(W - 1 + pl - c, s) + 1 - qw0;
      if (Hq > 0 && Wq > 0 && Lh > 0 && Lw > 0) phases.push_back({r, c, Lh, Lw, qh0, qw0, Hq, Wq});
    }
  if (phases.empty()) return 0;
  // dy zero-padded once for all phases (each pads it by Lh − 1 − qh0 rows on top, …): the largest top and left
  // padding, and enough rows and columns below and right for every phase.
  int PT = 0, PL = 0, HB = 0, WB = 0;
  for (const Phase& p : phases) {
    PT = std::max(PT, p.Lh - 1 - p.qh0);
    PL = std::max(PL, p.Lw - 1 - p.qw0);
  }
  for (const Phase& p : phases) {
    HB = std::max(HB, PT - (p.Lh - 1 - p.qh0) + p.Hq - 1 + p.Lh);
    WB = std::max(WB, PL - (p.Lw - 1 - p.qw0) + p.Wq - 1 + p.Lw);
  }
  // Each phase's flipped, in/out-swapped sub-filter: sub[jh, jw, co, ci] = w[r + s·(Lh−1−jh), c + s·(Lw−1−jw), ci, co].
  std::vector<std::vector<float>> subs;
  for (const Phase& p : phases) {
    std::vector<float> sub(std::size_t(p.Lh) * p.Lw * C * CO);
    for (int jh = 0; jh < p.Lh; jh++)
      for (int jw = 0; jw < p.Lw; jw++) {
        const float* src = w + (std::ptrdiff_t(p.r + s * (p.Lh - 1 - jh)) * KW + (p.c + s * (p.Lw - 1 - jw))) * C * CO;
        float* dst = sub.data() + (std::ptrdiff_t(jh) * p.Lw + jw) * CO * C;
        for (int ci = 0; ci < C; ci++)
          for (int co = 0; co < CO; co++) dst[co * C + ci] = src[ci * CO + co];
      }
    subs.push_back(std::move(sub));
  }
  // Without padding (1×1 kernels) the phases read dy where it is; else each group of images is padded once for all
  // phases, into a buffer that stays in cache (see imagesPerGroup).
  static thread_local std::vector<float> padded;
  const bool inPlace = PT == 0 && PL == 0 && HB <= Ho && WB <= Wo;
  if (inPlace) {
    HB = Ho;
    WB = Wo;
  }
  const std::ptrdiff_t padStride = std::ptrdiff_t(HB) * WB * CO, dyStride = std::ptrdiff_t(Ho) * Wo * CO;
  const Corr whole{dy, N, Ho, Wo, CO, nullptr, 1, 1, C, 1, 0, 0, H, W, dx, H, W, 0, 1, 0, 1};
  const int G = imagesPerGroup(whole, padStride);
  for (int n0 = 0; n0 < N; n0 += G) {
    const int g = std::min(G, N - n0);
    const float* base = dy + n0 * dyStride;
    if (!inPlace) {
      padInput(padded, base, g, Ho, Wo, CO, PT, PL, HB, WB);
      base = padded.data();
    }
    for (std::size_t i = 0; i < phases.size(); i++) {
      const Phase& p = phases[i];
      const int pth = p.Lh - 1 - p.qh0, plw = p.Lw - 1 - p.qw0;
      const Corr k{dy, N, Ho, Wo, CO, subs[i].data(), p.Lh, p.Lw, C, 1, pth, plw, p.Hq, p.Wq,  //
                   dx, H, W, s * p.qh0 + p.r - pt, s, s * p.qw0 + p.c - pl, s};
      corrBlocks<false>(imagesOf(k, n0, g), base + (std::ptrdiff_t(PT - pth) * WB + (PL - plw)) * CO, padStride, WB);
    }
  }
  return 0;
}

// Filter gradient dw[KH,KW,C,CO] = Σ_{n,oh,ow} x[n, oh·s − pt + kh, ow·s − pl + kw, :] ⊗ dy[n,oh,ow,:].
// Requires CO % 8 == 0. Returns 0, or −1 for shapes it does not handle.
int paper_conv2d_backprop_filter(const float* x, int N, int H, int W, int C, const float* dy, int Ho, int Wo, int CO,
                                 int sh, int sw, int pt, int pl, float* dw, int KH, int KW) {
  if (CO % 8 != 0 || sh != sw) return -1;
  const int s = sh;
  std::memset(dw, 0, sizeof(float) * std::size_t(KH) * KW * C * CO);
#if PAPER_VECTOR_WIDTH == 512
  // The last 8 output channels when CO is not a multiple of 16 go through filterTilePair, on dy transposed per row.
  const int pairCo = CO % 16 == 8 && C >= 8 ? CO - 8 : -1;
  std::vector<float> dyT(pairCo >= 0 ? std::size_t(Ho) * 8 * (Wo + 1) : 0, 0.0f);
#endif
  // Output rows per pass: a pass's dy rows and the input rows they read stay in the L1 cache (about 16 KiB) while every
  // tap and channel block reads them. Each dw element still sums its pixels in (n, oh, ow) order.
  const int rowBytes = 4 * (Wo * CO + s * W * C);
  const int rowsPerPass = std::max(1, std::min(Ho, (16 << 10) / rowBytes));
  for (int n = 0; n < N; n++) {
    const float* xi = x + std::ptrdiff_t(n) * H * W * C;
    const float* di = dy + std::ptrdiff_t(n) * Ho * Wo * CO;
#if PAPER_VECTOR_WIDTH == 512
    if (pairCo >= 0) {
      for (int oh = 0; oh < Ho; oh++)
        for (int ow = 0; ow < Wo; ow++)
          for (int j = 0; j < 8; j++)
            dyT[(std::size_t(oh) * 8 + j) * (Wo + 1) + ow] = di[(std::ptrdiff_t(oh) * Wo + ow) * CO + pairCo + j];
      // Whole images: the pair tile adds its image's sum to dw at the end.
      for (int kh = 0; kh < KH; kh++)
        for (int kw = 0; kw < KW; kw++)
          for (int ci = 0; ci + 8 <= C; ci += 8)
            filterTilePair(xi, dyT.data(), dw + std::ptrdiff_t(kh * KW + kw) * C * CO, H, W, C, Rows{0, Ho}, Wo, CO,
                           s, kh, kw, pt, pl, ci, pairCo);
    }
#endif
    for (int r0 = 0; r0 < Ho; r0 += rowsPerPass) {
      const Rows rows{r0, std::min(Ho, r0 + rowsPerPass)};
      for (int kh = 0; kh < KH; kh++)
        for (int kw = 0; kw < KW; kw++) {
          float* d = dw + std::ptrdiff_t(kh * KW + kw) * C * CO;
          int co0 = 0;
#if PAPER_VECTOR_WIDTH == 512
          for (; co0 + 32 <= CO; co0 += 32) {
            int ci = filterCis<16, 8, 2>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, 0, co0);
            filterCis<16, 1, 2>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
          }
          for (; co0 + 16 <= CO; co0 += 16) {
            int ci = filterCis<16, 16, 1>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, 0, co0);
            ci = filterCis<16, 8, 1>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
            filterCis<16, 1, 1>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
          }
#else
          for (; co0 + 16 <= CO; co0 += 16) {
            int ci = filterCis<8, 6, 2>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, 0, co0);
            ci = filterCis<8, 4, 2>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
            ci = filterCis<8, 2, 2>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
            filterCis<8, 1, 2>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
          }
#endif
          for (; co0 + 8 <= CO; co0 += 8) {
            int ci = 0;
#if PAPER_VECTOR_WIDTH == 512
            if (co0 == pairCo) ci = C / 8 * 8;  // those went through filterTilePair above
#endif
            ci = filterCis<8, 8, 1>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
            filterCis<8, 1, 1>(xi, di, d, H, W, C, rows, Wo, CO, s, kh, kw, pt, pl, ci, co0);
          }
        }
    }
  }
  return 0;
}

}  // extern "C"
