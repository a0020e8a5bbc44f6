// The RBM's parameters and the quantities defined by them alone.
//
// Energy (Bernoulli visible x in {0,1}^d, Bernoulli hidden h in {0,1}^H; Hinton 2002,
// and the exercise, docs/exercise.md part 1):
//   E(x, h) = -x^T W h - a^T x - b^T h,   p(x, h) = exp(-E(x, h)) / Z
//   p(h_j = 1 | x) = sigm(x . w_j + b_j)        (w_j: column j of W)
//   p(x_i = 1 | h) = sigm(W_i . h + a_i)        (W_i: row i of W)
//   free energy F(x) = -a^T x - sum_j softplus(x . w_j + b_j),  p(x) = exp(-F(x)) / Z
// Other unit types: ternary hidden units h in {-1,0,1}^H (docs/exercise.md part 2(a)) and Gaussian
// visible units of unit variance, E(x, h) = |x - a|^2 / 2 - x^T W h - b^T h (part 2(c));
// their conditionals are in units.hpp, their free energies in free_energy.hpp.
// The model owns parameters only: no data, no chains, no optimiser state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "rbmkit/kernels/matrix.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit {

struct Model {
  Matrix W;  // (d, H)
  Vector a;  // (d) visible bias; all zeros and never trained when visible_bias is false
  Vector b;  // (H) hidden bias
  bool visible_bias = true;
  UnitType visible_units = UnitType::Bernoulli;
  UnitType hidden_units = UnitType::Bernoulli;

  std::size_t n_visible() const { return static_cast<std::size_t>(W.rows()); }
  std::size_t n_hidden() const { return static_cast<std::size_t>(W.cols()); }
};

// Throws InvalidArgument for d = 0, H = 0, or more weights than fit in memory (the message gives
// the bytes the model would need).
void check_model_size(std::size_t n_visible, std::size_t n_hidden);

// A model with W ~ N(0, init_std^2) drawn from RandomStream(seed, stream 0), b = 0, a = 0.
// Throws InvalidArgument for d = 0, H = 0, init_std < 0 or a size whose weights would not fit
// in memory (the message gives the bytes asked for).
Model make_model(std::size_t n_visible, std::size_t n_hidden, float init_std, std::uint64_t seed,
                 bool visible_bias);

// Throws DataError "data has N columns but the model has d visible units" unless X (n, d) fits
// the model's width.
void check_data_width(const Model& m, const Matrix& X);

// Hidden pre-activations X W + b (n, H) and visible pre-activations Hs W^T + a (n, d).
Matrix hidden_input(const Model& m, const Matrix& X);
Matrix visible_input(const Model& m, const Matrix& Hs);

}  // namespace rbmkit
