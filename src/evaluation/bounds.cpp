#include "rbmkit/evaluation/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/softplus_sums.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/model/units.hpp"

namespace rbmkit {
namespace {

using State = std::vector<signed char>;  // a hidden state, one value per unit

// Where a state came from, for the report; lower ranks win ties.
enum class Origin { Zero, AllOn, AllOff, Data, Given };

std::string origin_text(Origin o) {
  switch (o) {
    case Origin::Zero: return "h = 0 (every hidden unit off)";
    case Origin::AllOn: return "every hidden unit on";
    case Origin::AllOff: return "every hidden unit at -1";
    case Origin::Data: return "a hidden state reached from the data";
    case Origin::Given: return "a hidden state reached from the given states";
  }
  return "";
}

// The most probable state of each unit for hidden inputs s: [s > 0] (Bernoulli) or sign(s)
// (ternary).
State mode_of(UnitType t, const float* s, Eigen::Index H) {
  State h(static_cast<std::size_t>(H));
  for (Eigen::Index j = 0; j < H; ++j)
    h[static_cast<std::size_t>(j)] = t == UnitType::Ternary ? static_cast<signed char>((s[j] > 0) - (s[j] < 0))
                                                            : static_cast<signed char>(s[j] > 0);
  return h;
}

// Greedy ascent of log T(h) from h: single-unit changes while they raise it, in float (the
// search only; the terms that count are recomputed in double).
class Ascent {
 public:
  explicit Ascent(const Model& m) : m_(m), Wt_(m.W.transpose()) {}

  State climb(State h) const {
    const Eigen::Index d = m_.W.rows(), H = m_.W.cols();
    Eigen::VectorXf hv(H);
    for (Eigen::Index j = 0; j < H; ++j) hv[j] = h[static_cast<std::size_t>(j)];
    Vector r = m_.a + m_.W * hv;  // visible inputs a + W h
    Vector s(d);
    const auto refresh = [&] { sigmoid(r.data(), s.data(), static_cast<std::size_t>(d)); };
    const bool gaussian = m_.visible_units == UnitType::Gaussian;
    if (!gaussian) refresh();
    const std::vector<float>& values = unit_states(m_.hidden_units);
    for (int sweep = 0; sweep < kBoundAscentSweeps; ++sweep) {
      bool moved = false;
      for (Eigen::Index j = 0; j < H; ++j) {
        const float* w = Wt_.row(j).data();
        const float now = static_cast<float>(h[static_cast<std::size_t>(j)]);
        float best_delta = 0.0f;
        double best_gain = 0.0;
        for (const float v : values) {
          const float delta = v - now;
          if (delta == 0.0f) continue;
          double gain = static_cast<double>(delta) * m_.b[j];
          if (gaussian) {
            const Eigen::Map<const Vector> wj(w, d);
            gain += static_cast<double>(delta) * r.dot(wj) + 0.5 * static_cast<double>(delta * delta) * wj.squaredNorm();
          } else {
            gain += softplus_delta_sum(r.data(), s.data(), w, delta, static_cast<std::size_t>(d));
          }
          if (gain > best_gain) best_gain = gain, best_delta = delta;
        }
        if (best_delta == 0.0f) continue;
        h[static_cast<std::size_t>(j)] = static_cast<signed char>(now + best_delta);
        r += best_delta * Eigen::Map<const Vector>(w, d);
        if (!gaussian) refresh();
        moved = true;
      }
      if (!moved) break;
    }
    return h;
  }

 private:
  const Model& m_;
  Matrix Wt_;  // (H, d): the columns of W, contiguous
};

}  // namespace

double hidden_state_log_term(const Model& m, const float* h) {
  const Eigen::Index d = m.W.rows(), H = m.W.cols();
  Eigen::VectorXd r = m.a.cast<double>();
  double term = 0.0;
  for (Eigen::Index j = 0; j < H; ++j) {
    if (h[j] == 0.0f) continue;
    term += static_cast<double>(h[j]) * m.b[j];
    r += static_cast<double>(h[j]) * m.W.col(j).cast<double>();
  }
  if (m.visible_units == UnitType::Gaussian)
    return term + 0.5 * static_cast<double>(d) * kLog2Pi +
           0.5 * (r.squaredNorm() - m.a.cast<double>().squaredNorm());
  for (Eigen::Index i = 0; i < d; ++i) term += softplus(r[i]);
  return term;
}

LogZBound certified_log_z_bound(const Model& m, const Matrix& data, const Matrix& hidden_states) {
  check_unit_types(m.visible_units, m.hidden_units);
  check_data_width(m, data);
  const Eigen::Index H = m.W.cols();
  if (hidden_states.size() > 0 && hidden_states.cols() != H)
    throw DataError("hidden states have " + std::to_string(hidden_states.cols()) + " columns but the model has " +
                    std::to_string(H) + " hidden units");
  // The starting states and where they came from.
  std::vector<std::pair<State, Origin>> starts = {{State(static_cast<std::size_t>(H), 0), Origin::Zero},
                                                  {State(static_cast<std::size_t>(H), 1), Origin::AllOn}};
  if (m.hidden_units == UnitType::Ternary) starts.push_back({State(static_cast<std::size_t>(H), -1), Origin::AllOff});
  const Eigen::Index n = data.rows();
  const Eigen::Index k = std::min<Eigen::Index>(n, kBoundDataStates);
  for (Eigen::Index i = 0; i < k; ++i) {
    const Eigen::Index row = k == n ? i : i * n / k;
    const Vector s = (data.row(row) * m.W).transpose() + m.b;
    starts.push_back({mode_of(m.hidden_units, s.data(), H), Origin::Data});
  }
  for (Eigen::Index i = 0; i < hidden_states.rows(); ++i) {
    // Given states or means: their rounded values (a mean above 1/2 is on; ternary: the sign of
    // means beyond 1/3).
    Vector s = hidden_states.row(i).transpose();
    s.array() -= m.hidden_units == UnitType::Ternary ? 0.0f : 0.5f;
    if (m.hidden_units == UnitType::Ternary) s = (s.array().abs() > 1.0f / 3.0f).select(s, 0.0f);
    starts.push_back({mode_of(m.hidden_units, s.data(), H), Origin::Given});
  }
  // Climb from each start (in parallel; each result depends on its start alone).
  std::vector<std::pair<State, Origin>> reached(starts.size());
  const Ascent ascent(m);
#pragma omp parallel for schedule(dynamic)
  for (std::size_t i = 0; i < starts.size(); ++i) reached[i] = {ascent.climb(starts[i].first), starts[i].second};
  // Distinct states, each with the first origin that reached it (starts count too).
  std::vector<std::pair<State, Origin>> all = starts;
  all.insert(all.end(), reached.begin(), reached.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.first == y.first; }),
            all.end());
  LogZBound bound;
  LogSumExp sum;
  std::vector<float> h(static_cast<std::size_t>(H));
  for (const auto& [state, origin] : all) {
    std::copy(state.begin(), state.end(), h.begin());
    const double t = hidden_state_log_term(m, h.data());
    sum.add(t);
    if (t > bound.largest_log_term) bound.largest_log_term = t, bound.largest = origin_text(origin);
  }
  bound.log_z_lower = sum.value();
  bound.states = all.size();
  // The visible side: the distinct data examples' exp(-F(x)).
  if (m.visible_units == UnitType::Bernoulli && n > 0) {
    std::set<std::vector<float>> examples;
    for (Eigen::Index i = 0; i < n; ++i) examples.insert(std::vector<float>(data.row(i).data(), data.row(i).data() + data.cols()));
    LogSumExp visible;
    double largest = -HUGE_VAL;
    for (const auto& x : examples) {
      const double t = -free_energy_exact(m, x.data());
      visible.add(t);
      largest = std::max(largest, t);
    }
    if (visible.value() > bound.log_z_lower) {
      bound.log_z_lower = visible.value();
      bound.states = examples.size();
      bound.hidden_side = false;
      bound.largest_log_term = largest;
      bound.largest = "a data example";
    }
  }
  return bound;
}

double log_z_by_hidden_terms(const Model& m) {
  const std::vector<float>& values = unit_states(m.hidden_units);
  const std::size_t H = m.n_hidden(), r = values.size();
  std::uint64_t count = 1;
  for (std::size_t j = 0; j < H; ++j) count *= r;
  std::vector<float> h(H);
  LogSumExp sum;
  for (std::uint64_t code = 0; code < count; ++code) {
    std::uint64_t c = code;
    for (std::size_t j = 0; j < H; ++j, c /= r) h[j] = values[c % r];
    sum.add(hidden_state_log_term(m, h.data()));
  }
  return sum.value();
}

}  // namespace rbmkit
