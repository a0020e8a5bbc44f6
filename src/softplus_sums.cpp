#include "rbmkit/softplus_sums.hpp"

#include <Eigen/Core>
#include <algorithm>

namespace rbmkit {
namespace {

// Eigen's widest float packet (16 lanes with AVX-512) and its vectorised exp, expm1, log1p.
namespace ei = Eigen::internal;
using Packet = ei::packet_traits<float>::type;
constexpr std::size_t kLanes = static_cast<std::size_t>(ei::packet_traits<float>::size);

// Factors of (1 + exp(-|x|)) <= 2 multiplied before taking the log: 2^32 stays far from
// float overflow.
constexpr int kFactorsPerLog = 32;

// Padding input that contributes nothing: softplus(-1e30) is 0 in float.
constexpr float kNothing = -1e30f;

inline Packet softplus_packet(const Packet& x) {
  return ei::padd(ei::pmax(x, ei::pzero(x)), ei::plog1p(ei::pexp(ei::pnegate(ei::pabs(x)))));
}

// softplus(t + e) - softplus(t), e = delta x, given s = sigm(t): log1p(s' expm1(-|e|)) + max(e, 0)
// with s' = s for e <= 0 and 1 - s for e > 0; the direct difference where |e| > 1.
inline Packet delta_terms(const Packet& t, const Packet& s, const Packet& x, const Packet& delta) {
  const Packet one = ei::pset1<Packet>(1.0f), zero = ei::pzero(one);
  const Packet e = ei::pmul(delta, x);
  const Packet ae = ei::pabs(e);
  const Packet positive = ei::pcmp_lt(zero, e);
  const Packet weight = ei::pselect(positive, ei::psub(one, s), s);
  const Packet near = ei::padd(ei::plog1p(ei::pmul(weight, ei::pexpm1(ei::pnegate(ae)))), ei::pmax(e, zero));
  const Packet large = ei::pcmp_lt(one, ae);
  if (!ei::predux_any(large)) return near;
  const Packet direct = ei::psub(softplus_packet(ei::padd(t, e)), softplus_packet(t));
  return ei::pselect(large, direct, near);
}

// sum of softplus(x) over the packets added: Kahan-compensated sums of max(x, 0) (`lost`
// holds what the last addition dropped) plus the log of running products of
// (1 + exp(-|x|)), one per lane.
struct SoftplusAccumulator {
  Packet relu = ei::pset1<Packet>(0.0f), lost = relu, logs = relu, product = ei::pset1<Packet>(1.0f);
  int factors = 0;

  void add(const Packet& x) {
    const Packet y = ei::psub(ei::pmax(x, ei::pzero(x)), lost);
    const Packet sum = ei::padd(relu, y);
    lost = ei::psub(ei::psub(sum, relu), y);
    relu = sum;
    product = ei::pmul(product, ei::padd(ei::pset1<Packet>(1.0f), ei::pexp(ei::pnegate(ei::pabs(x)))));
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

double softplus_delta_sum(const float* t, const float* s, const float* x, float delta, std::size_t n) {
  const Packet dp = ei::pset1<Packet>(delta);
  double sum = 0.0;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    sum += ei::predux(delta_terms(ei::ploadu<Packet>(t + i), ei::ploadu<Packet>(s + i), ei::ploadu<Packet>(x + i), dp));
  if (i < n) {
    alignas(64) float tt[kLanes] = {}, xx[kLanes] = {}, ss[kLanes];
    std::fill(ss, ss + kLanes, 0.5f);
    std::copy(t + i, t + n, tt);
    std::copy(s + i, s + n, ss);
    std::copy(x + i, x + n, xx);
    sum += ei::predux(delta_terms(ei::pload<Packet>(tt), ei::pload<Packet>(ss), ei::pload<Packet>(xx), dp));
  }
  return sum;
}

double softplus_sum_offset(const float* base, const float* offset, std::size_t m) {
  SoftplusAccumulator acc;
  std::size_t i = 0;
  for (; i + kLanes <= m; i += kLanes) acc.add(ei::padd(ei::ploadu<Packet>(base + i), ei::ploadu<Packet>(offset + i)));
  if (i < m) {
    alignas(64) float x[kLanes];
    std::fill(x, x + kLanes, kNothing);
    for (std::size_t k = i; k < m; ++k) x[k - i] = base[k] + offset[k];
    acc.add(ei::pload<Packet>(x));
  }
  return acc.value();
}

}  // namespace rbmkit
