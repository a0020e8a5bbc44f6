// Float kernels for the sums of hidden-unit log-partition terms that the likelihood estimators
// evaluate millions of times: exact enumeration of log Z, AIS and RAISE log-weights, and the
// pseudo-likelihood. Two log-partitions appear (model/units.hpp):
//   Bernoulli units: softplus(x) = log(1 + e^x),
//   ternary units:   g(x) = log(1 + 2 cosh x) = |x| + log1p(e + e^2), e = exp(-|x|).
// All kernels are vectorised with Eigen's packet math and return double.
//
// Precision (u = 2^-24, the float unit roundoff):
//   softplus_delta_sum: term j has absolute error below about (5u + r) |e_j|, e_j = delta x_j,
//     when |e_j| <= 1 (Eigen's expm1 and log1p, the product, the rounding of e_j; r is the
//     relative error of the given s_j, < 1e-6 from math.hpp's float sigmoid), and below about
//     u (2 |t_j| + 2 |t_j + e_j| + 4) when |e_j| > 1; each packet's terms are added in float
//     (16 at a time), the packets' sums in double.
//   softplus_sum_offset: absolute error below about u (4 m + 3 sum_i |base_i + offset_i|):
//     the rounding of each input, Eigen's exp (< 2 ulp), and a running float product of
//     (1 + exp(-|x|)) per SIMD lane, turned into a log every 32 factors, for the
//     log1p(exp(-|x|)) part; Kahan-compensated float sums for the max(x, 0) part.
//   ternary_delta_sum: term j has absolute error below about 70 u |e_j| when |e_j| <= 1 (the
//     probabilities p+- carry up to about 11 u, expm1 and the products and sum a few u more, of
//     terms of size below 1.72 |e_j| in all, and log1p's input derivative 1 / (1 + z) is at
//     most e^|e_j| <= e), and below about u (2 |t_j| + 2 |t_j + e_j| + 6) when |e_j| > 1.
//   ternary_sum_offset: absolute error below about u (5 m + 3 sum_i |base_i + offset_i|), as for
//     softplus_sum_offset with factors 1 + e + e^2 <= 3 in place of 1 + e <= 2 (the log of a
//     32-factor product is at most 32 log 3 instead of 32 log 2).
#pragma once

#include <cstddef>

namespace rbmkit {

// sum_j [softplus(t_j + delta x_j) - softplus(t_j)] for j < n, given s_j = sigm(t_j).
//
// The difference of two nearly equal softplus values is computed without cancellation, from
// softplus(y) - softplus(z) = log1p(sigm(z) expm1(y - z)) (and its mirror
// e + log1p((1 - sigm(z)) expm1(-e)) for e = y - z > 0), so the annealing log-weights of AIS
// and RAISE (Salakhutdinov and Murray 2008, eq. 10; Burda, Grosse and Salakhutdinov 2015),
// whose per-step increments are tiny, keep their relative precision. Terms with
// |delta x_j| > 1, where the direct difference is accurate enough, use it.
// t, s and x hold n floats each.
double softplus_delta_sum(const float* t, const float* s, const float* x, float delta, std::size_t n);

// sum_i softplus(base_i + offset_i) for i < m: the inner sum of exact enumeration,
// log Z = log sum_h exp(b^T h + sum_i softplus(a_i + W_i . h)) (evaluation/exact.hpp), where
// base + offset = a + W h. Split as sum_i max(x_i, 0) + log prod_i (1 + exp(-|x_i|)).
double softplus_sum_offset(const float* base, const float* offset, std::size_t m);

// sum_j [g(t_j + delta x_j) - g(t_j)] for j < n, g(x) = log(1 + 2 cosh x): the ternary
// counterpart of softplus_delta_sum (AIS and RAISE log-weights, pseudo-likelihood with ternary
// hidden units). Without cancellation, from
//   g(t + e) - g(t) = log1p(p+(t) expm1(e) + p-(t) expm1(-e)),
// p+-(t) = exp(+-t) / (1 + 2 cosh t) the probabilities of h = +1 and -1 at input t (divide
// exp(g(t + e)) = 1 + e^(t+e) + e^(-t-e) by exp(g(t))); terms with |delta x_j| > 1 use the
// direct difference. t and x hold n floats each.
double ternary_delta_sum(const float* t, const float* x, float delta, std::size_t n);

// sum_j g(base_j + offset_j) for j < m, g(x) = log(1 + 2 cosh x): the inner sum of exact
// enumeration over binary visible states with ternary hidden units,
// log Z = log sum_x exp(a^T x + sum_j g(b_j + x . w_j)) (evaluation/exact.hpp). Split as
// sum_j |x_j| + log prod_j (1 + e_j + e_j^2), e_j = exp(-|x_j|).
double ternary_sum_offset(const float* base, const float* offset, std::size_t m);

}  // namespace rbmkit
