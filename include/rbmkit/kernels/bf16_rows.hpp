// Row kernels over a matrix held in bf16 beside its fp32 master, for products too small for
// oneDNN's call overhead (one example at a time: the per-example path).
//
// Bf16Rows holds M (rows, cols) as rows of `stride` = cols rounded up to 16 bf16 values, the
// padding zero, each row 32-byte aligned: a row of 100 values is 224 bytes against 400 in
// fp32, so a dense pass over M reads 44% fewer bytes from L2.
// Conversions round to nearest even (kernels/bf16_products.hpp).
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "rbmkit/kernels/bf16_products.hpp"
#include "rbmkit/kernels/matrix.hpp"
#include "rbmkit/kernels/simd.hpp"

namespace rbmkit {

inline constexpr std::uint16_t kBf16One = 0x3F80;  // 1.0f in bf16

class Bf16Rows {
 public:
  static constexpr Eigen::Index kAlign = 16;  // values per stride step: 32 bytes
  Bf16Rows(Eigen::Index rows, Eigen::Index cols)
      : rows_(rows),
        cols_(cols),
        stride_((cols + kAlign - 1) / kAlign * kAlign),
        data_(static_cast<std::uint16_t*>(std::aligned_alloc(64, bytes())), &std::free) {
    if (!data_) throw std::bad_alloc();
    std::fill_n(data_.get(), rows_ * stride_, std::uint16_t{0});
  }
  Eigen::Index rows() const { return rows_; }
  Eigen::Index cols() const { return cols_; }
  Eigen::Index stride() const { return stride_; }
  const std::uint16_t* row(Eigen::Index i) const { return data_.get() + i * stride_; }
  std::uint16_t* row(Eigen::Index i) { return data_.get() + i * stride_; }
  // Row i from cols() floats (the padding stays zero).
  void assign_row(Eigen::Index i, const float* x) { to_bf16(x, row(i), static_cast<std::size_t>(cols_)); }

 private:
  // aligned_alloc wants a multiple of the alignment.
  std::size_t bytes() const { return (static_cast<std::size_t>(std::max<Eigen::Index>(1, rows_ * stride_)) * 2 + 63) / 64 * 64; }
  Eigen::Index rows_, cols_, stride_;
  std::unique_ptr<std::uint16_t, decltype(&std::free)> data_;
};

// y[i] = bias[i] + M_i . x for rows [r0, r1) of M, x a vector of M.stride() bf16 values (zero
// padded), fp32 sums. AVX512_BF16: 16 rows at a time with vdpbf16ps (pairs of products added
// to fp32 lanes), their 16 lane sums reduced in one transposing tree.
inline void bf16_rows_times(const Bf16Rows& M, const std::uint16_t* x, const float* bias, Eigen::Index r0,
                            Eigen::Index r1, float* y) {
  const Eigen::Index S = M.stride();
  Eigen::Index i = r0;
#if defined(__AVX512BF16__)
  // 32 values from p, or 16 and zeros where the row ends half way through (S % 32 == 16).
  const auto bh = [S](const std::uint16_t* p, Eigen::Index c) {
    const __mmask32 in = c + 32 <= S ? ~__mmask32(0) : __mmask32(0xffff);
    return reinterpret_cast<__m512bh>(_mm512_maskz_loadu_epi16(in, p + c));
  };
  // [sum v0, sum v1, sum v2, sum v3] in each 128-bit lane: the lane's partial sums.
  const auto quad = [](__m512 v0, __m512 v1, __m512 v2, __m512 v3) {
    const __m512 x01 = _mm512_add_ps(_mm512_unpacklo_ps(v0, v1), _mm512_unpackhi_ps(v0, v1));
    const __m512 x23 = _mm512_add_ps(_mm512_unpacklo_ps(v2, v3), _mm512_unpackhi_ps(v2, v3));
    return _mm512_add_ps(_mm512_shuffle_ps(x01, x23, _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_ps(x01, x23, _MM_SHUFFLE(3, 2, 3, 2)));
  };
  // Lanes [a0 + a1, a2 + a3, b0 + b1, b2 + b3] of two quads' 128-bit lanes: 0x88 takes lanes
  // (0, 2) of each, 0xDD lanes (1, 3).
  const auto fold = [](__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x88), _mm512_shuffle_f32x4(a, b, 0xDD));
  };
  for (; i + 16 <= r1; i += 16) {
    __m512 s[16];
    for (auto& v : s) v = _mm512_setzero_ps();
    const std::uint16_t* base = M.row(i);
    for (Eigen::Index c = 0; c < S; c += 32) {
      const __m512bh xc = bh(x, c);
      for (int r = 0; r < 16; ++r) s[r] = _mm512_dpbf16_ps(s[r], bh(base + r * S, c), xc);
    }
    const __m512 w0 = fold(quad(s[0], s[1], s[2], s[3]), quad(s[4], s[5], s[6], s[7]));
    const __m512 w1 = fold(quad(s[8], s[9], s[10], s[11]), quad(s[12], s[13], s[14], s[15]));
    // w0's lanes hold rows (0-3, 0-3, 4-7, 4-7) as two halves each; fold once more.
    _mm512_storeu_ps(y + i, _mm512_add_ps(_mm512_loadu_ps(bias + i), fold(w0, w1)));
  }
#endif
  for (; i < r1; ++i) {
    const std::uint16_t* row = M.row(i);
    float s = 0.0f;
    for (Eigen::Index c = 0; c < S; ++c) s += from_bf16(row[c]) * from_bf16(x[c]);
    y[i] = bias[i] + s;
  }
}

#if RBMKIT_SIMD_WIDTH > 0
// simd::kWidth bf16 values at p (aligned to their size) as floats, exactly.
inline simd::Floats bf16_to_floats(const std::uint16_t* p) {
#if RBMKIT_SIMD_WIDTH == 16
  const __m256i w = _mm256_load_si256(reinterpret_cast<const __m256i*>(p));
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(w), 16));
#else
  const __m128i w = _mm_load_si128(reinterpret_cast<const __m128i*>(p));
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(w), 16));
#endif
}
#endif

// acc[0..stride) += scale * M_i (M_i's values exactly, as floats), one rounding per value.
inline void bf16_row_axpy(const Bf16Rows& M, Eigen::Index i, float scale, float* acc) {
  const std::uint16_t* row = M.row(i);
  const Eigen::Index S = M.stride();
#if RBMKIT_SIMD_WIDTH > 0
  const simd::Floats f = simd::broadcast(scale);
  for (Eigen::Index c = 0; c < S; c += simd::kWidth)
    simd::store(acc + c, simd::fmadd(f, bf16_to_floats(row + c), simd::load(acc + c)));
#else
  // An FMA, as the vector kernels (not left to the compiler's contraction).
  for (Eigen::Index c = 0; c < S; ++c) acc[c] = std::fma(scale, from_bf16(row[c]), acc[c]);
#endif
}

}  // namespace rbmkit
