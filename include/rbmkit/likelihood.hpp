// Exact log partition function and log-likelihood of a Bernoulli RBM by enumeration.
//
// Enumerating the smaller layer and summing the other analytically (Salakhutdinov and Murray
// 2008, eq. 3; Fischer and Igel 2012, section 4):
//   log Z = log sum_h exp(b^T h + sum_i softplus(a_i + W_i . h))     (2^H terms), or
//   log Z = log sum_x exp(a^T x + sum_j softplus(b_j + x . w_j))     (2^d terms),
// accumulated in log space in double precision.
//   log p(x) = -F(x) - log Z.
#pragma once

#include <cstdint>

#include "rbmkit/model.hpp"

namespace rbmkit {

// Default cap on enumerated terms.
inline constexpr std::uint64_t kDefaultEnumerationCap = std::uint64_t{1} << 32;

// Exact log Z enumerating min(d, H) units' states. Throws InvalidArgument when 2^min(d, H)
// exceeds `cap` (the message gives the number of terms asked for and the cap).
double log_partition_exact(const Model& m, std::uint64_t cap = kDefaultEnumerationCap);

// Free energy of one example in double precision: F(x) = -a^T x - sum_j softplus(x . w_j + b_j).
double free_energy_exact(const Model& m, const float* x);

// Mean exact log-likelihood of the rows of X (n, d) given log Z.
double mean_log_likelihood(const Model& m, const Matrix& X, double log_z);

}  // namespace rbmkit
