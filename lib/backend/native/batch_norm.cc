// The per-element passes of batch normalization in training mode (ResNet §3.4; Ioffe & Szegedy 2015, Algorithm 1
// and its backward pass) over channels-last rows: float64 per-channel sums, then the affine map. The JavaScript in
// lib/backend/batch_norm.ts computes the statistics from the sums between the passes (the kernels in
// batch_norm_kernels.ts all-reduce the sums across data-parallel workers first).
#include <cstddef>

namespace {

typedef float f8 __attribute__((vector_size(32)));
typedef float f8u __attribute__((vector_size(32), aligned(4)));
typedef double d8 __attribute__((vector_size(64)));

// Without AVX-512, GCC warns that passing a 64-byte vector by value has another ABI; these helpers are internal and
// inlined, so no call crosses an ABI.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

inline d8 ld8(const float* p) { return __builtin_convertvector(*reinterpret_cast<const f8u*>(p), d8); }

// The sums of paper_bn_sums (grad: of paper_bn_grad_sums) for C = 8·B channels, accumulated in registers over U
// interleaved row sets: the generic loop adds into sum[k] in memory, one dependent load-add-store per row, which at 8
// channels bounds it at about a third of the other passes' speed.
template <int B, int U>
void sumsBlocks(const float* x, int rows, const double* shift, double* sum, double* sq) {
  constexpr int C = 8 * B;
  d8 s[U][B], q[U][B], sh[B];
  for (int b = 0; b < B; b++) {
    for (int l = 0; l < 8; l++) sh[b][l] = shift[8 * b + l];
    for (int u = 0; u < U; u++) s[u][b] = q[u][b] = d8{};
  }
  int r = 0;
  for (; r + U <= rows; r += U)
    for (int u = 0; u < U; u++)
      for (int b = 0; b < B; b++) {
        const d8 v = ld8(x + std::ptrdiff_t(r + u) * C + 8 * b) - sh[b];
        s[u][b] += v;
        q[u][b] += v * v;
      }
  for (; r < rows; r++)
    for (int b = 0; b < B; b++) {
      const d8 v = ld8(x + std::ptrdiff_t(r) * C + 8 * b) - sh[b];
      s[0][b] += v;
      q[0][b] += v * v;
    }
  for (int b = 0; b < B; b++)
    for (int l = 0; l < 8; l++)
      for (int u = 0; u < U; u++) {
        sum[8 * b + l] += s[u][b][l];
        sq[8 * b + l] += q[u][b][l];
      }
}

template <int B, int U>
void gradSumsBlocks(const float* dy, const float* x, int rows, const float* mean, double* sumDy, double* sumDyXc) {
  constexpr int C = 8 * B;
  d8 s[U][B], q[U][B], m[B];
  for (int b = 0; b < B; b++) {
    for (int l = 0; l < 8; l++) m[b][l] = mean[8 * b + l];
    for (int u = 0; u < U; u++) s[u][b] = q[u][b] = d8{};
  }
  auto row = [&](int r, int u) {
    for (int b = 0; b < B; b++) {
      const d8 g = ld8(dy + std::ptrdiff_t(r) * C + 8 * b);
      s[u][b] += g;
      q[u][b] += g * (ld8(x + std::ptrdiff_t(r) * C + 8 * b) - m[b]);
    }
  };
  int r = 0;
  for (; r + U <= rows; r += U)
    for (int u = 0; u < U; u++) row(r + u, u);
  for (; r < rows; r++) row(r, 0);
  for (int b = 0; b < B; b++)
    for (int l = 0; l < 8; l++)
      for (int u = 0; u < U; u++) {
        sumDy[8 * b + l] += s[u][b][l];
        sumDyXc[8 * b + l] += q[u][b][l];
      }
}

// paper_bn_apply (grad: paper_bn_grad_apply) for C = 8·B channels with the per-channel factors held in registers.
template <int B>
void applyBlocks(const float* x, int rows, const float* scale, const float* shift, float* y) {
  constexpr int C = 8 * B;
  f8 a[B], c[B];
  for (int b = 0; b < B; b++) {
    a[b] = *reinterpret_cast<const f8u*>(scale + 8 * b);
    c[b] = *reinterpret_cast<const f8u*>(shift + 8 * b);
  }
  for (int r = 0; r < rows; r++)
    for (int b = 0; b < B; b++) {
      const std::ptrdiff_t i = std::ptrdiff_t(r) * C + 8 * b;
      *reinterpret_cast<f8u*>(y + i) = *reinterpret_cast<const f8u*>(x + i) * a[b] + c[b];
    }
}

template <int B>
void gradApplyBlocks(const float* dy, const float* x, int rows, const float* mean, const float* a, const float* b,
                     const float* d, float* dx) {
  constexpr int C = 8 * B;
  f8 va[B], vb[B], vd[B], vm[B];
  for (int k = 0; k < B; k++) {
    va[k] = *reinterpret_cast<const f8u*>(a + 8 * k);
    vb[k] = *reinterpret_cast<const f8u*>(b + 8 * k);
    vd[k] = *reinterpret_cast<const f8u*>(d + 8 * k);
    vm[k] = *reinterpret_cast<const f8u*>(mean + 8 * k);
  }
  for (int r = 0; r < rows; r++)
    for (int k = 0; k < B; k++) {
      const std::ptrdiff_t i = std::ptrdiff_t(r) * C + 8 * k;
      const f8 g = *reinterpret_cast<const f8u*>(dy + i), xv = *reinterpret_cast<const f8u*>(x + i);
      *reinterpret_cast<f8u*>(dx + i) = va[k] * g + vb[k] * (xv - vm[k]) + vd[k];
    }
}

}  // namespace

extern "C" {

// sum[k] += Σ_r (x[r,k] − shift[k]), sq[k] += Σ_r (x[r,k] − shift[k])².
void paper_bn_sums(const float* x, int rows, int C, const double* shift, double* sum, double* sq) {
  if (C == 8) return sumsBlocks<1, 4>(x, rows, shift, sum, sq);
  if (C == 16) return sumsBlocks<2, 2>(x, rows, shift, sum, sq);
  if (C == 32) return sumsBlocks<4, 1>(x, rows, shift, sum, sq);
  if (C == 64) return sumsBlocks<8, 1>(x, rows, shift, sum, sq);
  for (int r = 0; r < rows; r++) {
    const float* xr = x + std::ptrdiff_t(r) * C;
    for (int k = 0; k < C; k++) {
      const double v = double(xr[k]) - shift[k];
      sum[k] += v;
      sq[k] += v * v;
    }
  }
}

// y[r,k] = x[r,k]·scale[k] + shift[k].
void paper_bn_apply(const float* x, int rows, int C, const float* scale, const float* shift, float* y) {
  if (C == 8) return applyBlocks<1>(x, rows, scale, shift, y);
  if (C == 16) return applyBlocks<2>(x, rows, scale, shift, y);
  if (C == 32) return applyBlocks<4>(x, rows, scale, shift, y);
  if (C == 64) return applyBlocks<8>(x, rows, scale, shift, y);
  for (int r = 0; r < rows; r++) {
    const float* xr = x + std::ptrdiff_t(r) * C;
    float* yr = y + std::ptrdiff_t(r) * C;
    for (int k = 0; k < C; k++) yr[k] = xr[k] * scale[k] + shift[k];
  }
}

// sumDy[k] += Σ_r dy[r,k], sumDyXc[k] += Σ_r dy[r,k]·(x[r,k] − mean[k]).
void paper_bn_grad_sums(const float* dy, const float* x, int rows, int C, const float* mean, double* sumDy,
                        double* sumDyXc) {
  if (C == 8) return gradSumsBlocks<1, 4>(dy, x, rows, mean, sumDy, sumDyXc);
  if (C == 16) return gradSumsBlocks<2, 2>(dy, x, rows, mean, sumDy, sumDyXc);
  if (C == 32) return gradSumsBlocks<4, 1>(dy, x, rows, mean, sumDy, sumDyXc);
  if (C == 64) return gradSumsBlocks<8, 1>(dy, x, rows, mean, sumDy, sumDyXc);
  for (int r = 0; r < rows; r++) {
    const float* dr = dy + std::ptrdiff_t(r) * C;
    const float* xr = x + std::ptrdiff_t(r) * C;
    for (int k = 0; k < C; k++) {
      sumDy[k] += dr[k];
      sumDyXc[k] += double(dr[k]) * (double(xr[k]) - mean[k]);
    }
  }
}

// dx[r,k] = a[k]·dy[r,k] + b[k]·(x[r,k] − mean[k]) + d[k].
void paper_bn_grad_apply(const float* dy, const float* x, int rows, int C, const float* mean, const float* a,
                         const float* b, const float* d, float* dx) {
  if (C == 8) return gradApplyBlocks<1>(dy, x, rows, mean, a, b, d, dx);
  if (C == 16) return gradApplyBlocks<2>(dy, x, rows, mean, a, b, d, dx);
  if (C == 32) return gradApplyBlocks<4>(dy, x, rows, mean, a, b, d, dx);
  if (C == 64) return gradApplyBlocks<8>(dy, x, rows, mean, a, b, d, dx);
  for (int r = 0; r < rows; r++) {
    const float* dr = dy + std::ptrdiff_t(r) * C;
    const float* xr = x + std::ptrdiff_t(r) * C;
    float* o = dx + std::ptrdiff_t(r) * C;
    for (int k = 0; k < C; k++) o[k] = a[k] * dr[k] + b[k] * (xr[k] - mean[k]) + d[k];
  }
}

}  // extern "C"
