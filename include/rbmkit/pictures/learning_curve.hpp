// curve.png: the learning curve of a run, held-out log-likelihood against updates and against
// training seconds, redrawn from train.jsonl after every evaluation (so a resumed run's curve
// includes the points taken before the interruption).
#pragma once

#include <string>
#include <vector>

#include "rbmkit/training/trainer.hpp"
#include <utility>

namespace rbmkit {

// Two panels (updates, seconds) with the estimates' bands as error bars; the y label names the
// method ("exact" or "AIS, N betas, M chains"). Written atomically. Throws InvalidArgument
// when `points` is empty.
void write_learning_curve_png(const std::string& path, const std::vector<EvalPoint>& points);

class LearningCurveWriter : public TrainObserver {
 public:
  LearningCurveWriter(std::string log_path, std::string png_path)
      : log_path_(std::move(log_path)), png_path_(std::move(png_path)) {}
  void on_evaluation(const EvalPoint&) override;

 private:
  std::string log_path_, png_path_;
};

}  // namespace rbmkit
