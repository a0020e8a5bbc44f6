#include "rbmkit/training/contrastive_divergence.hpp"

#include "rbmkit/kernels/streams.hpp"

namespace rbmkit {

ContrastiveDivergence::ContrastiveDivergence(GibbsSteps k, std::uint64_t seed) : k_(k), seed_(seed) {}

void ContrastiveDivergence::estimate(const Products& p, const Matrix& X, std::uint64_t update, Gradient& g) {
  positive_phase(p, X, g);
  g.v_neg.resize(g.v_pos.rows(), g.v_pos.cols());  // the first Gibbs step writes every state
  g.h_neg = g.h_pos;
  gibbs_steps(p, g.v_neg, g.h_neg, k_.at(update), {seed_, stream_id(Purpose::Gibbs, update), 0});
}

}  // namespace rbmkit
