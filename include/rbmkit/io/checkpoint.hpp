// Checkpoints: a training run's state (training/train_state.hpp) in a file. A checkpoint is a model.npz
// (numpy opens it; rbmkit show and sample accept it) with the state as extra float32 members
// named "state.<name>" and the progress in meta["progress"]. Written atomically.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "rbmkit/training/train_state.hpp"

namespace rbmkit {

// Writes `state` and `meta` (extended with "progress") to `path` atomically.
void save_checkpoint(const std::string& path, const TrainState& state, const nlohmann::json& meta);

struct LoadedCheckpoint {
  TrainState state;
  nlohmann::json meta;
};

// Throws IoError when unreadable, FormatError naming the file when it is not a checkpoint.
LoadedCheckpoint load_checkpoint(const std::string& path);

}  // namespace rbmkit
