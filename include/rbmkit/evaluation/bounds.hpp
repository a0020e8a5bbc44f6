// Certified lower bounds on log Z: exact sums over a set of states, which no estimate may
// undercut.
//
// Z = sum over the hidden states h of T(h), every term positive, with T(h) the visible layer
// summed out (model/units.hpp, evaluation/exact.hpp):
//   Bernoulli visible:  log T(h) = b.h + sum_i softplus(a_i + W_i . h)
//   Gaussian visible:   log T(h) = b.h + (d/2) log(2 pi) + (|a + W h|^2 - |a|^2) / 2
// so for any set S of distinct hidden states, log Z >= log sum_{h in S} T(h): a certain bound,
// computed in double. The visible side gives another (Bernoulli visible units only): for
// distinct visible states x, log Z >= log sum_x exp(-F(x)). The bound is the larger of the two,
// and the mean log-likelihood of data is then at most -mean F - bound.
//
// S is chosen cheaply and well: h = 0 and every unit on (for ternary units also every unit at
// -1), the rounded hidden means of up to kBoundDataStates examples, the hidden states handed in
// (e.g. the final states of AIS chains), and the local maxima of T that greedy ascent reaches
// from each of them (single-unit changes while T grows, at most kBoundAscentSweeps sweeps). The
// visible side uses the distinct data examples. A model without a visible bias and with
// negative hidden biases puts most of its mass near h = 0, on images of uniform noise; the
// bound finds that mass, where annealing from the data's base rate may not.
#pragma once

#include <cstddef>
#include <string>

#include "rbmkit/model/model.hpp"

namespace rbmkit {

inline constexpr std::size_t kBoundDataStates = 100;
inline constexpr int kBoundAscentSweeps = 5;

struct LogZBound {
  double log_z_lower = -HUGE_VAL;  // the certified bound
  std::size_t states = 0;          // distinct states summed (on the side that gave the bound)
  bool hidden_side = true;         // the bound sums hidden states (else visible states)
  double largest_log_term = -HUGE_VAL;
  // The state with the largest term, in words: "h = 0 (every hidden unit off)", "every hidden
  // unit on", "a hidden state reached from the data", "a hidden state reached from the given
  // states", "a data example".
  std::string largest;
};

// log T(h) of one hidden state h (H values), in double.
double hidden_state_log_term(const Model& m, const float* h);

// The certified bound from the states above; `data` (n, d) gives the data's hidden states and
// visible terms, `hidden_states` (k, H) more starting states (may be empty). Throws DataError for
// widths that do not fit the model.
LogZBound certified_log_z_bound(const Model& m, const Matrix& data, const Matrix& hidden_states);

// The bound by enumerating every hidden state: log Z itself (for tests: H <= 20).
double log_z_by_hidden_terms(const Model& m);

}  // namespace rbmkit
