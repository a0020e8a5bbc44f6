#include "rbmkit/sparse_product.hpp"

#include <immintrin.h>

namespace rbmkit {

#if defined(__AVX512F__)
void nonzero_columns(const float* x, std::size_t n, std::vector<int>& active) {
  active.resize(n + 16);
  const __m512 zero = _mm512_setzero_ps();
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  std::size_t count = 0, i = 0;
  for (; i + 16 <= n; i += 16) {
    const __mmask16 m = _mm512_cmp_ps_mask(_mm512_loadu_ps(x + i), zero, _CMP_NEQ_UQ);
    const __m512i idx = _mm512_add_epi32(lanes, _mm512_set1_epi32(static_cast<int>(i)));
    _mm512_storeu_si512(active.data() + count, _mm512_maskz_compress_epi32(m, idx));
    count += static_cast<std::size_t>(__builtin_popcount(m));
  }
  for (; i < n; ++i) {
    active[count] = static_cast<int>(i);
    count += x[i] != 0.0f;
  }
  active.resize(count);
}
#else
void nonzero_columns(const float* x, std::size_t n, std::vector<int>& active) {
  active.resize(n);
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    active[count] = static_cast<int>(i);
    count += x[i] != 0.0f;
  }
  active.resize(count);
}
#endif

void sparse_times(const Matrix& A, const Matrix& M, Matrix& out) {
  const Eigen::Index nonzeros = (A.array() != 0.0f).count();
  out.resize(A.rows(), M.cols());
  if (static_cast<double>(nonzeros) > kSparseTimesDensity * static_cast<double>(A.size())) {
    out.noalias() = A * M;
    return;
  }
  thread_local std::vector<int> active;
  const Eigen::Index k = M.cols();
  for (Eigen::Index r = 0; r < A.rows(); ++r) {
    const float* a = A.row(r).data();
    nonzero_columns(a, static_cast<std::size_t>(A.cols()), active);
    float* __restrict o = out.row(r).data();
    for (Eigen::Index j = 0; j < k; ++j) o[j] = 0.0f;
    std::size_t t = 0;
    for (; t + 4 <= active.size(); t += 4) {
      const int i0 = active[t], i1 = active[t + 1], i2 = active[t + 2], i3 = active[t + 3];
      const float a0 = a[i0], a1 = a[i1], a2 = a[i2], a3 = a[i3];
      const float* __restrict m0 = M.row(i0).data();
      const float* __restrict m1 = M.row(i1).data();
      const float* __restrict m2 = M.row(i2).data();
      const float* __restrict m3 = M.row(i3).data();
      for (Eigen::Index j = 0; j < k; ++j) o[j] += (a0 * m0[j] + a1 * m1[j]) + (a2 * m2[j] + a3 * m3[j]);
    }
    for (; t < active.size(); ++t) {
      const float at = a[active[t]];
      const float* __restrict m = M.row(active[t]).data();
      for (Eigen::Index j = 0; j < k; ++j) o[j] += at * m[j];
    }
  }
}

}  // namespace rbmkit
