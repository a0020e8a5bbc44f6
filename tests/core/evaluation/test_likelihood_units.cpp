// Exact log Z, AIS, RAISE, the pseudo-likelihood and the free energy for ternary hidden units
// and Gaussian visible units, against ground truth computed here by brute force over both
// layers, by the analytic Gaussian integral evaluated term by term, and by numerical
// quadrature, independently of the library's own likelihood code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/ais.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/evaluation/pseudo_likelihood.hpp"
#include "rbmkit/evaluation/raise.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/softplus_sums.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using Eigen::VectorXd;

constexpr double u = 0x1p-24;  // float unit roundoff
constexpr UnitType kBern = UnitType::Bernoulli, kTern = UnitType::Ternary, kGauss = UnitType::Gaussian;

// ---- ground truth ---------------------------------------------------------------------------

std::vector<double> values_of(UnitType t) {
  if (t == UnitType::Ternary) return {-1.0, 0.0, 1.0};
  return {0.0, 1.0};
}

// Calls f(z) for every vector z of n units of type t (odometer order).
template <class F>
void for_each_state(UnitType t, std::size_t n, F f) {
  const std::vector<double> vals = values_of(t);
  std::vector<std::size_t> idx(n, 0);
  std::vector<double> z(n, vals[0]);
  while (true) {
    f(z);
    std::size_t k = 0;
    while (k < n && ++idx[k] == vals.size()) {
      idx[k] = 0;
      z[k] = vals[0];
      ++k;
    }
    if (k == n) return;
    z[k] = vals[idx[k]];
  }
}

Model with_units(Model m, UnitType visible, UnitType hidden) {
  m.visible_units = visible;
  m.hidden_units = hidden;
  return m;
}

// -E(v, h) = -visible_term(v) + v^T W h + b^T h in double.
double neg_energy(const Model& m, const std::vector<double>& v, const std::vector<double>& h) {
  double s = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    const double r = v[i] - m.a[ii];
    s += m.visible_units == kGauss ? -0.5 * r * r : m.a[ii] * v[i];
    for (std::size_t j = 0; j < h.size(); ++j) s += v[i] * m.W(ii, static_cast<Eigen::Index>(j)) * h[j];
  }
  for (std::size_t j = 0; j < h.size(); ++j) s += m.b[static_cast<Eigen::Index>(j)] * h[j];
  return s;
}

// -F(v) = log sum_h exp(-E(v, h)) by enumerating h.
double brute_neg_free_energy(const Model& m, const std::vector<double>& v) {
  double s = -INFINITY;
  for_each_state(m.hidden_units, m.n_hidden(), [&](const std::vector<double>& h) { s = test::log_add(s, neg_energy(m, v, h)); });
  return s;
}

// log Z of a binary-visible model: exp(-E) summed over both layers (2^d 3^H terms).
double brute_log_z_binary(const Model& m) {
  double z = -INFINITY;
  for_each_state(kBern, m.n_visible(), [&](const std::vector<double>& v) { z = test::log_add(z, brute_neg_free_energy(m, v)); });
  return z;
}

std::vector<double> row_of(const Matrix& X, Eigen::Index r) {
  return std::vector<double>(X.row(r).data(), X.row(r).data() + X.cols());
}

// The centre a + W h of the Gaussian that hidden state h selects, in double.
VectorXd centre(const Model& m, const std::vector<double>& h) {
  VectorXd c = m.a.cast<double>();
  for (std::size_t j = 0; j < h.size(); ++j) c += h[j] * m.W.col(static_cast<Eigen::Index>(j)).cast<double>();
  return c;
}

// log Z of a Gaussian-visible model, the integral over v done analytically term by term:
//   (d/2) log(2 pi) + log sum_h exp(b^T h + (|a + W h|^2 - |a|^2) / 2).
double analytic_log_z_gaussian(const Model& m) {
  const double a2 = m.a.cast<double>().squaredNorm();
  double s = -INFINITY;
  for_each_state(m.hidden_units, m.n_hidden(), [&](const std::vector<double>& h) {
    double bh = 0.0;
    for (std::size_t j = 0; j < h.size(); ++j) bh += m.b[static_cast<Eigen::Index>(j)] * h[j];
    s = test::log_add(s, bh + 0.5 * (centre(m, h).squaredNorm() - a2));
  });
  return 0.5 * static_cast<double>(m.n_visible()) * kLog2Pi + s;
}

// log Z of a Gaussian-visible model with d = 1 or 2 by numerical quadrature of
// sum_h ∫ exp(-E(v, h)) dv: the rule step^d sum_k exp(-E(v_k, h)) on the grid with spacing
// `step` that covers [min_h c_h - reach, max_h c_h + reach] in each dimension (c_h = a + W h).
double quadrature_log_z(const Model& m, double step, double reach) {
  const std::size_t d = m.n_visible();
  VectorXd lo = VectorXd::Constant(static_cast<Eigen::Index>(d), INFINITY), hi = -lo;
  for_each_state(m.hidden_units, m.n_hidden(), [&](const std::vector<double>& h) {
    const VectorXd c = centre(m, h);
    lo = lo.cwiseMin(c);
    hi = hi.cwiseMax(c);
  });
  std::vector<std::vector<double>> axes(d);
  for (std::size_t i = 0; i < d; ++i)
    for (double x = lo[static_cast<Eigen::Index>(i)] - reach; x <= hi[static_cast<Eigen::Index>(i)] + reach; x += step)
      axes[i].push_back(x);
  double s = -INFINITY;
  std::vector<double> v(d);
  const std::size_t n1 = axes[0].size(), n2 = d == 2 ? axes[1].size() : 1;
  for (std::size_t k1 = 0; k1 < n1; ++k1)
    for (std::size_t k2 = 0; k2 < n2; ++k2) {
      v[0] = axes[0][k1];
      if (d == 2) v[1] = axes[1][k2];
      s = test::log_add(s, brute_neg_free_energy(m, v));
    }
  return s + static_cast<double>(d) * std::log(step);
}

// n exact samples of v: h from its marginal (enumerated),
//   log p(h) = b^T h + sum_i softplus(a_i + W_i . h)        (Bernoulli visible),
//   log p(h) = b^T h + (|a + W h|^2 - |a|^2) / 2            (Gaussian visible), up to log Z,
// then v ~ p(v | h): Bernoulli(sigm(a + W h)) or N(a + W h, I).
Matrix exact_samples(const Model& m, std::size_t n, std::uint64_t seed) {
  std::vector<std::vector<double>> states;
  std::vector<double> log_p;
  const double a2 = m.a.cast<double>().squaredNorm();
  for_each_state(m.hidden_units, m.n_hidden(), [&](const std::vector<double>& h) {
    const VectorXd c = centre(m, h);
    double s = 0.0;
    for (std::size_t j = 0; j < h.size(); ++j) s += m.b[static_cast<Eigen::Index>(j)] * h[j];
    if (m.visible_units == kGauss)
      s += 0.5 * (c.squaredNorm() - a2);
    else
      for (Eigen::Index i = 0; i < c.size(); ++i) s += softplus(c[i]);
    states.push_back(h);
    log_p.push_back(s);
  });
  const double top = *std::max_element(log_p.begin(), log_p.end());
  std::vector<double> cdf(log_p.size());
  double total = 0.0;
  for (std::size_t k = 0; k < log_p.size(); ++k) cdf[k] = total += std::exp(log_p[k] - top);
  RandomStream rng(seed, 99);
  Matrix X(static_cast<Eigen::Index>(n), m.W.rows());
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    const auto k = static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), rng.uniform_double() * total) - cdf.begin());
    const VectorXd c = centre(m, states[std::min(k, states.size() - 1)]);
    for (Eigen::Index i = 0; i < X.cols(); ++i)
      X(r, i) = static_cast<float>(m.visible_units == kGauss ? c[i] + rng.normal()
                                                             : (rng.uniform_double() < test::sigm(c[i]) ? 1.0 : 0.0));
  }
  return X;
}

Matrix random_binary(std::size_t n, std::size_t d, std::uint64_t seed) {
  RandomStream rng(seed, 5);
  Matrix X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  for (Eigen::Index k = 0; k < X.size(); ++k) X.data()[k] = rng.uniform_double() < 0.4 ? 1.0f : 0.0f;
  return X;
}

Matrix random_normal(std::size_t n, std::size_t d, double scale, std::uint64_t seed) {
  RandomStream rng(seed, 6);
  Matrix X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  for (Eigen::Index k = 0; k < X.size(); ++k) X.data()[k] = static_cast<float>(scale * rng.normal());
  return X;
}

double ternary_log_partition(double s) { return std::log(1.0 + 2.0 * std::cosh(s)); }

// ---- kernels ------------------------------------------------------------------------------

// The bounds of softplus_sums.hpp: 70 u |e| per term for |e| <= 1, u (2 |t| + 2 |t + e| + 6)
// beyond. Large t (up to 60) checks that no exponential overflows.
TEST(TernaryKernels, DeltaSumMatchesDoubleWithinItsErrorBound) {
  RandomStream rng(13, 1);
  for (const double t_scale : {1.0, 8.0, 60.0}) {
    for (const double scale : {0.001, 0.1, 1.0, 30.0}) {
      for (const std::size_t n : {1u, 15u, 16u, 100u, 785u}) {
        std::vector<float> t(n), x(n);
        for (std::size_t j = 0; j < n; ++j) {
          t[j] = static_cast<float>(t_scale * rng.normal());
          x[j] = static_cast<float>(scale * rng.normal());
        }
        for (const float delta : {0.7f, -0.7f, 1e-4f}) {
          double expected = 0.0, bound = 0.0;
          for (std::size_t j = 0; j < n; ++j) {
            const double e = static_cast<double>(delta) * x[j];
            // In long double, scaled by exp(-big) against overflow at |t| = 200:
            // log((1 + 2 cosh(t + e)) / (1 + 2 cosh t)) directly, and as
            // log1p((e^t expm1(e) + e^-t expm1(-e)) / (1 + e^t + e^-t)), which keeps its relative
            // precision for tiny e (and loses it for large |e|, where 1 + z is tiny); the two
            // agree where both are accurate.
            const long double tt = t[j], ee = e, big = std::max(std::fabs(tt), std::fabs(tt + ee));
            const long double up = std::exp(tt - big), down = std::exp(-tt - big), one = std::exp(-big);
            const long double direct = std::log(one + std::exp(tt + ee - big) + std::exp(-tt - ee - big)) - std::log(one + up + down);
            const long double ratio = std::log1p((up * std::expm1(ee) + down * std::expm1(-ee)) / (one + up + down));
            if (std::fabs(e) > 0.01 && std::fabs(e) <= 1.0) {
              ASSERT_NEAR(static_cast<double>(direct), static_cast<double>(ratio), 1e-15);
            }
            expected += static_cast<double>(std::fabs(e) <= 1.0 ? ratio : direct);
            bound += std::fabs(e) <= 1.0 ? 70.0 * u * std::fabs(e) : u * (2 * std::fabs(t[j]) + 2 * std::fabs(t[j] + e) + 6);
          }
          EXPECT_NEAR(ternary_delta_sum(t.data(), x.data(), delta, n), expected, bound + 1e-300)
              << "n " << n << " scale " << scale << " t " << t_scale << " delta " << delta;
        }
      }
    }
  }
}

// u (5 m + 3 sum |x|) (softplus_sums.hpp).
TEST(TernaryKernels, SumOffsetMatchesDoubleWithinItsErrorBound) {
  RandomStream rng(14, 1);
  for (const double scale : {0.1, 3.0, 100.0}) {
    for (const std::size_t m : {1u, 16u, 17u, 784u, 1100u}) {
      std::vector<float> base(m), offset(m);
      double expected = 0.0, bound = 5.0 * u * static_cast<double>(m);
      for (std::size_t i = 0; i < m; ++i) {
        base[i] = static_cast<float>(scale * rng.normal());
        offset[i] = static_cast<float>(scale * rng.normal());
        const double x = static_cast<double>(base[i]) + offset[i];
        expected += std::fabs(x) + std::log1p(std::exp(-std::fabs(x)) + std::exp(-2 * std::fabs(x)));
        bound += 3.0 * u * std::fabs(x);
      }
      EXPECT_NEAR(ternary_sum_offset(base.data(), offset.data(), m), expected, bound) << "m " << m << " scale " << scale;
    }
  }
}

// ---- exact log Z: ternary hidden units ------------------------------------------------------

// Shapes whose smaller side is the hidden one (3^H < 2^d) and the visible one (2^d < 3^H).
struct Shape {
  std::size_t d, H;
  EnumeratedLayer side;
};
const Shape kTernaryShapes[] = {{8, 3, EnumeratedLayer::Hidden}, {5, 3, EnumeratedLayer::Hidden},
                                {10, 6, EnumeratedLayer::Hidden}, {6, 4, EnumeratedLayer::Visible},
                                {4, 6, EnumeratedLayer::Visible}, {2, 7, EnumeratedLayer::Visible}};

// The double path to 1e-9 relative, both sides, weights from small to large enough that
// exp(-E) overflows double (std 30: |E| in the hundreds to thousands).
TEST(LikelihoodUnits, TernaryExactLogZEqualsBruteForceOnBothSides) {
  for (const double w_std : {0.1, 1.0, 30.0}) {
    for (const auto& s : kTernaryShapes) {
      const Model m = with_units(test::random_model(s.d, s.H, w_std, 1.0, s.d * 10 + s.H), kBern, kTern);
      const EnumerationPlan plan = enumeration_plan(m);
      EXPECT_EQ(plan.layer, s.side) << s.d << "x" << s.H;
      EXPECT_EQ(plan.radix, plan.layer == EnumeratedLayer::Hidden ? 3u : 2u);
      const double brute = brute_log_z_binary(m);
      EXPECT_NEAR(log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Double), brute,
                  1e-9 * std::max(1.0, std::fabs(brute)))
          << s.d << "x" << s.H << " std " << w_std;
    }
  }
}

TEST(LikelihoodUnits, TernaryExactLogZSurvivesHugeWeights) {
  for (const auto& s : {Shape{6, 3, EnumeratedLayer::Hidden}, Shape{3, 5, EnumeratedLayer::Visible}}) {
    Model m = with_units(test::random_model(s.d, s.H, 1.0, 0.0, 2), kBern, kTern);
    m.W *= 1000.0f;
    const double brute = brute_log_z_binary(m);
    ASSERT_TRUE(std::isfinite(brute));
    EXPECT_NEAR(log_partition_exact(m), brute, 1e-9 * std::fabs(brute)) << s.d << "x" << s.H;
  }
}

// The float path's bound on each term's error (evaluation/exact.hpp): u (5 m + 3 sum_i |x_i|), with
// |x_i| <= |e_i| + sum_j |M_ij| |z_j| over the summed layer i (m units) and the enumerated
// one j (|z_j| <= 1 for both unit types).
double float_path_bound(const Model& m) {
  const bool hidden_enumerated = enumeration_plan(m).layer == EnumeratedLayer::Hidden;
  const Eigen::ArrayXd e = (hidden_enumerated ? m.a : m.b).cast<double>().array().abs();
  const Eigen::ArrayXd w = hidden_enumerated ? Eigen::ArrayXd(m.W.cast<double>().cwiseAbs().rowwise().sum())
                                             : Eigen::ArrayXd(m.W.cast<double>().cwiseAbs().colwise().sum().transpose());
  return u * (5.0 * static_cast<double>(e.size()) + 3.0 * (e + w).sum());
}

TEST(LikelihoodUnits, TernaryFloatPathEqualsBruteForceAndTheDoublePath) {
  for (const double w_std : {0.1, 1.0, 30.0}) {
    for (const auto& s : kTernaryShapes) {
      const Model m = with_units(test::random_model(s.d, s.H, w_std, 1.0, s.d * 10 + s.H), kBern, kTern);
      EXPECT_NEAR(log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Float), brute_log_z_binary(m),
                  float_path_bound(m))
          << s.d << "x" << s.H << " std " << w_std;
    }
  }
  // 784 x 8 (hidden side: 3^8 terms, 27 blocks of 243) and 11 x 300 (visible side: 2^11 terms).
  for (const auto& s : {Shape{784, 8, EnumeratedLayer::Hidden}, Shape{11, 300, EnumeratedLayer::Visible}}) {
    const Model m = with_units(test::random_model(s.d, s.H, 0.1, 1.0, 7), kBern, kTern);
    ASSERT_EQ(enumeration_plan(m).layer, s.side);
    const double reference = log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Double);
    const double fast = log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Float);
    EXPECT_NEAR(fast, reference, float_path_bound(m)) << s.d << "x" << s.H;
    EXPECT_NEAR(fast, reference, 1e-6 * std::fabs(reference)) << s.d << "x" << s.H;
  }
}

// log p(v) = -F(v) - log Z with F from enumerating h, log Z from both layers.
TEST(LikelihoodUnits, TernaryMeanLogLikelihoodAndFreeEnergyMatchBruteForce) {
  const Model m = with_units(test::random_model(7, 4, 1.0, 0.5, 9), kBern, kTern);
  const Matrix X = random_binary(12, 7, 3);
  const double log_z = brute_log_z_binary(m);
  double expected = 0.0, mean_f = 0.0;
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    const double neg_f = brute_neg_free_energy(m, row_of(X, r));
    EXPECT_NEAR(free_energy_exact(m, X.row(r).data()), -neg_f, 1e-12 * std::max(1.0, std::fabs(neg_f)));
    expected += neg_f - log_z;
    mean_f -= neg_f;
  }
  expected /= static_cast<double>(X.rows());
  mean_f /= static_cast<double>(X.rows());
  EXPECT_NEAR(mean_log_likelihood(m, X, log_partition_exact(m)), expected, 1e-9 * std::fabs(expected));
  EXPECT_NEAR(mean_free_energy(m, X), mean_f, 1e-10 * std::max(1.0, std::fabs(mean_f)));
}

// W = 0: the layers are independent, log Z = sum_i softplus(a_i) + sum_j log(1 + 2 cosh b_j).
TEST(LikelihoodUnits, TernaryZeroWeightsGiveTheIndependentFormula) {
  for (const auto& s : {Shape{9, 4, EnumeratedLayer::Hidden}, Shape{3, 8, EnumeratedLayer::Visible}}) {
    const Model m = with_units(test::random_model(s.d, s.H, 0.0, 1.5, 6), kBern, kTern);
    double expected = 0.0;
    for (Eigen::Index i = 0; i < m.a.size(); ++i) expected += softplus(static_cast<double>(m.a[i]));
    for (Eigen::Index j = 0; j < m.b.size(); ++j) expected += ternary_log_partition(m.b[j]);
    EXPECT_NEAR(log_partition_exact(m), expected, 1e-12 * std::fabs(expected));
  }
}

// ---- exact log Z: Gaussian visible units ----------------------------------------------------

// Against the analytic integral summed term by term over h (computed here from |a + W h|^2
// directly), for both hidden unit types, to 1e-9 relative, including weights (std 30) for
// which exp of the terms overflows double.
TEST(LikelihoodUnits, GaussianExactLogZEqualsTheAnalyticSumOverHiddenStates) {
  const std::size_t shapes[][2] = {{1, 1}, {1, 5}, {2, 4}, {5, 7}, {20, 8}, {50, 3}, {3, 13}};
  for (const UnitType hidden : {kBern, kTern}) {
    for (const double w_std : {0.1, 1.0, 30.0}) {
      for (const auto& s : shapes) {
        if (hidden == kTern && s[1] > 9) continue;
        const Model m = with_units(test::random_model(s[0], s[1], w_std, 1.0, s[0] * 100 + s[1]), kGauss, hidden);
        const EnumerationPlan plan = enumeration_plan(m);
        EXPECT_EQ(plan.layer, EnumeratedLayer::Hidden);
        EXPECT_EQ(plan.radix, hidden == kTern ? 3u : 2u);
        const double expected = analytic_log_z_gaussian(m);
        EXPECT_NEAR(log_partition_exact(m), expected, 1e-9 * std::max(1.0, std::fabs(expected)))
            << to_string(hidden) << " " << s[0] << "x" << s[1] << " std " << w_std;
      }
    }
  }
}

// Against numerical quadrature of sum_h ∫ exp(-E(v, h)) dv in 1-D and 2-D. Each term is a
// unit-variance Gaussian in v times a constant; for such an integrand the rule
// step sum_k f(x_0 + k step) over the whole line equals the integral times
// 1 + 2 sum_{n>=1} exp(-2 pi^2 n^2 / step^2) cos(...) (Poisson summation), a relative error
// below eps(step) = 2.01 exp(-2 pi^2 / step^2) per dimension; truncating the grid 9 standard
// deviations beyond the outermost centre drops a mass below erfc(9 / sqrt 2) < 1e-18. So the
// quadrature's log Z is within d eps(step) + 1e-18 of the truth (eps(1) = 5.4e-9,
// eps(0.5) = 1e-34), plus double rounding of the sums (below 1e-12 relative here).
TEST(LikelihoodUnits, GaussianExactLogZEqualsQuadratureIn1DAnd2D) {
  const auto eps = [](double step) { return 2.01 * std::exp(-2.0 * std::numbers::pi * std::numbers::pi / (step * step)); };
  for (const UnitType hidden : {kBern, kTern}) {
    for (const std::size_t d : {1u, 2u}) {
      for (const double step : {1.0, 0.5}) {
        const Model m = with_units(test::random_model(d, 3, 0.8, 1.0, 40 + d), kGauss, hidden);
        const double exact = log_partition_exact(m);
        const double quad = quadrature_log_z(m, step, 9.0);
        const double tol = static_cast<double>(d) * eps(step) + 1e-18 + 1e-12 * std::max(1.0, std::fabs(exact));
        EXPECT_NEAR(exact, quad, tol) << to_string(hidden) << " d " << d << " step " << step;
      }
    }
  }
}

// log p(x) = -F(x) - log Z with F(x) = -log sum_h exp(-E(x, h)) by enumeration, for real x.
TEST(LikelihoodUnits, GaussianMeanLogLikelihoodAndFreeEnergyMatchBruteForce) {
  for (const UnitType hidden : {kBern, kTern}) {
    const Model m = with_units(test::random_model(6, 5, 0.7, 0.8, 19), kGauss, hidden);
    const Matrix X = random_normal(15, 6, 1.5, 4);
    const double log_z = analytic_log_z_gaussian(m);
    double expected = 0.0, mean_f = 0.0;
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
      const double neg_f = brute_neg_free_energy(m, row_of(X, r));
      EXPECT_NEAR(free_energy_exact(m, X.row(r).data()), -neg_f, 1e-12 * std::max(1.0, std::fabs(neg_f)));
      expected += neg_f - log_z;
      mean_f -= neg_f;
    }
    expected /= static_cast<double>(X.rows());
    mean_f /= static_cast<double>(X.rows());
    EXPECT_NEAR(mean_log_likelihood(m, X, log_partition_exact(m)), expected, 1e-9 * std::fabs(expected))
        << to_string(hidden);
    EXPECT_NEAR(mean_free_energy(m, X), mean_f, 1e-10 * std::max(1.0, std::fabs(mean_f))) << to_string(hidden);
  }
}

// W = 0: v ~ N(a, I) independent of h: log Z = (d/2) log(2 pi) + sum_j hp(b_j).
TEST(LikelihoodUnits, GaussianZeroWeightsGiveTheIndependentFormula) {
  for (const UnitType hidden : {kBern, kTern}) {
    const Model m = with_units(test::random_model(9, 6, 0.0, 1.5, 8), kGauss, hidden);
    double expected = 4.5 * kLog2Pi;
    for (Eigen::Index j = 0; j < m.b.size(); ++j)
      expected += hidden == kTern ? ternary_log_partition(m.b[j]) : softplus(static_cast<double>(m.b[j]));
    EXPECT_NEAR(log_partition_exact(m), expected, 1e-12 * std::fabs(expected)) << to_string(hidden);
  }
}

// ---- enumeration plans, the cap and the quick-enumeration rule --------------------------------

TEST(LikelihoodUnits, CapCountsTermsAndNamesThemInTheMessage) {
  const Model ternary = with_units(test::random_model(784, 25, 0.01, 0.1, 1), kBern, kTern);
  try {
    log_partition_exact(ternary);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("3^25 = 847288609443 terms"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("4294967296"));
  }
  const Model gaussian = with_units(test::random_model(5, 40, 0.01, 0.1, 1), kGauss, kBern);
  try {
    log_partition_exact(gaussian);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("2^40 = 1099511627776 terms"));
  }
  // 3^12 = 531441 terms: over a cap of 500000, under one of 531441.
  const Model small = with_units(test::random_model(30, 12, 0.01, 0.1, 1), kBern, kTern);
  EXPECT_THROW(log_partition_exact(small, 500000), InvalidArgument);
  EXPECT_NO_THROW(log_partition_exact(small, 531441));
  Model bad = small;
  bad.hidden_units = kGauss;
  EXPECT_THROW(enumeration_plan(bad), InvalidArgument);
  bad = small;
  bad.visible_units = kTern;
  EXPECT_THROW(log_partition_exact(bad), InvalidArgument);
}

TEST(LikelihoodUnits, PlansDescribeTheirTermsAndQuickEnumerationCountsTerms) {
  EXPECT_EQ(enumeration_plan(with_units(test::random_model(784, 12, 0.0, 0.0, 1), kBern, kTern)).describe(),
            "3^12 = 531441 hidden states");
  EXPECT_EQ(enumeration_plan(with_units(test::random_model(10, 12, 0.0, 0.0, 1), kBern, kTern)).describe(),
            "2^10 = 1024 visible states");
  EXPECT_EQ(enumeration_plan(test::random_model(784, 30, 0.0, 0.0, 1)).describe(), "2^30 = 1073741824 hidden states");
  EXPECT_EQ(enumeration_plan(with_units(test::random_model(784, 500, 0.0, 0.0, 1), kBern, kTern)).describe(),
            "2^784 = about 1.02e+236 visible states");
  // 2^25 terms at most: H <= 25 binary, H <= 15 ternary (3^15 = 14348907, 3^16 = 43046721).
  const auto practical = [](std::size_t d, std::size_t H, UnitType v, UnitType h) {
    return exact_is_practical(with_units(test::random_model(d, H, 0.0, 0.0, 1), v, h));
  };
  EXPECT_TRUE(practical(784, 25, kBern, kBern));
  EXPECT_FALSE(practical(784, 26, kBern, kBern));
  EXPECT_TRUE(practical(784, 15, kBern, kTern));
  EXPECT_FALSE(practical(784, 16, kBern, kTern));
  EXPECT_TRUE(practical(20, 40, kBern, kTern));  // 2^20 visible states
  EXPECT_TRUE(practical(784, 25, kGauss, kBern));
  EXPECT_FALSE(practical(3, 26, kGauss, kBern));  // no visible side to fall back on
  EXPECT_TRUE(practical(784, 15, kGauss, kTern));
  EXPECT_FALSE(practical(784, 16, kGauss, kTern));
}

// ---- pseudo-likelihood ------------------------------------------------------------------------

// sum_i log p(x_i | x_-i), p(x_i | x_-i) = p(x) / (p(x) + p(x~i)), with p(x) ∝ exp(-F(x)) by
// enumerating h. The float kernel's error per conditional is below the ternary_delta_sum bound
// over its H terms plus the effect of rounding t_j to float (at most u |t_j| |W_ij| max |g''|,
// max |g''| = 2/3 < 1), |t_j| <= |b_j| + sum_i |W_ij|, plus double rounding.
TEST(LikelihoodUnits, TernaryPllEqualsBruteForce) {
  const Model m = with_units(test::random_model(9, 5, 1.0, 1.0, 31), kBern, kTern);
  const Matrix X = random_binary(6, 9, 8);
  const Eigen::VectorXd pll = pseudo_log_likelihood(m, X, PllMethod::Exact, 0);
  const Eigen::ArrayXd t_max = m.b.cast<double>().cwiseAbs().array() + m.W.cast<double>().cwiseAbs().colwise().sum().transpose().array();
  double bound = 1e-12;
  for (Eigen::Index i = 0; i < 9; ++i)
    for (Eigen::Index j = 0; j < 5; ++j)
      bound += std::fabs(m.W(i, j)) <= 1.0 ? u * std::fabs(m.W(i, j)) * (70.0 + t_max[j])
                                           : u * (4.0 * t_max[j] + 2.0 * std::fabs(m.W(i, j)) + 6.0);
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    std::vector<double> x = row_of(X, r);
    const double lx = brute_neg_free_energy(m, x);
    double expected = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = 1.0 - x[i];
      const double lf = brute_neg_free_energy(m, x);
      x[i] = 1.0 - x[i];
      expected += lx - test::log_add(lx, lf);
    }
    EXPECT_NEAR(pll[r], expected, bound) << "row " << r;
  }
}

TEST(LikelihoodUnits, PllIsRefusedForGaussianVisibleUnitsWithTheReason) {
  const Model m = with_units(test::random_model(4, 3, 1.0, 1.0, 31), kGauss, kBern);
  EXPECT_THAT(pll_unsupported_reason(m), ::testing::HasSubstr("binary visible units only"));
  EXPECT_THROW(pseudo_log_likelihood(m, random_normal(3, 4, 1.0, 1), PllMethod::Exact, 0), InvalidArgument);
  EXPECT_EQ(pll_unsupported_reason(with_units(m, kBern, kTern)), "");
}

// ---- AIS and RAISE ----------------------------------------------------------------------------

// With W = 0 and the base model's visible parameter equal to a, the visible part of every
// log-weight increment is exactly 0 and the hidden part is the same for every chain: each
// log-weight is sum_j hp(b_j) - H log r up to the kernels' errors, summed over the steps:
// sum_j 6 u |b_j| (softplus) or 70 u |b_j| (ternary; softplus_sums.hpp). log Z is then the
// independent formula: sum_i softplus(a_i) + sum_j hp(b_j) for Bernoulli visible units,
// (d/2) log(2 pi) + sum_j hp(b_j) for Gaussian ones, and RAISE's log p(v) is the independent
// log-likelihood a^T v - sum_i softplus(a_i) or log N(v; a, I).
TEST(AisUnits, ZeroWeightsGiveTheIndependentFormulaForEveryCombination) {
  for (const UnitType visible : {kBern, kGauss}) {
    for (const UnitType hidden : {kBern, kTern}) {
      const Model m = with_units(test::random_model(20, 9, 0.0, 2.0, 8), visible, hidden);
      const double r = hidden == kTern ? 3.0 : 2.0;
      double hidden_sum = 0.0, visible_sum = visible == kGauss ? 10.0 * kLog2Pi : 0.0;
      for (Eigen::Index j = 0; j < 9; ++j)
        hidden_sum += hidden == kTern ? ternary_log_partition(m.b[j]) : softplus(static_cast<double>(m.b[j]));
      if (visible == kBern)
        for (Eigen::Index i = 0; i < 20; ++i) visible_sum += softplus(static_cast<double>(m.a[i]));
      const double expected = visible_sum + hidden_sum;
      const double bound = (hidden == kTern ? 70.0 : 6.0) * u * m.b.cast<double>().cwiseAbs().sum() + 1e-12 * std::fabs(expected);
      const std::string what = to_string(visible) + "-" + to_string(hidden);
      EXPECT_NEAR(log_partition_exact(m), expected, 1e-12 * std::fabs(expected)) << what;
      const AisResult ais = ais_log_partition(m, m.a, {7, 1000, 3});
      EXPECT_NEAR(ais.log_z_base, visible_sum + 9.0 * std::log(r), 1e-12 * std::fabs(expected)) << what;
      for (const double w : ais.log_weights) EXPECT_NEAR(w, hidden_sum - 9.0 * std::log(r), bound) << what;
      EXPECT_NEAR(ais.log_z, expected, bound) << what;
      const Matrix X = visible == kGauss ? random_normal(5, 20, 2.0, 9) : random_binary(5, 20, 9);
      const RaiseResult raise = raise_log_likelihood(m, X, m.a, 200, 3);
      double independent = 0.0;
      for (Eigen::Index k = 0; k < X.rows(); ++k)
        for (Eigen::Index i = 0; i < 20; ++i) {
          const double x = X(k, i), a = m.a[i];
          independent += visible == kGauss ? -0.5 * kLog2Pi - 0.5 * (x - a) * (x - a) : a * x - softplus(a);
        }
      independent /= static_cast<double>(X.rows());
      for (const double z : raise.log_z) EXPECT_NEAR(z, expected, bound) << what;
      EXPECT_NEAR(raise.mean_log_p, independent, bound + 1e-12 * std::fabs(independent)) << what;
    }
  }
}

// MNIST-shaped Bernoulli visible units (28 x 28, biases the logits of a blob of pixel
// probabilities from 0.002 at the border to 0.45 in the middle), ternary hidden units.
Model mnist_shaped_ternary(std::size_t H, std::uint64_t seed) {
  Model m = with_units(test::random_model(784, H, 0.05, 0.0, seed), kBern, kTern);
  for (Eigen::Index i = 0; i < 784; ++i) {
    const double r = static_cast<double>(i / 28) - 13.5, c = static_cast<double>(i % 28) - 13.5;
    const double p = 0.002 + 0.45 * std::exp(-(r * r + c * c) / 72.0);
    m.a[i] = static_cast<float>(std::log(p / (1.0 - p)));
  }
  RandomStream rng(seed, 77);
  for (Eigen::Index j = 0; j < m.b.size(); ++j) m.b[j] = static_cast<float>(-1.0 + 0.5 * rng.normal());
  return m;
}

// Gaussian visible units: a ~ N(0, 1), W ~ N(0, 0.25^2) (each hidden unit moves the mean by
// about 0.25 sqrt(d), 1.4 to 1.8 standard deviations at d = 30..50), b ~ N(0, 1).
Model gaussian_model(std::size_t d, std::size_t H, UnitType hidden, std::uint64_t seed) {
  Model m = with_units(test::random_model(d, H, 0.25, 1.0, seed), kGauss, hidden);
  return m;
}

struct Case {
  const char* name;
  Model model;
};

// AIS with the default schedule (14,500 betas) and 100 chains: the exact log Z must lie inside
// its own +-3 sigma band and within 5 of its standard errors (+0.01 for the small downward bias
// of log mean w), the standard error itself below 0.03 (measured over seeds 1-3: about 0.010
// for the ternary model, 0.003 to 0.004 for the Gaussian ones, with errors up to 0.019 and
// 0.006). RAISE on 100 exact samples from the model: its implied log Z within 5 standard errors
// (+0.01) of the exact one and not below it by more than 3 (conservative on data drawn from
// the model; measured standard errors 0.011 to 0.012 and 0.003 to 0.004). A wrong base log Z_A
// or a wrong log-weight increment shifts log Z by far more (H log 1.5 = 4 nats for a ternary
// hidden layer counted as binary; (|a|^2 - |a_A|^2) / 2 for a dropped Gaussian constant).
// The base model comes from 300 exact samples (base rate, or the data mean for Gaussian units).
// (The sanitizer build anneals a quarter as long, with the standard-error limits scaled to match.)
TEST(AisUnits, AisAndRaiseMatchExactLogZForEveryCombination) {
  const std::size_t betas = test::ais_test_betas(kDefaultBetas);
  const double scale = test::ais_tolerance_scale(kDefaultBetas);
  const Case cases[] = {{"bernoulli-ternary 784x10", mnist_shaped_ternary(10, 51)},
                        {"gaussian-bernoulli 50x10", gaussian_model(50, 10, kBern, 52)},
                        {"gaussian-ternary 30x8", gaussian_model(30, 8, kTern, 53)}};
  for (const Case& c : cases) {
    const Model& m = c.model;
    const double exact = log_partition_exact(m);
    const Matrix X = exact_samples(m, 300, 11);
    const Vector base = base_model_biases(m.visible_units, X);
    const AisResult ais = ais_log_partition(m, base, {100, betas, 1});
    EXPECT_NEAR(ais.log_z, exact, 5.0 * ais.log_z_std_error + 0.01) << c.name;
    EXPECT_LE(ais.log_z_lower, exact) << c.name;
    EXPECT_GE(ais.log_z_upper, exact) << c.name;
    EXPECT_LT(ais.log_z_std_error, 0.03 * scale) << c.name;
    const RaiseResult raise = raise_log_likelihood(m, X.topRows(100), base, betas, 1);
    EXPECT_NEAR(raise.mean_log_z, exact, 5.0 * raise.log_z_std_error + 0.01) << c.name;
    EXPECT_LT(raise.log_z_std_error, 0.03 * scale) << c.name;
    EXPECT_GE(raise.mean_log_z, exact - 3.0 * raise.log_z_std_error) << c.name;
  }
}

// Tiny models with strong weights (far from independent units), against brute force over both
// layers or the analytic sum: AIS with 2,000 betas and 400 chains within 4 of its own standard
// errors (+0.01 for the small downward bias of log mean w).
TEST(AisUnits, MatchesGroundTruthOnTinyModelsWithStrongWeights) {
  const Model ternary = with_units(test::random_model(10, 6, 1.5, 1.0, 22), kBern, kTern);
  const Model gauss_b = with_units(test::random_model(3, 8, 1.0, 1.0, 23), kGauss, kBern);
  const Model gauss_t = with_units(test::random_model(3, 6, 1.0, 1.0, 24), kGauss, kTern);
  const std::pair<const Model*, double> cases[] = {{&ternary, brute_log_z_binary(ternary)},
                                                   {&gauss_b, analytic_log_z_gaussian(gauss_b)},
                                                   {&gauss_t, analytic_log_z_gaussian(gauss_t)}};
  for (const auto& [m, truth] : cases) {
    const Matrix X = exact_samples(*m, 300, 9);
    const AisResult ais = ais_log_partition(*m, base_model_biases(m->visible_units, X), {400, 2000, 5});
    EXPECT_NEAR(ais.log_z, truth, 4.0 * ais.log_z_std_error + 0.01)
        << to_string(m->visible_units) << "-" << to_string(m->hidden_units);
    EXPECT_GT(ais.log_z_std_error, 0.0);
  }
}

// RAISE on a tiny model of each new combination: with a long schedule its mean log p^ is close
// to the exact mean log-likelihood; with 3 betas (a poor annealing model) clearly below it.
TEST(AisUnits, RaiseIsConservativeAndConvergesForEveryCombination) {
  const Model ternary = with_units(test::random_model(10, 5, 1.0, 0.5, 25), kBern, kTern);
  const Model gauss = with_units(test::random_model(4, 6, 0.8, 1.0, 26), kGauss, kTern);
  for (const Model* m : {&ternary, &gauss}) {
    const Matrix X = exact_samples(*m, 400, 7);
    const double log_z = m->visible_units == kGauss ? analytic_log_z_gaussian(*m) : brute_log_z_binary(*m);
    double exact = 0.0;
    for (Eigen::Index r = 0; r < X.rows(); ++r) exact += brute_neg_free_energy(*m, row_of(X, r)) - log_z;
    exact /= static_cast<double>(X.rows());
    const Vector base = base_model_biases(m->visible_units, X);
    const RaiseResult good = raise_log_likelihood(*m, X, base, 2000, 1);
    EXPECT_NEAR(good.mean_log_p, exact, 4.0 * good.log_z_std_error + 0.01) << to_string(m->visible_units);
    const RaiseResult poor = raise_log_likelihood(*m, X, base, 3, 1);
    EXPECT_LT(poor.mean_log_p + 3.0 * poor.log_z_std_error, exact) << to_string(m->visible_units);
  }
}

TEST(AisUnits, ResultsDoNotDependOnTheThreadCount) {
  for (const Model& m : {with_units(test::random_model(40, 12, 0.3, 0.5, 13), kBern, kTern),
                         with_units(test::random_model(20, 12, 0.3, 0.5, 14), kGauss, kTern),
                         with_units(test::random_model(20, 12, 0.3, 0.5, 15), kGauss, kBern)}) {
    const Matrix X = exact_samples(m, 60, 6);
    const Vector base = base_model_biases(m.visible_units, X);
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const AisResult one = ais_log_partition(m, base, {60, 100, 2});
    const RaiseResult raise_one = raise_log_likelihood(m, X, base, 100, 2);
    omp_set_num_threads(3);
    const AisResult three = ais_log_partition(m, base, {60, 100, 2});
    const RaiseResult raise_three = raise_log_likelihood(m, X, base, 100, 2);
    omp_set_num_threads(threads);
    EXPECT_EQ(one.log_weights, three.log_weights);
    EXPECT_EQ(raise_one.log_p, raise_three.log_p);
    EXPECT_NE(one.log_weights, ais_log_partition(m, base, {60, 100, 3}).log_weights);
  }
}

TEST(AisUnits, BaseModelsAndTheirLogPartitions) {
  Matrix X(4, 2);
  X << 1.0f, -2.0f, 3.0f, 0.5f, -1.0f, 0.5f, 1.0f, 5.0f;
  const Vector mean = base_model_biases(kGauss, X);
  EXPECT_FLOAT_EQ(mean[0], 1.0f);
  EXPECT_FLOAT_EQ(mean[1], 1.0f);
  EXPECT_THROW(base_model_biases(kGauss, Matrix(0, 2)), DataError);
  EXPECT_THROW(base_model_biases(kTern, X), InvalidArgument);
  const Vector a = Vector::Constant(3, 0.5f);
  EXPECT_NEAR(base_log_partition(a, 4, kBern, kTern), 3.0 * softplus(0.5) + 4.0 * std::log(3.0), 1e-12);
  EXPECT_NEAR(base_log_partition(a, 4, kGauss, kBern), 1.5 * kLog2Pi + 4.0 * std::log(2.0), 1e-12);
  EXPECT_NEAR(base_log_partition(a, 4, kGauss, kTern), 1.5 * kLog2Pi + 4.0 * std::log(3.0), 1e-12);
  const Model bad = with_units(test::random_model(3, 2, 0.1, 0.1, 1), kBern, kGauss);
  EXPECT_THROW(ais_log_partition(bad, a, {}), InvalidArgument);
}

}  // namespace
}  // namespace rbmkit
