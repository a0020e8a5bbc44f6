// Ground truth for tiny Bernoulli RBMs by brute-force enumeration of both layers, in double
// precision, independent of the library's own likelihood code.
#pragma once

#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/options/train_options.hpp"

namespace rbmkit::test {

inline double log_add(double x, double y) {
  if (x == -INFINITY) return y;
  if (y == -INFINITY) return x;
  const double m = std::max(x, y);
  return m + std::log(std::exp(x - m) + std::exp(y - m));
}

inline double sigm(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// AIS schedule length for the tests that anneal MNIST-sized models with the default schedule:
// kDefaultBetas, or a quarter of it in the sanitizer build (RBMKIT_SANITIZER set, where each
// beta costs about 20 times as much). AIS's standard error grows as 1 / sqrt(betas), so such a
// test scales its tolerances by ais_tolerance_scale() = sqrt(kDefaultBetas / betas).
inline std::size_t ais_test_betas(std::size_t default_betas) {
  return std::getenv("RBMKIT_SANITIZER") ? default_betas / 4 : default_betas;
}
inline double ais_tolerance_scale(std::size_t default_betas) {
  return std::sqrt(static_cast<double>(default_betas) / static_cast<double>(ais_test_betas(default_betas)));
}

// Bit j of `state` as a float.
inline float bit(std::uint64_t state, std::size_t j) { return static_cast<float>((state >> j) & 1u); }

// A model with W ~ N(0, w_std^2), a, b ~ N(0, bias_std^2).
inline Model random_model(std::size_t d, std::size_t H, double w_std, double bias_std, std::uint64_t seed) {
  Model m;
  m.W.resize(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(H));
  m.a.resize(static_cast<Eigen::Index>(d));
  m.b.resize(static_cast<Eigen::Index>(H));
  RandomStream rng(seed, 12345);
  for (Eigen::Index k = 0; k < m.W.size(); ++k) m.W.data()[k] = static_cast<float>(w_std * rng.normal());
  for (Eigen::Index k = 0; k < m.a.size(); ++k) m.a[k] = static_cast<float>(bias_std * rng.normal());
  for (Eigen::Index k = 0; k < m.b.size(); ++k) m.b[k] = static_cast<float>(bias_std * rng.normal());
  m.visible_bias = true;
  return m;
}

// -E(v, h) = v^T W h + a^T v + b^T h for states given as bit patterns.
inline double neg_energy(const Model& m, std::uint64_t v, std::uint64_t h) {
  double s = 0.0;
  for (Eigen::Index i = 0; i < m.W.rows(); ++i) {
    if (!((v >> i) & 1u)) continue;
    s += m.a[i];
    for (Eigen::Index j = 0; j < m.W.cols(); ++j)
      if ((h >> j) & 1u) s += m.W(i, j);
  }
  for (Eigen::Index j = 0; j < m.W.cols(); ++j)
    if ((h >> j) & 1u) s += m.b[j];
  return s;
}

// The exact distribution: log p(v) for every visible state (bit pattern) and log Z.
struct Exact {
  std::vector<double> log_pv;
  double log_z = -INFINITY;
};

inline Exact enumerate_joint(const Model& m) {
  const std::uint64_t nv = std::uint64_t{1} << m.W.rows(), nh = std::uint64_t{1} << m.W.cols();
  Exact e;
  e.log_pv.assign(nv, -INFINITY);
  for (std::uint64_t v = 0; v < nv; ++v) {
    for (std::uint64_t h = 0; h < nh; ++h) e.log_pv[v] = log_add(e.log_pv[v], neg_energy(m, v, h));
    e.log_z = log_add(e.log_z, e.log_pv[v]);
  }
  for (auto& x : e.log_pv) x -= e.log_z;
  return e;
}

// Pearson's chi-square statistic of `counts` (per bin) against n * `probs`, bins with an expected
// count below 5 pooled into one, and its critical value at p = 0.001 (Wilson-Hilferty
// approximation of the quantile, dof = bins - 1).
struct ChiSquare {
  double statistic = 0;
  int bins = 0;
  double critical = 0;
};

inline ChiSquare chi_square(const std::vector<double>& counts, const std::vector<double>& probs, double n) {
  ChiSquare c;
  double pooled_obs = 0, pooled_exp = 0;
  for (std::size_t v = 0; v < counts.size(); ++v) {
    const double expected = n * probs[v];
    if (expected < 5) {
      pooled_obs += counts[v];
      pooled_exp += expected;
      continue;
    }
    c.statistic += (counts[v] - expected) * (counts[v] - expected) / expected;
    ++c.bins;
  }
  if (pooled_exp >= 5) {
    c.statistic += (pooled_obs - pooled_exp) * (pooled_obs - pooled_exp) / pooled_exp;
    ++c.bins;
  }
  const double k = c.bins - 1, z = 3.090;
  c.critical = k * std::pow(1 - 2 / (9 * k) + z * std::sqrt(2 / (9 * k)), 3);
  return c;
}

// Mean exact log-likelihood of binary data rows (as bit patterns).
inline double mean_log_likelihood(const Exact& e, const std::vector<std::uint64_t>& data) {
  double s = 0.0;
  for (auto v : data) s += e.log_pv[v];
  return s / static_cast<double>(data.size());
}

// Exact gradient of the mean log-likelihood of `data` (bit patterns):
//   dW_ij = <v_i p(h_j|v)>_data - <v_i p(h_j|v)>_model, da, db likewise.
struct ExactGradient {
  std::vector<double> dW;  // (d, H) row-major
  std::vector<double> da, db;
};

inline ExactGradient exact_gradient(const Model& m, const std::vector<std::uint64_t>& data) {
  const std::size_t d = static_cast<std::size_t>(m.W.rows()), H = static_cast<std::size_t>(m.W.cols());
  const Exact e = enumerate_joint(m);
  ExactGradient g{std::vector<double>(d * H, 0.0), std::vector<double>(d, 0.0), std::vector<double>(H, 0.0)};
  auto accumulate = [&](std::uint64_t v, double weight) {
    for (std::size_t j = 0; j < H; ++j) {
      double s = m.b[static_cast<Eigen::Index>(j)];
      for (std::size_t i = 0; i < d; ++i) s += bit(v, i) * m.W(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      const double p = sigm(s);
      g.db[j] += weight * p;
      for (std::size_t i = 0; i < d; ++i) g.dW[i * H + j] += weight * bit(v, i) * p;
    }
    for (std::size_t i = 0; i < d; ++i) g.da[i] += weight * bit(v, i);
  };
  for (auto v : data) accumulate(v, 1.0 / static_cast<double>(data.size()));
  for (std::uint64_t v = 0; v < e.log_pv.size(); ++v) accumulate(v, -std::exp(e.log_pv[v]));
  return g;
}

// Rows of a (n, d) matrix from bit patterns.
inline Matrix to_matrix(const std::vector<std::uint64_t>& states, std::size_t d) {
  Matrix X(static_cast<Eigen::Index>(states.size()), static_cast<Eigen::Index>(d));
  for (std::size_t r = 0; r < states.size(); ++r)
    for (std::size_t i = 0; i < d; ++i) X(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(i)) = bit(states[r], i);
  return X;
}

// A byte-backed binary Dataset whose rows are the bit patterns `states` (d bits each).
inline Dataset dataset_from(const std::vector<std::uint64_t>& states, std::size_t d) {
  std::vector<std::uint8_t> bytes;
  for (auto s : states)
    for (std::size_t i = 0; i < d; ++i) bytes.push_back(static_cast<std::uint8_t>((s >> i) & 1u));
  return Dataset::from_bytes(states.size(), d, std::move(bytes));
}

// Bars and stripes on an n x n grid (MacKay 2003): every image whose rows are all constant or
// whose columns are all constant; 2^(n+1) - 2 distinct patterns, pixel (r, c) is bit r * n + c.
inline std::vector<std::uint64_t> bars_and_stripes(std::size_t n) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    std::uint64_t rows = 0, cols = 0;
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < n; ++c) {
        if ((mask >> r) & 1u) rows |= std::uint64_t{1} << (r * n + c);
        if ((mask >> c) & 1u) cols |= std::uint64_t{1} << (r * n + c);
      }
    out.push_back(rows);
    if (mask != 0 && mask != (std::uint64_t{1} << n) - 1) out.push_back(cols);
  }
  return out;
}

// The loop settings these tests were written against: the exercise's CD-3 on one example per
// update (lr 0.01, W ~ N(0, 0.1^2), 100,000 updates), with a visible bias. Tests change what
// they need from here.
inline TrainConfig exercise_config() {
  TrainConfig c;
  c.cd_k = 3;
  c.sgd.learning_rate = 0.01f;
  c.batch = 1;
  c.updates = 100000;
  c.epochs = 0;
  c.init_std = 0.1f;
  return c;
}

}  // namespace rbmkit::test
