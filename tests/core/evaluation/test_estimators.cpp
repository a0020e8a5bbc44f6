// Likelihood estimators against ground truth: the float kernels against double references,
// the float enumeration path against brute force and the double path, AIS and RAISE against
// exact log Z, and the pseudo-likelihood against its definition by enumeration.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/ais.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/evaluation/pseudo_likelihood.hpp"
#include "rbmkit/evaluation/raise.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/softplus_sums.hpp"
#include "rbmkit/kernels/sparse_product.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

constexpr double u = 0x1p-24;  // float unit roundoff

// ---- kernels ----------------------------------------------------------------------------

TEST(SoftplusSums, DeltaSumMatchesDoubleWithinItsErrorBound) {
  RandomStream rng(3, 1);
  // Scales 0.001 and 0.01 at small deltas take the series of every packet (|e| < 2^-7), 0.01
  // at 0.7 lies across that edge.
  for (const double scale : {0.001, 0.01, 0.1, 1.0, 30.0}) {
    for (const std::size_t n : {1u, 15u, 16u, 100u, 785u}) {
      std::vector<float> t(n), s(n), x(n);
      for (std::size_t j = 0; j < n; ++j) {
        t[j] = static_cast<float>(8.0 * rng.normal());
        s[j] = static_cast<float>(test::sigm(t[j]));
        x[j] = static_cast<float>(scale * rng.normal());
      }
      for (const float delta : {0.7f, -0.7f, 1e-4f}) {
        double expected = 0.0, bound = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
          const double e = static_cast<double>(delta) * x[j];
          expected += softplus(t[j] + e) - softplus(static_cast<double>(t[j]));
          bound += std::fabs(e) <= 1.0 ? 6.0 * u * std::fabs(e) : u * (2 * std::fabs(t[j]) + 2 * std::fabs(t[j] + e) + 4);
        }
        EXPECT_NEAR(softplus_delta_sum(t.data(), s.data(), x.data(), delta, n), expected, bound + 1e-300)
            << "n " << n << " scale " << scale << " delta " << delta;
      }
    }
  }
}

TEST(SoftplusSums, SumOffsetMatchesDoubleWithinItsErrorBound) {
  RandomStream rng(4, 1);
  for (const double scale : {0.1, 3.0, 100.0}) {
    for (const std::size_t m : {1u, 16u, 17u, 784u, 1100u}) {
      std::vector<float> base(m), offset(m);
      double expected = 0.0, bound = 4.0 * u * static_cast<double>(m);
      for (std::size_t i = 0; i < m; ++i) {
        base[i] = static_cast<float>(scale * rng.normal());
        offset[i] = static_cast<float>(scale * rng.normal());
        const double x = static_cast<double>(base[i]) + offset[i];
        expected += softplus(x);
        bound += 3.0 * u * std::fabs(x);
      }
      EXPECT_NEAR(softplus_sum_offset(base.data(), offset.data(), m), expected, bound) << "m " << m << " scale " << scale;
    }
  }
}

TEST(SparseProduct, MatchesTheDenseProductAtAnyDensity) {
  RandomStream rng(5, 1);
  for (const double density : {0.0, 0.1, 0.3, 0.9}) {
    Matrix A(23, 70), M(70, 37);
    for (Eigen::Index k = 0; k < A.size(); ++k) A.data()[k] = rng.uniform_double() < density ? 1.0f : 0.0f;
    for (Eigen::Index k = 0; k < M.size(); ++k) M.data()[k] = static_cast<float>(rng.normal());
    Matrix out;
    sparse_times(A, M, out);
    const Eigen::MatrixXd exact = A.cast<double>() * M.cast<double>();
    const Eigen::MatrixXd bound = 70 * u * (A.cast<double>().cwiseAbs() * M.cast<double>().cwiseAbs());
    EXPECT_TRUE(((out.cast<double>() - exact).cwiseAbs().array() <= bound.array()).all()) << "density " << density;
  }
}

TEST(SparseProduct, NonzeroColumnsListsTheNonzerosInOrder) {
  std::vector<float> x(53, 0.0f);
  for (const int i : {0, 5, 15, 16, 31, 52}) x[static_cast<std::size_t>(i)] = 1.0f;
  x[20] = -0.5f;
  std::vector<int> active;
  nonzero_columns(x.data(), x.size(), active);
  EXPECT_EQ(active, (std::vector<int>{0, 5, 15, 16, 20, 31, 52}));
}

// Every range [from, to) of a random vector (zeros, -0.0 counted as zero, NaN as nonzero), so
// every start and tail length of the 8- and 16-lane loops, lists what a scalar scan lists, and
// writes nothing past its room of to - from + 16 entries.
TEST(SparseProduct, NonzeroIndicesEqualsAScalarScanOnEveryRange) {
  RandomStream rng(3, 0);
  std::vector<float> x(83);
  for (float& v : x) {
    const double u = rng.uniform_double();
    v = u < 0.5 ? 0.0f : u < 0.55 ? -0.0f : u < 0.6 ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(u);
  }
  constexpr std::int32_t kGuard = -7;
  for (Eigen::Index from = 0; from <= 40; ++from) {
    for (Eigen::Index to = from; to <= static_cast<Eigen::Index>(x.size()); ++to) {
      std::vector<std::int32_t> expected;
      for (Eigen::Index i = from; i < to; ++i)
        if (x[static_cast<std::size_t>(i)] != 0.0f) expected.push_back(static_cast<std::int32_t>(i));
      std::vector<std::int32_t> out(static_cast<std::size_t>(to - from + 16 + 4), kGuard);
      const Eigen::Index n = nonzero_indices(x.data(), from, to, out.data());
      ASSERT_EQ(std::vector<std::int32_t>(out.begin(), out.begin() + n), expected) << from << " " << to;
      for (std::size_t k = out.size() - 4; k < out.size(); ++k) ASSERT_EQ(out[k], kGuard) << "wrote past its room";
    }
  }
}

// ---- exact log Z: the float path ---------------------------------------------------------

// The float path's bound on each term's error (evaluation/exact.hpp): u (4 m + 3 sum_i |x_i|), with
// |x_i| <= |e_i| + sum_j |M_ij| over the summed layer i (m units) and the enumerated one j.
double float_path_bound(const Model& m) {
  const bool hidden_enumerated = m.n_hidden() <= m.n_visible();
  const Eigen::ArrayXd e = (hidden_enumerated ? m.a : m.b).cast<double>().array().abs();
  const Eigen::ArrayXd w = hidden_enumerated ? Eigen::ArrayXd(m.W.cast<double>().cwiseAbs().rowwise().sum())
                                             : Eigen::ArrayXd(m.W.cast<double>().cwiseAbs().colwise().sum().transpose());
  return u * (4.0 * static_cast<double>(e.size()) + 3.0 * (e + w).sum());
}

TEST(Exact, FloatPathEqualsBruteForceOnTinyModels) {
  const std::size_t shapes[][2] = {{6, 4}, {4, 6}, {5, 5}, {8, 3}, {2, 9}, {9, 10}, {3, 12}};
  for (double w_std : {0.1, 1.0, 30.0}) {
    for (const auto& s : shapes) {
      const Model m = test::random_model(s[0], s[1], w_std, 1.0, s[0] * 10 + s[1]);
      const double brute = test::enumerate_joint(m).log_z;
      EXPECT_NEAR(log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Float), brute, float_path_bound(m))
          << s[0] << "x" << s[1] << " std " << w_std;
    }
  }
}

TEST(Exact, FloatPathEqualsDoublePathOnMediumModels) {
  // 784 x 12 (hidden enumerated: 16 blocks of 256 terms) and 11 x 600 (visible enumerated).
  const std::size_t shapes[][2] = {{784, 12}, {11, 600}};
  for (const auto& s : shapes) {
    const Model m = test::random_model(s[0], s[1], 0.1, 1.0, 7);
    const double reference = log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Double);
    const double fast = log_partition_exact(m, kDefaultEnumerationCap, EnumerationPath::Float);
    EXPECT_NEAR(fast, reference, float_path_bound(m)) << s[0] << "x" << s[1];
    EXPECT_NEAR(fast, reference, 1e-6 * std::fabs(reference)) << s[0] << "x" << s[1];
  }
}

// ---- annealing: schedule and base rate ------------------------------------------------------

TEST(Annealing, DefaultScheduleHasTheThreeSegments) {
  const std::vector<double> b = annealing_schedule();
  ASSERT_EQ(b.size(), 14500u);
  EXPECT_EQ(b[0], 0.0);
  EXPECT_DOUBLE_EQ(b[1], 0.001);
  EXPECT_DOUBLE_EQ(b[500], 0.5);
  EXPECT_DOUBLE_EQ(b[4500], 0.9);
  EXPECT_EQ(b.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(b.begin(), b.end()));
  const std::vector<double> small = annealing_schedule(145);
  ASSERT_EQ(small.size(), 145u);
  EXPECT_DOUBLE_EQ(small[5], 0.5);
  EXPECT_DOUBLE_EQ(small[45], 0.9);
  EXPECT_EQ(annealing_schedule(3), (std::vector<double>{0.0, 0.5, 1.0}));
  EXPECT_THROW(annealing_schedule(2), InvalidArgument);
}

TEST(Annealing, BaseRateIsTheSmoothedLogitOfThePixelMeans) {
  Matrix X(20, 3);
  X.col(0).setZero();
  X.col(1).setOnes();
  for (Eigen::Index r = 0; r < 20; ++r) X(r, 2) = r < 5 ? 1.0f : 0.0f;
  const Vector a = base_rate_biases(X);
  auto logit = [](double p) { return std::log(p / (1 - p)); };
  EXPECT_NEAR(a[0], logit(1.0 / 22.0), 1e-6);
  EXPECT_NEAR(a[1], logit(21.0 / 22.0), 1e-6);
  EXPECT_NEAR(a[2], logit(6.0 / 22.0), 1e-6);
  EXPECT_THROW(base_rate_biases(Matrix(0, 3)), DataError);
}

// ---- AIS and RAISE ---------------------------------------------------------------------------

// MNIST-shaped random models: 28 x 28 visible units whose biases are the logits of a blob of
// pixel probabilities (0.002 at the border to 0.45 in the middle, about 13% ones on average,
// like MNIST digits), W ~ N(0, 0.05^2) like a trained model's typical weights,
// b ~ N(-1, 0.5^2).
Vector blob_probabilities() {
  Vector p(784);
  for (Eigen::Index i = 0; i < 784; ++i) {
    const double r = static_cast<double>(i / 28) - 13.5, c = static_cast<double>(i % 28) - 13.5;
    p[i] = static_cast<float>(0.002 + 0.45 * std::exp(-(r * r + c * c) / 72.0));
  }
  return p;
}

Model mnist_shaped_model(std::size_t H, std::uint64_t seed) {
  Model m = test::random_model(784, H, 0.05, 0.0, seed);
  const Vector p = blob_probabilities();
  m.a = (p.array() / (1.0f - p.array())).log().matrix();
  RandomStream rng(seed, 77);
  for (Eigen::Index j = 0; j < m.b.size(); ++j) m.b[j] = static_cast<float>(-1.0 + 0.5 * rng.normal());
  return m;
}

// n exact samples of v (H <= 20): h from its marginal p(h) ∝ exp(b^T h + sum_i softplus(a_i + W_i . h))
// by enumeration, then v ~ p(v | h).
Matrix exact_samples(const Model& m, std::size_t n, std::uint64_t seed) {
  const Eigen::Index d = m.W.rows(), H = m.W.cols();
  const std::uint64_t states = std::uint64_t{1} << H;
  std::vector<double> log_p(states);
  const Eigen::MatrixXd W = m.W.cast<double>();
  for (std::uint64_t h = 0; h < states; ++h) {
    Eigen::VectorXd input = m.a.cast<double>();
    double s = 0.0;
    for (Eigen::Index j = 0; j < H; ++j)
      if ((h >> j) & 1u) {
        input += W.col(j);
        s += m.b[j];
      }
    for (Eigen::Index i = 0; i < d; ++i) s += softplus(input[i]);
    log_p[h] = s;
  }
  const double top = *std::max_element(log_p.begin(), log_p.end());
  std::vector<double> cdf(states);
  double total = 0.0;
  for (std::uint64_t h = 0; h < states; ++h) cdf[h] = total += std::exp(log_p[h] - top);
  RandomStream rng(seed, 99);
  Matrix X(static_cast<Eigen::Index>(n), d);
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    const auto h = static_cast<std::uint64_t>(std::upper_bound(cdf.begin(), cdf.end(), rng.uniform_double() * total) - cdf.begin());
    Eigen::VectorXd input = m.a.cast<double>();
    for (Eigen::Index j = 0; j < H; ++j)
      if ((h >> j) & 1u) input += W.col(j);
    for (Eigen::Index i = 0; i < d; ++i) X(r, i) = rng.uniform_double() < test::sigm(input[i]) ? 1.0f : 0.0f;
  }
  return X;
}

// With the default schedule and 100 chains, AIS's standard error on these models is about
// 0.013 nats (measured: 0.0126 for H = 15), so 0.1 nats is about 8 standard errors: a miss
// means bias, not bad luck. The exact value must also lie inside AIS's own +-3 sigma band.
// RAISE runs on 100 exact samples from the model; its implied log Z must be within 0.1 nats
// of the exact one and not below it by more than 3 standard errors (RAISE is conservative:
// on data drawn from the model it overestimates log Z on average).
// (The sanitizer build anneals a quarter as long, with tolerances scaled to match: ais_test_betas.)
TEST(Ais, AisAndRaiseMatchExactLogZOnMnistShapedModels) {
  const std::size_t betas = test::ais_test_betas(kDefaultBetas);
  const double scale = test::ais_tolerance_scale(kDefaultBetas);
  for (const std::size_t H : {10u, 15u}) {
    const Model m = mnist_shaped_model(H, 40 + H);
    const double exact = log_partition_exact(m);
    const Matrix X = exact_samples(m, 300, H);
    const Vector base = base_rate_biases(X);
    const AisResult ais = ais_log_partition(m, base, {100, betas, 1});
    EXPECT_NEAR(ais.log_z, exact, 0.1 * scale) << "H " << H;
    EXPECT_LE(ais.log_z_lower, exact) << "H " << H;
    EXPECT_GE(ais.log_z_upper, exact) << "H " << H;
    EXPECT_LT(ais.log_z_std_error, 0.03 * scale) << "H " << H;
    const RaiseResult raise = raise_log_likelihood(m, X.topRows(100), base, betas, 1);
    EXPECT_NEAR(raise.mean_log_z, exact, 0.1 * scale) << "H " << H;
    EXPECT_GE(raise.mean_log_z, exact - 3.0 * raise.log_z_std_error) << "H " << H;
  }
}

// A tiny model with strong weights (W ~ N(0, 2^2), so states are far from independent): AIS
// with 2,000 betas and 400 chains lands within 4 of its own standard errors (+0.01 for the
// small downward bias of log mean w) of the brute-force log Z.
TEST(Ais, MatchesBruteForceOnATinyModelWithStrongWeights) {
  const Model m = test::random_model(12, 8, 2.0, 1.0, 22);
  const Matrix X = exact_samples(m, 300, 9);
  const AisResult ais = ais_log_partition(m, base_rate_biases(X), {400, 2000, 5});
  const double exact = test::enumerate_joint(m).log_z;
  EXPECT_NEAR(ais.log_z, exact, 4.0 * ais.log_z_std_error + 0.01);
  EXPECT_GT(ais.log_z_std_error, 0.0);
}

// With W = 0, b = 0 and the base rate equal to the model's visible biases, every intermediate
// distribution is the model itself: every log-weight is exactly 0 and log Z is analytic.
TEST(Ais, ZeroWeightsGiveUnitWeightsAndTheIndependentPixelFormula) {
  Model m = test::random_model(30, 7, 0.0, 1.5, 6);
  m.b.setZero();
  const AisResult ais = ais_log_partition(m, m.a, {10, 200, 3});
  for (const double w : ais.log_weights) EXPECT_EQ(w, 0.0);
  const double exact = log_partition_exact(m);
  EXPECT_NEAR(ais.log_z, exact, 1e-12 * std::fabs(exact));
  EXPECT_EQ(ais.log_z_lower, ais.log_z);
  EXPECT_EQ(ais.log_z_upper, ais.log_z);
  const Matrix X = test::to_matrix({0, 5, 127, 64, 33}, 30);
  double independent = 0;
  for (Eigen::Index r = 0; r < X.rows(); ++r)
    for (Eigen::Index i = 0; i < X.cols(); ++i)
      independent += m.a[i] * X(r, i) - softplus(static_cast<double>(m.a[i]));
  independent /= static_cast<double>(X.rows());
  EXPECT_NEAR(-mean_free_energy(m, X) - ais.log_z, independent, 1e-12 * std::fabs(independent));
  const RaiseResult raise = raise_log_likelihood(m, X, m.a, 200, 3);
  for (const double z : raise.log_z) EXPECT_NEAR(z, exact, 1e-12 * std::fabs(exact));
  EXPECT_NEAR(raise.mean_log_p, independent, 1e-12 * std::fabs(independent));
}

// With W = 0 but hidden biases, each chain's log-weight is the deterministic
// sum_j softplus(b_j) - H log 2, summed over the steps with error at most about
// sum_steps sum_j 6u |delta_beta b_j| = 6u sum_j |b_j| (softplus_sums.hpp).
TEST(Ais, ZeroWeightsWithHiddenBiasesGiveEqualWeights) {
  const Model m = test::random_model(20, 9, 0.0, 2.0, 8);
  const AisResult ais = ais_log_partition(m, m.a, {7, 1000, 3});
  const double bound = 6.0 * u * m.b.cast<double>().cwiseAbs().sum() + 1e-12;
  const double expected = log_partition_exact(m) - base_log_partition(m.a, 9);
  for (const double w : ais.log_weights) EXPECT_NEAR(w, expected, bound);
  EXPECT_NEAR(ais.log_z, log_partition_exact(m), bound);
}

// Standard errors scale as 1/sqrt(M): 25 -> 400 chains divides them by 4. The sample standard
// deviation of the weights from 25 chains is itself uncertain (heavy tails), so the ratio is
// only required to lie in [2, 8].
TEST(Ais, UncertaintyShrinksAsChainsGrow) {
  Model m = test::random_model(64, 10, 0.3, 0.5, 12);
  const Matrix X = exact_samples(m, 400, 5);
  const Vector base = base_rate_biases(X);
  const AisResult few = ais_log_partition(m, base, {25, 300, 1});
  const AisResult many = ais_log_partition(m, base, {400, 300, 1});
  const double ratio = few.log_z_std_error / many.log_z_std_error;
  EXPECT_GT(ratio, 2.0);
  EXPECT_LT(ratio, 8.0);
  EXPECT_LT(many.log_z_upper - many.log_z_lower, few.log_z_upper - few.log_z_lower);
  const RaiseResult raise_few = raise_log_likelihood(m, X.topRows(25), base, 300, 1);
  const RaiseResult raise_many = raise_log_likelihood(m, X, base, 300, 1);
  const double raise_ratio = raise_few.log_z_std_error / raise_many.log_z_std_error;
  EXPECT_GT(raise_ratio, 2.0);
  EXPECT_LT(raise_ratio, 8.0);
}

TEST(Ais, ResultsDoNotDependOnTheThreadCount) {
  const Model m = test::random_model(40, 12, 0.3, 0.5, 13);
  const Matrix X = exact_samples(m, 60, 6);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const AisResult one = ais_log_partition(m, base_rate_biases(X), {60, 100, 2});
  const RaiseResult raise_one = raise_log_likelihood(m, X, base_rate_biases(X), 100, 2);
  omp_set_num_threads(3);
  const AisResult three = ais_log_partition(m, base_rate_biases(X), {60, 100, 2});
  const RaiseResult raise_three = raise_log_likelihood(m, X, base_rate_biases(X), 100, 2);
  omp_set_num_threads(threads);
  EXPECT_EQ(one.log_weights, three.log_weights);
  EXPECT_EQ(raise_one.log_p, raise_three.log_p);
  const AisResult other_seed = ais_log_partition(m, base_rate_biases(X), {60, 100, 3});
  EXPECT_NE(one.log_weights, other_seed.log_weights);
}

// On a tiny model with examples drawn from it, RAISE's mean log p^ with a long schedule is
// close to the exact mean log-likelihood, and with a 3-beta schedule (a poor annealing model)
// it is clearly below it: conservative, as Burda et al. (2015) prove on average.
TEST(Raise, IsConservativeAndConvergesOnATinyModel) {
  const Model m = test::random_model(12, 6, 1.0, 0.5, 21);
  const Matrix X = exact_samples(m, 400, 7);
  std::vector<std::uint64_t> states;
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    std::uint64_t s = 0;
    for (Eigen::Index i = 0; i < 12; ++i) s |= static_cast<std::uint64_t>(X(r, i) != 0.0f) << i;
    states.push_back(s);
  }
  const double exact = test::mean_log_likelihood(test::enumerate_joint(m), states);
  const Vector base = base_rate_biases(X);
  const RaiseResult good = raise_log_likelihood(m, X, base, 2000, 1);
  EXPECT_NEAR(good.mean_log_p, exact, 4.0 * good.log_z_std_error + 0.01);
  const RaiseResult poor = raise_log_likelihood(m, X, base, 3, 1);
  EXPECT_LT(poor.mean_log_p + 3.0 * poor.log_z_std_error, exact);
}

TEST(Annealing, InvalidInputsThrow) {
  const Model m = test::random_model(6, 4, 0.1, 0.1, 1);
  EXPECT_THROW(ais_log_partition(m, Vector::Zero(5), {}), InvalidArgument);
  EXPECT_THROW(ais_log_partition(m, Vector::Zero(6), {0, 100, 0}), InvalidArgument);
  EXPECT_THROW(ais_log_partition(m, Vector::Zero(6), {10, 2, 0}), InvalidArgument);
  EXPECT_THROW(raise_log_likelihood(m, Matrix::Zero(3, 5), Vector::Zero(6), 100, 0), DataError);
  EXPECT_THROW(raise_log_likelihood(m, Matrix::Zero(0, 6), Vector::Zero(6), 100, 0), DataError);
}

TEST(Annealing, ChooseExamplesTakesAllOrADistinctRandomSubset) {
  EXPECT_EQ(choose_examples(4, 10, 1), (std::vector<std::size_t>{0, 1, 2, 3}));
  const std::vector<std::size_t> some = choose_examples(1000, 100, 1);
  ASSERT_EQ(some.size(), 100u);
  EXPECT_EQ(std::set<std::size_t>(some.begin(), some.end()).size(), 100u);
  EXPECT_LT(*std::max_element(some.begin(), some.end()), 1000u);
  EXPECT_EQ(some, choose_examples(1000, 100, 1));
  EXPECT_NE(some, choose_examples(1000, 100, 2));
}

// ---- pseudo-likelihood and free energy -------------------------------------------------------

// sum_i log p(x_i | x_-i) by enumeration: p(x_i | x_-i) = p(x) / (p(x) + p(x~i)).
double brute_force_pll(const test::Exact& e, std::uint64_t x, std::size_t d) {
  double s = 0.0;
  for (std::size_t i = 0; i < d; ++i) {
    const double lx = e.log_pv[x], lf = e.log_pv[x ^ (std::uint64_t{1} << i)];
    s += lx - test::log_add(lx, lf);
  }
  return s;
}

// Each log conditional's error is bounded by the softplus_delta_sum bound over its H terms
// (|e_j| = |W_ij|, |t_j| <= |b_j| + sum_i |W_ij|) plus the double-precision rest.
TEST(Pll, ExactSumEqualsBruteForce) {
  for (const double w_std : {0.5, 3.0}) {
    const Model m = test::random_model(9, 6, w_std, 1.0, 31);
    const test::Exact e = test::enumerate_joint(m);
    const std::vector<std::uint64_t> states = {0, 1, 77, 300, 511, 256};
    const Eigen::VectorXd pll = pseudo_log_likelihood(m, test::to_matrix(states, 9), PllMethod::Exact, 0);
    const Eigen::ArrayXd t_max = m.b.cast<double>().cwiseAbs().array() + m.W.cast<double>().cwiseAbs().colwise().sum().transpose().array();
    double bound = 0.0;
    for (Eigen::Index i = 0; i < 9; ++i)
      for (Eigen::Index j = 0; j < 6; ++j) bound += u * (6.0 * std::fabs(m.W(i, j)) + 4.0 * t_max[j] + 2.0 * std::fabs(m.W(i, j)) + 4.0);
    for (std::size_t r = 0; r < states.size(); ++r)
      EXPECT_NEAR(pll[static_cast<Eigen::Index>(r)], brute_force_pll(e, states[r], 9), bound) << "state " << states[r];
  }
}

// One example repeated 20,000 times: each row flips its own random bit, so the mean of the
// stochastic estimates has expectation equal to the exact PLL; it must lie within 5 standard
// errors of it. Each row's value is d times one of the d exact log conditionals.
TEST(Pll, StochasticEstimateAveragesToTheExactSum) {
  const Model m = test::random_model(16, 8, 1.0, 1.0, 32);
  const Matrix one = test::to_matrix({0b1011001110001101}, 16);
  const Matrix X = one.replicate(20000, 1);
  const double exact = pseudo_log_likelihood(m, one, PllMethod::Exact, 0)[0];
  const Eigen::VectorXd draws = pseudo_log_likelihood(m, X, PllMethod::Stochastic, 4);
  const double mean = draws.mean();
  const double se = std::sqrt((draws.array() - mean).square().sum() / (draws.size() - 1) / static_cast<double>(draws.size()));
  EXPECT_GT(se, 0.0);
  EXPECT_NEAR(mean, exact, 5.0 * se);
  EXPECT_EQ(draws, pseudo_log_likelihood(m, X, PllMethod::Stochastic, 4));
  EXPECT_THROW(pseudo_log_likelihood(m, Matrix::Zero(2, 15), PllMethod::Exact, 0), DataError);
}

TEST(FreeEnergy, MeanMatchesTheDoubleFreeEnergy) {
  const Model m = test::random_model(50, 20, 1.0, 1.0, 33);
  Matrix X(300, 50);
  RandomStream rng(8, 1);
  for (Eigen::Index k = 0; k < X.size(); ++k) X.data()[k] = rng.uniform_double() < 0.3 ? 1.0f : 0.0f;
  double expected = 0.0;
  for (Eigen::Index r = 0; r < X.rows(); ++r) expected += free_energy_exact(m, X.row(r).data());
  expected /= static_cast<double>(X.rows());
  EXPECT_NEAR(mean_free_energy(m, X), expected, 1e-10 * std::fabs(expected));
  EXPECT_THROW(mean_free_energy(m, Matrix::Zero(0, 50)), DataError);
  EXPECT_THROW(mean_free_energy(m, Matrix::Zero(2, 49)), DataError);
}

}  // namespace
}  // namespace rbmkit
