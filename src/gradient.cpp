#include "rbmkit/gradient.hpp"

#include "rbmkit/error.hpp"
#include "rbmkit/streams.hpp"

namespace rbmkit {

Matrix Gradient::weights() const {
  const float scale = 1.0f / static_cast<float>(batch());
  Matrix dW = v_pos.transpose() * h_pos;
  dW.noalias() -= v_neg.transpose() * h_neg;
  return dW * scale;
}

Vector Gradient::visible_bias() const {
  return (v_pos - v_neg).colwise().sum().transpose() / static_cast<float>(batch());
}

Vector Gradient::hidden_bias() const {
  return (h_pos - h_neg).colwise().sum().transpose() / static_cast<float>(batch());
}

ContrastiveDivergence::ContrastiveDivergence(int k, std::uint64_t seed) : k_(k), seed_(seed) {
  if (k < 1) throw InvalidArgument("CD-k needs k >= 1 Gibbs steps (got " + std::to_string(k) + ")");
}

void ContrastiveDivergence::estimate(const Model& m, const Matrix& X, std::uint64_t update,
                                     Gradient& g) const {
  g.v_pos = X;
  hidden_probs(m, g.v_pos, g.h_pos);
  g.v_neg = g.v_pos;
  g.h_neg = g.h_pos;
  gibbs_steps(m, g.v_neg, g.h_neg, k_, {seed_, stream_id(Purpose::Gibbs, update), 0});
}

}  // namespace rbmkit
