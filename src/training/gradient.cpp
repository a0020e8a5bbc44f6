#include "rbmkit/training/gradient.hpp"

#include "rbmkit/asserts.hpp"
#include "rbmkit/kernels/bf16_products.hpp"

namespace rbmkit {

Matrix Gradient::weights(Precision precision) const {
  RBMKIT_ASSERT(v_pos.rows() == h_pos.rows() && v_neg.rows() == h_neg.rows() && v_pos.cols() == v_neg.cols(),
                "Gradient: v_pos (B, d), h_pos (B, H), v_neg (N, d), h_neg (N, H)");
  if (precision == Precision::Bf16) {
    Matrix dW = Matrix::Zero(v_pos.cols(), h_pos.cols());
    bf16_add_outer(dW, {{&v_pos, &h_pos, 1.0f / static_cast<float>(v_pos.rows())},
                        {&v_neg, &h_neg, -1.0f / static_cast<float>(v_neg.rows())}});
    return dW;
  }
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

void positive_phase(const Products& p, const Matrix& X, Gradient& g) {
  g.v_pos = X;
  hidden_probs(p, g.v_pos, g.h_pos);
}

}  // namespace rbmkit
