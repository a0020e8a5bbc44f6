// Numbers as the CLI's text reports print them.
#pragma once

#include <string>

namespace rbmkit::cli {

// x with `digits` decimals ("-inf" and "inf" for infinities).
std::string fixed(double x, int digits = 3);

}  // namespace rbmkit::cli
