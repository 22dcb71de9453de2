// Squared Euclidean distances between two sets of float32 points, summed in double — the inner loop of GAN §5's
// Gaussian Parzen-window estimate (Table 1), where every test image meets every generated sample (10,000 × 9,000 ×
// 784 at the recorded run's sizes). Each difference is taken in double, as lib/gan/parzen.ts's JavaScript loop does,
// so the two agree to the last bits of a double sum; four points share each sample row read, and each distance keeps
// four double vectors of partial sums.
#include <cstdint>

namespace {

typedef double v4d __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));
typedef float v4fu __attribute__((vector_size(16), aligned(4)));

inline v4d widen(const float* p) { return __builtin_convertvector(*reinterpret_cast<const v4fu*>(p), v4d); }

inline double sum(v4d v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// out[b·n + i] = Σ_k (x[b, k] − s[i, k])² for the R points of x from row b0 and sample row i.
template <int R>
inline void rows(const float* x, int b0, const float* si, int i, int n, int d, double* out) {
  const int d4 = d - d % 4;
  v4d acc[R] = {};
  for (int k = 0; k < d4; k += 4) {
    const v4d sv = widen(si + k);
#pragma GCC unroll 4
    for (int r = 0; r < R; r++) {
      const v4d e = widen(x + static_cast<long>(b0 + r) * d + k) - sv;
      acc[r] += e * e;
    }
  }
#pragma GCC unroll 4
  for (int r = 0; r < R; r++) {
    double t = sum(acc[r]);
    const float* xr = x + static_cast<long>(b0 + r) * d;
    for (int k = d4; k < d; k++) {
      const double e = static_cast<double>(xr[k]) - si[k];
      t += e * e;
    }
    out[static_cast<long>(b0 + r) * n + i] = t;
  }
}

}  // namespace

// out[b·n + i] = ‖x_b − s_i‖² for the m points of x and the n points of s, all of dimension d (row-major).
extern "C" void paper_squared_distances(const float* x, int m, const float* s, int n, int d, double* out) {
  // Sample rows outer: each is read from memory once and stays in L1 while every point of x (the caller passes a
  // block small enough for L2) meets it.
  for (int i = 0; i < n; i++) {
    const float* si = s + static_cast<long>(i) * d;
    int b = 0;
    for (; b + 4 <= m; b += 4) rows<4>(x, b, si, i, n, d, out);
    for (; b < m; b++) rows<1>(x, b, si, i, n, d, out);
  }
}
