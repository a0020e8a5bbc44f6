#include "progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace rbmkit::cli {
namespace {

std::string duration(double s) {
  char buf[32];
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

}  // namespace

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void draw_stage_progress(const std::string& stage, double fraction) {
  constexpr int width = 30;
  char bar[width + 1];
  const int filled = static_cast<int>(fraction * width);
  for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '-';
  bar[width] = '\0';
  std::fprintf(stderr, "\r%-6s [%s] %3.0f%%\033[K", stage.c_str(), bar, 100 * fraction);
  std::fflush(stderr);
}

void end_stage_progress() {
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

ProgressObserver::ProgressObserver() : tty_(stderr_is_terminal()) {}

void ProgressObserver::draw_bar(std::uint64_t update, std::uint64_t total, double seconds, double recon) {
  constexpr int width = 30;
  const double frac = total ? static_cast<double>(update) / static_cast<double>(total) : 1.0;
  const int filled = static_cast<int>(frac * width);
  char bar[width + 1];
  for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '-';
  bar[width] = '\0';
  const double rate = seconds > 0 ? static_cast<double>(update) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - update) / rate : NAN;
  std::fprintf(stderr, "\r[%s] %3.0f%% %llu/%llu  %.0f upd/s  ETA %s  recon %.3f\033[K", bar, 100 * frac,
               static_cast<unsigned long long>(update), static_cast<unsigned long long>(total), rate,
               duration(eta).c_str(), recon);
  std::fflush(stderr);
}

void ProgressObserver::on_progress(std::uint64_t update, std::uint64_t total, double seconds) {
  if (!tty_ || seconds - last_draw_ < 0.1) return;
  last_draw_ = seconds;
  draw_bar(update, total, seconds, last_recon_);
}

void ProgressObserver::on_report(const TrainReport& r) {
  last_recon_ = r.reconstruction_error;
  if (tty_) {
    last_draw_ = r.seconds;
    draw_bar(r.update, r.total_updates, r.seconds, r.reconstruction_error);
    return;
  }
  // Plain lines: about ten per run.
  if (r.update < r.total_updates && r.update * 10 < next_line_ * r.total_updates) return;
  ++next_line_;
  while (next_line_ * r.total_updates <= r.update * 10) ++next_line_;
  std::fprintf(stderr, "update %llu/%llu  %s  recon %.4f  free energy %.3f", static_cast<unsigned long long>(r.update),
               static_cast<unsigned long long>(r.total_updates), duration(r.seconds).c_str(),
               r.reconstruction_error, r.free_energy_train);
  if (r.free_energy_heldout) std::fprintf(stderr, "  held-out %.3f", *r.free_energy_heldout);
  std::fprintf(stderr, "\n");
}

void ProgressObserver::on_evaluation(const EvalPoint& p) {
  if (tty_) std::fprintf(stderr, "\n");
  std::fprintf(stderr, "update %llu: held-out log-likelihood %.3f", static_cast<unsigned long long>(p.update),
               p.log_likelihood);
  if (p.method == "exact") std::fprintf(stderr, " (exact)");
  else std::fprintf(stderr, " (%s, band %.3f .. %.3f)", p.method.c_str(), p.lower, p.upper);
  std::fprintf(stderr, " in %.2f s\n", p.eval_seconds);
}

void ProgressObserver::on_end(const TrainReport& r) {
  if (tty_) std::fprintf(stderr, "\n");
  std::fprintf(stderr, "done: %llu updates in %s (%.1f us per update)\n", static_cast<unsigned long long>(r.update),
               duration(r.seconds).c_str(), r.update ? 1e6 * r.seconds / static_cast<double>(r.update) : 0.0);
}

}  // namespace rbmkit::cli
