// Matrix products (float32, row-major) for the fully connected layers of GAN §5's MLPs (G: ReLU hidden layers, D:
// maxout pieces), forward and both gradients: C = op(A)·op(B) [+ bias] [ReLU], op = identity or transpose, batched.
// One register-tiled kernel covers every case: 6 rows of C × 2 vectors of columns held in registers (15 of AVX2's 16),
// each step a broadcast element of A times a row of a panel of B. A is read through strides, so Aᵀ costs nothing; B's
// columns are copied per block of K rows into a contiguous panel that stays in L1 (gathered from rows of B when it is
// transposed, as in the input gradient dy·Wᵀ). Columns that do not fill a vector run as a scalar loop; every sum runs
// over k in order. Single-threaded: a data-parallel worker owns one core.
#include <cstdint>

#include "vec.h"

namespace {

constexpr int L = PAPER_VECTOR_WIDTH / 32;
typedef Vec<L>::type vf;

// What is applied to C's sums before they are stored: bias[j] added, then the ReLU (x < 0 ? 0 : x, as tfjs's Relu:
// NaN stays NaN). Null bias: none.
struct Epi {
  const float* bias;
  bool relu;
};

inline float finishScalar(const Epi& e, int j, float v) {
  if (e.bias != nullptr) v += e.bias[j];
  return e.relu && v < 0.0f ? 0.0f : v;
}

inline vf finishVector(const Epi& e, int j, vf v) {
  if (e.bias != nullptr) v += ld<L>(e.bias + j);
  if (e.relu) v = v < vf{} ? vf{} : v;
  return v;
}

// Rows of K handled at once: B's panel of 2 vectors × KC rows (16 KB at 8 floats, 32 KB at 16) stays in L1.
constexpr int KC = 256;

// R rows × V vectors of C from row i, columns j.. (the panel's): C[i+r, j..] (+)= Σ_k A(i+r, k) · panel[k, ..] over
// k in [k0, k1), A(i, k) = a[i·ai + k·ak]. The first K block starts from zero, later ones from C's stored sums (the
// same order of additions as one pass); the last applies the epilogue.
template <int R, int V>
inline void tileNN(int k0, int k1, const float* a, long ai, long ak, const float* panel, int N, float* c, int i,
                   int j, const Epi& e, bool first, bool last) {
  vf acc[R][V];
  #pragma GCC unroll 8
  for (int r = 0; r < R; r++)
    #pragma GCC unroll 8
    for (int v = 0; v < V; v++)
      acc[r][v] = first ? vf{} : ld<L>(c + static_cast<long>(i + r) * N + j + v * L);
  const float* arow = a + i * ai;
  for (int k = k0; k < k1; k++) {
    const float* brow = panel + (k - k0) * V * L;
    vf bv[V];
    #pragma GCC unroll 8
    for (int v = 0; v < V; v++) bv[v] = ld<L>(brow + v * L);
    #pragma GCC unroll 8
    for (int r = 0; r < R; r++) {
      const float as = arow[r * ai + k * ak];  // scalar × vector: a broadcast load, without bc's add of +0
      #pragma GCC unroll 8
      for (int v = 0; v < V; v++) acc[r][v] += as * bv[v];
    }
  }
  #pragma GCC unroll 8
  for (int r = 0; r < R; r++)
    #pragma GCC unroll 8
    for (int v = 0; v < V; v++) {
      float* at = c + static_cast<long>(i + r) * N + j + v * L;
      st<L>(at, last ? finishVector(e, j + v * L, acc[r][v]) : acc[r][v]);
    }
}

// Columns j.. (V vectors) of C: for each K block, B's rows k0..k1 of those columns are first copied into a contiguous
// panel that the tiles read in order. B(k, j) = b[k·bk + j·bj]: bj = 1 is B as stored, bk = 1 is Bᵀ (gathered).
template <int V>
void columnsNN(int M, int K, const float* a, long ai, long ak, const float* b, long bk, long bj, int N, float* c, int j,
               const Epi& e, float* panel) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int k1 = k0 + KC < K ? k0 + KC : K;
    if (bj == 1) {
      for (int k = k0; k < k1; k++)
        for (int v = 0; v < V; v++) st<L>(panel + (k - k0) * V * L + v * L, ld<L>(b + k * bk + j + v * L));
    } else {
      for (int col = 0; col < V * L; col++) {
        const float* bc0 = b + (j + col) * bj;
        for (int k = k0; k < k1; k++) panel[(k - k0) * V * L + col] = bc0[k * bk];
      }
    }
    const bool first = k0 == 0, last = k1 == K;
    int i = 0;
    for (; i + 6 <= M; i += 6) tileNN<6, V>(k0, k1, a, ai, ak, panel, N, c, i, j, e, first, last);
    for (; i + 2 <= M; i += 2) tileNN<2, V>(k0, k1, a, ai, ak, panel, N, c, i, j, e, first, last);
    for (; i < M; i++) tileNN<1, V>(k0, k1, a, ai, ak, panel, N, c, i, j, e, first, last);
  }
}

// C = A·B through strides: A(i, k) = a[i·ai + k·ak], B(k, j) = b[k·bk + j·bj].
void gemm(int M, int N, int K, const float* a, long ai, long ak, const float* b, long bk, long bj, float* c,
          const Epi& e) {
  alignas(64) static thread_local float panel[KC * 2 * L];
  int j = 0;
  for (; j + 2 * L <= N; j += 2 * L) columnsNN<2>(M, K, a, ai, ak, b, bk, bj, N, c, j, e, panel);
  for (; j + L <= N; j += L) columnsNN<1>(M, K, a, ai, ak, b, bk, bj, N, c, j, e, panel);
  for (; j < N; j++) {
    for (int i = 0; i < M; i++) {
      float s = 0.0f;
      for (int k = 0; k < K; k++) s += a[i * ai + k * ak] * b[k * bk + j * bj];
      c[static_cast<long>(i) * N + j] = finishScalar(e, j, s);
    }
  }
}

}  // namespace

// C[batch] = op(A[batch or 0])·op(B[batch or 0]) (+ bias[N]) (ReLU): A is [M, K] ([K, M] when transA), B is [K, N]
// ([N, K] when transB), C is [M, N]; aBatch/bBatch are 1 (the same matrix for every product) or `batch`. Returns 0.
extern "C" int paper_matmul(const float* a, int aBatch, const float* b, int bBatch, int batch, int M, int K, int N,
                            int transA, int transB, const float* bias, int relu, float* c) {
  const Epi e{bias, relu != 0};
  const long aSize = static_cast<long>(M) * K, bSize = static_cast<long>(K) * N, cSize = static_cast<long>(M) * N;
  for (int p = 0; p < batch; p++) {
    const float* ap = a + (aBatch == 1 ? 0 : p * aSize);
    const float* bp = b + (bBatch == 1 ? 0 : p * bSize);
    float* cp = c + p * cSize;
    gemm(M, N, K, ap, transA ? 1 : K, transA ? M : 1, bp, transB ? 1 : N, transB ? K : 1, cp, e);
  }
  return 0;
}
