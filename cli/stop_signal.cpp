#include "stop_signal.hpp"

#include <signal.h>

namespace rbmkit::cli {
namespace {

std::atomic<bool> g_stop{false};

void request_stop(int) { g_stop.store(true); }

}  // namespace

std::atomic<bool>* install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return &g_stop;
}

}  // namespace rbmkit::cli
