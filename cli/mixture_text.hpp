// rbmkit mixture's text report.
#pragma once

#include "rbmkit/workflows/mixture_view.hpp"

namespace rbmkit::cli {

// Prints what the file holds, the mixture it is and its components, heaviest first, on stdout.
void print_mixture_text(const MixtureView& view);

}  // namespace rbmkit::cli
