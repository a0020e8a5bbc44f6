#include "annealing_path.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/annealing.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/softplus_sums.hpp"
#include "rbmkit/kernels/sparse_product.hpp"
#include "rbmkit/model/products.hpp"
#include "rbmkit/model/units.hpp"
#include "rbmkit/sampling/gibbs.hpp"

namespace rbmkit {

std::vector<double> annealing_schedule(std::size_t n) {
  if (n < 3) throw InvalidArgument("the annealing schedule needs at least 3 betas (got " + std::to_string(n) + ")");
  const double scale = static_cast<double>(n) / static_cast<double>(kDefaultBetas);
  const auto n1 = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(500.0 * scale)));
  const auto n2 = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(4000.0 * scale)));
  const std::size_t n3 = n - n1 - n2;
  std::vector<double> betas;
  betas.reserve(n);
  for (std::size_t k = 0; k < n1; ++k) betas.push_back(0.5 * static_cast<double>(k) / static_cast<double>(n1));
  for (std::size_t k = 0; k < n2; ++k) betas.push_back(0.5 + 0.4 * static_cast<double>(k) / static_cast<double>(n2));
  for (std::size_t k = 0; k < n3; ++k)
    betas.push_back(n3 == 1 ? 1.0 : 0.9 + 0.1 * static_cast<double>(k) / static_cast<double>(n3 - 1));
  betas.back() = 1.0;
  return betas;
}

Vector base_rate_biases(const Matrix& X) {
  if (X.rows() == 0) throw DataError("no examples to take the base rate from");
  const auto n = static_cast<double>(X.rows());
  const Eigen::VectorXd sums = X.colwise().sum().transpose().cast<double>();  // exact for 0/1 data
  const Eigen::ArrayXd p = (sums.array() + 0.05 * n) / (1.1 * n);
  return (p / (1.0 - p)).log().cast<float>().matrix();
}

Vector base_model_biases(UnitType visible_units, const Matrix& X) {
  if (visible_units == UnitType::Bernoulli) return base_rate_biases(X);
  if (visible_units != UnitType::Gaussian)
    throw InvalidArgument("annealing supports Bernoulli and Gaussian visible units, not " + to_string(visible_units));
  if (X.rows() == 0) throw DataError("no examples to take the base model's mean from");
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(X.cols());
  for (Eigen::Index r = 0; r < X.rows(); ++r) mean += X.row(r).transpose().cast<double>();
  return (mean / static_cast<double>(X.rows())).cast<float>();
}

double base_log_partition(const Vector& base_a, std::size_t n_hidden, UnitType visible_units, UnitType hidden_units) {
  check_unit_types(visible_units, hidden_units);
  const double states = hidden_units == UnitType::Ternary ? 3.0 : 2.0;
  double log_z = static_cast<double>(n_hidden) * std::log(states);
  if (visible_units == UnitType::Gaussian) return log_z + 0.5 * static_cast<double>(base_a.size()) * kLog2Pi;
  for (Eigen::Index i = 0; i < base_a.size(); ++i) log_z += softplus(static_cast<double>(base_a[i]));
  return log_z;
}

namespace detail {
namespace {

// The tag of a draw at block `block` of every chain's own stream.
DrawTag chain_tag(const ChainBlock& c, std::uint64_t block) { return {c.seed, 0, block, c.stream_ids.data()}; }

}  // namespace

AnnealingPath::AnnealingPath(const Model& model, const Vector& a_base, Precision precision)
    : m(model), base_a(a_base) {
  if (static_cast<std::size_t>(a_base.size()) != model.n_visible())
    throw InvalidArgument("the base model's visible parameters have " + std::to_string(a_base.size()) +
                          " entries but the model has " + std::to_string(model.n_visible()) + " visible units");
  check_unit_types(model.visible_units, model.hidden_units);
  delta_a = model.a - a_base;
  delta_a_d = model.a.cast<double>() - a_base.cast<double>();
  if (model.visible_units == UnitType::Gaussian)
    visible_offset = -0.5 * (model.a.cast<double>().squaredNorm() - a_base.cast<double>().squaredNorm());
  if (resolve_precision(precision) == Precision::Bf16)
    Wt_bf16.assign(model.W, true);
  else
    Wt = model.W.transpose();
  hidden_blocks = draw_blocks_per_row(model.hidden_units, model.n_hidden());
  visible_blocks = draw_blocks_per_row(model.visible_units, model.n_visible());
}

ChainBlock::ChainBlock(const AnnealingPath& path, std::vector<std::uint64_t> ids, std::uint64_t s)
    : log_w(ids.size(), 0.0), stream_ids(std::move(ids)), seed(s) {
  V.resize(static_cast<Eigen::Index>(stream_ids.size()), path.m.W.rows());
}

void draw_base(const AnnealingPath& path, ChainBlock& c) {
  c.P.resize(c.V.rows(), c.V.cols());
  c.P.rowwise() = path.base_a.transpose();
  visible_means(path.m.visible_units, c.P);  // sigm(a_A), or a_A itself for Gaussian units
  sample_visible(path.m.visible_units, c.P, c.V, chain_tag(c, path.hidden_blocks));
}

void tempered_hidden(const AnnealingPath& path, ChainBlock& c, double beta) {
  sparse_times(c.V, path.m.W, c.X);
  c.X.rowwise() += path.m.b.transpose();
  c.T = static_cast<float>(beta) * c.X;
  c.S = c.T;
  hidden_means(path.m.hidden_units, c.S);
}

void add_log_ratio(const AnnealingPath& path, ChainBlock& c, double beta, double other, double sign) {
  const double delta = other - beta;
  const auto H = static_cast<std::size_t>(c.X.cols());
  if (path.m.visible_units == UnitType::Gaussian) {
    c.visible.resize(c.V.rows());
    for (Eigen::Index r = 0; r < c.V.rows(); ++r)
      c.visible[r] = c.V.row(r).transpose().cast<double>().dot(path.delta_a_d) + path.visible_offset;
  } else {
    c.visible = (c.V * path.delta_a).cast<double>();
  }
  const bool ternary = path.m.hidden_units == UnitType::Ternary;
  for (Eigen::Index r = 0; r < c.V.rows(); ++r) {
    const float* t = c.T.row(r).data();
    const float* x = c.X.row(r).data();
    const double hidden = ternary ? ternary_delta_sum(t, x, static_cast<float>(delta), H)
                                  : softplus_delta_sum(t, c.S.row(r).data(), x, static_cast<float>(delta), H);
    c.log_w[static_cast<std::size_t>(r)] += sign * (delta * c.visible[r] + hidden);
  }
}

void gibbs_sweep(const AnnealingPath& path, ChainBlock& c, double beta, std::uint64_t step) {
  const std::uint64_t first = step * (path.hidden_blocks + path.visible_blocks);
  sample_hidden(path.m.hidden_units, c.S, c.S, chain_tag(c, first));
  if (path.Wt_bf16.empty())
    sparse_times(c.S, path.Wt, c.P);
  else
    path.Wt_bf16.multiply(c.S, c.P);
  const Vector a_beta = path.base_a + static_cast<float>(beta) * path.delta_a;
  c.P *= static_cast<float>(beta);
  c.P.rowwise() += a_beta.transpose();
  visible_means_and_states(path.m.visible_units, c.P, c.V, chain_tag(c, first + path.hidden_blocks));
}

StepProgress::StepProgress(ProgressSink sink, std::string stage, std::uint64_t total_steps)
    : sink_(std::move(sink)), stage_(std::move(stage)), total_(std::max<std::uint64_t>(total_steps, 1)) {
  if (sink_) sink_(stage_, 0.0);
}

void StepProgress::add(std::uint64_t steps) {
  if (!sink_) return;
  const std::uint64_t done = done_.fetch_add(steps, std::memory_order_relaxed) + steps;
  if (omp_get_thread_num() != 0 || done < next_) return;
  next_ = done + total_ / 100;
  sink_(stage_, std::min(1.0, static_cast<double>(done) / static_cast<double>(total_)));
}

MeanStd mean_std(const std::vector<double>& x) {
  const auto n = static_cast<double>(x.size());
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= n;
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, x.size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0};
}

}  // namespace detail
}  // namespace rbmkit
