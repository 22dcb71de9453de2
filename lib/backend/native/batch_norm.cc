// The per-element passes of batch normalization in training mode (ResNet §3.4; Ioffe & Szegedy 2015, Algorithm 1
// and its backward pass) over channels-last rows: float64 per-channel sums, then the affine map. The JavaScript in
// lib/backend/batch_norm.ts computes the statistics from the sums between the passes (the kernels in
// batch_norm_kernels.ts all-reduce the sums across data-parallel workers first).
#include <cstddef>

extern "C" {

// sum[k] += Σ_r (x[r,k] − shift[k]), sq[k] += Σ_r (x[r,k] − shift[k])².
void paper_bn_sums(const float* x, int rows, int C, const double* shift, double* sum, double* sq) {
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
  for (int r = 0; r < rows; r++) {
    const float* xr = x + std::ptrdiff_t(r) * C;
    float* yr = y + std::ptrdiff_t(r) * C;
    for (int k = 0; k < C; k++) yr[k] = xr[k] * scale[k] + shift[k];
  }
}

// sumDy[k] += Σ_r dy[r,k], sumDyXc[k] += Σ_r dy[r,k]·(x[r,k] − mean[k]).
void paper_bn_grad_sums(const float* dy, const float* x, int rows, int C, const float* mean, double* sumDy,
                        double* sumDyXc) {
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
  for (int r = 0; r < rows; r++) {
    const float* dr = dy + std::ptrdiff_t(r) * C;
    const float* xr = x + std::ptrdiff_t(r) * C;
    float* o = dx + std::ptrdiff_t(r) * C;
    for (int k = 0; k < C; k++) o[k] = a[k] * dr[k] + b[k] * (xr[k] - mean[k]) + d[k];
  }
}

}  // extern "C"
