// Checkpoints: everything needed to continue a training run so that the final model is
// bit-identical to an uninterrupted run with the same seed and thread count.
//
// Random numbers are counter-based (streams keyed by the seed and the update index), so the
// state is the model, the optimiser's and the estimator's arrays (velocities, centring offsets,
// persistent chains, tempered ladders) and the progress counters. A checkpoint is a model.npz
// (numpy opens it; rbmkit show and sample accept it) with the state as extra float32 members
// named "state.<name>" and the progress in meta["progress"]. Written atomically.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "rbmkit/model.hpp"

namespace rbmkit {

// Named state arrays of an optimiser or estimator.
using StateArrays = std::map<std::string, Matrix>;

struct TrainState {
  Model model;
  std::uint64_t update = 0;         // updates done
  std::uint64_t examples_seen = 0;
  double seconds = 0;               // training time so far
  StateArrays arrays;
};

// Writes `state` and `meta` (extended with "progress") to `path` atomically.
void save_checkpoint(const std::string& path, const TrainState& state, const nlohmann::json& meta);

struct LoadedCheckpoint {
  TrainState state;
  nlohmann::json meta;
};

// Throws IoError when unreadable, FormatError naming the file when it is not a checkpoint.
LoadedCheckpoint load_checkpoint(const std::string& path);

}  // namespace rbmkit
