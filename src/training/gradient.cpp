#include "rbmkit/training/gradient.hpp"

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/streams.hpp"

namespace rbmkit {

Matrix Gradient::weights() const {
  Matrix dW = v_pos.transpose() * h_pos / static_cast<float>(v_pos.rows());
  dW.noalias() -= v_neg.transpose() * h_neg / static_cast<float>(v_neg.rows());
  return dW;
}

Vector Gradient::visible_bias() const {
  return (v_pos.colwise().mean() - v_neg.colwise().mean()).transpose();
}

Vector Gradient::hidden_bias() const {
  return (h_pos.colwise().mean() - h_neg.colwise().mean()).transpose();
}

void positive_phase(const Model& m, const Matrix& X, Gradient& g) {
  g.v_pos = X;
  hidden_probs(m, g.v_pos, g.h_pos);
}

ContrastiveDivergence::ContrastiveDivergence(int k, std::uint64_t seed) : k_(k), seed_(seed) {
  if (k < 1) throw InvalidArgument("CD-k needs k >= 1 Gibbs steps (got " + std::to_string(k) + ")");
}

void ContrastiveDivergence::estimate(const Model& m, const Matrix& X, std::uint64_t update, Gradient& g) {
  positive_phase(m, X, g);
  g.v_neg = g.v_pos;
  g.h_neg = g.h_pos;
  gibbs_steps(m, g.v_neg, g.h_neg, k_, {seed_, stream_id(Purpose::Gibbs, update), 0});
}

}  // namespace rbmkit
