#include "openmp_spin.hpp"

#include <unistd.h>

#include <cstdlib>

namespace rbmkit::cli {

void bound_openmp_spinning(char** argv) {
  if (std::getenv("GOMP_SPINCOUNT") || std::getenv("OMP_WAIT_POLICY")) return;
  if (setenv("GOMP_SPINCOUNT", kOpenMpSpinCount, 0) != 0) return;
  execv("/proc/self/exe", argv);  // the same process (pid, signals, open files) from here on
}

}  // namespace rbmkit::cli
