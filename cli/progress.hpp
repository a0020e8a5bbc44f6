// Progress on stderr while training: a bar with rate and ETA when stderr is a terminal, plain
// lines at each report otherwise.
#pragma once

#include "rbmkit/training/trainer.hpp"

namespace rbmkit::cli {

class ProgressObserver : public TrainObserver {
 public:
  ProgressObserver();
  void on_begin(const TrainConfig&, std::size_t n_examples, std::uint64_t total) override;
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

}  // namespace rbmkit::cli
