// Exact log partition function and log-likelihood of an RBM by enumeration, for every
// supported combination of unit types (model/units.hpp): visible Bernoulli or Gaussian (unit
// variance), hidden Bernoulli (h in {0,1}) or ternary (h in {-1,0,1}), with
//   E(v, h) = visible_term(v) - v^T W h - b^T h,   visible_term(v) = -a^T v or |v - a|^2 / 2.
//
// One layer's states are enumerated and the other layer is summed or integrated analytically
// (Salakhutdinov and Murray 2008, eq. 3; Fischer and Igel 2012, section 4; docs/exercise.md part 2),
// accumulated in log space in double precision. With hp(s) the hidden log-partition
// (softplus(s) for Bernoulli units, g(s) = log(1 + 2 cosh s) for ternary ones):
//
// Bernoulli visible, enumerating the hidden states (2^H or 3^H terms):
//   log Z = log sum_h exp(b^T h + sum_i softplus(a_i + W_i . h)),
// because sum_{v_i in {0,1}} exp(v_i (a_i + W_i . h)) = 1 + exp(a_i + W_i . h).
// Bernoulli visible, enumerating the visible states (2^d terms):
//   log Z = log sum_v exp(a^T v + sum_j hp(b_j + v . w_j)),
// because sum_{h_j} exp(h_j s_j) is 1 + e^s (h_j in {0,1}) or 1 + e^s + e^-s (h_j in {-1,0,1}).
// The layer with fewer terms is enumerated (the hidden one when the counts are equal).
//
// Gaussian visible (unit variance), enumerating the hidden states (2^H or 3^H terms):
//   ∫ exp(-|v - a|^2 / 2 + v^T W h) dv = (2 pi)^(d/2) exp((|a + W h|^2 - |a|^2) / 2)
// (complete the square: -|v - a|^2 / 2 + v . W h = -|v - (a + W h)|^2 / 2 + (|a + W h|^2 - |a|^2) / 2),
// so
//   log Z = (d/2) log(2 pi) + log sum_h exp(b^T h + (|a + W h|^2 - |a|^2) / 2)
//         = (d/2) log(2 pi) + log sum_h exp(c^T h + h^T G h / 2),   c = b + W^T a, G = W^T W (H, H).
// The visible layer has no finite set of states, so only the hidden one is enumerated. The
// quadratic form is updated in O(H) per term (Gray-code order moves one h_j by +-1:
// q += 2 delta (G h)_j + delta^2 G_jj, then G h += delta G_:j), after O(d H^2) to form G.
//
// log p(v) = -F(v) - log Z with the free energy of model/free_energy.hpp, F(v) = visible_term(v) - sum_j hp(s_j).
//
// Two paths compute each term's sum of log-partitions over the summed layer (Bernoulli visible):
//   Double: reflected Gray-code order (one unit moves one state per term, its column of W added
//           or subtracted), all in double; the reference, correct to about 1e-12 relative.
//   Float:  the enumerated units split into low units (8 binary or 5 ternary: 256 or 243
//           combinations), whose partial inputs sum_j W_j h_j are tabulated once (in double,
//           rounded to float), and the high units, whose partial input is computed in double
//           per block of low combinations; each term's sum of log-partitions then runs vectorised
//           in float (softplus_sums.hpp) with no accumulated rounding drift. A term's error is
//           below about u (5 m + 3 sum_i |x_i|), u = 2^-24 (x_i the summed units' inputs), so
//           log Z (a log-sum-exp of the terms, accumulated in double) has at most that absolute
//           error: about 1e-7 relative. H = 25 on d = 784 visible units: 2^25 terms of 784 softplus.
// Gaussian visible units always take the double path: each term costs O(H), not O(d).
// Terms are visited in chunks (one combination of the high units each, the low units swept in
// Gray-code order from a fresh start), run on separate threads and merged in chunk order, so
// results do not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "rbmkit/model/model.hpp"

namespace rbmkit {

// Default cap on enumerated terms.
inline constexpr std::uint64_t kDefaultEnumerationCap = std::uint64_t{1} << 32;

// Which layer exact enumeration visits state by state (see the header comment).
enum class EnumeratedLayer { Hidden, Visible };

struct EnumerationPlan {
  EnumeratedLayer layer = EnumeratedLayer::Hidden;
  std::size_t units = 0;   // n, the enumerated layer's width (H or d)
  std::size_t radix = 2;   // states per enumerated unit: 2 (Bernoulli) or 3 (ternary)
  double terms = 0.0;      // radix^units, in double (may exceed 2^64)
  // "3^12 = 531441 hidden states" (the exact count below 2^63, else "about 1.2e+236").
  std::string describe() const;
};

// The enumeration log_partition_exact performs for m: Gaussian visible units -> the hidden
// layer (radix 2 or 3); Bernoulli visible units -> the layer with fewer terms, 2^d visible or
// radix^H hidden states (hidden on a tie). Throws InvalidArgument for unsupported unit types
// (ternary visible, Gaussian hidden).
EnumerationPlan enumeration_plan(const Model& m);

// Which path enumerates (see the header comment). Auto takes Float when the work
// terms * (summed units) is at least kFloatEnumerationWork, else Double. Gaussian visible
// units ignore the choice (their terms cost O(H) in double).
enum class EnumerationPath { Auto, Double, Float };
inline constexpr std::uint64_t kFloatEnumerationWork = std::uint64_t{1} << 26;

// Exact log Z by the enumeration of enumeration_plan(m). Throws InvalidArgument when its
// number of terms exceeds `cap` (the message gives the count, e.g. "3^25 = 847288609443
// terms", and the cap) or for unsupported unit types.
double log_partition_exact(const Model& m, std::uint64_t cap = kDefaultEnumerationCap,
                           EnumerationPath path = EnumerationPath::Auto);

// Whether enumeration is quick enough to be the default way to get log Z: at most
// kQuickEnumerationTerms terms, for every combination of unit types (2^25 terms of 784
// softplus take about 25 s on two cores; 3^15 ternary hidden states are fewer).
inline constexpr std::uint64_t kQuickEnumerationTerms = std::uint64_t{1} << 25;
bool exact_is_practical(const Model& m);

// Mean exact log-likelihood (1/n) sum_r (-F(x_r) - log_z) of the rows of X (n, d) given log Z.
// Throws DataError for the wrong width or no rows.
double mean_log_likelihood(const Model& m, const Matrix& X, double log_z);

}  // namespace rbmkit
