// Internal invariants: shapes at the kernels' entry points and the like. Checked in debug and
// sanitizer builds (no NDEBUG), compiled out in Release. Bad input from users is never caught
// here: public entry points refuse it with a typed exception (error.hpp).
#pragma once

#include <cassert>

// RBMKIT_ASSERT(A.cols() == M.rows(), "sparse_times: A (B, n) times M (n, k)")
#define RBMKIT_ASSERT(condition, what) assert((condition) && (what))
