// Numerically stable elementwise kernels.
//
//   sigm(x)     = 1 / (1 + exp(-x)), evaluated as 1 / (1 + e) for x >= 0 and e / (1 + e) for
//                 x < 0 with e = exp(-|x|), so exp never overflows (docs/exercise.md part 1 asks
//                 for a stable sigmoid).
//   softplus(x) = log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))  (no overflow, no
//                 cancellation; the naive log(1 + exp(x)) overflows at x > 88 in float).
//   log_sum_exp(x) = m + log(sum_i exp(x_i - m)), m = max_i x_i.
//
// Accuracy: double versions are correct to a few ulp everywhere. Float array versions are
// vectorised (Eigen's packet exp/log1p) and correct to < 1e-6 relative wherever the result is
// a normal float; results below FLT_MIN (x < -87.3) are computed in double and rounded, so
// they are the correctly rounded subnormal.
#pragma once

#include <cstddef>

namespace rbmkit {

// log(2 pi), twice the log normaliser of a unit Gaussian per dimension: the double that
// std::log(2.0 * std::numbers::pi) returns.
inline constexpr double kLog2Pi = 1.8378770664093453;

double sigmoid(double x);
double softplus(double x);
float sigmoid(float x);
float softplus(float x);

// out[i] = sigm(in[i]) for i < n; in and out may alias.
void sigmoid(const float* in, float* out, std::size_t n);
// out[i] = softplus(in[i]) for i < n; in and out may alias.
void softplus(const float* in, float* out, std::size_t n);

// log(sum_i exp(x[i])) for i < n; -inf for n = 0; +inf if any x[i] is +inf.
double log_sum_exp(const double* x, std::size_t n);

// Running log-sum-exp accumulator, starting from the empty sum (log 0 = -inf).
class LogSumExp {
 public:
  void add(double x);
  void add(const LogSumExp& other);
  double value() const;

 private:
  double max_ = -__builtin_inf();
  double sum_ = 0.0;  // sum of exp(x - max_)
};

}  // namespace rbmkit
