#include "rbmkit/likelihood.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/math.hpp"
#include "rbmkit/softplus_sums.hpp"

namespace rbmkit {
namespace {

// log sum over s in {0,1}^n of exp(c^T s + sum_k softplus(e_k + M_k . s)), where M (m, n) is
// given by a column accessor col(j, k) and c (n), e (m). States are visited in Gray-code order
// so each step adds or subtracts one column of M: O(m) per term. Chunks of the state space run
// on separate threads and are merged in chunk order (deterministic for a thread count).
template <class Column>
double enumerate(std::size_t n, std::size_t m, const Column& col, const Vector& c, const Vector& e) {
  const std::uint64_t terms = std::uint64_t{1} << n;
  const std::uint64_t chunk_bits = n > 12 ? 12 : n;
  const std::uint64_t chunks = terms >> chunk_bits;
  std::vector<LogSumExp> partial(chunks);
#pragma omp parallel for schedule(dynamic)
  for (std::uint64_t chunk = 0; chunk < chunks; ++chunk) {
    const std::uint64_t first = chunk << chunk_bits;
    std::vector<double> input(m);
    std::vector<int> state(n, 0);
    double linear = 0.0;
    // Gray code g(t) = t ^ (t >> 1); start at g(first).
    const std::uint64_t g0 = first ^ (first >> 1);
    for (std::size_t k = 0; k < m; ++k) input[k] = e[static_cast<Eigen::Index>(k)];
    for (std::size_t j = 0; j < n; ++j)
      if ((g0 >> j) & 1) {
        state[j] = 1;
        linear += c[static_cast<Eigen::Index>(j)];
        for (std::size_t k = 0; k < m; ++k) input[k] += col(j, k);
      }
    LogSumExp acc;
    for (std::uint64_t t = first;; ) {
      double s = linear;
      for (std::size_t k = 0; k < m; ++k) s += softplus(input[k]);
      acc.add(s);
      if (++t == first + (std::uint64_t{1} << chunk_bits)) break;
      const auto j = static_cast<std::size_t>(__builtin_ctzll(t));  // bit flipped from g(t-1) to g(t)
      const double sign = state[j] ? -1.0 : 1.0;
      state[j] ^= 1;
      linear += sign * c[static_cast<Eigen::Index>(j)];
      for (std::size_t k = 0; k < m; ++k) input[k] += sign * col(j, k);
    }
    partial[chunk] = acc;
  }
  LogSumExp total;
  for (const auto& p : partial) total.add(p);
  return total.value();
}

// The same sum by the Float path (likelihood.hpp): the low `kLowBits` enumerated units' partial
// inputs are tabulated, the high units' partial input is computed in double once per block of
// 2^kLowBits terms, and each term's softplus sum runs in float over rows padded to whole
// SIMD chunks. Blocks are grouped into at most 4096 tasks, merged in order (deterministic).
template <class Column>
double enumerate_float(std::size_t n, std::size_t m, const Column& col, const Vector& c, const Vector& e) {
  constexpr std::size_t kLowBits = 8;
  constexpr std::size_t kChunk = 16;
  constexpr float kNothing = -1e30f;  // padding input: softplus(-1e30) = 0
  const std::size_t low = std::min(n, kLowBits), high = n - low;
  const std::size_t rows = std::size_t{1} << low;
  const std::size_t stride = (m + kChunk - 1) / kChunk * kChunk;
  std::vector<double> cols(n * m);
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t k = 0; k < m; ++k) cols[j * m + k] = col(j, k);

  std::vector<float> table(rows * stride, 0.0f);
  std::vector<double> low_linear(rows, 0.0), partial_input(rows * m, 0.0);
  for (std::size_t l = 1; l < rows; ++l) {
    const auto j = static_cast<std::size_t>(__builtin_ctzll(l));
    const std::size_t prev = l & (l - 1);
    low_linear[l] = low_linear[prev] + c[static_cast<Eigen::Index>(j)];
    for (std::size_t k = 0; k < m; ++k) {
      partial_input[l * m + k] = partial_input[prev * m + k] + cols[j * m + k];
      table[l * stride + k] = static_cast<float>(partial_input[l * m + k]);
    }
  }

  const std::size_t group_bits = high > 12 ? high - 12 : 0;
  const std::uint64_t tasks = std::uint64_t{1} << (high - group_bits);
  std::vector<LogSumExp> partial(tasks);
#pragma omp parallel
  {
    std::vector<double> base(m);
    std::vector<float> base_f(stride, kNothing);
#pragma omp for schedule(dynamic)
    for (std::uint64_t task = 0; task < tasks; ++task) {
      LogSumExp acc;
      for (std::uint64_t block = task << group_bits; block < (task + 1) << group_bits; ++block) {
        double linear = 0.0;
        for (std::size_t k = 0; k < m; ++k) base[k] = e[static_cast<Eigen::Index>(k)];
        for (std::size_t j = 0; j < high; ++j) {
          if (!((block >> j) & 1)) continue;
          linear += c[static_cast<Eigen::Index>(low + j)];
          const double* w = &cols[(low + j) * m];
          for (std::size_t k = 0; k < m; ++k) base[k] += w[k];
        }
        for (std::size_t k = 0; k < m; ++k) base_f[k] = static_cast<float>(base[k]);
        for (std::size_t l = 0; l < rows; ++l)
          acc.add(linear + low_linear[l] + softplus_sum_offset(base_f.data(), &table[l * stride], stride));
      }
      partial[task] = acc;
    }
  }
  LogSumExp total;
  for (const auto& p : partial) total.add(p);
  return total.value();
}

}  // namespace

double log_partition_exact(const Model& m, std::uint64_t cap, EnumerationPath path) {
  const std::size_t d = m.n_visible(), H = m.n_hidden();
  const std::size_t n = std::min(d, H);
  if (n >= 63 || (std::uint64_t{1} << n) > cap)
    throw InvalidArgument("exact log Z would enumerate 2^" + std::to_string(n) + " states (" +
                          (n >= 63 ? std::string("too many") : std::to_string(std::uint64_t{1} << n)) +
                          " terms), more than the cap of " + std::to_string(cap));
  const std::size_t larger = std::max(d, H);
  const bool use_float = path == EnumerationPath::Float ||
                         (path == EnumerationPath::Auto &&
                          std::ldexp(static_cast<double>(larger), static_cast<int>(n)) >= kFloatEnumerationWork);
  if (H <= d) {
    auto col = [&](std::size_t j, std::size_t i) {
      return static_cast<double>(m.W(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
    };
    return use_float ? enumerate_float(H, d, col, m.b, m.a) : enumerate(H, d, col, m.b, m.a);
  }
  auto row = [&](std::size_t i, std::size_t j) {
    return static_cast<double>(m.W(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
  };
  return use_float ? enumerate_float(d, H, row, m.a, m.b) : enumerate(d, H, row, m.a, m.b);
}

bool exact_is_practical(const Model& m) { return std::min(m.n_visible(), m.n_hidden()) <= kQuickEnumerationBits; }

double free_energy_exact(const Model& m, const float* x) {
  double f = 0.0;
  const Eigen::Index d = m.W.rows(), H = m.W.cols();
  for (Eigen::Index i = 0; i < d; ++i) f -= static_cast<double>(m.a[i]) * x[i];
  for (Eigen::Index j = 0; j < H; ++j) {
    double s = m.b[j];
    for (Eigen::Index i = 0; i < d; ++i) s += static_cast<double>(m.W(i, j)) * x[i];
    f -= softplus(s);
  }
  return f;
}

double mean_log_likelihood(const Model& m, const Matrix& X, double log_z) {
  if (X.cols() != m.W.rows())
    throw DataError("data has " + std::to_string(X.cols()) + " columns but the model has " +
                    std::to_string(m.W.rows()) + " visible units");
  if (X.rows() == 0) throw DataError("no examples to evaluate");
  double sum = 0.0;
  for (Eigen::Index r = 0; r < X.rows(); ++r) sum += -free_energy_exact(m, X.row(r).data()) - log_z;
  return sum / static_cast<double>(X.rows());
}

}  // namespace rbmkit
