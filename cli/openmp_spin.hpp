// Bounded spinning for OpenMP's idle threads. libgomp's threads spin about 300,000 times at each
// barrier before they sleep, so when another process runs on the same cores each run's spinning
// threads hold the cores the other's threads are waiting for: two 2-thread minibatch runs on 2
// cores (H = 500, batch 100) trained at 4,700-21,000 ex/s each, against 83,000-135,000 for one
// run alone. With GOMP_SPINCOUNT=1000 the two ran at 37,000-54,000 each and one alone as fast as
// before (within this machine's noise); OMP_WAIT_POLICY=PASSIVE cost a run alone about 40%.
#pragma once

namespace rbmkit::cli {

inline constexpr const char* kOpenMpSpinCount = "1000";

// When neither GOMP_SPINCOUNT nor OMP_WAIT_POLICY is set, sets GOMP_SPINCOUNT and executes the
// command again with the same arguments (libgomp reads its settings once, when it is loaded,
// before main); returns only if the user chose a policy or the new execution failed.
void bound_openmp_spinning(char** argv);

}  // namespace rbmkit::cli
