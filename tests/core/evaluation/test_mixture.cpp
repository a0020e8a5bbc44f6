// The mixture view (mixture.hpp) against ground truth computed here without it: the
// Gaussian-visible RBM's joint exp(-E(v, h)) summed over enumerated hidden states and
// integrated by quadrature, and the product of experts' density prod_i sum_k pi_ik N(x; u_ik, I)
// normalised by quadrature.
//
// Quadrature tolerance. The trapezoid rule with step s over the whole line integrates a Gaussian
// of variance sigma^2 with relative error 2 exp(-2 pi^2 sigma^2 / s^2) (Poisson summation); the
// steps below make that smaller than 1e-100. The grid reaches kPad standard deviations past the
// outermost centre, so the mass left out is below 2 Phi(-kPad) < 1e-25 per axis. What remains is
// rounding: each of the n positive terms carries a relative error of at most about
// (|log term| + 4) eps (the exponent's absolute error, amplified by exp), with |log term| < 200
// here, and adding them one by one contributes at most n eps. So the integral's relative error,
// and the error of its logarithm, is below quadrature_tolerance(n) = 4 (n + 200) eps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/mixture.hpp"
#include "rbmkit/formats/npz.hpp"
#include "rbmkit/io/experts_file.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "test_files.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using test::expect_error;
using test::log_add;

constexpr double kPad = 12.0;  // grid margin in standard deviations

double quadrature_tolerance(std::size_t n) { return 4.0 * (static_cast<double>(n) + 200.0) * DBL_EPSILON; }
// Error of one log density evaluated at a point: a few hundred eps.
constexpr double kPointTolerance = 800 * DBL_EPSILON;

// log of the trapezoid rule for the integral of exp(log_f(x)) over the box [lo, hi] (D = 1 or
// 2) with step `step`; *n receives the number of grid points.
template <class LogF>
double log_integral(const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, double step, LogF log_f, std::size_t* n) {
  const Eigen::Index D = lo.size();
  std::vector<std::size_t> count(static_cast<std::size_t>(D));
  for (Eigen::Index j = 0; j < D; ++j)
    count[static_cast<std::size_t>(j)] = static_cast<std::size_t>(std::ceil((hi[j] - lo[j]) / step)) + 1;
  const std::size_t rows = count[0], cols = D == 2 ? count[1] : 1;
  double log_sum = -INFINITY;
  Eigen::VectorXd x(D);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      x[0] = lo[0] + static_cast<double>(r) * step;
      double w = (r == 0 || r + 1 == rows) ? 0.5 : 1.0;
      if (D == 2) {
        x[1] = lo[1] + static_cast<double>(c) * step;
        w *= (c == 0 || c + 1 == cols) ? 0.5 : 1.0;
      }
      log_sum = log_add(log_sum, std::log(w) + log_f(x));
    }
  *n = rows * cols;
  return log_sum + static_cast<double>(D) * std::log(step);
}

// Every hidden state: {0,1}^H, or {-1,0,1}^H when ternary.
std::vector<std::vector<int>> hidden_states(std::size_t H, bool ternary) {
  std::vector<std::vector<int>> out{{}};
  for (std::size_t j = 0; j < H; ++j) {
    std::vector<std::vector<int>> next;
    for (const auto& s : out)
      for (int v = ternary ? -1 : 0; v <= 1; ++v) {
        next.push_back(s);
        next.back().push_back(v);
      }
    out = std::move(next);
  }
  return out;
}

Eigen::VectorXd as_double(const std::vector<int>& h) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(h.size()));
  for (std::size_t j = 0; j < h.size(); ++j) out[static_cast<Eigen::Index>(j)] = h[j];
  return out;
}

// -E(v, h) = -|v - a|^2 / 2 + v^T W h + b^T h.
double neg_energy(const Model& m, const Eigen::VectorXd& v, const std::vector<int>& h) {
  const Eigen::VectorXd hd = as_double(h);
  return -0.5 * (v - m.a.cast<double>()).squaredNorm() + v.dot(m.W.cast<double>() * hd) + m.b.cast<double>().dot(hd);
}

// log sum_h exp(-E(v, h)).
double log_joint_sum(const Model& m, const std::vector<std::vector<int>>& states, const Eigen::VectorXd& v) {
  double s = -INFINITY;
  for (const auto& h : states) s = log_add(s, neg_energy(m, v, h));
  return s;
}

Model gaussian_model(std::size_t d, std::size_t H, bool ternary, std::uint64_t seed) {
  Model m = test::random_model(d, H, 1.0, 1.0, seed);
  m.visible_units = UnitType::Gaussian;
  m.hidden_units = ternary ? UnitType::Ternary : UnitType::Bernoulli;
  return m;
}

// The box reaching kPad standard deviations (sigma) past every centre.
std::pair<Eigen::VectorXd, Eigen::VectorXd> box(const std::vector<Eigen::VectorXd>& centres, double sigma) {
  Eigen::VectorXd lo = centres[0], hi = centres[0];
  for (const auto& c : centres) {
    lo = lo.cwiseMin(c);
    hi = hi.cwiseMax(c);
  }
  return {lo.array() - kPad * sigma, hi.array() + kPad * sigma};
}

std::vector<Eigen::VectorXd> rbm_centres(const Model& m, const std::vector<std::vector<int>>& states) {
  std::vector<Eigen::VectorXd> out;
  for (const auto& h : states) out.push_back(m.a.cast<double>() + m.W.cast<double>() * as_double(h));
  return out;
}

struct RbmCase {
  std::size_t d, H;
  bool ternary;
};
const RbmCase kRbmCases[] = {{1, 3, false}, {2, 3, false}, {1, 3, true}, {2, 2, true}, {2, 4, false}};
constexpr double kRbmStep = 0.25;  // unit variance: aliasing error 2 exp(-2 pi^2 / 0.0625) = 2e-137

TEST(MixtureGaussianRbm, DensityIntegratesToOne) {
  for (const RbmCase& t : kRbmCases) {
    const Model m = gaussian_model(t.d, t.H, t.ternary, 100 + t.d * 10 + t.H);
    const GaussianMixture mix = gaussian_rbm_mixture(m);
    const auto [lo, hi] = box(rbm_centres(m, hidden_states(t.H, t.ternary)), 1.0);
    std::size_t n = 0;
    const auto log_p = [&](const Eigen::VectorXd& v) { return mixture_log_density(mix, v); };
    const double log_mass = log_integral(lo, hi, kRbmStep, log_p, &n);
    EXPECT_NEAR(log_mass, 0.0, quadrature_tolerance(n)) << "d " << t.d << " H " << t.H << " ternary " << t.ternary;
  }
}

// log Z and every p(h) against quadrature of the joint: Z_h = integral exp(-E(v, h)) dv.
TEST(MixtureGaussianRbm, LogPartitionAndWeightsEqualQuadratureOfTheJoint) {
  for (const RbmCase& t : kRbmCases) {
    const Model m = gaussian_model(t.d, t.H, t.ternary, 200 + t.d * 10 + t.H);
    const auto states = hidden_states(t.H, t.ternary);
    const auto [lo, hi] = box(rbm_centres(m, states), 1.0);
    std::vector<double> log_zh;
    double log_z = -INFINITY;
    std::size_t n = 0;
    for (const auto& h : states) {
      log_zh.push_back(log_integral(lo, hi, kRbmStep, [&](const Eigen::VectorXd& v) { return neg_energy(m, v, h); }, &n));
      log_z = log_add(log_z, log_zh.back());
    }
    const double tol = 2 * quadrature_tolerance(n);
    EXPECT_NEAR(gaussian_rbm_log_partition(m), log_z, tol) << "d " << t.d << " H " << t.H;

    const GaussianMixture mix = gaussian_rbm_mixture(m);
    ASSERT_EQ(mix.n_components, states.size());
    ASSERT_EQ(mix.components.size(), states.size());
    EXPECT_EQ(mix.variance, 1.0);
    EXPECT_NEAR(mix.log_normaliser, log_z, tol);
    for (std::size_t r = 0; r < mix.components.size(); ++r) {
      const MixtureComponent& c = mix.components[r];
      if (r > 0) {
        EXPECT_GE(mix.components[r - 1].log_weight, c.log_weight) << "not sorted at rank " << r;
      }
      const std::size_t s = static_cast<std::size_t>(std::find(states.begin(), states.end(), c.state) - states.begin());
      ASSERT_LT(s, states.size());
      EXPECT_NEAR(c.log_weight, log_zh[s] - log_z, 2 * tol);
      const Eigen::VectorXd centre = m.a.cast<double>() + m.W.cast<double>() * as_double(c.state);
      EXPECT_LT((c.centre - centre).norm(), 1e-12 * (1 + centre.norm()));
    }
  }
}

// log p(v) of the mixture and of the free energy, against the joint summed over h and divided
// by the quadrature Z, at random points.
TEST(MixtureGaussianRbm, DensityEqualsTheJointSummedOverHidden) {
  RandomStream rng(7, 1);
  for (const RbmCase& t : kRbmCases) {
    const Model m = gaussian_model(t.d, t.H, t.ternary, 300 + t.d * 10 + t.H);
    const auto states = hidden_states(t.H, t.ternary);
    const auto [lo, hi] = box(rbm_centres(m, states), 1.0);
    std::size_t n = 0;
    const auto log_joint = [&](const Eigen::VectorXd& v) { return log_joint_sum(m, states, v); };
    const double log_z = log_integral(lo, hi, kRbmStep, log_joint, &n);
    const double tol = quadrature_tolerance(n) + kPointTolerance;
    const GaussianMixture mix = gaussian_rbm_mixture(m);
    const double lib_log_z = gaussian_rbm_log_partition(m);
    for (int p = 0; p < 20; ++p) {
      Eigen::VectorXd v(static_cast<Eigen::Index>(t.d));
      for (Eigen::Index j = 0; j < v.size(); ++j) v[j] = 3.0 * rng.normal();
      const double want = log_joint_sum(m, states, v) - log_z;
      EXPECT_NEAR(mixture_log_density(mix, v), want, tol) << "d " << t.d << " H " << t.H << " point " << p;
      EXPECT_NEAR(gaussian_rbm_log_density(m, v, lib_log_z), want, tol + quadrature_tolerance(n));
      EXPECT_NEAR(free_energy_exact(m, v), -log_joint_sum(m, states, v), kPointTolerance);
    }
  }
}

TEST(MixtureGaussianRbm, TopKeepsTheHeaviestComponents) {
  const Model m = gaussian_model(3, 5, true, 9);
  const GaussianMixture all = gaussian_rbm_mixture(m);
  const GaussianMixture top = gaussian_rbm_mixture(m, {kDefaultMaxComponents, 4});
  EXPECT_EQ(all.n_components, 243u);
  EXPECT_EQ(top.n_components, 243u);
  ASSERT_EQ(top.components.size(), 4u);
  EXPECT_EQ(top.log_normaliser, all.log_normaliser);
  for (std::size_t r = 0; r < 4; ++r) {
    EXPECT_EQ(top.components[r].state, all.components[r].state);
    EXPECT_EQ(top.components[r].log_weight, all.components[r].log_weight);
  }
  LogSumExp total;
  for (const auto& c : all.components) total.add(c.log_weight);
  EXPECT_NEAR(total.value(), 0.0, 1e-12);
  expect_error<InvalidArgument>([&] { mixture_log_density(top, Eigen::VectorXd::Zero(3)); }, "keeps 4 of 243");
}

TEST(MixtureGaussianRbm, RefusesOtherUnitsAndTooManyComponents) {
  Model m = gaussian_model(2, 3, false, 1);
  m.visible_units = UnitType::Bernoulli;
  expect_error<InvalidArgument>([&] { gaussian_rbm_mixture(m); }, "needs Gaussian visible units");
  expect_error<InvalidArgument>([&] { gaussian_rbm_log_partition(m); }, "visible units are bernoulli");
  m.visible_units = UnitType::Gaussian;
  m.hidden_units = UnitType::Gaussian;
  expect_error<InvalidArgument>([&] { gaussian_rbm_mixture(m); }, "Bernoulli or ternary hidden units");

  const Model ternary30 = gaussian_model(2, 30, true, 2);
  expect_error<InvalidArgument>([&] { gaussian_rbm_mixture(ternary30); }, "3^30 = 205891132094649 components");
  expect_error<InvalidArgument>([&] { gaussian_rbm_log_partition(ternary30); }, "cap of 2^20 = 1048576");
  const Model binary70 = gaussian_model(1, 70, false, 3);
  expect_error<InvalidArgument>([&] { gaussian_rbm_mixture(binary70); }, "2^70 components (more than 2^64)");
  const Model binary3 = gaussian_model(1, 3, false, 4);
  expect_error<InvalidArgument>([&] { gaussian_rbm_mixture(binary3, {7}); }, "2^3 = 8 components, more than the cap of 7");
  EXPECT_EQ(gaussian_rbm_mixture(binary3, {8}).components.size(), 8u);
}

// --- Product of experts ---

GaussianExperts random_experts(std::size_t H, std::size_t K, std::size_t D, std::uint64_t seed) {
  RandomStream rng(seed, 3);
  GaussianExperts e{H, K, D, {}, {}};
  for (std::size_t n = 0; n < H * K * D; ++n) e.means.push_back(2.0 * rng.normal());
  for (std::size_t i = 0; i < H; ++i) {
    double sum = 0;
    for (std::size_t k = 0; k < K; ++k) sum += e.weights.emplace_back(0.5 + rng.uniform_double());
    for (std::size_t k = 0; k < K; ++k) e.weights[i * K + k] /= sum;
  }
  return e;
}

// log prod_i sum_k pi_ik N(x; u_ik, I), evaluated directly.
double log_product(const GaussianExperts& e, const Eigen::VectorXd& x) {
  double out = 0;
  for (std::size_t i = 0; i < e.n_experts; ++i) {
    double s = -INFINITY;
    for (std::size_t k = 0; k < e.n_components; ++k)
      s = log_add(s, std::log(e.weights[i * e.n_components + k]) - 0.5 * (x - e.mean(i, k)).squaredNorm() -
                         0.5 * static_cast<double>(e.dim) * kLog2Pi);
    out += s;
  }
  return out;
}

TEST(MixtureProductOfExperts, DensityEqualsTheNormalisedProduct) {
  RandomStream rng(11, 2);
  for (std::size_t H : {2, 3})
    for (std::size_t K : {2, 3})
      for (std::size_t D : {1, 2}) {
        const GaussianExperts e = random_experts(H, K, D, H * 100 + K * 10 + D);
        std::vector<Eigen::VectorXd> means;
        for (std::size_t i = 0; i < H; ++i)
          for (std::size_t k = 0; k < K; ++k) means.push_back(e.mean(i, k));
        // Components have variance 1/H; step 0.15 leaves aliasing error 2 exp(-2 pi^2 / (3 0.0225)) < 1e-120.
        const auto [lo, hi] = box(means, 1.0 / std::sqrt(static_cast<double>(H)));
        std::size_t n = 0;
        const double log_z = log_integral(lo, hi, 0.15, [&](const Eigen::VectorXd& x) { return log_product(e, x); }, &n);
        const double tol = quadrature_tolerance(n) + kPointTolerance;
        const GaussianMixture mix = product_of_experts_mixture(e);
        ASSERT_EQ(mix.components.size(), static_cast<std::size_t>(std::pow(K, H)));
        EXPECT_DOUBLE_EQ(mix.variance, 1.0 / static_cast<double>(H));
        EXPECT_NEAR(mix.log_normaliser, log_z, quadrature_tolerance(n)) << "H " << H << " K " << K << " D " << D;
        for (int p = 0; p < 20; ++p) {
          Eigen::VectorXd x(static_cast<Eigen::Index>(D));
          for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = 3.0 * rng.normal();
          EXPECT_NEAR(mixture_log_density(mix, x), log_product(e, x) - log_z, tol)
              << "H " << H << " K " << K << " D " << D << " point " << p;
        }
      }
}

// docs/exercise.md 2(c): m_(k1,k2) = (u_{1,k1} + u_{2,k2}) / 2, and since
// integral N(x; u, I) N(x; u', I) dx = N(u; u', 2I), the weights are proportional to
// pi_{1,k1} pi_{2,k2} N(u_{1,k1}; u_{2,k2}, 2I) and Z_poe is their sum.
TEST(MixtureProductOfExperts, TwoExpertsOfTwoComponentsMatchTheExercise) {
  const GaussianExperts e = random_experts(2, 2, 2, 5);
  const GaussianMixture mix = product_of_experts_mixture(e);
  ASSERT_EQ(mix.components.size(), 4u);
  EXPECT_EQ(mix.variance, 0.5);
  double log_z = -INFINITY;
  for (std::size_t k1 = 0; k1 < 2; ++k1)
    for (std::size_t k2 = 0; k2 < 2; ++k2)
      log_z = log_add(log_z, std::log(e.weights[k1] * e.weights[2 + k2]) - (e.mean(0, k1) - e.mean(1, k2)).squaredNorm() / 4 -
                                 kLog2Pi - std::log(2.0));
  EXPECT_NEAR(mix.log_normaliser, log_z, 1e-13);
  std::vector<std::vector<int>> seen;
  for (const MixtureComponent& c : mix.components) {
    ASSERT_EQ(c.state.size(), 2u);
    const std::size_t k1 = static_cast<std::size_t>(c.state[0]), k2 = static_cast<std::size_t>(c.state[1]);
    const Eigen::VectorXd m = (e.mean(0, k1) + e.mean(1, k2)) / 2;
    EXPECT_LT((c.centre - m).norm(), 1e-14);
    const double lw = std::log(e.weights[k1] * e.weights[2 + k2]) - (e.mean(0, k1) - e.mean(1, k2)).squaredNorm() / 4 - kLog2Pi -
                      std::log(2.0) - log_z;
    EXPECT_NEAR(c.log_weight, lw, 1e-13);
    seen.push_back(c.state);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::vector<int>>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
}

TEST(MixtureProductOfExperts, RefusesTooManyComponentsAndBadExperts) {
  expect_error<InvalidArgument>([] { product_of_experts_mixture(random_experts(30, 3, 1, 1)); },
                                "3^30 = 205891132094649 components");
  expect_error<InvalidArgument>([] { product_of_experts_mixture(random_experts(3, 4, 1, 1), {63}); },
                                "4^3 = 64 components, more than the cap of 63");
  GaussianExperts e = random_experts(2, 3, 2, 1);
  e.weights[4] += 0.01;
  expect_error<InvalidArgument>([&] { check_experts(e); }, "weights[1] sums to 1.01");
  e.weights[4] = -0.2;
  expect_error<InvalidArgument>([&] { product_of_experts_mixture(e); }, "weights[1][1] is -0.2; mixing weights must be positive");
  e = random_experts(2, 3, 2, 1);
  e.means[7] = NAN;
  expect_error<InvalidArgument>([&] { check_experts(e); }, "means[1][0][1] is not finite");
  e.means.pop_back();
  expect_error<InvalidArgument>([&] { check_experts(e); }, "means holds 11 values");
  expect_error<InvalidArgument>([] { check_experts(GaussianExperts{}); }, "needs H, K, D >= 1");
}

// --- Experts files ---

TEST(MixtureExpertsFile, ParsesJsonWithAndWithoutWeights) {
  const GaussianExperts e =
      parse_experts_json(R"({"means": [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9], [10, 11]]],
                             "weights": [[0.25, 0.75], [0.5, 0.5], [1e-3, 0.999]]})",
                         "e.json");
  EXPECT_EQ(e.n_experts, 3u);
  EXPECT_EQ(e.n_components, 2u);
  EXPECT_EQ(e.dim, 2u);
  EXPECT_EQ(e.means[2 * 2 + 1], 5.0);
  EXPECT_EQ(e.mean(2, 1)[0], 10.0);
  EXPECT_EQ(e.weights[1], 0.75);
  const GaussianExperts u = parse_experts_json(R"({"means": [[[0], [1], [2]]]})", "u.json");
  EXPECT_EQ(u.weights, std::vector<double>(3, 1.0 / 3.0));
}

TEST(MixtureExpertsFile, RefusesMalformedJsonNamingTheFileAndTheProblem) {
  const auto refuse = [](const char* text, const std::string& needle) {
    expect_error<FormatError>([&] { parse_experts_json(text, "bad.json"); }, needle);
    expect_error<FormatError>([&] { parse_experts_json(text, "bad.json"); }, "bad.json: ");
  };
  refuse(R"({"means": [[[0, 1]]], )", "not valid JSON");
  refuse(R"([1, 2])", "must be a JSON object");
  refuse(R"({"weights": [[1]]})", "missing key \"means\"");
  refuse(R"({"means": [[[0]]], "sigma": 1})", "unknown key \"sigma\"");
  refuse(R"({"means": []})", "means must be a non-empty array");
  refuse(R"({"means": [[[0, 1]], [[0]]]})", "means[1][0] has 1 numbers but means[0][0] has 2");
  refuse(R"({"means": [[[0], [1]], [[0]]]})", "means[1] has 1 means but means[0] has 2");
  refuse(R"({"means": [[[0, "x"]]]})", "means[0][0][1] must be a number, not string");
  refuse(R"({"means": [[[0], [1]]], "weights": [[1]]})", "weights[0] has 1 weights but each expert has 2 means");
  refuse(R"({"means": [[[0], [1]]], "weights": [[0.5, 0.6]]})", "weights[0] sums to 1.1");
  refuse(R"({"means": [[[0], [1]]], "weights": [[0.5, 0.5], [0.5, 0.5]]})", "weights has 2 rows but means has 1 experts");
}

class MixtureExpertsNpz : public test::TempDirTest {};

TEST_F(MixtureExpertsNpz, LoadsFloat64AndFloat32Members) {
  const std::vector<double> means = {0.1, -0.2, 0.3, 1.0 / 3.0};  // (2, 2, 1)
  const std::vector<float> weights = {0.25f, 0.75f, 0.5f, 0.5f};
  const NpzMember m221{"means", npy_float64({2, 2, 1}, means.data())}, w22{"weights", npy_float32({2, 2}, weights.data())};
  const std::string path = write("experts.npz", encode_npz({m221, w22}));
  const GaussianExperts e = load_experts(path);
  EXPECT_EQ(e.means, means);  // float64 kept exactly
  EXPECT_EQ(e.weights[1], 0.75);
  EXPECT_EQ(product_of_experts_mixture(e).components.size(), 4u);

  const std::string no_weights = write("u.npz", encode_npz({m221}));
  EXPECT_EQ(load_experts(no_weights).weights, std::vector<double>(4, 0.5));
  const std::string bad_shape = write("b.npz", encode_npz({{"means", npy_float64({2, 2}, means.data())}, w22}));
  expect_error<FormatError>([&] { load_experts(bad_shape); }, "b.npz: member 'means' must be (H, K, D)");
  const std::string bad_weights = write("w.npz", encode_npz({m221, {"weights", npy_float32({4}, weights.data())}}));
  expect_error<FormatError>([&] { load_experts(bad_weights); }, "member 'weights' must be (H, K) = (2, 2)");
  const std::string extra = write("x.npz", encode_npz({m221, {"sigma", npy_float64({1}, means.data())}}));
  expect_error<FormatError>([&] { load_experts(extra); }, "unknown member 'sigma'");
  expect_error<IoError>([&] { load_experts(path + ".missing"); }, ".missing");
}

}  // namespace
}  // namespace rbmkit
