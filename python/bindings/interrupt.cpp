#include "interrupt.hpp"

namespace rbmkit::python {

void InterruptPoll::poll() {
  if (stop_.load()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_) return;
  next_ = now + std::chrono::milliseconds(50);
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) {
    error_.emplace();  // fetches and clears the raised exception
    stop_.store(true);
  }
}

void InterruptPoll::rethrow() {
  if (!error_) return;
  py::error_already_set e = std::move(*error_);
  error_.reset();
  throw e;
}

}  // namespace rbmkit::python
