#include "rbmkit/kernels/threads.hpp"

#include <omp.h>

#include <algorithm>

namespace rbmkit {

ScopedThreads::ScopedThreads(int threads) : previous_(omp_get_max_threads()) {
  omp_set_num_threads(std::max(1, threads));
}

ScopedThreads::~ScopedThreads() { omp_set_num_threads(previous_); }

}  // namespace rbmkit
