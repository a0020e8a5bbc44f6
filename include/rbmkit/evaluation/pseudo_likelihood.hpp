// The pseudo-log-likelihood (Besag 1975), as scikit-learn's BernoulliRBM.score_samples reports it.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "rbmkit/model/model.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit {

// Pseudo-log-likelihood of each row x of X (n, d), binary (Besag 1975):
//   PLL(x) = sum_i log p(x_i | x_-i) = sum_i log sigm(F(x~i) - F(x)),
// x~i being x with bit i flipped, F the free energy for the model's hidden unit type:
// F(x~i) - F(x) = -sign a_i - sum_j [hp(t_j + sign W_ij) - hp(t_j)], sign = 1 - 2 x_i,
// t = x W + b. Exact: the full sum over the d bits (d H hidden terms per row). Stochastic:
// scikit-learn's BernoulliRBM.score_samples estimate d log sigm(F(x~i) - F(x)) with one bit i
// per row, uniform on [0, d) from stream (Purpose::Pll, row) of `seed`; its expectation over i
// is the exact PLL. Returns (n) in double.
// Defined for binary (Bernoulli) visible units only: p(x_i | x_-i) of a Gaussian unit is a
// density, and the sum of log densities is not comparable to the binary figure.
// pll_unsupported_reason says whether the model qualifies and, if not, why.
// Throws DataError when X's width is not d, InvalidArgument for other visible unit types.
Eigen::VectorXd pseudo_log_likelihood(const Model& m, const Matrix& X, PllMethod method, std::uint64_t seed);

// The stochastic estimate with the bit of each row given: d log sigm(F(x~i) - F(x)) with
// i = flipped[r] for row r, x~i being x with x_i replaced by 1 - x_i (for values between 0 and 1
// as well, as scikit-learn's score_samples does). Throws InvalidArgument unless flipped holds one
// index below d per row, and as pseudo_log_likelihood.
Eigen::VectorXd pseudo_log_likelihood_at(const Model& m, const Matrix& X, const std::vector<std::uint32_t>& flipped);

// Empty when pseudo_log_likelihood accepts m; otherwise the reason it does not, e.g. "defined
// for binary visible units only; this model's visible units are gaussian".
std::string pll_unsupported_reason(const Model& m);

}  // namespace rbmkit
