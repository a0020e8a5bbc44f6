// rbmkit eval's text report.
#pragma once

#include "rbmkit/workflows/eval_run.hpp"

namespace rbmkit::cli {

// Prints the model, the data, the method and every figure of `run` on stdout.
void print_eval_text(const EvalRun& run);

}  // namespace rbmkit::cli
