#include "rbmkit/evaluation/exact.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/softplus_sums.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/model/units.hpp"

namespace rbmkit {
namespace {

std::uint64_t power(std::uint64_t radix, std::size_t n) {
  std::uint64_t p = 1;
  for (std::size_t k = 0; k < n; ++k) p *= radix;
  return p;
}

// radix^n > cap, without overflow.
bool exceeds(std::uint64_t radix, std::size_t n, std::uint64_t cap) {
  std::uint64_t p = 1;
  for (std::size_t k = 0; k < n; ++k) {
    if (p > cap / radix) return true;
    p *= radix;
  }
  return p > cap;
}

// "3^12 = 531441", or "2^784 = about 1.02e+236" from 2^63 on.
std::string count_text(const EnumerationPlan& p) {
  std::string s = std::to_string(p.radix) + "^" + std::to_string(p.units) + " = ";
  if (!exceeds(p.radix, p.units, std::uint64_t{1} << 63)) return s + std::to_string(power(p.radix, p.units));
  char buf[40];
  std::snprintf(buf, sizeof buf, "about %.3g", p.terms);
  return s + buf;
}

// Reflected Gray code over n digits with `radix` values each (Knuth, TAOCP 7.2.1.1, the
// reflected mixed-radix order): every step moves one digit one place along its values, the
// lowest digit that can move in its current direction; the digits below it, at an end, turn
// around. Starts with every digit at index 0 and visits all radix^n states.
class GraySweep {
 public:
  GraySweep(std::size_t n, std::size_t radix) : index_(n, 0), direction_(n, 1), radix_(static_cast<int>(radix)) {}

  // Moves to the next state and returns true, with digit j moved from index `from` to `to`;
  // false after the last state.
  bool next(std::size_t& j, int& from, int& to) {
    for (std::size_t k = 0; k < index_.size(); ++k) {
      const int target = index_[k] + direction_[k];
      if (target >= 0 && target < radix_) {
        j = k;
        from = index_[k];
        to = index_[k] = target;
        return true;
      }
      direction_[k] = -direction_[k];
    }
    return false;
  }

 private:
  std::vector<int> index_, direction_;
  int radix_;
};

// Units per chunk swept in Gray-code order by the double paths (4096 or 6561 terms), and the
// low units tabulated by the float path (256 or 243 combinations).
std::size_t chunk_units(std::size_t radix) { return radix == 2 ? 12 : 8; }
std::size_t table_units(std::size_t radix) { return radix == 2 ? 8 : 5; }

// The values of the enumerated units `first`.. `first + count` for combination q (base radix,
// unit `first` in the lowest digit), into z[first..].
void decode(std::uint64_t q, std::size_t first, std::size_t count, const std::vector<float>& states, double* z) {
  const std::uint64_t radix = states.size();
  for (std::size_t j = first; j < first + count; ++j) {
    z[j] = states[static_cast<std::size_t>(q % radix)];
    q /= radix;
  }
}

// A sum over the states z of n enumerated units of a Bernoulli-visible RBM, the other layer's
// m units summed out analytically:
//   log sum_z exp(c^T z + sum_k hp(e_k + sum_j z_j M_jk)),
// hp the log-partition of the summed units (`summed`: softplus for Bernoulli, log(1 + 2 cosh)
// for ternary ones).
struct LayerSum {
  std::size_t n = 0, m = 0;
  std::vector<double> cols;  // (n, m), row j = M_j: the weights from enumerated unit j
  Eigen::VectorXd c, e;      // (n), (m)
  const std::vector<float>* states = nullptr;
  UnitType summed = UnitType::Bernoulli;
};

LayerSum layer_sum(const Model& m, const EnumerationPlan& plan) {
  LayerSum s;
  const bool hidden = plan.layer == EnumeratedLayer::Hidden;
  s.n = hidden ? m.n_hidden() : m.n_visible();
  s.m = hidden ? m.n_visible() : m.n_hidden();
  s.cols.resize(s.n * s.m);
  for (std::size_t j = 0; j < s.n; ++j)
    for (std::size_t k = 0; k < s.m; ++k)
      s.cols[j * s.m + k] = hidden ? m.W(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j))
                                   : m.W(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k));
  s.c = (hidden ? m.b : m.a).cast<double>();
  s.e = (hidden ? m.a : m.b).cast<double>();
  s.states = &unit_states(hidden ? m.hidden_units : UnitType::Bernoulli);
  s.summed = hidden ? UnitType::Bernoulli : m.hidden_units;
  return s;
}

LogSumExp merge(const std::vector<LogSumExp>& partial) {
  LogSumExp total;
  for (const auto& p : partial) total.add(p);
  return total;
}

// The Double path: each chunk fixes the high units (combination q) and sweeps the low ones in
// Gray-code order, adding or subtracting one column of M per term: O(m) per term.
double enumerate_double(const LayerSum& s) {
  const std::vector<float>& states = *s.states;
  const std::size_t radix = states.size();
  const std::size_t low = std::min(s.n, chunk_units(radix)), high = s.n - low;
  const std::uint64_t chunks = power(radix, high);
  std::vector<LogSumExp> partial(chunks);
#pragma omp parallel
  {
    std::vector<double> input(s.m), z(s.n);
#pragma omp for schedule(dynamic)
    for (std::uint64_t q = 0; q < chunks; ++q) {
      std::fill(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(low), static_cast<double>(states[0]));
      decode(q, low, high, states, z.data());
      double linear = 0.0;
      for (std::size_t k = 0; k < s.m; ++k) input[k] = s.e[static_cast<Eigen::Index>(k)];
      for (std::size_t j = 0; j < s.n; ++j) {
        if (z[j] == 0.0) continue;
        linear += z[j] * s.c[static_cast<Eigen::Index>(j)];
        const double* w = &s.cols[j * s.m];
        for (std::size_t k = 0; k < s.m; ++k) input[k] += z[j] * w[k];
      }
      GraySweep gray(low, radix);
      LogSumExp acc;
      std::size_t j = 0;
      int from = 0, to = 0;
      do {
        double sum = linear;
        for (std::size_t k = 0; k < s.m; ++k) sum += hidden_log_partition(s.summed, input[k]);
        acc.add(sum);
        if (!gray.next(j, from, to)) break;
        const double delta = static_cast<double>(states[static_cast<std::size_t>(to)]) - states[static_cast<std::size_t>(from)];
        linear += delta * s.c[static_cast<Eigen::Index>(j)];
        const double* w = &s.cols[j * s.m];
        for (std::size_t k = 0; k < s.m; ++k) input[k] += delta * w[k];
      } while (true);
      partial[q] = acc;
    }
  }
  return merge(partial).value();
}

// The Float path (evaluation/exact.hpp): the low units' partial inputs are tabulated, the high units'
// partial input is computed in double once per block of low combinations, and each term's sum
// of log-partitions runs in float. Blocks are grouped into at most 4096 (binary) or 6561
// (ternary) tasks, merged in order (deterministic).
double enumerate_float(const LayerSum& s) {
  constexpr std::size_t kChunk = 16;
  const std::vector<float>& states = *s.states;
  const std::size_t radix = states.size();
  const std::size_t n = s.n, m = s.m;
  const std::size_t low = std::min(n, table_units(radix)), high = n - low;
  const std::uint64_t rows = power(radix, low);
  const std::size_t stride = (m + kChunk - 1) / kChunk * kChunk;
  const auto kernel = s.summed == UnitType::Ternary ? ternary_sum_offset : softplus_sum_offset;

  std::vector<float> table(rows * stride, 0.0f);
  std::vector<double> low_linear(rows, 0.0), z(n), partial_input(m);
  for (std::uint64_t l = 0; l < rows; ++l) {
    decode(l, 0, low, states, z.data());
    std::fill(partial_input.begin(), partial_input.end(), 0.0);
    for (std::size_t j = 0; j < low; ++j) {
      if (z[j] == 0.0) continue;
      low_linear[l] += z[j] * s.c[static_cast<Eigen::Index>(j)];
      for (std::size_t k = 0; k < m; ++k) partial_input[k] += z[j] * s.cols[j * m + k];
    }
    for (std::size_t k = 0; k < m; ++k) table[l * stride + k] = static_cast<float>(partial_input[k]);
  }

  const std::size_t task_units = chunk_units(radix);
  const std::size_t group = high > task_units ? high - task_units : 0;
  const std::uint64_t tasks = power(radix, high - group), per_task = power(radix, group);
  std::vector<LogSumExp> partial(tasks);
#pragma omp parallel
  {
    std::vector<double> base(m), zh(n);
    std::vector<float> base_f(stride, 0.0f);
#pragma omp for schedule(dynamic)
    for (std::uint64_t task = 0; task < tasks; ++task) {
      LogSumExp acc;
      for (std::uint64_t block = task * per_task; block < (task + 1) * per_task; ++block) {
        decode(block, low, high, states, zh.data());
        double linear = 0.0;
        for (std::size_t k = 0; k < m; ++k) base[k] = s.e[static_cast<Eigen::Index>(k)];
        for (std::size_t j = low; j < n; ++j) {
          if (zh[j] == 0.0) continue;
          linear += zh[j] * s.c[static_cast<Eigen::Index>(j)];
          const double* w = &s.cols[j * m];
          for (std::size_t k = 0; k < m; ++k) base[k] += zh[j] * w[k];
        }
        for (std::size_t k = 0; k < m; ++k) base_f[k] = static_cast<float>(base[k]);
        for (std::uint64_t l = 0; l < rows; ++l)
          acc.add(linear + low_linear[l] + kernel(base_f.data(), &table[l * stride], m));
      }
      partial[task] = acc;
    }
  }
  return merge(partial).value();
}

// Gaussian visible units: log Z = (d/2) log(2 pi) + log sum_h exp(c^T h + h^T G h / 2) with
// c = b + W^T a and G = W^T W (evaluation/exact.hpp). Each chunk fixes the high hidden units and
// sweeps the low ones in Gray-code order, keeping g = G h, q = h^T G h and c^T h up to date in
// O(H) per term.
double enumerate_gaussian(const Model& m) {
  const Eigen::MatrixXd W = m.W.cast<double>();
  const Eigen::MatrixXd G = W.transpose() * W;  // (H, H), column-major: G.col(j) contiguous
  const Eigen::VectorXd c = m.b.cast<double>() + W.transpose() * m.a.cast<double>();
  const std::vector<float>& states = unit_states(m.hidden_units);
  const std::size_t radix = states.size(), n = m.n_hidden();
  const auto H = static_cast<Eigen::Index>(n);
  const std::size_t low = std::min(n, chunk_units(radix)), high = n - low;
  const std::uint64_t chunks = power(radix, high);
  std::vector<LogSumExp> partial(chunks);
#pragma omp parallel
  {
    Eigen::VectorXd z(H), g(H);
#pragma omp for schedule(dynamic)
    for (std::uint64_t q = 0; q < chunks; ++q) {
      z.head(static_cast<Eigen::Index>(low)).setConstant(states[0]);
      decode(q, low, high, states, z.data());
      g.noalias() = G * z;
      double quad = z.dot(g), linear = c.dot(z);
      GraySweep gray(low, radix);
      LogSumExp acc;
      std::size_t j = 0;
      int from = 0, to = 0;
      do {
        acc.add(linear + 0.5 * quad);
        if (!gray.next(j, from, to)) break;
        const double delta = static_cast<double>(states[static_cast<std::size_t>(to)]) - states[static_cast<std::size_t>(from)];
        const auto jj = static_cast<Eigen::Index>(j);
        quad += delta * (2.0 * g[jj] + delta * G(jj, jj));
        g += delta * G.col(jj);
        linear += delta * c[jj];
      } while (true);
      partial[q] = acc;
    }
  }
  return 0.5 * static_cast<double>(m.n_visible()) * kLog2Pi + merge(partial).value();
}

void check_supported(const Model& m) {
  if (m.visible_units != UnitType::Bernoulli && m.visible_units != UnitType::Gaussian)
    throw InvalidArgument("exact log Z supports Bernoulli and Gaussian visible units, not " + to_string(m.visible_units));
  if (m.hidden_units != UnitType::Bernoulli && m.hidden_units != UnitType::Ternary)
    throw InvalidArgument("exact log Z supports Bernoulli and ternary hidden units, not " + to_string(m.hidden_units));
}

}  // namespace

std::string EnumerationPlan::describe() const {
  return count_text(*this) + (layer == EnumeratedLayer::Hidden ? " hidden" : " visible") + " states";
}

EnumerationPlan enumeration_plan(const Model& m) {
  check_supported(m);
  EnumerationPlan p;
  const std::size_t d = m.n_visible(), H = m.n_hidden();
  const std::size_t radix = unit_states(m.hidden_units).size();
  const double hidden_terms = std::pow(static_cast<double>(radix), static_cast<double>(H));
  const double visible_terms = std::ldexp(1.0, static_cast<int>(std::min<std::size_t>(d, 4096)));
  if (m.visible_units == UnitType::Gaussian || hidden_terms <= visible_terms) {
    p.layer = EnumeratedLayer::Hidden;
    p.units = H;
    p.radix = radix;
    p.terms = hidden_terms;
  } else {
    p.layer = EnumeratedLayer::Visible;
    p.units = d;
    p.radix = 2;
    p.terms = visible_terms;
  }
  return p;
}

double log_partition_exact(const Model& m, std::uint64_t cap, EnumerationPath path) {
  const EnumerationPlan plan = enumeration_plan(m);
  if (exceeds(plan.radix, plan.units, cap))
    throw InvalidArgument("exact log Z would enumerate " + count_text(plan) + " terms (" +
                          (plan.layer == EnumeratedLayer::Hidden ? "hidden" : "visible") +
                          " states), more than the cap of " + std::to_string(cap));
  if (m.visible_units == UnitType::Gaussian) return enumerate_gaussian(m);
  const LayerSum s = layer_sum(m, plan);
  const bool use_float = path == EnumerationPath::Float ||
                         (path == EnumerationPath::Auto && plan.terms * static_cast<double>(s.m) >=
                                                               static_cast<double>(kFloatEnumerationWork));
  return use_float ? enumerate_float(s) : enumerate_double(s);
}

bool exact_is_practical(const Model& m) {
  const EnumerationPlan p = enumeration_plan(m);
  return !exceeds(p.radix, p.units, kQuickEnumerationTerms);
}

double mean_log_likelihood(const Model& m, const Matrix& X, double log_z) {
  check_data_width(m, X);
  if (X.rows() == 0) throw DataError("no examples to evaluate");
  double sum = 0.0;
  for (Eigen::Index r = 0; r < X.rows(); ++r) sum += -free_energy_exact(m, X.row(r).data()) - log_z;
  return sum / static_cast<double>(X.rows());
}

}  // namespace rbmkit
