#include "rbmkit/kernels/math.hpp"

#include <immintrin.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "rbmkit/kernels/simd.hpp"

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

#if RBMKIT_SIMD_WIDTH > 0
// In the widest vectors (kernels/simd.hpp): e = exp(-|x|) by Eigen's packet exp, then 1 / (1 + e)
// or e / (1 + e); lanes below the subnormal edge are finished in double.
void sigmoid(const float* in, float* out, std::size_t n) {
  using simd::Floats;
  constexpr std::size_t L = simd::kWidth;
  const Floats edge = simd::broadcast(kSubnormalEdge), one = simd::broadcast(1.0f);
  const Floats sign = simd::broadcast(-0.0f), zero = simd::zeros();
  for (std::size_t i = 0; i < n; i += L) {
    const bool full = n - i >= L;
    const simd::Tail t = simd::first_lanes(static_cast<long>(full ? L : n - i));
    const Floats x = full ? simd::load(in + i) : simd::load(in + i, t);
    const Floats e = Eigen::internal::pexp(simd::bit_or(x, sign));  // exp(-|x|)
    const Floats r = simd::inverse(simd::add(one, e));
    Floats y = simd::select(simd::less(x, zero), simd::mul(e, r), r);
    const std::uint32_t lanes = full ? (1u << L) - 1u : (1u << (n - i)) - 1u;
    if (const std::uint32_t tiny = simd::less(x, edge) & lanes) {
      alignas(64) float xs[L], ys[L];
      simd::store(xs, x);
      simd::store(ys, y);
      for (std::size_t k = 0; k < L; ++k)
        if ((tiny >> k) & 1) ys[k] = sigmoid(xs[k]);
      y = simd::load(ys);
    }
    if (full)
      simd::store(out + i, y);
    else
      simd::store(out + i, y, t);
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
