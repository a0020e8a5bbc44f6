#include <cmath>
#include <string>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/pseudo_likelihood.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/softplus_sums.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/model/units.hpp"

namespace rbmkit {
namespace {

// log p(x_i | x_-i) = log sigm(F(x~i) - F(x)) for one row x, whose hidden inputs t = x W + b
// and s = sigm(t) are given (H each; s is used by Bernoulli hidden units only): replacing x_i by
// 1 - x_i (flipping bit i) moves x_i by sign = 1 - 2 x_i, a^T x by sign a_i and the hidden inputs
// by sign W_i, so
//   F(x~i) - F(x) = -sign a_i - sum_j [hp(t_j + sign W_ij) - hp(t_j)].
double log_conditional(const Model& m, const float* x, const float* t, const float* s, Eigen::Index i) {
  const float sign = 1.0f - 2.0f * x[i];
  const double hidden = m.hidden_units == UnitType::Ternary
                            ? ternary_delta_sum(t, m.W.row(i).data(), sign, m.n_hidden())
                            : softplus_delta_sum(t, s, m.W.row(i).data(), sign, m.n_hidden());
  const double gap = -static_cast<double>(sign) * m.a[i] - hidden;
  return -softplus(-gap);
}

}  // namespace

std::string pll_unsupported_reason(const Model& m) {
  if (m.visible_units != UnitType::Bernoulli)
    return "defined for binary visible units only; this model's visible units are " + to_string(m.visible_units);
  if (m.hidden_units != UnitType::Bernoulli && m.hidden_units != UnitType::Ternary)
    return "defined for Bernoulli and ternary hidden units only; this model's hidden units are " + to_string(m.hidden_units);
  return {};
}

namespace {

// For each row r of X: term(m, x, t, s, r) with the row's hidden inputs t = x W + b (in double,
// rounded) and s = sigm(t).
template <class Term>
Eigen::VectorXd per_row(const Model& m, const Matrix& X, const Term& term) {
  if (const std::string why = pll_unsupported_reason(m); !why.empty())
    throw InvalidArgument("the pseudo-log-likelihood is " + why);
  check_data_width(m, X);
  const Eigen::Index n = X.rows(), d = X.cols(), H = m.W.cols();
  Eigen::VectorXd pll(n);
#pragma omp parallel
  {
    std::vector<float> t(static_cast<std::size_t>(H)), s(static_cast<std::size_t>(H));
    Eigen::VectorXd input(H);
#pragma omp for schedule(dynamic, 16)
    for (Eigen::Index r = 0; r < n; ++r) {
      const float* x = X.row(r).data();
      input = m.b.cast<double>();
      for (Eigen::Index i = 0; i < d; ++i)
        if (x[i] != 0.0f) input += static_cast<double>(x[i]) * m.W.row(i).transpose().cast<double>();
      for (Eigen::Index j = 0; j < H; ++j) t[static_cast<std::size_t>(j)] = static_cast<float>(input[j]);
      sigmoid(t.data(), s.data(), t.size());
      pll[r] = term(x, t.data(), s.data(), r);
    }
  }
  return pll;
}

}  // namespace

Eigen::VectorXd pseudo_log_likelihood(const Model& m, const Matrix& X, PllMethod method, std::uint64_t seed) {
  const Eigen::Index d = X.cols();
  return per_row(m, X, [&](const float* x, const float* t, const float* s, Eigen::Index r) {
    if (method == PllMethod::Exact) {
      double sum = 0.0;
      for (Eigen::Index i = 0; i < d; ++i) sum += log_conditional(m, x, t, s, i);
      return sum;
    }
    RandomStream rng(seed, stream_id(Purpose::Pll, static_cast<std::uint64_t>(r)));
    const auto i = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(d)));
    return static_cast<double>(d) * log_conditional(m, x, t, s, i);
  });
}

Eigen::VectorXd pseudo_log_likelihood_at(const Model& m, const Matrix& X, const std::vector<std::uint32_t>& flipped) {
  if (flipped.size() != static_cast<std::size_t>(X.rows()))
    throw InvalidArgument("pseudo-likelihood: " + std::to_string(flipped.size()) + " flipped bits for " +
                          std::to_string(X.rows()) + " rows");
  for (const std::uint32_t i : flipped)
    if (i >= static_cast<std::uint32_t>(X.cols()))
      throw InvalidArgument("pseudo-likelihood: flipped bit " + std::to_string(i) + " of a row of " +
                            std::to_string(X.cols()) + " values");
  const double d = static_cast<double>(X.cols());
  return per_row(m, X, [&](const float* x, const float* t, const float* s, Eigen::Index r) {
    return d * log_conditional(m, x, t, s, static_cast<Eigen::Index>(flipped[static_cast<std::size_t>(r)]));
  });
}

}  // namespace rbmkit
