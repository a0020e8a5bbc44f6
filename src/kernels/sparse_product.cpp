#include "rbmkit/kernels/sparse_product.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "rbmkit/asserts.hpp"
#include "rbmkit/kernels/simd.hpp"

namespace rbmkit {

namespace {

#if RBMKIT_SIMD_WIDTH == 8
// kCompressed[m]: the lanes whose bit is set in m, in order, then zeros (AVX2 has no compress).
constexpr auto kCompressed = [] {
  std::array<std::array<std::int32_t, 8>, 256> table{};
  for (unsigned m = 0; m < 256; ++m)
    for (std::int32_t lane = 0, n = 0; lane < 8; ++lane)
      if ((m >> lane) & 1u) table[m][static_cast<std::size_t>(n++)] = lane;
  return table;
}();
#endif

}  // namespace

Eigen::Index nonzero_indices(const float* x, Eigen::Index from, Eigen::Index to, std::int32_t* out) {
  Eigen::Index n = 0, i = from;
#if RBMKIT_SIMD_WIDTH == 16
  const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (; i < to; i += 16) {
    const __mmask16 in = i + 16 <= to ? __mmask16(0xffff) : simd::first_lanes(to - i);
    const __mmask16 on = _mm512_mask_cmp_ps_mask(in, _mm512_maskz_loadu_ps(in, x + i), _mm512_setzero_ps(), _CMP_NEQ_UQ);
    const __m512i idx = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(i)), iota);
    _mm512_storeu_si512(out + n, _mm512_maskz_compress_epi32(on, idx));
    n += __builtin_popcount(on);
  }
#else
#if RBMKIT_SIMD_WIDTH == 8
  for (; i + 8 <= to; i += 8) {
    const std::uint32_t on = simd::nonzero(simd::load(x + i));
    const __m256i lanes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kCompressed[on].data()));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + n),
                        _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(i)), lanes));
    n += __builtin_popcount(on);
  }
#endif
  for (; i < to; ++i) {
    out[n] = static_cast<std::int32_t>(i);
    n += x[i] != 0.0f;
  }
#endif
  return n;
}

void nonzero_columns(const float* x, std::size_t n, std::vector<int>& active) {
  active.resize(n + 16);
  active.resize(static_cast<std::size_t>(nonzero_indices(x, 0, static_cast<Eigen::Index>(n), active.data())));
}

void sparse_times(const Matrix& A, const Matrix& M, Matrix& out) {
  RBMKIT_ASSERT(A.cols() == M.rows(), "sparse_times: A (B, n) times M (n, k)");
  RBMKIT_ASSERT(&out != &A && &out != &M, "sparse_times: out must not alias A or M");
  const Eigen::Index nonzeros = (A.array() != 0.0f).count();
  out.resize(A.rows(), M.cols());
  if (static_cast<double>(nonzeros) > kSparseTimesDensity * static_cast<double>(A.size())) {
    out.noalias() = A * M;
    return;
  }
  const Eigen::Index k = M.cols();
#pragma omp parallel for schedule(static) if (A.rows() > 1)
  for (Eigen::Index r = 0; r < A.rows(); ++r) {
    thread_local std::vector<int> active;
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

namespace {

// Nonzeros of A (B, n) listed by column: the entries of column i are (row[t], value[t]) for
// t in [start[i], start[i + 1]), rows ascending.
struct ColumnLists {
  std::vector<int> start, row;
  std::vector<float> value;
};

void list_by_column(const Matrix& A, ColumnLists& L) {
  const Eigen::Index B = A.rows(), n = A.cols();
  thread_local std::vector<int> active, offsets;
  thread_local std::vector<int> row_active;
  active.clear();
  offsets.assign(static_cast<std::size_t>(B) + 1, 0);
  L.start.assign(static_cast<std::size_t>(n) + 1, 0);
  for (Eigen::Index r = 0; r < B; ++r) {
    nonzero_columns(A.row(r).data(), static_cast<std::size_t>(n), row_active);
    active.insert(active.end(), row_active.begin(), row_active.end());
    offsets[static_cast<std::size_t>(r) + 1] = static_cast<int>(active.size());
    for (const int i : row_active) ++L.start[static_cast<std::size_t>(i) + 1];
  }
  for (Eigen::Index i = 0; i < n; ++i) L.start[static_cast<std::size_t>(i) + 1] += L.start[static_cast<std::size_t>(i)];
  L.row.resize(active.size());
  L.value.resize(active.size());
  thread_local std::vector<int> fill;
  fill.assign(L.start.begin(), L.start.end() - 1);
  for (Eigen::Index r = 0; r < B; ++r) {
    const float* a = A.row(r).data();
    for (int t = offsets[static_cast<std::size_t>(r)]; t < offsets[static_cast<std::size_t>(r) + 1]; ++t) {
      const int i = active[static_cast<std::size_t>(t)];
      const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(i)]++);
      L.row[at] = static_cast<int>(r);
      L.value[at] = a[i];
    }
  }
}

constexpr Eigen::Index kOuterBlock = 64;

// M[i, c0 : c0 + width) += alpha sum_t value[t] Y[row[t], c0 : c0 + width) for every i, the
// sums held in kOuterBlock / simd::kWidth registers across the rows of the list (4 with
// AVX-512, 8 with AVX2); Full: width == kOuterBlock, else the lanes past width are masked.
#if RBMKIT_SIMD_WIDTH > 0
template <bool Full>
void add_outer_rows(Matrix& M, const ColumnLists& L, const Matrix& Y, float alpha, Eigen::Index c0,
                    Eigen::Index width) {
  constexpr Eigen::Index W = simd::kWidth;
  constexpr int C = static_cast<int>(kOuterBlock / W);
  simd::Tail tail[C];
  for (int c = 0; c < C; ++c) tail[c] = simd::first_lanes(std::clamp<Eigen::Index>(width - W * c, 0, W));
  const auto load = [&tail](const float* p, int c) { return Full ? simd::load(p + W * c) : simd::load(p + W * c, tail[c]); };
  const auto store = [&tail](float* p, int c, simd::Floats v) {
    if (Full)
      simd::store(p + W * c, v);
    else
      simd::store(p + W * c, v, tail[c]);
  };
  const simd::Floats a = simd::broadcast(alpha);
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    const int s = L.start[static_cast<std::size_t>(i)], e = L.start[static_cast<std::size_t>(i) + 1];
    if (s == e) continue;
    simd::Floats sums[C];
    for (auto& v : sums) v = simd::zeros();
    for (int t = s; t < e; ++t) {
      const float* y = Y.row(L.row[static_cast<std::size_t>(t)]).data() + c0;
      const simd::Floats x = simd::broadcast(L.value[static_cast<std::size_t>(t)]);
      for (int c = 0; c < C; ++c) sums[c] = simd::fmadd(x, load(y, c), sums[c]);
    }
    float* m = M.row(i).data() + c0;
    for (int c = 0; c < C; ++c) store(m, c, simd::fmadd(a, sums[c], load(m, c)));
  }
}

void add_outer_block(Matrix& M, const ColumnLists& L, const Matrix& Y, float alpha, Eigen::Index c0,
                     Eigen::Index width) {
  if (width == kOuterBlock)
    add_outer_rows<true>(M, L, Y, alpha, c0, width);
  else
    add_outer_rows<false>(M, L, Y, alpha, c0, width);
}
#else
void add_outer_block(Matrix& M, const ColumnLists& L, const Matrix& Y, float alpha, Eigen::Index c0,
                     Eigen::Index width) {
  float acc[kOuterBlock];
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    const int s = L.start[static_cast<std::size_t>(i)], e = L.start[static_cast<std::size_t>(i) + 1];
    if (s == e) continue;
    std::fill(acc, acc + width, 0.0f);
    for (int t = s; t < e; ++t) {
      const float* y = Y.row(L.row[static_cast<std::size_t>(t)]).data() + c0;
      const float x = L.value[static_cast<std::size_t>(t)];
      for (Eigen::Index j = 0; j < width; ++j) acc[j] += x * y[j];
    }
    float* m = M.row(i).data() + c0;
    for (Eigen::Index j = 0; j < width; ++j) m[j] += alpha * acc[j];
  }
}
#endif

}  // namespace

void add_sparse_outer(Matrix& M, const Matrix& A, const Matrix& Y, float alpha) {
  RBMKIT_ASSERT(A.rows() == Y.rows() && M.rows() == A.cols() && M.cols() == Y.cols(),
                "add_sparse_outer: M (n, k) += A^T (B, n) Y (B, k)");
  const Eigen::Index nonzeros = (A.array() != 0.0f).count();
  if (static_cast<double>(nonzeros) > kSparseTimesDensity * static_cast<double>(A.size())) {
    M.noalias() += alpha * (A.transpose() * Y);
    return;
  }
  thread_local ColumnLists lists;
  list_by_column(A, lists);
  const ColumnLists& L = lists;
  const Eigen::Index k = M.cols(), blocks = (k + kOuterBlock - 1) / kOuterBlock;
  // Small updates stay on the calling thread: a parallel region costs more than they do.
#pragma omp parallel for schedule(static) if (nonzeros * k >= 65536 && blocks > 1)
  for (Eigen::Index blk = 0; blk < blocks; ++blk)
    add_outer_block(M, L, Y, alpha, blk * kOuterBlock, std::min(kOuterBlock, k - blk * kOuterBlock));
}

}  // namespace rbmkit
