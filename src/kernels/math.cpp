#include "rbmkit/kernels/math.hpp"

#include <immintrin.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

namespace rbmkit {
namespace {

// Below this, exp(x) is subnormal in float and Eigen's packet exp clamps; use double.
constexpr float kSubnormalEdge = -87.0f;

// Elementwise kernels run over fixed-size chunks so Eigen keeps everything in registers
// (no heap temporaries); the tail is padded. Inputs below the subnormal edge are rare: their
// chunk is finished in double precision by `exact` (the chunk is a copy, so in may alias out).
constexpr Eigen::Index kChunk = 16;
using Chunk = Eigen::Array<float, kChunk, 1>;

template <class Body, class Exact>
void for_each_chunk(const float* in, float* out, std::size_t n, Body body, Exact exact) {
  auto run = [&](const Chunk& x, float* dst, std::size_t count) {
    Chunk y = body(x);
    if ((x < kSubnormalEdge).any())
      for (Eigen::Index k = 0; k < kChunk; ++k)
        if (x[k] < kSubnormalEdge) y[k] = exact(x[k]);
    std::copy_n(y.data(), count, dst);
  };
  std::size_t i = 0;
  for (; i + kChunk <= n; i += kChunk) run(Eigen::Map<const Chunk>(in + i), out + i, kChunk);
  if (i < n) {
    Chunk x = Chunk::Zero();
    std::copy_n(in + i, n - i, x.data());
    run(x, out + i, n - i);
  }
}

}  // namespace

double sigmoid(double x) {
  const double e = std::exp(-std::fabs(x));
  return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

double softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }

float sigmoid(float x) { return static_cast<float>(sigmoid(static_cast<double>(x))); }
float softplus(float x) { return static_cast<float>(softplus(static_cast<double>(x))); }

#if defined(__AVX512F__)
// 1 / y from the 14-bit reciprocal estimate and one Newton step (relative error ~1e-8).
inline __m512 reciprocal(__m512 y) {
  const __m512 r = _mm512_rcp14_ps(y);
  return _mm512_mul_ps(r, _mm512_fnmadd_ps(y, r, _mm512_set1_ps(2.0f)));
}

void sigmoid(const float* in, float* out, std::size_t n) {
  const __m512 edge = _mm512_set1_ps(kSubnormalEdge), one = _mm512_set1_ps(1.0f);
  const __m512 sign = _mm512_set1_ps(-0.0f);
  for (std::size_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1u);
    const __m512 x = _mm512_maskz_loadu_ps(m, in + i);
    const __m512 e = Eigen::internal::pexp(_mm512_or_ps(x, sign));  // exp(-|x|)
    const __m512 r = reciprocal(_mm512_add_ps(one, e));
    const __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    __m512 y = _mm512_mask_mul_ps(r, negative, e, r);
    const __mmask16 tiny = _mm512_mask_cmp_ps_mask(m, x, edge, _CMP_LT_OQ);
    if (tiny) {
      alignas(64) float xs[16], ys[16];
      _mm512_store_ps(xs, x);
      _mm512_store_ps(ys, y);
      for (int k = 0; k < 16; ++k)
        if ((tiny >> k) & 1) ys[k] = sigmoid(xs[k]);
      y = _mm512_load_ps(ys);
    }
    _mm512_mask_storeu_ps(out + i, m, y);
  }
}
#else
void sigmoid(const float* in, float* out, std::size_t n) {
  for_each_chunk(
      in, out, n,
      [](const Chunk& x) -> Chunk {
        const Chunk e = (-x.abs()).exp();
        return (x >= 0.0f).select(Chunk::Ones(), e) / (1.0f + e);
      },
      [](float x) { return sigmoid(x); });
}
#endif

void softplus(const float* in, float* out, std::size_t n) {
  for_each_chunk(
      in, out, n, [](const Chunk& x) -> Chunk { return x.max(0.0f) + (-x.abs()).exp().log1p(); },
      [](float x) { return softplus(x); });
}

double log_sum_exp(const double* x, std::size_t n) {
  LogSumExp acc;
  for (std::size_t i = 0; i < n; ++i) acc.add(x[i]);
  return acc.value();
}

void LogSumExp::add(double x) {
  if (std::isnan(x)) {
    max_ = sum_ = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  if (x == -std::numeric_limits<double>::infinity()) return;
  if (x <= max_) {
    sum_ += x == max_ ? 1.0 : std::exp(x - max_);
  } else {
    sum_ = sum_ * std::exp(max_ - x) + 1.0;
    max_ = x;
  }
}

void LogSumExp::add(const LogSumExp& other) {
  if (other.sum_ == 0.0) return;
  if (std::isnan(other.max_) || std::isnan(max_)) {
    max_ = sum_ = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  if (other.max_ <= max_) {
    sum_ += other.sum_ * std::exp(other.max_ - max_);
  } else {
    sum_ = sum_ * std::exp(max_ - other.max_) + other.sum_;
    max_ = other.max_;
  }
}

double LogSumExp::value() const {
  if (std::isnan(sum_)) return sum_;
  if (sum_ == 0.0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(max_)) return max_;
  return max_ + std::log(sum_);
}

}  // namespace rbmkit
