// Polyak-Ruppert iterate averaging (Polyak and Juditsky 1992; Ruppert 1988): the running mean
// of the parameters W, a, b of the iterates added, mean <- mean + (theta - mean) / n. With
// `--average F` the trainer adds every iterate of the last fraction F of the updates (in the
// per-example path, every segment's last iterate) and writes their mean as the model: the mean
// of iterates that wander around an optimum lies closer to it than the last one does.
#pragma once

#include <cstdint>

#include "rbmkit/model/model.hpp"
#include "rbmkit/training/train_state.hpp"

namespace rbmkit {

class IterateAverage {
 public:
  void add(const Model& m);
  std::uint64_t count() const { return n_; }
  // `m` with W, a and b replaced by the mean (m itself while nothing was added).
  Model mean_of(const Model& m) const;
  // In a checkpoint's arrays ("average_W", "average_a", "average_b", "average_count").
  void save(StateArrays& arrays) const;
  // FormatError for arrays that are incomplete or not of a (d, H) model's shapes.
  void load(const StateArrays& arrays, Eigen::Index d, Eigen::Index H);

 private:
  Matrix W_;
  Vector a_, b_;
  std::uint64_t n_ = 0;
};

}  // namespace rbmkit
