// Unit layers against ground truth: ternary hidden units (docs/exercise.md part 2(a), 2(b)) and
// Gaussian visible units (part 2(c)), their samplers, and every gradient estimator and the
// trainer on models with those units.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/model/units.hpp"
#include "rbmkit/sampling/chains.hpp"
#include "rbmkit/sampling/gibbs.hpp"
#include "rbmkit/training/contrastive_divergence.hpp"
#include "rbmkit/training/gradient.hpp"
#include "rbmkit/training/optimizer.hpp"
#include "rbmkit/training/parallel_tempering.hpp"
#include "rbmkit/training/persistent_cd.hpp"
#include "rbmkit/training/trainer.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// ---- ground truth by enumeration, in double, independent of the library ------------------

// The values one unit takes, written out here rather than taken from the library.
std::vector<double> values_of(UnitType t) {
  if (t == UnitType::Ternary) return {-1.0, 0.0, 1.0};
  return {0.0, 1.0};
}

// Every vector of n units of type t (odometer order), as rows of a (|values|^n, n) matrix.
MatrixXd all_states(UnitType t, std::size_t n) {
  const std::vector<double> vals = values_of(t);
  std::size_t count = 1;
  for (std::size_t i = 0; i < n; ++i) count *= vals.size();
  MatrixXd out(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(n));
  for (std::size_t r = 0; r < count; ++r) {
    std::size_t k = r;
    for (std::size_t i = 0; i < n; ++i, k /= vals.size())
      out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(i)) = vals[k % vals.size()];
  }
  return out;
}

// Parameters in double, so that finite differences can perturb them.
struct Params {
  MatrixXd W;  // (d, H)
  VectorXd a, b;
  UnitType visible = UnitType::Bernoulli, hidden = UnitType::Bernoulli;
};

Params params_of(const Model& m) {
  return {m.W.cast<double>(), m.a.cast<double>(), m.b.cast<double>(), m.visible_units, m.hidden_units};
}

// -E(x, h) = x^T W h + a^T x + b^T h (discrete visible units).
double neg_energy(const Params& p, const VectorXd& x, const VectorXd& h) {
  return x.dot(p.W * h) + p.a.dot(x) + p.b.dot(h);
}

double log_sum_exp(const VectorXd& v) {
  const double mx = v.maxCoeff();
  return mx + std::log((v.array() - mx).exp().sum());
}

// A model whose parameters are multiples of 1/64 in [-2, 2]: sums of a few of them with binary
// or dyadic inputs are exact in float, so the library's float products X W + b equal the exact
// inputs and only its double-precision arithmetic remains to compare.
Model dyadic_model(std::size_t d, std::size_t H, UnitType visible, UnitType hidden, std::uint64_t seed) {
  Model m;
  m.W.resize(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(H));
  m.a.resize(static_cast<Eigen::Index>(d));
  m.b.resize(static_cast<Eigen::Index>(H));
  RandomStream rng(seed, 777);
  const auto draw = [&] { return static_cast<float>(static_cast<int>(rng.below(257)) - 128) / 64.0f; };
  for (Eigen::Index k = 0; k < m.W.size(); ++k) m.W.data()[k] = draw();
  for (Eigen::Index k = 0; k < m.a.size(); ++k) m.a[k] = draw();
  for (Eigen::Index k = 0; k < m.b.size(); ++k) m.b[k] = draw();
  m.visible_units = visible;
  m.hidden_units = hidden;
  return m;
}

Matrix to_float(const MatrixXd& X) { return X.cast<float>(); }

// The exact joint of a model with discrete visible units: log p(x) for every visible state (rows
// of `xs`), and log Z, summing exp(-E) over both layers.
struct ExactDiscrete {
  MatrixXd xs, hs;
  VectorXd log_px;
  double log_z = 0;
};

ExactDiscrete enumerate_discrete(const Params& p) {
  ExactDiscrete e;
  e.xs = all_states(p.visible, static_cast<std::size_t>(p.W.rows()));
  e.hs = all_states(p.hidden, static_cast<std::size_t>(p.W.cols()));
  e.log_px.resize(e.xs.rows());
  for (Eigen::Index r = 0; r < e.xs.rows(); ++r) {
    VectorXd terms(e.hs.rows());
    for (Eigen::Index k = 0; k < e.hs.rows(); ++k) terms[k] = neg_energy(p, e.xs.row(r).transpose(), e.hs.row(k).transpose());
    e.log_px[r] = log_sum_exp(terms);
  }
  e.log_z = log_sum_exp(e.log_px);
  e.log_px.array() -= e.log_z;
  return e;
}

// Mean exact log-likelihood of data rows X (n, d).
double exact_log_likelihood(const Params& p, const MatrixXd& X) {
  const ExactDiscrete e = enumerate_discrete(p);
  double sum = 0;
  for (Eigen::Index n = 0; n < X.rows(); ++n) {
    VectorXd terms(e.hs.rows());
    for (Eigen::Index k = 0; k < e.hs.rows(); ++k) terms[k] = neg_energy(p, X.row(n).transpose(), e.hs.row(k).transpose());
    sum += log_sum_exp(terms);
  }
  return sum / static_cast<double>(X.rows()) - e.log_z;
}

// The model's moments E[v h^T] (d, H), E[v] (d), E[h] (H).
struct Moments {
  MatrixXd vh;
  VectorXd v, h;
};

// Discrete visible units: by enumerating both layers, sum_{x,h} p(x, h) x h^T etc.
Moments discrete_moments(const Params& p) {
  const ExactDiscrete e = enumerate_discrete(p);
  Moments mo{MatrixXd::Zero(p.W.rows(), p.W.cols()), VectorXd::Zero(p.W.rows()), VectorXd::Zero(p.W.cols())};
  for (Eigen::Index r = 0; r < e.xs.rows(); ++r)
    for (Eigen::Index k = 0; k < e.hs.rows(); ++k) {
      const VectorXd x = e.xs.row(r).transpose(), h = e.hs.row(k).transpose();
      const double pxh = std::exp(neg_energy(p, x, h) - e.log_z);
      mo.vh += pxh * x * h.transpose();
      mo.v += pxh * x;
      mo.h += pxh * h;
    }
  return mo;
}

// Gaussian visible units (unit variance): p(v) = sum_h p(h) N(v; a + W h, I) with
// p(h) ~ exp(b^T h + (|a + W h|^2 - |a|^2) / 2) (integrate exp(-E) over v), so
//   E[v h^T] = sum_h p(h) (a + W h) h^T,  E[v] = sum_h p(h) (a + W h),  E[h] = sum_h p(h) h.
struct GaussianMixtureTruth {
  MatrixXd hs, centres;  // (K, H), (K, d)
  VectorXd weights;      // (K), summing to 1
};

GaussianMixtureTruth gaussian_mixture(const Params& p) {
  GaussianMixtureTruth g;
  g.hs = all_states(p.hidden, static_cast<std::size_t>(p.W.cols()));
  g.centres.resize(g.hs.rows(), p.W.rows());
  VectorXd lw(g.hs.rows());
  for (Eigen::Index k = 0; k < g.hs.rows(); ++k) {
    const VectorXd h = g.hs.row(k).transpose();
    const VectorXd c = p.a + p.W * h;
    g.centres.row(k) = c.transpose();
    lw[k] = p.b.dot(h) + 0.5 * (c.squaredNorm() - p.a.squaredNorm());
  }
  g.weights = (lw.array() - log_sum_exp(lw)).exp();
  return g;
}

Moments gaussian_moments(const Params& p) {
  const GaussianMixtureTruth g = gaussian_mixture(p);
  Moments mo{MatrixXd::Zero(p.W.rows(), p.W.cols()), VectorXd::Zero(p.W.rows()), VectorXd::Zero(p.W.cols())};
  for (Eigen::Index k = 0; k < g.hs.rows(); ++k) {
    const VectorXd h = g.hs.row(k).transpose(), c = g.centres.row(k).transpose();
    mo.vh += g.weights[k] * c * h.transpose();
    mo.v += g.weights[k] * c;
    mo.h += g.weights[k] * h;
  }
  return mo;
}

// log of the unnormalised tempered marginal f_beta(v) = sum_h exp(-beta E(v, h)), for any
// visible type (Gaussian: E includes |v - a|^2 / 2 and drops a^T v).
double log_tempered_marginal(const Params& p, const VectorXd& v, double beta) {
  const MatrixXd hs = all_states(p.hidden, static_cast<std::size_t>(p.W.cols()));
  VectorXd terms(hs.rows());
  for (Eigen::Index k = 0; k < hs.rows(); ++k) {
    const VectorXd h = hs.row(k).transpose();
    const double visible = p.visible == UnitType::Gaussian ? -0.5 * (v - p.a).squaredNorm() : p.a.dot(v);
    terms[k] = beta * (visible + v.dot(p.W * h) + p.b.dot(h));
  }
  return log_sum_exp(terms);
}

// tern(s) = 2 sinh(s) / (1 + 2 cosh(s)) and log(1 + 2 cosh(s)), straight from docs/exercise.md 2(b).
double tern_naive(double s) { return 2 * std::sinh(s) / (1 + 2 * std::cosh(s)); }
double log_g_naive(double s) { return std::log(1 + 2 * std::cosh(s)); }

// ---- ternary hidden units: free energy, log-partition, means ------------------------------

// docs/exercise.md 2(a): sum over h in {-1,0,1}^H of exp(-E(x, h)) = exp(a.x) prod_j (1 + 2 cosh(s_j)),
// i.e. exp(-F(x)) with F from free_energies. Dyadic parameters make the library's float inputs
// exact, so the two double computations agree to rounding (~1e-15 relative; 1e-9 asked). Also at
// beta = 1/2 (exact in float too): sum_h exp(-beta E(x, h)) = exp(-F_beta(x)).
TEST(Units, TernaryFreeEnergyEqualsBruteForceSumOverHiddenStates) {
  int checked = 0;
  for (std::size_t d = 1; d <= 4; ++d)
    for (std::size_t H = 1; H <= 3; ++H) {
      const Model m = dyadic_model(d, H, UnitType::Bernoulli, UnitType::Ternary, 10 * d + H);
      const Params p = params_of(m);
      const MatrixXd xs = all_states(UnitType::Bernoulli, d), hs = all_states(UnitType::Ternary, H);
      ASSERT_EQ(hs.rows(), static_cast<Eigen::Index>(std::pow(3, H)));
      for (const float beta : {1.0f, 0.5f}) {
        const VectorXd F = free_energies(m, to_float(xs), beta);
        for (Eigen::Index r = 0; r < xs.rows(); ++r) {
          double brute = 0, product = std::exp(beta * p.a.dot(xs.row(r).transpose()));
          for (Eigen::Index k = 0; k < hs.rows(); ++k)
            brute += std::exp(beta * neg_energy(p, xs.row(r).transpose(), hs.row(k).transpose()));
          for (Eigen::Index j = 0; j < p.b.size(); ++j)
            product *= 1 + 2 * std::cosh(beta * (xs.row(r).dot(p.W.col(j)) + p.b[j]));
          EXPECT_NEAR(product / brute, 1.0, 1e-12) << "d " << d << " H " << H;
          EXPECT_NEAR(std::exp(-F[r]) / brute, 1.0, 1e-9) << "d " << d << " H " << H << " beta " << beta;
          ++checked;
        }
      }
    }
  EXPECT_EQ(checked, 2 * 3 * (2 + 4 + 8 + 16));
}

// log(1 + 2 cosh s) = |s| + log1p(e + e^2), e = exp(-|s|): finite at s = +-1000 where cosh
// overflows, equal to |s| there (log1p(e + e^2) < 1e-300 is below half an ulp of 1000), and equal
// to the naive formula for moderate s (where the naive one loses nothing: 1 + 2 cosh s < 1e10,
// relative rounding ~1e-16 on a value >= log 3). The Bernoulli softplus likewise.
TEST(Units, TernaryLogPartitionIsStableAndExact) {
  for (const double s : {1000.0, -1000.0, 745.0, -1e30}) {
    const double g = hidden_log_partition(UnitType::Ternary, s);
    EXPECT_TRUE(std::isfinite(g)) << s;
    EXPECT_EQ(g, std::fabs(s)) << s;
    EXPECT_EQ(hidden_log_partition(UnitType::Bernoulli, s), std::max(s, 0.0)) << s;
  }
  for (double s = -20; s <= 20; s += 0.37) {
    EXPECT_NEAR(hidden_log_partition(UnitType::Ternary, s), log_g_naive(s), 1e-14 * log_g_naive(s)) << s;
    EXPECT_NEAR(hidden_log_partition(UnitType::Bernoulli, s), std::log1p(std::exp(s)), 1e-14 * (1 + std::fabs(s))) << s;
  }
  // The sum over units, in double.
  const float s[] = {-3.0f, 0.0f, 2.5f};
  EXPECT_NEAR(hidden_log_partition_sum(UnitType::Ternary, s, 3), log_g_naive(-3) + std::log(3.0) + log_g_naive(2.5), 1e-14);
  EXPECT_THROW(hidden_log_partition(UnitType::Gaussian, 0.0), InvalidArgument);
}

// tern(s) = E[h | s] of a ternary unit: exactly +-1 in float for large |s| (no inf / inf), and the
// formula of docs/exercise.md 2(b) for moderate s. Float evaluation: a handful of operations each
// rounding by at most 2^-24 relative on values of magnitude <= 3, so |error| < 16 * 2^-24 ~ 1e-6.
// hidden_means at beta scales the input first: tern(beta s).
TEST(Units, TernaryMeanIsSaturatedAtLargeInputsAndMatchesFormula) {
  Matrix S(1, 6);
  S << 1000.0f, -1000.0f, 90.0f, -90.0f, 3.0e38f, -3.0e38f;
  hidden_means(UnitType::Ternary, S);
  for (Eigen::Index j = 0; j < S.cols(); ++j) EXPECT_EQ(S(0, j), j % 2 == 0 ? 1.0f : -1.0f) << j;
  const double tol = 16 * std::ldexp(1.0, -24);
  for (const float beta : {1.0f, 0.5f}) {
    Matrix M(1, 81);
    for (int k = 0; k < 81; ++k) M(0, k) = static_cast<float>(k - 40) * 0.25f;
    const Matrix input = M;
    hidden_means(UnitType::Ternary, M, beta);
    for (int k = 0; k < 81; ++k) EXPECT_NEAR(M(0, k), tern_naive(beta * input(0, k)), tol) << k << " beta " << beta;
  }
  // Through the model: hidden_probs of a ternary model is tern(x . w_j + b_j).
  const Model m = dyadic_model(4, 3, UnitType::Bernoulli, UnitType::Ternary, 5);
  const MatrixXd xs = all_states(UnitType::Bernoulli, 4);
  Matrix P;
  hidden_probs(m, to_float(xs), P);
  const MatrixXd s = xs * params_of(m).W;
  for (Eigen::Index r = 0; r < xs.rows(); ++r)
    for (Eigen::Index j = 0; j < 3; ++j) EXPECT_NEAR(P(r, j), tern_naive(s(r, j) + m.b[j]), tol);
}

// docs/exercise.md 2(b) on a tiny ternary model, three ways:
//   (1) enumeration of the joint: d/dW log-lik = <x E[h|x]^T>_data - sum_{x,h} p(x, h) x h^T;
//   (2) the formula t(s) x - E_{x~p}[t(s) x], t from the library's hidden_probs (float);
//   (3) central finite differences of the exact mean log-likelihood (double).
// (1) vs (3): step 1e-5 gives truncation ~ eps^2 |L'''| / 6 < 1e-9 and rounding
// ~ 1e-16 |L| / eps < 1e-9, so 1e-7 has a wide margin. (1) vs (2): t's float error (< 1e-6,
// previous test) times |x| <= 1, averaged: < 2e-6.
TEST(Units, TernaryGradientMatchesEnumerationAndFiniteDifferences) {
  for (const auto& [d, H] : {std::pair{3, 2}, std::pair{4, 3}}) {
    const Model m = dyadic_model(d, H, UnitType::Bernoulli, UnitType::Ternary, 40 + d);
    const Params p = params_of(m);
    MatrixXd X(3, d);
    X.setZero();
    X(0, 0) = 1;
    X(1, d - 1) = 1, X(1, 1) = 1;
    X.row(2).setOnes();
    const ExactDiscrete e = enumerate_discrete(p);
    // (1) enumeration of both layers.
    const Moments model = discrete_moments(p);
    MatrixXd dW_enum = -model.vh;
    VectorXd db_enum = -model.h, da_enum = -model.v;
    for (Eigen::Index n = 0; n < X.rows(); ++n) {
      const VectorXd x = X.row(n).transpose();
      VectorXd lw(e.hs.rows());
      for (Eigen::Index k = 0; k < e.hs.rows(); ++k) lw[k] = neg_energy(p, x, e.hs.row(k).transpose());
      const VectorXd post = (lw.array() - log_sum_exp(lw)).exp();
      const VectorXd Eh = e.hs.transpose() * post;
      dW_enum += x * Eh.transpose() / 3.0;
      db_enum += Eh / 3.0;
      da_enum += x / 3.0;
    }
    // (2) the formula with the library's ternary means.
    Matrix T_data, T_all;
    hidden_probs(m, to_float(X), T_data);
    hidden_probs(m, to_float(e.xs), T_all);
    const VectorXd px = e.log_px.array().exp();
    const MatrixXd dW_formula = X.transpose() * T_data.cast<double>() / 3.0 -
                                e.xs.transpose() * px.asDiagonal() * T_all.cast<double>();
    const VectorXd db_formula = T_data.cast<double>().colwise().mean().transpose() - T_all.cast<double>().transpose() * px;
    EXPECT_LT((dW_formula - dW_enum).cwiseAbs().maxCoeff(), 2e-6);
    EXPECT_LT((db_formula - db_enum).cwiseAbs().maxCoeff(), 2e-6);
    // The library's Gradient holds the same positive phase: h_pos = t(s).
    Gradient g;
    positive_phase(Products(m), to_float(X), g);
    EXPECT_EQ(g.h_pos, T_data);
    // (3) finite differences.
    const double eps = 1e-5;
    for (Eigen::Index i = 0; i < d; ++i)
      for (Eigen::Index j = 0; j < H; ++j) {
        Params up = p, down = p;
        up.W(i, j) += eps, down.W(i, j) -= eps;
        const double fd = (exact_log_likelihood(up, X) - exact_log_likelihood(down, X)) / (2 * eps);
        EXPECT_NEAR(fd, dW_enum(i, j), 1e-7) << i << "," << j;
      }
    for (Eigen::Index j = 0; j < H; ++j) {
      Params up = p, down = p;
      up.b[j] += eps, down.b[j] -= eps;
      EXPECT_NEAR((exact_log_likelihood(up, X) - exact_log_likelihood(down, X)) / (2 * eps), db_enum[j], 1e-7);
    }
    for (Eigen::Index i = 0; i < d; ++i) {
      Params up = p, down = p;
      up.a[i] += eps, down.a[i] -= eps;
      EXPECT_NEAR((exact_log_likelihood(up, X) - exact_log_likelihood(down, X)) / (2 * eps), da_enum[i], 1e-7);
    }
  }
}

// ---- samplers ------------------------------------------------------------------------------

// Ternary draws against the exact conditionals P(h = t | s) = exp(t s) / (1 + 2 cosh s) for three
// units with different inputs, 200,000 draws each. Each unit's Pearson statistic over its three
// states has 2 degrees of freedom, and for 2 degrees of freedom the tail is exactly
// P(chi2 > c) = exp(-c / 2): the critical value at p = 1e-4 is c = -2 ln(1e-4) = 18.42.
TEST(Units, TernarySamplerMatchesExactConditionals) {
  const std::vector<double> s = {-1.3, 0.25, 2.2};
  Model m;
  m.W = Matrix::Zero(1, 3);
  m.a = Vector::Zero(1);
  m.b.resize(3);
  m.b << static_cast<float>(s[0]), static_cast<float>(s[1]), static_cast<float>(s[2]);
  m.hidden_units = UnitType::Ternary;
  const Eigen::Index n = 200000;
  Matrix M;
  hidden_probs(m, Matrix::Zero(n, 1), M);
  Matrix S;
  sample_hidden(UnitType::Ternary, M, S, {17, 4, 0});
  const double critical = -2 * std::log(1e-4);
  for (Eigen::Index j = 0; j < 3; ++j) {
    const double sj = static_cast<double>(m.b[j]);
    double counts[3] = {0, 0, 0};
    for (Eigen::Index r = 0; r < n; ++r) {
      const float h = S(r, j);
      ASSERT_TRUE(h == -1.0f || h == 0.0f || h == 1.0f);
      counts[static_cast<int>(h) + 1] += 1;
    }
    double chi2 = 0;
    for (int t = -1; t <= 1; ++t) {
      const double expected = n * std::exp(t * sj) / (1 + 2 * std::cosh(sj));
      chi2 += (counts[t + 1] - expected) * (counts[t + 1] - expected) / expected;
    }
    EXPECT_LT(chi2, critical) << "unit " << j << " s " << sj;
  }
  // The draw must depend on the mean: a sampler that ignored it (all three units drawn alike)
  // would fail the test above; here the three units' frequencies of +1 also differ clearly.
  EXPECT_LT((S.col(0).array() == 1.0f).count(), (S.col(2).array() == 1.0f).count() / 4);
}

// The Box-Muller float normals: mean 0, variance 1, skewness 0, kurtosis 3. For n normal draws
// the standard errors are 1/sqrt(n), sqrt(2/n), sqrt(6/n) and sqrt(24/n); each estimate must lie
// within 5 of them (two-sided p ~ 6e-7 each). Block accounting: ceil(2n / 4) blocks.
// The fused Bernoulli pass (sigmoid, uniforms, comparison per row) equals the separate means and
// draws bit for bit, at beta 1 and below, serial and row-parallel sizes, with a non-multiple-of-16 width.
TEST(Units, FusedBernoulliDrawsEqualMeansThenDraws) {
  for (const Eigen::Index B : {3, 200})
    for (const float beta : {1.0f, 0.37f}) {
      Matrix X(B, 333);
      RandomStream rng(4, 5);
      for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = static_cast<float>(12.0 * rng.uniform_double() - 6.0);
      const DrawTag tag{11, 12, 13};
      Matrix means = X, states;
      visible_means(UnitType::Bernoulli, means, beta);
      sample_bernoulli(means, states, tag);
      Matrix fused = X, fused_states;
      sample_bernoulli_from_inputs(fused, fused_states, tag, beta);
      EXPECT_EQ(fused, means);
      EXPECT_EQ(fused_states, states);
      EXPECT_GT(states.sum(), 0.2 * static_cast<double>(states.size()));  // draws, not constants
      EXPECT_LT(states.sum(), 0.8 * static_cast<double>(states.size()));
    }
}

TEST(Units, NormalFloatDrawsHaveStandardMoments) {
  const std::size_t n = 400000;
  std::vector<float> z(n);
  RandomStream rng(8, 9);
  rng.normal(z.data(), n);
  EXPECT_EQ(rng.block(), (2 * n + 3) / 4);
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (const float x : z) {
    const double v = x;
    m1 += v, m2 += v * v, m3 += v * v * v, m4 += v * v * v * v;
  }
  m1 /= n, m2 /= n, m3 /= n, m4 /= n;
  const double sn = std::sqrt(static_cast<double>(n));
  EXPECT_LT(std::fabs(m1), 5 / sn);
  EXPECT_LT(std::fabs(m2 - 1), 5 * std::sqrt(2.0) / sn);
  EXPECT_LT(std::fabs(m3), 5 * std::sqrt(6.0) / sn);
  EXPECT_LT(std::fabs(m4 - 3), 5 * std::sqrt(24.0) / sn);
  for (const float x : z) ASSERT_TRUE(std::isfinite(x));
  // An odd count uses the same stream prefix.
  std::vector<float> w(7);
  RandomStream again(8, 9);
  again.normal(w.data(), 7);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(w[i], z[i]);
}

// Gaussian visible draws: x ~ N(mu, 1 / beta). With n draws per column the sample mean has
// standard error sqrt(1 / (beta n)) and the sample variance sqrt(2 / (n - 1)) / beta; both must lie
// within 5 standard errors, at beta = 1 and beta = 1/4 (variance 4).
TEST(Units, GaussianVisibleDrawsHaveMeanAndVarianceOneOverBeta) {
  const Eigen::Index n = 100000;
  const float mus[] = {-2.0f, 0.0f, 3.5f};
  Matrix M(n, 3);
  for (Eigen::Index j = 0; j < 3; ++j) M.col(j).setConstant(mus[j]);
  for (const float beta : {1.0f, 0.25f}) {
    Matrix S;
    sample_visible(UnitType::Gaussian, M, S, {3, 11, 0}, beta);
    for (Eigen::Index j = 0; j < 3; ++j) {
      const Eigen::ArrayXd x = S.col(j).cast<double>().array();
      const double mean = x.mean(), var = (x - mean).square().sum() / static_cast<double>(n - 1);
      const double sigma2 = 1.0 / beta;
      EXPECT_LT(std::fabs(mean - mus[j]), 5 * std::sqrt(sigma2 / n)) << "beta " << beta << " col " << j;
      EXPECT_LT(std::fabs(var - sigma2), 5 * sigma2 * std::sqrt(2.0 / (n - 1))) << "beta " << beta << " col " << j;
    }
  }
  // The means of Gaussian visible units are the inputs themselves, at every beta.
  Matrix R(1, 2);
  R << -7.5f, 2.25f;
  const Matrix R0 = R;
  visible_means(UnitType::Gaussian, R, 0.3f);
  EXPECT_EQ(R, R0);
}

// ---- estimators on Gaussian-visible and ternary-hidden models ------------------------------

// The negative phase of an estimator on a frozen model, averaged over `updates` updates after
// `burn_in`, against the model's exact moments. Each update's statistics are means over N chains
// that are independent once mixed, so each has standard error sd / sqrt(N) (sd: the spread over
// the chains of that update); the average over updates has at most the largest of those (the
// variance of a mean of correlated estimates is at most their largest variance). Returns the
// largest |estimate - exact| / standard error over the entries of E[v h^T], E[v] and E[h].
double negative_phase_z(GradientEstimator& est, const Model& m, const Matrix& X, int burn_in, int updates,
                        const Moments& exact) {
  Gradient g;
  for (int u = 0; u < burn_in; ++u) est.estimate(m, X, static_cast<std::uint64_t>(u), g);
  const Eigen::Index d = m.W.rows(), H = m.W.cols();
  MatrixXd sum_vh = MatrixXd::Zero(d, H), se_vh = MatrixXd::Zero(d, H);
  VectorXd sum_v = VectorXd::Zero(d), se_v = VectorXd::Zero(d), sum_h = VectorXd::Zero(H), se_h = VectorXd::Zero(H);
  const auto mean_se = [](const Eigen::ArrayXd& x) {
    const double mean = x.mean();
    return std::pair{mean, std::sqrt((x - mean).square().sum() / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()))};
  };
  for (int u = 0; u < updates; ++u) {
    est.estimate(m, X, static_cast<std::uint64_t>(burn_in + u), g);
    const MatrixXd V = g.v_neg.cast<double>(), P = g.h_neg.cast<double>();
    for (Eigen::Index i = 0; i < d; ++i) {
      const auto [mv, sv] = mean_se(V.col(i).array());
      sum_v[i] += mv, se_v[i] = std::max(se_v[i], sv);
      for (Eigen::Index j = 0; j < H; ++j) {
        const auto [m_ij, s_ij] = mean_se(V.col(i).array() * P.col(j).array());
        sum_vh(i, j) += m_ij, se_vh(i, j) = std::max(se_vh(i, j), s_ij);
      }
    }
    for (Eigen::Index j = 0; j < H; ++j) {
      const auto [mh, sh] = mean_se(P.col(j).array());
      sum_h[j] += mh, se_h[j] = std::max(se_h[j], sh);
    }
  }
  double z = 0;
  for (Eigen::Index i = 0; i < d; ++i) {
    z = std::max(z, std::fabs(sum_v[i] / updates - exact.v[i]) / se_v[i]);
    for (Eigen::Index j = 0; j < H; ++j) z = std::max(z, std::fabs(sum_vh(i, j) / updates - exact.vh(i, j)) / se_vh(i, j));
  }
  for (Eigen::Index j = 0; j < H; ++j) z = std::max(z, std::fabs(sum_h[j] / updates - exact.h[j]) / se_h[j]);
  return z;
}

// A Gaussian-visible, Bernoulli-hidden model with 2 visible and 3 hidden units whose mixture
// components a + W h overlap enough for Gibbs sampling to move between them.
Model gaussian_model(UnitType hidden = UnitType::Bernoulli) {
  Model m;
  m.W.resize(2, 3);
  m.W << 1.0f, -0.75f, 0.5f,
         0.5f, 1.0f, -1.0f;
  m.a.resize(2);
  m.a << 0.5f, -0.25f;
  m.b.resize(3);
  m.b << -0.5f, 0.25f, 0.0f;
  m.visible_units = UnitType::Gaussian;
  m.hidden_units = hidden;
  return m;
}

// Data far from the model (around (3, -3)): CD's chains start there.
Matrix far_data(Eigen::Index n) {
  Matrix X(n, 2);
  RandomStream rng(5, 6);
  for (Eigen::Index r = 0; r < n; ++r) X(r, 0) = 3.0f + 0.3f * static_cast<float>(rng.normal()), X(r, 1) = -3.0f + 0.3f * static_cast<float>(rng.normal());
  return X;
}

// CD-k with many steps, PCD and PT with many chains all reach the exact model expectations of a
// Gaussian-Bernoulli model (the mixture formulas of gaussian_moments) within 5 standard errors;
// CD-1 from data far from the model does not (its bias is many standard errors), which shows
// the comparison can fail.
TEST(Units, GaussianVisibleNegativePhasesReachExactMixtureMoments) {
  for (const UnitType hidden : {UnitType::Bernoulli, UnitType::Ternary}) {
    const Model m = gaussian_model(hidden);
    const Moments exact = gaussian_moments(params_of(m));
    const Matrix X = far_data(4000);
    ContrastiveDivergence cd1(1, 3), cd_long(100, 3);
    EXPECT_GT(negative_phase_z(cd1, m, X, 0, 1, exact), 20.0) << to_string(hidden);
    EXPECT_LT(negative_phase_z(cd_long, m, X, 0, 1, exact), 5.0) << to_string(hidden);
    PersistentContrastiveDivergence pcd(1, 4000, 7);
    EXPECT_LT(negative_phase_z(pcd, m, X.topRows(10), 100, 50, exact), 5.0) << to_string(hidden);
    ParallelTempering pt(1, 2000, linear_betas(4, 0.25f), 7);
    EXPECT_LT(negative_phase_z(pt, m, X.topRows(10), 100, 50, exact), 5.0) << to_string(hidden);
    // More chains, smaller error: PCD with 20 chains is further off than with 4000 (in absolute
    // terms, measured on E[v]).
    Gradient g;
    PersistentContrastiveDivergence few(1, 20, 7), many(1, 4000, 7);
    double err_few = 0, err_many = 0;
    for (std::uint64_t u = 0; u < 100; ++u) {
      few.estimate(m, X.topRows(10), u, g);
      if (u >= 50) err_few += (g.v_neg.cast<double>().colwise().mean().transpose() - exact.v).norm() / 50;
      many.estimate(m, X.topRows(10), u, g);
      if (u >= 50) err_many += (g.v_neg.cast<double>().colwise().mean().transpose() - exact.v).norm() / 50;
    }
    EXPECT_LT(err_many, err_few) << to_string(hidden);
  }
}

// The same for ternary hidden units on binary data, where the exact moments come from enumerating
// both layers: E[x t(s(x))^T] = E[x h^T].
TEST(Units, TernaryNegativePhasesReachExactMoments) {
  Model m = test::random_model(5, 3, 0.8, 0.4, 61);
  m.hidden_units = UnitType::Ternary;
  const Moments exact = discrete_moments(params_of(m));
  const Matrix X = test::to_matrix({1, 6, 24, 31}, 5);
  ContrastiveDivergence cd_long(60, 4);
  Matrix X_many(2000, 5);
  for (Eigen::Index r = 0; r < X_many.rows(); ++r) X_many.row(r) = X.row(r % 4);
  EXPECT_LT(negative_phase_z(cd_long, m, X_many, 0, 1, exact), 5.0);
  PersistentContrastiveDivergence pcd(1, 2000, 4);
  EXPECT_LT(negative_phase_z(pcd, m, X, 50, 50, exact), 5.0);
  ParallelTempering pt(1, 2000, linear_betas(3, 0.4f), 4);
  EXPECT_LT(negative_phase_z(pt, m, X, 50, 50, exact), 5.0);
}

// The swap rule of parallel tempering with the unit-aware free energies satisfies detailed
// balance against tempered marginals enumerated here: f_b1(x) f_b2(y) alpha(x, y) =
// f_b1(y) f_b2(x) alpha(y, x), for ternary hidden units on binary x, y and for Gaussian visible
// units on real x, y. Dyadic parameters, states and betas keep the library's float inputs exact,
// so the balance holds to double rounding (1e-12 relative).
TEST(Units, TemperingSwapRuleBalancesTernaryAndGaussianModels) {
  const float b1 = 0.25f, b2 = 1.0f;
  {
    const Model m = dyadic_model(4, 3, UnitType::Bernoulli, UnitType::Ternary, 71);
    const Params p = params_of(m);
    const MatrixXd xs = all_states(UnitType::Bernoulli, 4);
    int rejected = 0;
    for (Eigen::Index x = 0; x < xs.rows(); ++x)
      for (Eigen::Index y = 0; y < xs.rows(); ++y) {
        const VectorXd vx = xs.row(x).transpose(), vy = xs.row(y).transpose();
        const double a_xy = swap_probability(m, b1, b2, vx.cast<float>(), vy.cast<float>());
        const double a_yx = swap_probability(m, b1, b2, vy.cast<float>(), vx.cast<float>());
        const double lhs = log_tempered_marginal(p, vx, b1) + log_tempered_marginal(p, vy, b2) + std::log(a_xy);
        const double rhs = log_tempered_marginal(p, vy, b1) + log_tempered_marginal(p, vx, b2) + std::log(a_yx);
        EXPECT_NEAR(lhs, rhs, 1e-12 * std::max(1.0, std::fabs(lhs)));
        rejected += a_xy < 1.0;
      }
    EXPECT_GT(rejected, 0);
  }
  {
    const Model m = dyadic_model(2, 3, UnitType::Gaussian, UnitType::Bernoulli, 72);
    const Params p = params_of(m);
    RandomStream rng(1, 2);
    int rejected = 0;
    for (int k = 0; k < 200; ++k) {
      // States on a 1/16 grid in [-4, 4].
      VectorXd vx(2), vy(2);
      for (Eigen::Index i = 0; i < 2; ++i) {
        vx[i] = (static_cast<double>(rng.below(129)) - 64) / 16;
        vy[i] = (static_cast<double>(rng.below(129)) - 64) / 16;
      }
      const double a_xy = swap_probability(m, b1, b2, vx.cast<float>(), vy.cast<float>());
      const double a_yx = swap_probability(m, b1, b2, vy.cast<float>(), vx.cast<float>());
      const double lhs = log_tempered_marginal(p, vx, b1) + log_tempered_marginal(p, vy, b2) + std::log(a_xy);
      const double rhs = log_tempered_marginal(p, vy, b1) + log_tempered_marginal(p, vx, b2) + std::log(a_yx);
      EXPECT_NEAR(lhs, rhs, 1e-12 * std::max(1.0, std::fabs(lhs)));
      rejected += a_xy < 1.0;
    }
    EXPECT_GT(rejected, 0);
  }
}

// ---- model-level quantities ---------------------------------------------------------------

// free_energy (float, model.hpp) follows the unit types: it equals free_energies (double) to
// float rounding, and for Gaussian visible units it is |x - a|^2 / 2 - sum softplus(s).
TEST(Units, FreeEnergyAndReconstructionFollowUnitTypes) {
  const Model g = dyadic_model(3, 2, UnitType::Gaussian, UnitType::Bernoulli, 81);
  const Model t = dyadic_model(3, 2, UnitType::Bernoulli, UnitType::Ternary, 82);
  Matrix X(2, 3);
  X << 0.5f, -1.25f, 2.0f, 1.0f, 0.0f, 1.0f;
  for (const Model* m : {&g, &t}) {
    const Vector f = free_energy(*m, X);
    const VectorXd fd = free_energies(*m, X);
    for (Eigen::Index r = 0; r < 2; ++r) EXPECT_NEAR(f[r], fd[r], 1e-6 * (1 + std::fabs(fd[r])));
  }
  const Params p = params_of(g);
  for (Eigen::Index r = 0; r < 2; ++r) {
    const VectorXd x = X.row(r).cast<double>().transpose();
    const VectorXd s = p.W.transpose() * x + p.b;
    double expected = 0.5 * (x - p.a).squaredNorm();
    for (Eigen::Index j = 0; j < 2; ++j) expected -= std::log1p(std::exp(s[j]));
    EXPECT_NEAR(free_energies(g, X)[r], expected, 1e-12 * (1 + std::fabs(expected)));
  }
  // Mean-field reconstruction x_hat = a + W sigm(s) for Gaussian visible units.
  const MatrixXd S = (X.cast<double>() * p.W).rowwise() + p.b.transpose();
  const MatrixXd Ph = S.unaryExpr([](double v) { return 1 / (1 + std::exp(-v)); });
  const MatrixXd Xhat = (Ph * p.W.transpose()).rowwise() + p.a.transpose();
  EXPECT_NEAR(reconstruction_error(g, X), (X.cast<double>() - Xhat).squaredNorm() / 2, 1e-5);
}

// Sampling chains of a Gaussian-visible model: noise starts are N(a, 1) draws, the chains' states
// are real, their means are a + W h, and after many steps the states' average matches the
// mixture mean E[v] within 5 standard errors (chains independent: SE = sd / sqrt(n)).
TEST(Units, GaussianChainsStartAtNoiseAroundTheBiasAndReachTheModelMean) {
  const Model m = gaussian_model();
  const Matrix start = noise_for(m, 20000, 3);
  ASSERT_EQ(start.rows(), 20000);
  for (Eigen::Index i = 0; i < 2; ++i) {
    const Eigen::ArrayXd x = start.col(i).cast<double>().array();
    EXPECT_LT(std::fabs(x.mean() - m.a[i]), 5 / std::sqrt(20000.0));
    EXPECT_LT(std::fabs((x - x.mean()).square().mean() - 1), 5 * std::sqrt(2 / 20000.0));
  }
  const Chains c = run_chains(m, start, 50, 4);
  const Moments exact = gaussian_moments(params_of(m));
  for (Eigen::Index i = 0; i < 2; ++i) {
    const Eigen::ArrayXd x = c.states.col(i).cast<double>().array();
    const double sd = std::sqrt((x - x.mean()).square().mean());
    EXPECT_LT(std::fabs(x.mean() - exact.v[i]), 5 * sd / std::sqrt(20000.0));
  }
  // Means are centres a + W h: a finite set of at most 2^3 distinct rows.
  std::vector<std::pair<float, float>> centres;
  for (Eigen::Index r = 0; r < c.means.rows(); ++r) centres.emplace_back(c.means(r, 0), c.means(r, 1));
  std::sort(centres.begin(), centres.end());
  EXPECT_LE(std::unique(centres.begin(), centres.end()) - centres.begin(), 8);
  // Bernoulli models keep the binary coin-flip noise.
  const Model b = test::random_model(5, 2, 1.0, 0.5, 1);
  EXPECT_EQ(noise_for(b, 7, 3), noise(7, 5, 3));
}

// ---- training ------------------------------------------------------------------------------

Dataset float_dataset(const Matrix& X) {
  std::vector<float> values(static_cast<std::size_t>(X.size()));
  for (Eigen::Index r = 0; r < X.rows(); ++r)
    for (Eigen::Index c = 0; c < X.cols(); ++c) values[static_cast<std::size_t>(r * X.cols() + c)] = X(r, c);
  return Dataset::from_floats(static_cast<std::size_t>(X.rows()), static_cast<std::size_t>(X.cols()), std::move(values));
}

// A Gaussian-Bernoulli RBM trained by PCD on 8,000 draws from an equal mixture of four
// unit-variance Gaussians centred at (+-4, +-4) recovers the mixture: its components a + W h
// (weights p(h), enumerated over the 2^H hidden states; docs/exercise.md part 2(c)) with the four
// largest weights lie near four distinct true centres, each with weight near 1/4, and together
// carry over 99% of the mass (a heavy component elsewhere would put mass where the data have
// almost none). (Four centres on a rectangle are exactly representable:
// a = (-4, -4), w_1 = (8, 0), w_2 = (0, 8).)
// Tolerances. The maximum-likelihood centre of ~2,000 unit-variance points has standard error
// 1/sqrt(2000) = 0.022 per coordinate (the components overlap by less than P(|z| > 4) = 6e-5, so
// they are estimated almost independently); the learning rate decays linearly to 0, so the
// optimiser's own noise dies out. We allow 0.25 (over 10 standard errors) for each centre: far
// below the distance 4 by which a merged or misplaced component would miss. A component's log
// weight b^T h + (|a + W h|^2 - |a|^2) / 2 moves by about |c| delta (|c| = 5.7 the centre's norm)
// when the centre moves by delta, i.e. 0.13-0.3 for delta = 0.022-0.05, a factor of at most
// e^0.3 = 1.35 on the weight; we allow a factor of 2 around 1/4.
TEST(Units, GaussianRbmRecoversTheCentresOfAMixture) {
  const double centres[4][2] = {{-4, -4}, {4, -4}, {-4, 4}, {4, 4}};
  const Eigen::Index n = 8000;
  Matrix X(n, 2);
  RandomStream rng(42, 1);
  for (Eigen::Index r = 0; r < n; ++r) {
    const auto k = rng.below(4);
    X(r, 0) = static_cast<float>(centres[k][0] + rng.normal());
    X(r, 1) = static_cast<float>(centres[k][1] + rng.normal());
  }
  TrainConfig config = test::exercise_config();
  config.visible_units = UnitType::Gaussian;
  config.hidden = 4;
  config.method = Method::PCD;
  config.chains = 200;
  config.cd_k = 1;
  config.sgd.learning_rate = 0.01f;
  config.sgd.schedule = Schedule::Linear;
  config.batch = 100;
  config.epochs = 100;
  config.updates = 0;
  config.init_std = 0.1f;
  config.seed = 2;
  config.threads = 1;
  const Model m = train(config, float_dataset(X), nullptr, {});
  const GaussianMixtureTruth mix = gaussian_mixture(params_of(m));
  std::vector<Eigen::Index> order(static_cast<std::size_t>(mix.weights.size()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::sort(order.begin(), order.end(), [&](auto x, auto y) { return mix.weights[x] > mix.weights[y]; });
  double top_mass = 0;
  std::vector<bool> matched(4, false);
  for (std::size_t c = 0; c < 4; ++c) {
    const VectorXd centre = mix.centres.row(order[c]).transpose();
    top_mass += mix.weights[order[c]];
    int nearest = -1;
    double best = INFINITY;
    for (int k = 0; k < 4; ++k) {
      const double dist = (centre - Eigen::Vector2d(centres[k][0], centres[k][1])).norm();
      if (dist < best) best = dist, nearest = k;
    }
    EXPECT_LT(best, 0.25) << "component " << c << " at (" << centre.transpose() << "), weight " << mix.weights[order[c]];
    EXPECT_GT(mix.weights[order[c]], 0.125) << "component " << c;
    EXPECT_LT(mix.weights[order[c]], 0.5) << "component " << c;
    EXPECT_FALSE(matched[static_cast<std::size_t>(nearest)]) << "two components near centre " << nearest;
    matched[static_cast<std::size_t>(nearest)] = true;
  }
  EXPECT_GT(top_mass, 0.99);
}

// A ternary-hidden RBM trained on 3x3 bars and stripes (14 patterns, pixel means 1/2) raises the
// exact log-likelihood, enumerated here over both layers (512 x 3^6 states), from the
// independent-pixel value -9 log 2 = -6.24 by more than a nat; the ideal is -log 14 = -2.64.
// Every estimator, and the batch-1 path.
TEST(Units, TernaryRbmLearnsBarsAndStripes) {
  const auto bas = test::bars_and_stripes(3);
  const Matrix X = test::to_matrix(bas, 9);
  const double independent = -9 * std::log(2.0);
  struct Case { Method method; std::size_t batch; std::uint64_t updates; };
  for (const Case& c : {Case{Method::CD, 14, 3000}, Case{Method::PCD, 14, 3000}, Case{Method::PT, 14, 3000},
                        Case{Method::CD, 1, 20000}}) {
    TrainConfig config = test::exercise_config();
    config.hidden_units = UnitType::Ternary;
    config.hidden = 6;
    config.method = c.method;
    config.chains = 50;
    config.temperatures = 4;
    config.cd_k = 1;
    config.sgd.learning_rate = 0.05f;
    config.batch = c.batch;
    config.updates = c.updates;
    config.init_std = 0.1f;
    config.seed = 5;
    config.threads = 1;
    const Model m = train(config, float_dataset(X), nullptr, {});
    ASSERT_EQ(m.hidden_units, UnitType::Ternary);
    const double ll = exact_log_likelihood(params_of(m), X.cast<double>());
    EXPECT_GT(ll, independent + 1.0) << to_string(c.method) << " batch " << c.batch;
  }
}

// Batch 1 with non-Bernoulli units must not take the fused Bernoulli-only per-example path:
// train() equals the general loop (ContrastiveDivergence + Sgd, examples picked as the trainer
// picks them) bit for bit.
TEST(Units, BatchOneTernaryTrainingTakesTheGeneralPath) {
  const auto bas = test::bars_and_stripes(3);
  const Matrix X = test::to_matrix(bas, 9);
  TrainConfig config = test::exercise_config();
  config.hidden_units = UnitType::Ternary;
  config.hidden = 4;
  config.cd_k = 2;
  config.sgd.learning_rate = 0.05f;
  config.batch = 1;
  config.updates = 300;
  config.visible_bias = true;
  config.init_std = 0.1f;
  config.seed = 9;
  config.threads = 1;
  config.precision = Precision::Fp32;
  const Dataset data = float_dataset(X);
  const Model trained = train(config, data, nullptr, {});
  Model m = make_model(9, 4, 0.1f, 9, true);
  m.hidden_units = UnitType::Ternary;
  m.a = logit_means(data);
  ContrastiveDivergence cd(2, 9);
  SgdConfig sc;
  sc.learning_rate = 0.05f;
  Sgd sgd(sc, 300);
  Gradient g;
  for (std::uint64_t u = 0; u < 300; ++u) {
    const auto row = RandomStream(9, stream_id(Purpose::Pick, u)).below(14);
    cd.estimate(m, X.row(static_cast<Eigen::Index>(row)), u, g);
    sgd.apply(m, g, u);
  }
  EXPECT_EQ(trained.W, m.W);
  EXPECT_EQ(trained.b, m.b);
  EXPECT_EQ(trained.a, m.a);
}

// Gaussian visible units start their bias at the data's column means (the maximum-likelihood
// bias when W = 0) and accept real data outside [0, 1]; Bernoulli visible units still refuse it.
TEST(Units, GaussianTrainingAcceptsRealDataAndStartsAtTheMeans) {
  Matrix X(4, 2);
  X << -3.0f, 10.0f, -1.0f, 12.0f, 1.0f, 14.0f, 7.0f, 16.0f;
  TrainConfig config = test::exercise_config();
  config.visible_units = UnitType::Gaussian;
  config.hidden = 2;
  config.sgd.learning_rate = 1e-6f;
  config.batch = 4;
  config.updates = 1;
  config.init_std = 0.0f;
  config.threads = 1;
  const Model m = train(config, float_dataset(X), nullptr, {});
  EXPECT_EQ(m.visible_units, UnitType::Gaussian);
  EXPECT_NEAR(m.a[0], 1.0f, 1e-4f);
  EXPECT_NEAR(m.a[1], 13.0f, 1e-4f);
  config.visible_units = UnitType::Bernoulli;
  EXPECT_THROW(train(config, float_dataset(X), nullptr, {}), DataError);
}

// Unsupported combinations and settings are refused with InvalidArgument: ternary visible
// units, Gaussian hidden units, and parallel tempering down to beta = 0 with Gaussian visible
// units (p_0(v) would be flat over all of R^d); a checkpoint with other unit types.
TEST(Units, UnsupportedUnitSettingsAreRefused) {
  Matrix X = Matrix::Constant(3, 2, 0.5f);
  TrainConfig config = test::exercise_config();
  config.hidden = 2;
  config.updates = 1;
  config.threads = 1;
  TrainConfig bad = config;
  bad.visible_units = UnitType::Ternary;
  EXPECT_THROW(train(bad, float_dataset(X), nullptr, {}), InvalidArgument);
  bad = config;
  bad.hidden_units = UnitType::Gaussian;
  EXPECT_THROW(train(bad, float_dataset(X), nullptr, {}), InvalidArgument);
  bad = config;
  bad.visible_units = UnitType::Gaussian;
  bad.method = Method::PT;
  bad.beta_min = 0.0f;
  EXPECT_THROW(validate(bad), InvalidArgument);
  bad.beta_min = 0.1f;
  EXPECT_NO_THROW(validate(bad));
  EXPECT_THROW(check_unit_types(UnitType::Ternary, UnitType::Bernoulli), InvalidArgument);
  EXPECT_THROW(check_unit_types(UnitType::Bernoulli, UnitType::Gaussian), InvalidArgument);
  // Resuming with other unit types.
  TrainState state;
  state.model = make_model(2, 2, 0.1f, 0, true);
  state.model.hidden_units = UnitType::Ternary;
  TrainControl control;
  control.resume = &state;
  EXPECT_THROW(train(config, float_dataset(X), nullptr, {}, control), InvalidArgument);
}

}  // namespace
}  // namespace rbmkit
