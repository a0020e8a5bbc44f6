#include "rbmkit/pictures/learning_curve.hpp"

#include <cmath>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/io/train_log.hpp"
#include "rbmkit/pictures/line_chart.hpp"

namespace rbmkit {

void write_learning_curve_png(const std::string& path, const std::vector<EvalPoint>& points) {
  if (points.empty()) throw InvalidArgument("a learning curve needs at least one evaluation");
  ChartSeries by_update, by_seconds;
  bool banded = false;
  for (const auto& p : points) {
    by_update.x.push_back(static_cast<double>(p.update));
    by_seconds.x.push_back(p.seconds);
    by_update.y.push_back(p.log_likelihood);
    by_update.lower.push_back(p.lower);
    by_update.upper.push_back(p.upper);
    banded |= p.lower != p.upper;
  }
  if (!banded) by_update.lower.clear(), by_update.upper.clear();
  ChartSeries bound_by_update, bound_by_seconds;
  for (const auto& p : points)
    if (std::isfinite(p.bound) && p.method != "exact") {
      bound_by_update.x.push_back(static_cast<double>(p.update));
      bound_by_seconds.x.push_back(p.seconds);
      bound_by_update.y.push_back(p.bound);
    }
  bound_by_seconds.y = bound_by_update.y;
  bound_by_update.label = bound_by_seconds.label = "certified upper bound (log Z >= an exact sum)";
  const EvalPoint& last = points.back();
  std::string how = last.method;
  if (last.method == "ais" && last.detail.is_object() && last.detail.contains("betas"))
    how = "AIS, " + last.detail["betas"].dump() + " betas";
  by_update.label = "held-out log-likelihood (" + how + ")";
  by_update.band_label = "bars: the estimate's +-3 sigma band (an arrow head: unbounded)";
  by_seconds.label = by_update.label;
  by_seconds.band_label = by_update.band_label;
  by_seconds.y = by_update.y;
  by_seconds.lower = by_update.lower;
  by_seconds.upper = by_update.upper;
  const std::string y_label = "held-out log-likelihood (nats, " + how + ")";
  std::vector<ChartPanel> panels = {{"log-likelihood against updates", "updates", y_label, {by_update}},
                                    {"log-likelihood against training time", "seconds", y_label, {by_seconds}}};
  if (!bound_by_update.x.empty()) {
    panels[0].series.push_back(bound_by_update);
    panels[1].series.push_back(bound_by_seconds);
  }
  write_file_atomic(path, render_line_chart_png(panels));
}

void LearningCurveWriter::on_evaluation(const EvalPoint&) {
  write_learning_curve_png(png_path_, read_eval_points(log_path_));
}

}  // namespace rbmkit
