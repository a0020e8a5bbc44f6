// Checkpoints: a training run's state (training/train_state.hpp) in a file. A checkpoint is a model.npz
// (numpy opens it; rbmkit show and sample accept it) with the state as extra float32 members
// named "state.<name>" and the progress in meta["progress"]. Written atomically.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "rbmkit/training/train_state.hpp"
#include "rbmkit/training/trainer.hpp"

namespace rbmkit {

// Writes `state` and `meta` (extended with "progress") to `path` atomically.
void save_checkpoint(const std::string& path, const TrainState& state, const nlohmann::json& meta);

struct LoadedCheckpoint {
  TrainState state;
  nlohmann::json meta;
};

// Throws IoError when unreadable, FormatError naming the file when it is not a checkpoint.
LoadedCheckpoint load_checkpoint(const std::string& path);

// The trainer's observer that writes `path` (save_checkpoint with `meta`) whenever a checkpoint
// is due.
class CheckpointWriter : public TrainObserver {
 public:
  CheckpointWriter(std::string path, nlohmann::json meta) : path_(std::move(path)), meta_(std::move(meta)) {}
  void on_checkpoint(const TrainState& state) override { save_checkpoint(path_, state, meta_); }

 private:
  std::string path_;
  nlohmann::json meta_;
};

}  // namespace rbmkit
