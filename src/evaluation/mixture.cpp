#include "rbmkit/evaluation/mixture.hpp"

#include <bit>
#include <cmath>
#include <queue>
#include <sstream>
#include <utility>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/model/free_energy.hpp"

namespace rbmkit {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::string number_text(double x) {
  std::ostringstream s;
  s.precision(10);
  s << x;
  return s.str();
}

// A sum over all tuples (k_0, ..., k_{L-1}), k_j in 0..base-1, of one term per level:
//   S(k) = offset + sum_j rows[j base + k_j],   s(k) = sum_j scalars[j base + k_j],
//   log weight(k) = s(k) + alpha |S(k)|^2 + beta,   centre(k) = centre_scale S(k),
//   state(k)_j = k_j + state_shift.
// Tuple k has index c = sum_j k_j base^j.
struct Expansion {
  std::size_t levels = 0, base = 0;
  RowMatrix rows;           // (levels * base, D)
  Eigen::VectorXd scalars;  // (levels * base)
  Eigen::VectorXd offset;   // (D)
  double alpha = 0, beta = 0, centre_scale = 1;
  int state_shift = 0;
};

std::string cap_text(std::uint64_t cap) {
  if (cap != 0 && (cap & (cap - 1)) == 0) return "2^" + std::to_string(std::countr_zero(cap)) + " = " + std::to_string(cap);
  return std::to_string(cap);
}

// base^levels, or InvalidArgument when that exceeds `cap`.
std::uint64_t component_count(std::size_t base, std::size_t levels, std::uint64_t cap) {
  const std::string power = std::to_string(base) + "^" + std::to_string(levels);
  std::uint64_t n = 1;
  for (std::size_t j = 0; j < levels; ++j)
    if (__builtin_mul_overflow(n, static_cast<std::uint64_t>(base), &n))
      throw InvalidArgument("the mixture has " + power + " components (more than 2^64), more than the cap of " +
                            cap_text(cap));
  if (n > cap)
    throw InvalidArgument("the mixture has " + power + " = " + std::to_string(n) + " components, more than the cap of " +
                          cap_text(cap));
  return n;
}

// Calls visit(c, log weight of tuple c) for c = 0..n-1 (n = base^levels). The partial sums of
// levels j..L-1 are kept per level, so moving to the next tuple recomputes only the levels whose
// digit changed: O(D base / (base - 1)) per tuple on average, and no drift.
template <class Visit>
void enumerate(const Expansion& e, std::uint64_t n, Visit visit) {
  const std::size_t L = e.levels;
  std::vector<std::size_t> k(L, 0);
  std::vector<Eigen::VectorXd> part(L + 1);
  std::vector<double> s(L + 1, 0.0);
  part[L] = e.offset;
  const auto refresh = [&](std::size_t top) {
    for (std::size_t l = top + 1; l-- > 0;) {
      const Eigen::Index r = static_cast<Eigen::Index>(l * e.base + k[l]);
      part[l] = part[l + 1] + e.rows.row(r).transpose();
      s[l] = s[l + 1] + e.scalars[r];
    }
  };
  refresh(L - 1);
  for (std::uint64_t c = 0;; ++c) {
    visit(c, s[0] + e.alpha * part[0].squaredNorm() + e.beta);
    if (c + 1 == n) break;
    std::size_t j = 0;
    while (k[j] + 1 == e.base) k[j++] = 0;
    ++k[j];
    refresh(j);
  }
}

// Centre and state of tuple c.
MixtureComponent component(const Expansion& e, std::uint64_t c, double log_weight) {
  MixtureComponent out;
  out.log_weight = log_weight;
  out.state.resize(e.levels);
  Eigen::VectorXd sum = e.offset;
  for (std::size_t j = 0; j < e.levels; ++j, c /= e.base) {
    const std::size_t digit = static_cast<std::size_t>(c % e.base);
    out.state[j] = static_cast<int>(digit) + e.state_shift;
    sum += e.rows.row(static_cast<Eigen::Index>(j * e.base + digit)).transpose();
  }
  out.centre = e.centre_scale * sum;
  return out;
}

GaussianMixture expand(const Expansion& e, std::uint64_t n, double variance, std::size_t top) {
  // (log weight, index); `heavier` orders by weight, ties by index. The queue's top is the
  // lightest kept component.
  using Entry = std::pair<double, std::uint64_t>;
  const auto heavier = [](const Entry& x, const Entry& y) {
    return x.first > y.first || (x.first == y.first && x.second < y.second);
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(heavier)> kept(heavier);
  LogSumExp total;
  enumerate(e, n, [&](std::uint64_t c, double lw) {
    total.add(lw);
    if (top == 0) return;
    if (kept.size() < top) {
      kept.emplace(lw, c);
    } else if (heavier({lw, c}, kept.top())) {
      kept.pop();
      kept.emplace(lw, c);
    }
  });
  GaussianMixture mix;
  mix.dim = static_cast<std::size_t>(e.offset.size());
  mix.variance = variance;
  mix.log_normaliser = total.value();
  mix.n_components = n;
  if (!std::isfinite(mix.log_normaliser))
    throw InvalidArgument("the mixture's log normaliser is " + std::to_string(mix.log_normaliser) +
                          ": the parameters are too large for double precision");
  mix.components.resize(kept.size());
  for (std::size_t r = kept.size(); r-- > 0; kept.pop())
    mix.components[r] = component(e, kept.top().second, kept.top().first - mix.log_normaliser);
  return mix;
}

// --- Gaussian-visible RBM ---

void check_gaussian_rbm(const Model& m) {
  if (m.visible_units != UnitType::Gaussian)
    throw InvalidArgument("the mixture view needs Gaussian visible units (unit variance); this model's visible units are " +
                          to_string(m.visible_units));
  if (m.hidden_units == UnitType::Gaussian)
    throw InvalidArgument("the mixture view needs Bernoulli or ternary hidden units; Gaussian hidden units have a "
                          "continuum of states, not a finite mixture");
  const std::size_t d = m.n_visible(), H = m.n_hidden();
  if (d == 0 || H == 0) throw InvalidArgument("the model has W of shape (" + std::to_string(d) + ", " + std::to_string(H) + ")");
  if (static_cast<std::size_t>(m.b.size()) != H)
    throw InvalidArgument("the model's b has " + std::to_string(m.b.size()) + " entries but W has " + std::to_string(H) +
                          " columns");
  const bool a_ok = static_cast<std::size_t>(m.a.size()) == d || (!m.visible_bias && m.a.size() == 0);
  if (!a_ok)
    throw InvalidArgument("the model's a has " + std::to_string(m.a.size()) + " entries but W has " + std::to_string(d) +
                          " rows");
}

Eigen::VectorXd visible_bias(const Model& m) {
  if (m.a.size() == 0) return Eigen::VectorXd::Zero(m.W.rows());
  return m.a.cast<double>();
}

Expansion rbm_expansion(const Model& m) {
  check_gaussian_rbm(m);
  Expansion e;
  e.levels = m.n_hidden();
  e.base = m.hidden_units == UnitType::Ternary ? 3 : 2;
  e.state_shift = m.hidden_units == UnitType::Ternary ? -1 : 0;
  const Eigen::Index d = m.W.rows();
  e.rows.resize(static_cast<Eigen::Index>(e.levels * e.base), d);
  e.scalars.resize(e.rows.rows());
  for (std::size_t j = 0; j < e.levels; ++j)
    for (std::size_t k = 0; k < e.base; ++k) {
      const double h = static_cast<double>(static_cast<int>(k) + e.state_shift);
      const Eigen::Index r = static_cast<Eigen::Index>(j * e.base + k);
      e.rows.row(r) = h * m.W.col(static_cast<Eigen::Index>(j)).cast<double>().transpose();
      e.scalars[r] = h * static_cast<double>(m.b[static_cast<Eigen::Index>(j)]);
    }
  e.offset = visible_bias(m);
  e.alpha = 0.5;
  e.beta = -0.5 * e.offset.squaredNorm() + 0.5 * static_cast<double>(d) * kLog2Pi;
  return e;
}

}  // namespace

// --- Gaussian-visible RBM ---

GaussianMixture gaussian_rbm_mixture(const Model& m, const MixtureOptions& options) {
  const Expansion e = rbm_expansion(m);
  return expand(e, component_count(e.base, e.levels, options.max_components), 1.0, options.top);
}

double gaussian_rbm_log_partition(const Model& m, std::uint64_t max_components) {
  const Expansion e = rbm_expansion(m);
  LogSumExp total;
  enumerate(e, component_count(e.base, e.levels, max_components), [&](std::uint64_t, double lw) { total.add(lw); });
  return total.value();
}

double gaussian_rbm_log_density(const Model& m, const Eigen::VectorXd& v, double log_z) {
  check_gaussian_rbm(m);
  return -free_energy_exact(m, v) - log_z;
}

// --- Product of Gaussian-mixture experts ---

void check_experts(const GaussianExperts& e) {
  const std::size_t H = e.n_experts, K = e.n_components, D = e.dim;
  if (H == 0 || K == 0 || D == 0)
    throw InvalidArgument("a product of experts needs H, K, D >= 1 (H experts of K components in D dimensions); got H = " +
                          std::to_string(H) + ", K = " + std::to_string(K) + ", D = " + std::to_string(D));
  if (e.means.size() / D / K != H || e.means.size() % (D * K) != 0)
    throw InvalidArgument("means holds " + std::to_string(e.means.size()) + " values; (H, K, D) = (" + std::to_string(H) +
                          ", " + std::to_string(K) + ", " + std::to_string(D) + ") needs H K D");
  if (e.weights.size() / K != H || e.weights.size() % K != 0)
    throw InvalidArgument("weights holds " + std::to_string(e.weights.size()) + " values; (H, K) = (" + std::to_string(H) +
                          ", " + std::to_string(K) + ") needs H K");
  for (std::size_t i = 0; i < H; ++i)
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t j = 0; j < D; ++j)
        if (!std::isfinite(e.means[(i * K + k) * D + j]))
          throw InvalidArgument("means[" + std::to_string(i) + "][" + std::to_string(k) + "][" + std::to_string(j) +
                                "] is not finite");
  for (std::size_t i = 0; i < H; ++i) {
    double sum = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const double w = e.weights[i * K + k];
      if (!std::isfinite(w) || w <= 0)
        throw InvalidArgument("weights[" + std::to_string(i) + "][" + std::to_string(k) + "] is " + number_text(w) +
                              "; mixing weights must be positive");
      sum += w;
    }
    if (std::fabs(sum - 1.0) > kMixingWeightTolerance)
      throw InvalidArgument("weights[" + std::to_string(i) + "] sums to " + number_text(sum) +
                            "; each expert's mixing weights must sum to 1 (within " + number_text(kMixingWeightTolerance) +
                            ")");
  }
}

GaussianMixture product_of_experts_mixture(const GaussianExperts& ex, const MixtureOptions& options) {
  check_experts(ex);
  const std::size_t H = ex.n_experts, K = ex.n_components, D = ex.dim;
  const std::uint64_t n = component_count(K, H, options.max_components);
  Expansion e;
  e.levels = H;
  e.base = K;
  e.rows = Eigen::Map<const RowMatrix>(ex.means.data(), static_cast<Eigen::Index>(H * K), static_cast<Eigen::Index>(D));
  e.scalars.resize(static_cast<Eigen::Index>(H * K));
  for (Eigen::Index r = 0; r < e.scalars.size(); ++r)
    e.scalars[r] = std::log(ex.weights[static_cast<std::size_t>(r)]) - 0.5 * e.rows.row(r).squaredNorm();
  e.offset = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(D));
  const double h = static_cast<double>(H), d = static_cast<double>(D);
  e.alpha = 0.5 / h;
  e.beta = -0.5 * d * (h - 1) * kLog2Pi - 0.5 * d * std::log(h);
  e.centre_scale = 1.0 / h;
  return expand(e, n, 1.0 / h, options.top);
}

// --- Evaluating a mixture ---

double mixture_log_density(const GaussianMixture& mix, const Eigen::VectorXd& x) {
  if (static_cast<std::size_t>(x.size()) != mix.dim)
    throw InvalidArgument("x has " + std::to_string(x.size()) + " entries but the mixture is in " + std::to_string(mix.dim) +
                          " dimensions");
  if (mix.components.size() != mix.n_components)
    throw InvalidArgument("the density needs every component; this mixture keeps " + std::to_string(mix.components.size()) +
                          " of " + std::to_string(mix.n_components));
  LogSumExp acc;
  for (const MixtureComponent& c : mix.components) acc.add(c.log_weight - 0.5 * (x - c.centre).squaredNorm() / mix.variance);
  return acc.value() - 0.5 * static_cast<double>(mix.dim) * (kLog2Pi + std::log(mix.variance));
}

}  // namespace rbmkit
