// Everything needed to continue a training run so that the final model is bit-identical to an
// uninterrupted run with the same seed and thread count.
//
// Random numbers are counter-based (streams keyed by the seed and the update index), so the state
// is the model, the optimiser's and the estimator's arrays (velocities, centring offsets,
// persistent chains, tempered ladders) and the progress counters. io/checkpoint.hpp stores it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "rbmkit/model/model.hpp"

namespace rbmkit {

// Named state arrays of an optimiser or estimator.
using StateArrays = std::map<std::string, Matrix>;

struct TrainState {
  Model model;
  std::uint64_t update = 0;         // updates done
  std::uint64_t total_updates = 0;  // the run's length (update == total_updates: finished)
  std::uint64_t examples_seen = 0;
  double seconds = 0;               // training time so far
  StateArrays arrays;
};

}  // namespace rbmkit
