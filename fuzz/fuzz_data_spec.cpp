// libFuzzer target: the small text parsers of data specs: parse_binarization (which must read
// back what to_string writes) and parse_unit_type.
// Any rbmkit::Error is a refusal and fine; anything else is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/model/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const rbmkit::Binarization b = rbmkit::parse_binarization(text);
    if (b.kind == rbmkit::Binarization::Kind::Threshold && !std::isfinite(b.threshold)) std::abort();
    const rbmkit::Binarization again = rbmkit::parse_binarization(rbmkit::to_string(b));  // must not throw
    if (again.kind != b.kind) std::abort();
    if (b.kind == rbmkit::Binarization::Kind::Threshold && again.threshold != b.threshold) std::abort();
    if (b.kind == rbmkit::Binarization::Kind::Stochastic && again.seed != b.seed) std::abort();
  } catch (const rbmkit::InvalidArgument&) {
  }
  try {
    (void)rbmkit::parse_unit_type(text);
  } catch (const rbmkit::InvalidArgument&) {
  }
  return 0;
}
