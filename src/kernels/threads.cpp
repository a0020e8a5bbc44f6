#include "rbmkit/kernels/threads.hpp"

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

namespace rbmkit {

ScopedThreads::ScopedThreads(int threads) : omp_(omp_get_max_threads()), eigen_(Eigen::nbThreads()) {
  omp_set_num_threads(std::max(1, threads));
  Eigen::setNbThreads(std::max(1, threads));
}

ScopedThreads::~ScopedThreads() {
  omp_set_num_threads(omp_);
  Eigen::setNbThreads(eigen_);
}

}  // namespace rbmkit
