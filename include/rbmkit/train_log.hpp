// train.jsonl: one JSON object per training report, appended and flushed as training runs
// so a crash keeps every report written so far.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "rbmkit/trainer.hpp"

namespace rbmkit {

// The JSON object for one report: update, total_updates, examples_seen, seconds,
// reconstruction_error, free_energy_train and, when present, free_energy_heldout.
nlohmann::json to_json(const TrainReport& r);

class JsonLinesLog : public TrainObserver {
 public:
  // Creates (truncates) `path`; throws IoError naming it when it cannot be written.
  explicit JsonLinesLog(const std::string& path);
  void on_report(const TrainReport& r) override;

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace rbmkit
