// The number of threads the calling thread's OpenMP regions and Eigen's products use, set for a
// scope.
//
// OpenMP keeps the count per calling thread, and Eigen reads it from OpenMP (Eigen::setNbThreads,
// which is process-wide, is never called), so two threads of the process (say, two Python
// threads fitting models) each run with their own count.
#pragma once

namespace rbmkit {

// Sets the count to `threads` (>= 1) and restores the previous one when it goes out of scope.
class ScopedThreads {
 public:
  explicit ScopedThreads(int threads);
  ~ScopedThreads();
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  int previous_;
};

}  // namespace rbmkit
