#include "rbmkit/sampling/chains.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/model/products.hpp"
#include "rbmkit/sampling/gibbs.hpp"

namespace rbmkit {

Matrix random_examples(const Dataset& data, std::size_t n, std::uint64_t seed) {
  if (n > data.rows())
    throw DataError("asked for " + std::to_string(n) + " examples but the data has " + std::to_string(data.rows()));
  std::vector<std::size_t> order(data.rows());
  std::iota(order.begin(), order.end(), std::size_t{0});
  RandomStream rng(seed, stream_id(Purpose::Sample, 1));
  for (std::size_t i = 0; i < n; ++i) std::swap(order[i], order[i + rng.below(order.size() - i)]);
  Matrix X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(data.cols()));
  for (std::size_t i = 0; i < n; ++i) data.copy_row(order[i], X.row(static_cast<Eigen::Index>(i)).data());
  return X;
}

Matrix noise(std::size_t n, std::size_t d, std::uint64_t seed) {
  Matrix X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  RandomStream rng(seed, stream_id(Purpose::Sample, 2));
  rng.uniform(X.data(), static_cast<std::size_t>(X.size()));
  X = (X.array() < 0.5f).cast<float>();
  return X;
}

Matrix noise_for(const Model& m, std::size_t n, std::uint64_t seed) {
  if (m.visible_units != UnitType::Gaussian) return noise(n, m.n_visible(), seed);
  Matrix X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m.n_visible()));
  RandomStream rng(seed, stream_id(Purpose::Sample, 2));
  rng.normal(X.data(), static_cast<std::size_t>(X.size()));
  X.rowwise() += m.a.transpose();
  return X;
}

Chains run_chains(const Model& m, Matrix start, int steps, std::uint64_t seed, Precision precision) {
  if (start.cols() != m.W.rows())
    throw DataError("chains start with " + std::to_string(start.cols()) + " values per row but the model has " +
                    std::to_string(m.W.rows()) + " visible units");
  if (steps < 1) throw ParameterError("steps", "number of Gibbs steps must be >= 1 (got " + std::to_string(steps) + ")");
  Chains c;
  c.states = std::move(start);
  const Products p(m, precision);
  Matrix P_h;
  hidden_probs(p, c.states, P_h);
  gibbs_steps(p, c.states, P_h, steps, {seed, stream_id(Purpose::Sample, 0), 0}, &c.means);
  return c;
}

Chains run_clamped_chains(const Model& m, Matrix start, const Matrix& clamped, const std::vector<std::uint8_t>& clamp,
                          int steps, std::uint64_t seed, Precision precision) {
  if (start.cols() != m.W.rows() || clamped.rows() != start.rows() || clamped.cols() != start.cols() ||
      clamp.size() != m.n_visible())
    throw DataError("clamped chains: the start (" + std::to_string(start.rows()) + " x " + std::to_string(start.cols()) +
                    "), the clamped values (" + std::to_string(clamped.rows()) + " x " + std::to_string(clamped.cols()) +
                    ") and the mask (" + std::to_string(clamp.size()) + ") must all have the model's " +
                    std::to_string(m.n_visible()) + " visible units");
  if (steps < 1) throw ParameterError("steps", "number of Gibbs steps must be >= 1 (got " + std::to_string(steps) + ")");
  std::vector<Eigen::Index> held;
  for (std::size_t i = 0; i < clamp.size(); ++i)
    if (clamp[i]) held.push_back(static_cast<Eigen::Index>(i));
  const auto hold = [&](Matrix& X) {
    for (const Eigen::Index i : held) X.col(i) = clamped.col(i);
  };
  Chains c;
  c.states = std::move(start);
  hold(c.states);
  const Products p(m, precision);
  Matrix P_h;
  hidden_probs(p, c.states, P_h);
  const std::uint64_t stride = gibbs_stride(m, static_cast<std::uint64_t>(c.states.rows()));
  for (int t = 0; t < steps; ++t) {
    gibbs_steps(p, c.states, P_h, 1, {seed, stream_id(Purpose::Sample, 0), 2 * static_cast<std::uint64_t>(t) * stride},
                &c.means);
    if (held.empty()) continue;
    hold(c.states);
    hidden_probs(p, c.states, P_h);
  }
  hold(c.means);
  return c;
}

}  // namespace rbmkit
