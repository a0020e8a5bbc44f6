#include "number_text.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace rbmkit::cli {

std::string fixed(double x, int digits) {
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << x;
  return s.str();
}

}  // namespace rbmkit::cli
