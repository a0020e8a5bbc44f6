// Progress on stderr while training: a bar with rate and ETA when stderr is a terminal, plain
// lines at each report otherwise.
#pragma once

#include <string>

#include "rbmkit/training/trainer.hpp"

namespace rbmkit::cli {

class ProgressObserver : public TrainObserver {
 public:
  ProgressObserver();
  void on_progress(std::uint64_t update, std::uint64_t total, double seconds) override;
  void on_report(const TrainReport& r) override;
  void on_evaluation(const EvalPoint& p) override;
  void on_end(const TrainReport& r) override;

 private:
  void draw_bar(std::uint64_t update, std::uint64_t total, double seconds, double recon);

  bool tty_;
  double last_draw_ = -1.0;
  double last_recon_ = 0.0;
  std::uint64_t next_line_ = 1;  // the next tenth of the run that gets a plain line
};

bool stderr_is_terminal();

// "\rAIS   [#####-----]  43%" on stderr (a ProgressSink for evaluations on a terminal).
void draw_stage_progress(const std::string& stage, double fraction);
// Clears the progress line.
void end_stage_progress();

}  // namespace rbmkit::cli
