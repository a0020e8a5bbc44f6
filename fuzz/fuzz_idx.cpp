// libFuzzer target: parse_idx (IDX files, loaders.hpp) over arbitrary bytes.
// Any rbmkit::Error is a refusal and fine; anything else (a crash, a sanitizer report, another
// exception, an allocation over libFuzzer's -malloc_limit_mb) is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const rbmkit::Dataset d = rbmkit::parse_idx(bytes, "fuzz.idx");
    // What was accepted is consistent: every value is there and readable, and finite.
    const std::size_t stored = d.byte_backed() ? d.bytes().size() : d.floats().size();
    if (stored != d.rows() * d.cols()) std::abort();
    if (d.rows() > 0 && d.cols() == 0) std::abort();  // examples of no values are refused
    if (d.image_width * d.image_height != 0 && d.image_width * d.image_height != d.cols()) std::abort();
    for (std::size_t k = 0; k < stored; ++k)
      if (!std::isfinite(d.value(k / d.cols(), k % d.cols()))) std::abort();
  } catch (const rbmkit::Error&) {
  }
  return 0;
}
