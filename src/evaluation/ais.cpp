#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "annealing_path.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/evaluation/ais.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/kernels/streams.hpp"

namespace rbmkit {
namespace {

void check_inputs(const Model& m, const Vector& base_a, std::size_t betas) {
  if (static_cast<std::size_t>(base_a.size()) != m.n_visible())
    throw InvalidArgument("the base-rate biases have " + std::to_string(base_a.size()) + " entries but the model has " +
                          std::to_string(m.n_visible()) + " visible units");
  if (betas < 3) throw InvalidArgument("the annealing schedule needs at least 3 betas (got " + std::to_string(betas) + ")");
}

}  // namespace

WeightDiagnostics weight_diagnostics(const std::vector<double>& log_weights, std::size_t groups) {
  if (log_weights.empty() || groups == 0) throw InvalidArgument("weight diagnostics need weights and groups >= 1");
  const std::size_t M = log_weights.size();
  groups = std::min(groups, M);
  const double top = *std::max_element(log_weights.begin(), log_weights.end());
  double sum = 0, sum_sq = 0, largest = 0;
  for (const double lw : log_weights) {
    const double w = std::exp(lw - top);
    sum += w;
    sum_sq += w * w;
    largest = std::max(largest, w);
  }
  WeightDiagnostics d;
  d.effective_sample_size = sum * sum / sum_sq;
  d.largest_share = largest / sum;
  for (std::size_t g = 0; g < groups; ++g) {
    LogSumExp group;
    const std::size_t first = g * M / groups, last = (g + 1) * M / groups;
    for (std::size_t i = first; i < last; ++i) group.add(log_weights[i]);
    d.group_log_means.push_back(group.value() - std::log(static_cast<double>(last - first)));
  }
  const auto [lo, hi] = std::minmax_element(d.group_log_means.begin(), d.group_log_means.end());
  d.group_spread = *hi - *lo;
  d.unreliable = d.effective_sample_size < std::max(3.0, static_cast<double>(M) / 20.0) || d.largest_share > 0.5 ||
                 d.group_spread > 1.0;
  return d;
}

namespace {

// The log-space summaries of AisResult from the log-weights.
void summarise(AisResult& r) {
  const double top = *std::max_element(r.log_weights.begin(), r.log_weights.end());
  std::vector<double> w(r.log_weights.size());
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = std::exp(r.log_weights[i] - top);
  const auto [mean, std] = detail::mean_std(w);
  const double half_width = 3.0 * std / std::sqrt(static_cast<double>(w.size()));
  const double offset = r.log_z_base + top;
  r.log_z = offset + std::log(mean);
  r.log_z_upper = offset + std::log(mean + half_width);
  r.log_z_lower = mean > half_width ? offset + std::log(mean - half_width) : -std::numeric_limits<double>::infinity();
  r.log_z_std_error = std / (mean * std::sqrt(static_cast<double>(w.size())));
  r.diagnostics = weight_diagnostics(r.log_weights);
}

}  // namespace

AisResult ais_log_partition(const Model& m, const Vector& base_a, const AisOptions& options,
                            const ProgressSink& progress) {
  check_inputs(m, base_a, options.betas);
  if (options.chains == 0) throw InvalidArgument("AIS needs at least one chain (got 0)");
  const std::vector<double> betas = annealing_schedule(options.betas);
  const std::size_t K = betas.size();
  const detail::AnnealingPath path(m, base_a, options.precision);
  AisResult result;
  result.log_z_base = base_log_partition(base_a, m.n_hidden(), m.visible_units, m.hidden_units);
  result.betas = K;
  result.log_weights.assign(options.chains, 0.0);
  result.final_hidden.resize(static_cast<Eigen::Index>(options.chains), m.W.cols());
  const auto chains = static_cast<Eigen::Index>(options.chains);
  const Eigen::Index blocks = (chains + detail::kChainBlock - 1) / detail::kChainBlock;
  detail::StepProgress steps(progress, "AIS", static_cast<std::uint64_t>(blocks) * K);
#pragma omp parallel for schedule(dynamic)
  for (Eigen::Index blk = 0; blk < blocks; ++blk) {
    const Eigen::Index first = blk * detail::kChainBlock, last = std::min(chains, first + detail::kChainBlock);
    std::vector<std::uint64_t> ids;
    for (Eigen::Index r = first; r < last; ++r) ids.push_back(stream_id(Purpose::Ais, static_cast<std::uint64_t>(r)));
    detail::ChainBlock c(path, std::move(ids), options.seed);
    detail::draw_base(path, c);
    for (std::size_t k = 1; k < K; ++k) {
      detail::tempered_hidden(path, c, betas[k]);
      detail::add_log_ratio(path, c, betas[k], betas[k - 1], -1.0);
      if (k + 1 < K) detail::gibbs_sweep(path, c, betas[k], k);
      if (k % 64 == 0) steps.add(64);
    }
    std::copy(c.log_w.begin(), c.log_w.end(), result.log_weights.begin() + first);
    result.final_hidden.middleRows(first, last - first) = c.S;
  }
  summarise(result);
  return result;
}

}  // namespace rbmkit
