#include "rbmkit/model/units.hpp"

#include <cmath>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"

namespace rbmkit {
namespace {

constexpr Eigen::Index kParallelElementwiseMin = 16384;  // as the parallel draws (kernels/draws.cpp)

// tern(s) = 2 sinh(s) / (1 + 2 cosh(s)) = sign(s) (1 - e^2) / (1 + e + e^2), e = exp(-|s|).
void ternary_means_inplace(Matrix& S) {
  auto s = S.array();
  const auto e = (-s.abs()).exp().eval();
  s = s.sign() * (1.0f - e.square()) / (1.0f + e + e.square());
}

float ternary_draw(float m, float u) {
  const float m2 = m * m;
  const float p0 = (1.0f - m2) / (1.0f + std::sqrt(4.0f - 3.0f * m2));
  const float p_minus = 0.5f * (1.0f - m - p0);
  if (u < p_minus) return -1.0f;
  return u < p_minus + p0 ? 0.0f : 1.0f;
}

// S = state(M, z) elementwise, row r's z (cols values) filled by fill(rng, z, cols) from its
// stream (for_each_draw_row); S may alias M.
template <class Fill, class State>
void draw_states(const Matrix& M, Matrix& S, const DrawTag& tag, std::uint64_t per_row, Fill fill, State state) {
  const Eigen::Index n = M.cols();
  if (&S != &M) S.resize(M.rows(), n);
  for_each_draw_row(M.rows(), n, per_row, tag, [&](Eigen::Index r, RandomStream& rng) {
    thread_local std::vector<float> z;
    z.resize(static_cast<std::size_t>(n));
    fill(rng, z.data(), z.size());
    const float* m = M.row(r).data();
    float* s = S.row(r).data();
    for (Eigen::Index j = 0; j < n; ++j) s[j] = state(m[j], z[static_cast<std::size_t>(j)]);
  });
}

// sigm(A) in place, rows split between the threads for large matrices (elementwise, so the
// same bits either way).
void sigmoid_inplace(Matrix& A) {
  const Eigen::Index n = A.cols();
  if (A.size() < kParallelElementwiseMin) return sigmoid(A.data(), A.data(), static_cast<std::size_t>(A.size()));
#pragma omp parallel for schedule(static)
  for (Eigen::Index r = 0; r < A.rows(); ++r) sigmoid(A.row(r).data(), A.row(r).data(), static_cast<std::size_t>(n));
}

const auto fill_uniform = [](RandomStream& rng, float* z, std::size_t n) { rng.uniform(z, n); };
const auto fill_normal = [](RandomStream& rng, float* z, std::size_t n) { rng.normal(z, n); };

}  // namespace

void sample_bernoulli(const Matrix& P, Matrix& S, const DrawTag& tag) {
  draw_states(P, S, tag, blocks_per_row(static_cast<std::uint64_t>(P.cols())), fill_uniform,
              [](float p, float u) { return u < p ? 1.0f : 0.0f; });
}

void sample_bernoulli_from_inputs(Matrix& X, Matrix& S, const DrawTag& tag, float beta) {
  const Eigen::Index n = X.cols();
  S.resize(X.rows(), n);
  for_each_draw_row(X.rows(), n, blocks_per_row(static_cast<std::uint64_t>(n)), tag,
                    [&](Eigen::Index r, RandomStream& rng) {
                      thread_local std::vector<float> u;
                      u.resize(static_cast<std::size_t>(n));
                      rng.uniform(u.data(), u.size());
                      float* x = X.row(r).data();
                      if (beta != 1.0f)
                        for (Eigen::Index j = 0; j < n; ++j) x[j] *= beta;
                      sigmoid(x, x, static_cast<std::size_t>(n));
                      float* s = S.row(r).data();
                      for (Eigen::Index j = 0; j < n; ++j) s[j] = u[static_cast<std::size_t>(j)] < x[j] ? 1.0f : 0.0f;
                    });
}

void hidden_means_and_states(UnitType t, Matrix& X, Matrix& S, const DrawTag& tag, float beta) {
  if (t == UnitType::Bernoulli) return sample_bernoulli_from_inputs(X, S, tag, beta);
  hidden_means(t, X, beta);
  sample_hidden(t, X, S, tag);
}

void visible_means_and_states(UnitType t, Matrix& X, Matrix& S, const DrawTag& tag, float beta) {
  if (t == UnitType::Bernoulli) return sample_bernoulli_from_inputs(X, S, tag, beta);
  visible_means(t, X, beta);
  sample_visible(t, X, S, tag, beta);
}

std::uint64_t draw_blocks_per_row(UnitType t, std::uint64_t cols) {
  return blocks_per_row(t == UnitType::Gaussian ? 2 * cols : cols);
}

void hidden_means(UnitType t, Matrix& S, float beta) {
  if (beta != 1.0f) S *= beta;
  switch (t) {
    case UnitType::Bernoulli: sigmoid_inplace(S); return;
    case UnitType::Ternary: ternary_means_inplace(S); return;
    case UnitType::Gaussian: break;
  }
  throw InvalidArgument("hidden units of type " + to_string(t) + " are not supported");
}

void visible_means(UnitType t, Matrix& R, float beta) {
  switch (t) {
    case UnitType::Bernoulli:
      if (beta != 1.0f) R *= beta;
      sigmoid_inplace(R);
      return;
    case UnitType::Gaussian: return;
    case UnitType::Ternary: break;
  }
  throw InvalidArgument("visible units of type " + to_string(t) + " are not supported");
}

void sample_hidden(UnitType t, const Matrix& M, Matrix& S, const DrawTag& tag) {
  if (t == UnitType::Bernoulli) return sample_bernoulli(M, S, tag);
  if (t != UnitType::Ternary) throw InvalidArgument("hidden units of type " + to_string(t) + " are not supported");
  draw_states(M, S, tag, draw_blocks_per_row(t, static_cast<std::uint64_t>(M.cols())), fill_uniform, ternary_draw);
}

void sample_visible(UnitType t, const Matrix& M, Matrix& S, const DrawTag& tag, float beta) {
  if (t == UnitType::Bernoulli) return sample_bernoulli(M, S, tag);
  if (t != UnitType::Gaussian) throw InvalidArgument("visible units of type " + to_string(t) + " are not supported");
  const float scale = 1.0f / std::sqrt(beta);
  draw_states(M, S, tag, draw_blocks_per_row(t, static_cast<std::uint64_t>(M.cols())), fill_normal,
              [scale](float m, float z) { return m + scale * z; });
}

double hidden_log_partition(UnitType t, double s) {
  switch (t) {
    case UnitType::Bernoulli: return softplus(s);
    case UnitType::Ternary: {
      const double e = std::exp(-std::fabs(s));
      return std::fabs(s) + std::log1p(e + e * e);
    }
    case UnitType::Gaussian: break;
  }
  throw InvalidArgument("hidden units of type " + to_string(t) + " are not supported");
}

double hidden_log_partition_sum(UnitType t, const float* s, std::size_t n) {
  double sum = 0.0;
  for (std::size_t j = 0; j < n; ++j) sum += hidden_log_partition(t, static_cast<double>(s[j]));
  return sum;
}

double visible_energy(const Model& m, const float* x) {
  const Eigen::Map<const Vector> v(x, m.a.size());
  if (m.visible_units == UnitType::Gaussian) return 0.5 * (v - m.a).cast<double>().squaredNorm();
  if (m.visible_units != UnitType::Bernoulli)
    throw InvalidArgument("visible units of type " + to_string(m.visible_units) + " are not supported");
  return -v.cast<double>().dot(m.a.cast<double>());
}

void check_unit_types(UnitType visible, UnitType hidden) {
  if (visible != UnitType::Bernoulli && visible != UnitType::Gaussian)
    throw InvalidArgument("visible units of type " + to_string(visible) +
                          " are not supported (expected bernoulli or gaussian)");
  if (hidden != UnitType::Bernoulli && hidden != UnitType::Ternary)
    throw InvalidArgument("hidden units of type " + to_string(hidden) +
                          " are not supported (expected bernoulli or ternary)");
}

const std::vector<float>& unit_states(UnitType t) {
  static const std::vector<float> binary{0.0f, 1.0f}, ternary{-1.0f, 0.0f, 1.0f};
  if (t == UnitType::Bernoulli) return binary;
  if (t == UnitType::Ternary) return ternary;
  throw InvalidArgument("units of type " + to_string(t) + " have no finite set of states");
}

}  // namespace rbmkit
