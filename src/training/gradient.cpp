#include "rbmkit/training/gradient.hpp"

#include "rbmkit/asserts.hpp"

namespace rbmkit {

Matrix Gradient::weights() const {
  RBMKIT_ASSERT(v_pos.rows() == h_pos.rows() && v_neg.rows() == h_neg.rows() && v_pos.cols() == v_neg.cols(),
                "Gradient: v_pos (B, d), h_pos (B, H), v_neg (N, d), h_neg (N, H)");
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

}  // namespace rbmkit
