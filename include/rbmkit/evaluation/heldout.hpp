// Held-out log-likelihood estimates during training (TrainConfig::eval_every, rbmkit train
// --eval-every N): the trainer's evaluation hook (TrainControl::evaluate).
#pragma once

#include <cstddef>
#include <cstdint>

#include <functional>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/training/trainer.hpp"

namespace rbmkit {

// Enumeration is used when log Z takes at most this many terms (about 0.05 s for d = 784);
// larger models get AIS with the cheaper schedule.
inline constexpr std::uint64_t kEvalExactTerms = std::uint64_t{1} << 20;

struct HeldOutEvalOptions {
  std::size_t betas = 1000;  // AIS inverse temperatures (the full schedule has 14,500)
  std::size_t chains = 100;  // AIS chains
  std::uint64_t seed = 0;
  Precision precision = Precision::Auto;  // of the AIS chains (evaluation/ais.hpp)
};

// An evaluator for TrainControl::evaluate: the mean log-likelihood of `heldout` (n, d), exact
// when log Z takes at most kEvalExactTerms terms, else from an AIS estimate of log Z
// (Salakhutdinov and Murray 2008) whose base model (base_model_biases) is fitted to up to
// 10,000 examples of `train`; the band is AIS's +-3 sigma band. Each call uses the same AIS seed, so
// successive points differ by the model only.
std::function<EvalPoint(const Model&)> heldout_evaluator(const Dataset& heldout, const Dataset& train,
                                                          const HeldOutEvalOptions& options);

}  // namespace rbmkit
