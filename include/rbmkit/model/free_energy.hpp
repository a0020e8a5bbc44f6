// Free energies, in one place: F(x) = -log sum_h exp(-E(x, h)), so that p(x) = exp(-F(x)) / Z,
// for every supported pair of unit types (model/units.hpp), with hp(s) the hidden log-partition
// (softplus(s), or log(1 + 2 cosh s) for ternary units):
//   F(x) = visible_term(x) - sum_j hp(x . w_j + b_j),
//   visible_term(x) = -a^T x (Bernoulli) or |x - a|^2 / 2 (Gaussian, unit variance),
// and at inverse temperature beta (parallel tempering, annealing)
//   F_beta(x) = beta visible_term(x) - sum_j hp(beta (x . w_j + b_j)).
// The functions differ in precision and in how many examples they take, each where its caller
// needs it: float for the training reports, double for tempering swaps and evaluation.
#pragma once

#include <Eigen/Core>

#include "rbmkit/model/model.hpp"

namespace rbmkit {

// F(x) of each row of X (n, d) -> (n): in float for Bernoulli units on both layers (softplus of
// X W + b, minus X a); other unit types through free_energies (double), rounded to float.
Vector free_energy(const Model& m, const Matrix& X);
// The same, from the hidden inputs S = X W + 1 b^T (n, H) already computed (by any Products).
Vector free_energy(const Model& m, const Matrix& X, const Matrix& S);

// F_beta(x) of each row of X (n, d) in double (the hidden inputs X W + b computed in float).
Eigen::VectorXd free_energies(const Model& m, const Matrix& X, float beta = 1.0f);

// The same F_beta, from the hidden inputs S = X W + 1 b^T (n, H) already computed (the swap step
// of parallel tempering evaluates each ladder's states at two temperatures).
Eigen::VectorXd free_energies(const Model& m, const Matrix& X, const Matrix& S, float beta);

// F(x) of one example x (d) in double precision throughout (the hidden inputs accumulated in
// double over the nonzero x_i): exact log-likelihoods and RAISE.
double free_energy_exact(const Model& m, const float* x);

// F(v) of a real vector v (d) in double precision (W^T v + b in double): densities of
// Gaussian-visible RBMs at any point, e.g. for quadrature. Throws InvalidArgument when v's
// length is not d.
double free_energy_exact(const Model& m, const Eigen::VectorXd& v);

// Mean free energy (1/n) sum_r F(x_r) over the rows of X (n, d), in double (double matrix
// product, double log-partitions), for the model's unit types:
//   F(x) = visible_term(x) - sum_j hp(x . w_j + b_j),
// visible_term = -a^T x (Bernoulli) or |x - a|^2 / 2 (Gaussian). Throws DataError when X has no
// rows or the wrong width.
double mean_free_energy(const Model& m, const Matrix& X);

}  // namespace rbmkit
