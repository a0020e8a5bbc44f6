// The number of threads OpenMP regions and Eigen's products use, set for a scope.
#pragma once

namespace rbmkit {

// Sets both to `threads` (>= 1) and restores the previous counts when it goes out of scope.
class ScopedThreads {
 public:
  explicit ScopedThreads(int threads);
  ~ScopedThreads();
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  int omp_, eigen_;
};

}  // namespace rbmkit
