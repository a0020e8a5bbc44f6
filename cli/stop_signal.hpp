// SIGINT / SIGTERM during training: the run finishes its update, writes a checkpoint and the
// model, and the command exits with kInterruptedStatus (train --resume, reproduce --resume).
#pragma once

#include <atomic>

namespace rbmkit::cli {

constexpr int kInterruptedStatus = 3;

// Installs the handlers; the flag they set, for TrainRunCallbacks::stop.
std::atomic<bool>* install_stop_handlers();

}  // namespace rbmkit::cli
