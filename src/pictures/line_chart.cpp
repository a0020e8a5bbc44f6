#include "rbmkit/pictures/line_chart.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  // 5% margins; a single value or an empty range gets a unit-wide window.
  void pad() {
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) lo -= 0.5, hi += 0.5;
    const double m = 0.05 * (hi - lo);
    lo -= m;
    hi += m;
  }
};

std::string tick_label(double v, double step) {
  char buf[32];
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::fabs(v) >= 1e6 && step >= 1) std::snprintf(buf, sizeof buf, "%.3g", v);
  else std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return buf;
}

// Series colours (a colour-blind-safe palette, Wong 2011).
constexpr double kColours[][3] = {{0.0, 0.447, 0.698}, {0.835, 0.369, 0.0}, {0.0, 0.620, 0.451}, {0.8, 0.475, 0.655}};

void draw_text(cairo_t* cr, const std::string& text, double x, double y, double align_x, double align_y,
               bool vertical = false) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  cairo_save(cr);
  cairo_translate(cr, x, y);
  if (vertical) cairo_rotate(cr, -M_PI / 2);
  cairo_move_to(cr, -e.x_bearing - align_x * e.width, -e.y_bearing - align_y * e.height);
  cairo_show_text(cr, text.c_str());
  cairo_restore(cr);
}

void draw_panel(cairo_t* cr, const ChartPanel& p, double ox, int width, int height) {
  const double left = ox + 70, right = ox + width - 20, top = 36, bottom = height - 50.0;
  Range xr, yr;
  for (const auto& s : p.series) {
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      xr.add(s.x[i]);
      yr.add(s.y[i]);
      if (!s.lower.empty()) yr.add(s.lower[i]), yr.add(s.upper[i]);
    }
  }
  xr.pad();
  yr.pad();
  const auto X = [&](double v) { return left + (v - xr.lo) / (xr.hi - xr.lo) * (right - left); };
  const auto Y = [&](double v) {
    const double c = std::clamp(v, yr.lo, yr.hi);
    return bottom - (c - yr.lo) / (yr.hi - yr.lo) * (bottom - top);
  };

  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_line_width(cr, 1.0);
  cairo_set_font_size(cr, 11);
  const auto xt = nice_ticks(xr.lo, xr.hi), yt = nice_ticks(yr.lo, yr.hi);
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1, ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double v : xt) {
    cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
    cairo_move_to(cr, std::round(X(v)) + 0.5, top);
    cairo_line_to(cr, std::round(X(v)) + 0.5, bottom);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    draw_text(cr, tick_label(v, xstep), X(v), bottom + 6, 0.5, 0.0);
  }
  for (double v : yt) {
    cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
    cairo_move_to(cr, left, std::round(Y(v)) + 0.5);
    cairo_line_to(cr, right, std::round(Y(v)) + 0.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    draw_text(cr, tick_label(v, ystep), left - 6, Y(v), 1.0, 0.5);
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_rectangle(cr, left + 0.5, top + 0.5, right - left, bottom - top);
  cairo_stroke(cr);
  cairo_set_font_size(cr, 12);
  draw_text(cr, p.x_label, (left + right) / 2, height - 6.0, 0.5, 1.0);
  draw_text(cr, p.y_label, ox + 6, (top + bottom) / 2, 0.5, 0.0, true);
  cairo_set_font_size(cr, 13);
  draw_text(cr, p.title, (left + right) / 2, 10, 0.5, 0.0);

  cairo_save(cr);
  cairo_rectangle(cr, left, top, right - left, bottom - top);
  cairo_clip(cr);
  for (std::size_t k = 0; k < p.series.size(); ++k) {
    const auto& s = p.series[k];
    const double* c = kColours[k % 4];
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_set_line_width(cr, 1.0);
    for (std::size_t i = 0; i < s.lower.size(); ++i) {
      const double x = X(s.x[i]);
      cairo_move_to(cr, x, Y(std::isnan(s.lower[i]) ? s.y[i] : s.lower[i]));
      cairo_line_to(cr, x, Y(std::isnan(s.upper[i]) ? s.y[i] : s.upper[i]));
      cairo_stroke(cr);
      // An infinite edge: an open arrow head at the frame, pointing out of it.
      for (const double edge : {s.lower[i], s.upper[i]}) {
        if (!std::isinf(edge)) continue;
        const double y = edge > 0 ? top + 1 : bottom - 1, dy = edge > 0 ? 6.0 : -6.0;
        cairo_move_to(cr, x - 4, y + dy);
        cairo_line_to(cr, x, y);
        cairo_line_to(cr, x + 4, y + dy);
        cairo_stroke(cr);
      }
    }
    cairo_set_line_width(cr, 2.0);
    bool drawing = false;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        drawing = false;
        continue;
      }
      if (drawing) cairo_line_to(cr, X(s.x[i]), Y(s.y[i]));
      else cairo_move_to(cr, X(s.x[i]), Y(s.y[i]));
      drawing = true;
    }
    cairo_stroke(cr);
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      cairo_arc(cr, X(s.x[i]), Y(s.y[i]), 3.0, 0, 2 * M_PI);
      cairo_fill(cr);
    }
  }
  cairo_restore(cr);
  // The legend, bottom right inside the frame (learning curves rise, leaving that corner free):
  // each series, then what its bars are.
  std::vector<std::string> lines;
  for (const auto& s : p.series) {
    if (!s.label.empty()) lines.push_back(s.label);
    if (!s.band_label.empty() && !s.lower.empty()) lines.push_back(s.band_label);
  }
  double widest = 0;
  cairo_set_font_size(cr, 11);
  for (const auto& l : lines) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, l.c_str(), &e);
    widest = std::max(widest, e.width);
  }
  const double legend_left = std::max(left, right - widest - 40);
  double y = bottom - 16.0 * static_cast<double>(lines.size()) + 4;
  for (std::size_t k = 0; k < p.series.size(); ++k) {
    const double* c = kColours[k % 4];
    cairo_set_font_size(cr, 11);
    if (!p.series[k].label.empty()) {
      cairo_set_source_rgb(cr, c[0], c[1], c[2]);
      cairo_rectangle(cr, legend_left + 10, y - 4, 14, 3);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
      draw_text(cr, p.series[k].label, legend_left + 30, y - 3, 0.0, 0.5);
      y += 16;
    }
    if (!p.series[k].band_label.empty() && !p.series[k].lower.empty()) {
      cairo_set_source_rgb(cr, c[0], c[1], c[2]);
      cairo_set_line_width(cr, 1.0);
      cairo_move_to(cr, legend_left + 17, y - 9);
      cairo_line_to(cr, legend_left + 17, y + 3);
      cairo_stroke(cr);
      cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
      draw_text(cr, p.series[k].band_label, legend_left + 30, y - 3, 0.0, 0.5);
      y += 16;
    }
  }
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  const double raw = (hi - lo) / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  std::vector<double> ticks;
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) ticks.push_back(v);
  return ticks;
}

std::string render_line_chart_png(const std::vector<ChartPanel>& panels, int width, int height) {
  if (panels.empty()) throw InvalidArgument("a chart needs at least one panel");
  if (width < 100 || width > 4000 || height < 100 || height > 4000)
    throw InvalidArgument("chart panels must be 100 to 4000 pixels wide and high (got " + std::to_string(width) +
                          " x " + std::to_string(height) + ")");
  for (const auto& p : panels)
    for (const auto& s : p.series)
      if (s.y.size() != s.x.size() || (!s.lower.empty() && (s.lower.size() != s.x.size() || s.upper.size() != s.x.size())))
        throw InvalidArgument("chart series '" + s.label + "' has arrays of different lengths");
  const int total_width = width * static_cast<int>(panels.size());
  const std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, total_width, height), cairo_surface_destroy);
  const std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  for (std::size_t k = 0; k < panels.size(); ++k)
    draw_panel(cr.get(), panels[k], static_cast<double>(k) * width, width, height);
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_write_to_png_stream(surface.get(), append_bytes, &png) != CAIRO_STATUS_SUCCESS)
    throw IoError(std::string("cannot draw the chart: ") + cairo_status_to_string(cairo_status(cr.get())));
  return png;
}

}  // namespace rbmkit
