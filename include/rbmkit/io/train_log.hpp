// train.jsonl: one JSON object per training report (and per held-out evaluation), appended and flushed as training runs
// so a crash keeps every report written so far.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rbmkit/training/trainer.hpp"

namespace rbmkit {

// The JSON object for one report: update, total_updates, examples_seen, seconds,
// reconstruction_error, free_energy_train and, when present, free_energy_heldout.
nlohmann::json to_json(const TrainReport& r);
// The JSON line of a held-out log-likelihood estimate: {"event": "eval", update, seconds,
// log_likelihood, log_likelihood_lower, log_likelihood_upper, method, log_likelihood_bound (the
// certified upper bound; null when none), eval_seconds} plus the
// method's detail (e.g. betas, chains). Reports have no "event" member.
nlohmann::json to_json(const EvalPoint& p);
// The evaluation lines of a train.jsonl, in file order (a missing file gives none).
std::vector<EvalPoint> read_eval_points(const std::string& path);

class JsonLinesLog : public TrainObserver {
 public:
  // The file is created (truncated) when training begins, after the trainer has validated its
  // inputs, so a run refused for bad input leaves an earlier log untouched. Throws IoError
  // naming the path when it cannot be written.
  // When `resume_after` is given (a run resumed from a checkpoint at that update), the existing
  // log is kept up to that update and appended to instead.
  explicit JsonLinesLog(const std::string& path, std::optional<std::uint64_t> resume_after = std::nullopt);
  void on_begin(const TrainConfig&, std::size_t, std::uint64_t) override;
  void on_report(const TrainReport& r) override;
  void on_evaluation(const EvalPoint& p) override;

 private:
  std::string path_;
  std::optional<std::uint64_t> resume_after_;
  std::ofstream out_;
};

}  // namespace rbmkit
