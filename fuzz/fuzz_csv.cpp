// libFuzzer target: parse_csv (loaders.hpp) over arbitrary text.
// Any rbmkit::Error is a refusal and fine; anything else is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const rbmkit::Dataset d = rbmkit::parse_csv(text, "fuzz.csv");
    if (d.rows() == 0 || d.cols() == 0) std::abort();  // an accepted file has at least one value
    const std::size_t stored = d.byte_backed() ? d.bytes().size() : d.floats().size();
    if (stored != d.rows() * d.cols()) std::abort();
    for (std::size_t k = 0; k < stored; ++k)
      if (!std::isfinite(d.value(k / d.cols(), k % d.cols()))) std::abort();
  } catch (const rbmkit::Error&) {
  }
  return 0;
}
