// Exact log partition function and log-likelihood of a Bernoulli RBM by enumeration.
//
// Enumerating the smaller layer and summing the other analytically (Salakhutdinov and Murray
// 2008, eq. 3; Fischer and Igel 2012, section 4):
//   log Z = log sum_h exp(b^T h + sum_i softplus(a_i + W_i . h))     (2^H terms), or
//   log Z = log sum_x exp(a^T x + sum_j softplus(b_j + x . w_j))     (2^d terms),
// accumulated in log space in double precision.
//   log p(x) = -F(x) - log Z.
// Two paths compute each term's sum of softplus over the larger layer:
//   Double: Gray-code order (one column of W added or removed per term), all in double; the
//           reference, correct to about 1e-12 relative.
//   Float:  the enumerated units split into 8 low bits, whose 256 partial inputs sum_j W_j h_j
//           are tabulated once (in double, rounded to float), and the high bits, whose partial
//           input is computed in double per block of 256 terms; each term's softplus sum then
//           runs vectorised in float (softplus_sums.hpp) with no accumulated rounding drift.
//           A term's error is below about u (4 m + 3 sum_i |x_i|), u = 2^-24, so log Z (a
//           log-sum-exp of the terms, accumulated in double) has at most that absolute error:
//           about 1e-7 relative. H = 25 on d = 784 visible units: 2^25 terms of 784 softplus.
#pragma once

#include <cstddef>
#include <cstdint>

#include "rbmkit/model.hpp"

namespace rbmkit {

// Default cap on enumerated terms.
inline constexpr std::uint64_t kDefaultEnumerationCap = std::uint64_t{1} << 32;

// Which path enumerates (see the header comment). Auto takes Float when the work
// 2^min(d, H) * max(d, H) is at least kFloatEnumerationWork, else Double.
enum class EnumerationPath { Auto, Double, Float };
inline constexpr std::uint64_t kFloatEnumerationWork = std::uint64_t{1} << 26;

// Exact log Z enumerating min(d, H) units' states. Throws InvalidArgument when 2^min(d, H)
// exceeds `cap` (the message gives the number of terms asked for and the cap).
double log_partition_exact(const Model& m, std::uint64_t cap = kDefaultEnumerationCap,
                           EnumerationPath path = EnumerationPath::Auto);

// Whether enumeration is quick enough to be the default way to get log Z:
// min(d, H) <= kQuickEnumerationBits (2^25 terms of 784 softplus take about 25 s on two cores).
inline constexpr std::size_t kQuickEnumerationBits = 25;
bool exact_is_practical(const Model& m);

// Free energy of one example in double precision: F(x) = -a^T x - sum_j softplus(x . w_j + b_j).
double free_energy_exact(const Model& m, const float* x);

// Mean exact log-likelihood of the rows of X (n, d) given log Z.
double mean_log_likelihood(const Model& m, const Matrix& X, double log_z);

}  // namespace rbmkit
