// Line charts as PNG (drawn with cairo): learning curves and other series against a variable.
//
// A chart is one or more panels side by side; each panel has a title, axis labels and series of
// points (x, y) joined by lines, with an optional vertical band [lower, upper] at each point
// (error bars; an infinite edge is drawn to the panel's edge and ends in an open arrow head, so it
// reads as "unbounded"). A legend names each series and what its bars are. Axis ranges cover every finite
// value with 5% margins; ticks are at 1, 2 or 5 times a power of ten.
#pragma once

#include <string>
#include <vector>

namespace rbmkit {

struct ChartSeries {
  std::string label;
  std::vector<double> x, y;           // points, same length
  std::vector<double> lower, upper;   // empty, or one band per point
  std::string band_label;             // what the bands are, for the legend (empty: not explained)
};

struct ChartPanel {
  std::string title, x_label, y_label;
  std::vector<ChartSeries> series;
};

// PNG bytes of the panels side by side, each width x height pixels (white background).
// Throws InvalidArgument when a series' arrays differ in length, no panel is given, or a size
// is outside [100, 4000]; IoError when cairo fails.
std::string render_line_chart_png(const std::vector<ChartPanel>& panels, int width = 520, int height = 380);

// Tick positions covering [lo, hi] at 1, 2 or 5 times a power of ten, about `target` of them
// (hi > lo, both finite).
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

}  // namespace rbmkit
