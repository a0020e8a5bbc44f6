#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "annealing_path.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/evaluation/exact.hpp"
#include "rbmkit/evaluation/raise.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/model/free_energy.hpp"

namespace rbmkit {

std::vector<std::size_t> choose_examples(std::size_t n, std::size_t k, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (n <= k) return order;
  RandomStream rng(seed, stream_id(Purpose::Raise, 0));
  for (std::size_t i = 0; i < k; ++i) std::swap(order[i], order[i + rng.below(n - i)]);
  order.resize(k);
  return order;
}

RaiseResult raise_log_likelihood(const Model& m, const Matrix& examples, const Vector& base_a, std::size_t betas,
                                 std::uint64_t seed, const ProgressSink& progress,
                                 Precision precision) {
  if (static_cast<std::size_t>(base_a.size()) != m.n_visible())
    throw InvalidArgument("the base-rate biases have " + std::to_string(base_a.size()) + " entries but the model has " +
                          std::to_string(m.n_visible()) + " visible units");
  if (examples.rows() == 0) throw DataError("RAISE needs at least one example (got none)");
  if (examples.cols() != m.W.rows())
    throw DataError("the examples have " + std::to_string(examples.cols()) + " columns but the model has " +
                    std::to_string(m.W.rows()) + " visible units");
  const std::vector<double> beta = annealing_schedule(betas);
  const std::size_t K = beta.size();
  const detail::AnnealingPath path(m, base_a, precision);
  RaiseResult result;
  result.log_z_base = base_log_partition(base_a, m.n_hidden(), m.visible_units, m.hidden_units);
  result.betas = K;
  const Eigen::Index n = examples.rows();
  result.log_p.assign(static_cast<std::size_t>(n), 0.0);
  result.log_z.assign(static_cast<std::size_t>(n), 0.0);
  const Eigen::Index blocks = (n + detail::kChainBlock - 1) / detail::kChainBlock;
  detail::StepProgress steps(progress, "RAISE", static_cast<std::uint64_t>(blocks) * K);
#pragma omp parallel for schedule(dynamic)
  for (Eigen::Index blk = 0; blk < blocks; ++blk) {
    const Eigen::Index first = blk * detail::kChainBlock, last = std::min(n, first + detail::kChainBlock);
    std::vector<std::uint64_t> ids;
    for (Eigen::Index r = first; r < last; ++r) ids.push_back(stream_id(Purpose::Raise, 1 + static_cast<std::uint64_t>(r)));
    detail::ChainBlock c(path, std::move(ids), seed);
    c.V = examples.middleRows(first, last - first);
    detail::tempered_hidden(path, c, beta[K - 1]);
    for (std::size_t k = K - 1; k >= 1; --k) {
      detail::gibbs_sweep(path, c, beta[k], k);
      detail::tempered_hidden(path, c, beta[k - 1]);
      detail::add_log_ratio(path, c, beta[k - 1], beta[k], 1.0);
      if (k % 64 == 0) steps.add(64);
    }
    for (Eigen::Index r = first; r < last; ++r) {
      const auto i = static_cast<std::size_t>(r);
      result.log_z[i] = result.log_z_base + c.log_w[static_cast<std::size_t>(r - first)];
      result.log_p[i] = -free_energy_exact(m, examples.row(r).data()) - result.log_z[i];
    }
  }
  const auto z = detail::mean_std(result.log_z), p = detail::mean_std(result.log_p);
  const double root_n = std::sqrt(static_cast<double>(n));
  result.mean_log_z = z.mean;
  result.log_z_std_error = z.std / root_n;
  result.mean_log_p = p.mean;
  result.log_p_std_error = p.std / root_n;
  const std::size_t groups = std::min<std::size_t>(4, static_cast<std::size_t>(n));
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t first = g * result.log_z.size() / groups, last = (g + 1) * result.log_z.size() / groups;
    double sum = 0;
    for (std::size_t i = first; i < last; ++i) sum += result.log_z[i];
    result.group_mean_log_z.push_back(sum / static_cast<double>(last - first));
  }
  const auto [lo, hi] = std::minmax_element(result.group_mean_log_z.begin(), result.group_mean_log_z.end());
  result.group_spread = *hi - *lo;
  return result;
}

}  // namespace rbmkit
