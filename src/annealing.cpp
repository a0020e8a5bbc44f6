#include "annealing.hpp"

#include <cmath>
#include <string>

#include "rbmkit/error.hpp"
#include "rbmkit/estimators.hpp"
#include "rbmkit/gibbs.hpp"
#include "rbmkit/math.hpp"
#include "rbmkit/random.hpp"
#include "rbmkit/softplus_sums.hpp"
#include "rbmkit/sparse_product.hpp"

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

double base_log_partition(const Vector& base_a, std::size_t n_hidden) {
  double log_z = static_cast<double>(n_hidden) * std::log(2.0);
  for (Eigen::Index i = 0; i < base_a.size(); ++i) log_z += softplus(static_cast<double>(base_a[i]));
  return log_z;
}

namespace detail {
namespace {

std::uint64_t hidden_blocks(const Model& m) { return blocks_per_row(m.n_hidden()); }
std::uint64_t visible_blocks(const Model& m) { return blocks_per_row(m.n_visible()); }

// S = [U < P] row by row, row r drawing from block `block` of stream c.stream_ids[r].
void draw(const Matrix& P, Matrix& S, const ChainBlock& c, std::uint64_t block) {
  thread_local std::vector<float> u;
  u.resize(static_cast<std::size_t>(P.cols()));
  S.resize(P.rows(), P.cols());
  for (Eigen::Index r = 0; r < P.rows(); ++r) {
    RandomStream rng(c.seed, c.stream_ids[static_cast<std::size_t>(r)], block);
    rng.uniform(u.data(), u.size());
    const float* p = P.row(r).data();
    float* s = S.row(r).data();
    for (Eigen::Index j = 0; j < P.cols(); ++j) s[j] = u[static_cast<std::size_t>(j)] < p[j] ? 1.0f : 0.0f;
  }
}

void sigmoid_inplace(Matrix& A) { sigmoid(A.data(), A.data(), static_cast<std::size_t>(A.size())); }

}  // namespace

AnnealingPath::AnnealingPath(const Model& model, const Vector& a_base)
    : m(model), Wt(model.W.transpose()), base_a(a_base), delta_a(model.a - a_base) {}

ChainBlock::ChainBlock(const AnnealingPath& path, std::vector<std::uint64_t> ids, std::uint64_t s)
    : log_w(ids.size(), 0.0), stream_ids(std::move(ids)), seed(s) {
  V.resize(static_cast<Eigen::Index>(stream_ids.size()), path.m.W.rows());
}

void draw_base(const AnnealingPath& path, ChainBlock& c) {
  c.P.resize(c.V.rows(), c.V.cols());
  c.P.rowwise() = path.base_a.transpose();
  sigmoid_inplace(c.P);
  draw(c.P, c.V, c, hidden_blocks(path.m));
}

void tempered_hidden(const AnnealingPath& path, ChainBlock& c, double beta) {
  sparse_times(c.V, path.m.W, c.X);
  c.X.rowwise() += path.m.b.transpose();
  c.T = static_cast<float>(beta) * c.X;
  c.S = c.T;
  sigmoid_inplace(c.S);
}

void add_log_ratio(const AnnealingPath& path, ChainBlock& c, double beta, double other, double sign) {
  const double delta = other - beta;
  const auto H = static_cast<std::size_t>(c.X.cols());
  c.visible.noalias() = c.V * path.delta_a;
  for (Eigen::Index r = 0; r < c.V.rows(); ++r) {
    const double visible = c.visible[r];
    const double hidden =
        softplus_delta_sum(c.T.row(r).data(), c.S.row(r).data(), c.X.row(r).data(), static_cast<float>(delta), H);
    c.log_w[static_cast<std::size_t>(r)] += sign * (delta * visible + hidden);
  }
}

void gibbs_sweep(const AnnealingPath& path, ChainBlock& c, double beta, std::uint64_t step) {
  const std::uint64_t first = step * (hidden_blocks(path.m) + visible_blocks(path.m));
  draw(c.S, c.S, c, first);
  sparse_times(c.S, path.Wt, c.P);
  const Vector a_beta = path.base_a + static_cast<float>(beta) * path.delta_a;
  c.P *= static_cast<float>(beta);
  c.P.rowwise() += a_beta.transpose();
  sigmoid_inplace(c.P);
  draw(c.P, c.V, c, first + hidden_blocks(path.m));
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
