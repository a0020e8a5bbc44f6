#include "rbmkit/kernels/softplus_sums.hpp"

#include <Eigen/Core>
#include <algorithm>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "rbmkit/asserts.hpp"

namespace rbmkit {
namespace {

// Eigen's widest float packet (16 lanes with AVX-512) and its vectorised exp, expm1, log1p.
namespace ei = Eigen::internal;
using Packet = ei::packet_traits<float>::type;
constexpr std::size_t kLanes = static_cast<std::size_t>(ei::packet_traits<float>::size);

// Factors (1 + exp(-|x|) <= 2, or 1 + e + e^2 <= 3 for ternary units) multiplied before taking
// the log: 3^32 < 2^51 stays far from float overflow.
constexpr int kFactorsPerLog = 32;

inline Packet softplus_packet(const Packet& x) {
  return ei::padd(ei::pmax(x, ei::pzero(x)), ei::plog1p(ei::pexp(ei::pnegate(ei::pabs(x)))));
}

// softplus(t + e) - softplus(t), e = delta x, given s = sigm(t): log1p(s' expm1(-|e|)) + max(e, 0)
// with s' = s for e <= 0 and 1 - s for e > 0; the direct difference where |e| > 1.
// Where every |e| of the packet is below 2^-7 (most of an AIS schedule's steps), Taylor series
// replace expm1 and log1p: expm1(-a) = -a (1 - a (1/2 - a (1/6 - a/24))) (truncation a^5/120)
// and log1p(y) = y (1 - y (1/2 - y (1/3 - y/4))) for |y| <= a (truncation a^5/5 < 2^-37 a, below
// float's rounding of the term).
inline Packet delta_terms(const Packet& t, const Packet& s, const Packet& x, const Packet& delta) {
  const Packet one = ei::pset1<Packet>(1.0f), zero = ei::pzero(one);
  const Packet e = ei::pmul(delta, x);
  const Packet ae = ei::pabs(e);
  const Packet positive = ei::pcmp_lt(zero, e);
  const Packet weight = ei::pselect(positive, ei::psub(one, s), s);
  if (!ei::predux_any(ei::pcmp_le(ei::pset1<Packet>(0x1p-7f), ae))) {
    const Packet half = ei::pset1<Packet>(0.5f);
    Packet m = ei::pmadd(ae, ei::pset1<Packet>(-1.0f / 24), ei::pset1<Packet>(1.0f / 6));
    m = ei::pmadd(ae, ei::pnegate(m), half);
    m = ei::pmadd(ae, ei::pnegate(m), one);
    const Packet y = ei::pnegate(ei::pmul(weight, ei::pmul(ae, m)));  // w expm1(-a)
    Packet l = ei::pmadd(y, ei::pset1<Packet>(-0.25f), ei::pset1<Packet>(1.0f / 3));
    l = ei::pmadd(y, ei::pnegate(l), half);
    l = ei::pmadd(y, ei::pnegate(l), one);
    return ei::padd(ei::pmul(y, l), ei::pmax(e, zero));
  }
  const Packet near = ei::padd(ei::plog1p(ei::pmul(weight, ei::pexpm1(ei::pnegate(ae)))), ei::pmax(e, zero));
  const Packet large = ei::pcmp_lt(one, ae);
  if (!ei::predux_any(large)) return near;
  const Packet direct = ei::psub(softplus_packet(ei::padd(t, e)), softplus_packet(t));
  return ei::pselect(large, direct, near);
}

// log(1 + 2 cosh x) = |x| + log1p(e + e^2), e = exp(-|x|): the log-partition of a ternary unit.
inline Packet ternary_packet(const Packet& x) {
  const Packet ax = ei::pabs(x);
  const Packet e = ei::pexp(ei::pnegate(ax));
  return ei::padd(ax, ei::plog1p(ei::pmul(e, ei::padd(ei::pset1<Packet>(1.0f), e))));
}

// g(t + e) - g(t) for g(x) = log(1 + 2 cosh x), e = delta x: log1p(p+ expm1(e) + p- expm1(-e)),
// with p+- = exp(+-t) / (1 + 2 cosh t) the probabilities of h = +-1 at input t, computed as
// 1 / D and E^2 / D (E = exp(-|t|), D = 1 + E + E^2) by the sign of t; the direct difference
// where |e| > 1.
inline Packet ternary_delta_terms(const Packet& t, const Packet& x, const Packet& delta) {
  const Packet one = ei::pset1<Packet>(1.0f), zero = ei::pzero(one);
  const Packet e = ei::pmul(delta, x);
  const Packet E = ei::pexp(ei::pnegate(ei::pabs(t)));
  const Packet inv_d = ei::pdiv(one, ei::padd(one, ei::pmul(E, ei::padd(one, E))));
  const Packet far = ei::pmul(ei::pmul(E, E), inv_d);  // probability of the state against t's sign
  const Packet positive_t = ei::pcmp_le(zero, t);
  const Packet p_plus = ei::pselect(positive_t, inv_d, far), p_minus = ei::pselect(positive_t, far, inv_d);
  const Packet change = ei::padd(ei::pmul(p_plus, ei::pexpm1(e)), ei::pmul(p_minus, ei::pexpm1(ei::pnegate(e))));
  const Packet near = ei::plog1p(change);
  const Packet large = ei::pcmp_lt(one, ei::pabs(e));
  if (!ei::predux_any(large)) return near;
  const Packet direct = ei::psub(ternary_packet(ei::padd(t, e)), ternary_packet(t));
  return ei::pselect(large, direct, near);
}

// Factors f(x) with log f(x) = log-partition(x) - |x| for the unit types of the summed layer.
struct SoftplusFactor {  // 1 + exp(-|x|) in [1, 2]
  static Packet factor(const Packet& x) {
    return ei::padd(ei::pset1<Packet>(1.0f), ei::pexp(ei::pnegate(ei::pabs(x))));
  }
  static Packet linear(const Packet& x) { return ei::pmax(x, ei::pzero(x)); }
};
struct TernaryFactor {  // 1 + e + e^2 in [1, 3], e = exp(-|x|)
  static Packet factor(const Packet& x) {
    const Packet one = ei::pset1<Packet>(1.0f);
    const Packet e = ei::pexp(ei::pnegate(ei::pabs(x)));
    return ei::padd(one, ei::pmul(e, ei::padd(one, e)));
  }
  static Packet linear(const Packet& x) { return ei::pabs(x); }
};

// sum of log-partition(x) over the packets added: Kahan-compensated sums of the linear part
// (max(x, 0) or |x|; `lost` holds what the last addition dropped) plus the log of running
// products of the factors, one per lane.
template <class Factor>
struct LogPartitionAccumulator {
  Packet relu = ei::pset1<Packet>(0.0f), lost = relu, logs = relu, product = ei::pset1<Packet>(1.0f);
  int factors = 0;

  void add(const Packet& x) { add(Factor::linear(x), Factor::factor(x)); }

  // Lanes where `valid` is false contribute nothing (linear part 0, factor 1).
  void add_masked(const Packet& x, const Packet& valid) {
    add(ei::pselect(valid, Factor::linear(x), ei::pzero(x)), ei::pselect(valid, Factor::factor(x), ei::pset1<Packet>(1.0f)));
  }

  void add(const Packet& linear, const Packet& factor) {
    const Packet y = ei::psub(linear, lost);
    const Packet sum = ei::padd(relu, y);
    lost = ei::psub(ei::psub(sum, relu), y);
    relu = sum;
    product = ei::pmul(product, factor);
    if (++factors == kFactorsPerLog) {
      logs = ei::padd(logs, ei::plog(product));
      product = ei::pset1<Packet>(1.0f);
      factors = 0;
    }
  }

  double value() const {
    alignas(64) float r[kLanes], l[kLanes], g[kLanes];
    ei::pstore(r, relu);
    ei::pstore(l, lost);
    ei::pstore(g, ei::padd(logs, ei::plog(product)));
    double sum = 0.0;
    for (std::size_t k = 0; k < kLanes; ++k) sum += static_cast<double>(r[k]) - static_cast<double>(l[k]) + g[k];
    return sum;
  }
};

}  // namespace

// Per-lane sums of the packets' terms in double (two 8-lane halves with AVX-512), reduced once
// at the end: a horizontal reduction per packet cost as much as the terms themselves.
struct LaneSums {
#if defined(__AVX512F__)
  __m512d lo = _mm512_setzero_pd(), hi = _mm512_setzero_pd();
  void add(const Packet& p) {
    lo = _mm512_add_pd(lo, _mm512_cvtps_pd(_mm512_castps512_ps256(p)));
    hi = _mm512_add_pd(hi, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(p), 1))));
  }
  double value() const { return _mm512_reduce_add_pd(_mm512_add_pd(lo, hi)); }
#else
  double sum = 0.0;
  void add(const Packet& p) { sum += ei::predux(p); }
  double value() const { return sum; }
#endif
};

double softplus_delta_sum(const float* t, const float* s, const float* x, float delta, std::size_t n) {
  RBMKIT_ASSERT(n == 0 || (t && x), "delta sums: t and x hold n floats");
  const Packet dp = ei::pset1<Packet>(delta);
  LaneSums sum;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    sum.add(delta_terms(ei::ploadu<Packet>(t + i), ei::ploadu<Packet>(s + i), ei::ploadu<Packet>(x + i), dp));
  if (i < n) {
    alignas(64) float tt[kLanes] = {}, xx[kLanes] = {}, ss[kLanes];
    std::fill(ss, ss + kLanes, 0.5f);
    std::copy(t + i, t + n, tt);
    std::copy(s + i, s + n, ss);
    std::copy(x + i, x + n, xx);
    sum.add(delta_terms(ei::pload<Packet>(tt), ei::pload<Packet>(ss), ei::pload<Packet>(xx), dp));
  }
  return sum.value();
}

double ternary_delta_sum(const float* t, const float* x, float delta, std::size_t n) {
  RBMKIT_ASSERT(n == 0 || (t && x), "delta sums: t and x hold n floats");
  const Packet dp = ei::pset1<Packet>(delta);
  LaneSums sum;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    sum.add(ternary_delta_terms(ei::ploadu<Packet>(t + i), ei::ploadu<Packet>(x + i), dp));
  if (i < n) {
    alignas(64) float tt[kLanes] = {}, xx[kLanes] = {};
    std::copy(t + i, t + n, tt);
    std::copy(x + i, x + n, xx);
    sum.add(ternary_delta_terms(ei::pload<Packet>(tt), ei::pload<Packet>(xx), dp));
  }
  return sum.value();
}

namespace {

template <class Factor>
double log_partition_sum_offset(const float* base, const float* offset, std::size_t m) {
  LogPartitionAccumulator<Factor> acc;
  std::size_t i = 0;
  for (; i + kLanes <= m; i += kLanes) acc.add(ei::padd(ei::ploadu<Packet>(base + i), ei::ploadu<Packet>(offset + i)));
  if (i < m) {
    alignas(64) float x[kLanes] = {}, valid[kLanes] = {};
    for (std::size_t k = i; k < m; ++k) {
      x[k - i] = base[k] + offset[k];
      valid[k - i] = 1.0f;
    }
    acc.add_masked(ei::pload<Packet>(x), ei::pcmp_lt(ei::pzero(ei::pload<Packet>(valid)), ei::pload<Packet>(valid)));
  }
  return acc.value();
}

}  // namespace

double softplus_sum_offset(const float* base, const float* offset, std::size_t m) {
  RBMKIT_ASSERT(m == 0 || (base && offset), "sum_offset: base and offset hold m floats");
  return log_partition_sum_offset<SoftplusFactor>(base, offset, m);
}

double ternary_sum_offset(const float* base, const float* offset, std::size_t m) {
  RBMKIT_ASSERT(m == 0 || (base && offset), "sum_offset: base and offset hold m floats");
  return log_partition_sum_offset<TernaryFactor>(base, offset, m);
}

}  // namespace rbmkit
