#include "rbmkit/training/persistent_cd.hpp"

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/streams.hpp"

namespace rbmkit {

Matrix tile_rows(const Matrix& X, std::size_t n) {
  Matrix out(static_cast<Eigen::Index>(n), X.cols());
  for (Eigen::Index r = 0; r < out.rows(); ++r) out.row(r) = X.row(r % X.rows());
  return out;
}

PersistentContrastiveDivergence::PersistentContrastiveDivergence(GibbsSteps k, std::size_t chains, std::uint64_t seed)
    : k_(k), n_chains_(chains), seed_(seed) {
  if (chains < 1) throw ParameterError("chains", "number of persistent chains must be >= 1 (got 0)");
}

void PersistentContrastiveDivergence::estimate(const Products& p, const Matrix& X, std::uint64_t update, Gradient& g) {
  positive_phase(p, X, g);
  if (chains_.size() == 0) chains_ = tile_rows(X, n_chains_);
  hidden_probs(p, chains_, g.h_neg);
  gibbs_steps(p, chains_, g.h_neg, k_.at(update), {seed_, stream_id(Purpose::Gibbs, update), 0});
  g.v_neg = chains_;
}

void PersistentContrastiveDivergence::save_state(StateArrays& out) const {
  if (chains_.size() > 0) out["pcd.chains"] = chains_;
}

void PersistentContrastiveDivergence::load_state(const StateArrays& in) {
  const auto it = in.find("pcd.chains");
  if (it != in.end()) chains_ = it->second;
}

}  // namespace rbmkit
