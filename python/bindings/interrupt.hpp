// Ctrl-C during a long call that runs without the GIL: the library's progress callbacks poll
// Python's signal handlers (at most every 50 ms, taking the GIL for the check) and, when one
// raises (KeyboardInterrupt), set a stop flag the library reads between updates; the caller
// raises the stored exception once the library has returned.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <optional>

namespace rbmkit::python {

namespace py = pybind11;

class InterruptPoll {
 public:
  // Called from the library's thread (the GIL not held).
  void poll();
  const std::atomic<bool>* flag() const { return &stop_; }
  // With the GIL held, after the call: raises the exception a signal handler raised, if any.
  void rethrow();

 private:
  std::atomic<bool> stop_{false};
  std::optional<py::error_already_set> error_;
  std::chrono::steady_clock::time_point next_{};
};

}  // namespace rbmkit::python
