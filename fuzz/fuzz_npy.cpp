// libFuzzer target: the .npy parsers over arbitrary bytes: parse_npy (data sets, loaders.hpp)
// and decode_npy (the .npz member reader, npy.hpp), which share parse_npy_header. An array
// decode_npy accepts must survive encode_npy -> decode_npy unchanged.
// Any rbmkit::Error is a refusal and fine; anything else is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/formats/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const rbmkit::Dataset d = rbmkit::parse_npy(bytes, "fuzz.npy");
    const std::size_t stored = d.byte_backed() ? d.bytes().size() : d.floats().size();
    if (stored != d.rows() * d.cols()) std::abort();
    if (d.rows() > 0 && d.cols() == 0) std::abort();  // examples of no values are refused
    for (std::size_t k = 0; k < stored; ++k)
      if (!std::isfinite(d.value(k / d.cols(), k % d.cols()))) std::abort();
  } catch (const rbmkit::Error&) {
  }
  rbmkit::NpyArray a;
  try {
    a = rbmkit::decode_npy(bytes, "fuzz.npy");
  } catch (const rbmkit::Error&) {
    return 0;
  }
  if (a.data.size() != a.element_count() * a.item_size) std::abort();
  std::string again;
  try {
    again = rbmkit::encode_npy(a);
  } catch (const rbmkit::InvalidArgument&) {
    return 0;  // a shape too long for a version 1.0 header: encode_npy refuses it by design
  }
  const rbmkit::NpyArray b = rbmkit::decode_npy(again, "round trip");  // must not throw
  if (b.type != a.type || b.item_size != a.item_size || b.shape != a.shape || b.data != a.data) std::abort();
  if (a.type == rbmkit::NpyType::Float32 || a.type == rbmkit::NpyType::Float64)
    (void)rbmkit::npy_to_float32(a, "fuzz.npy");
  if (a.type == rbmkit::NpyType::Unicode && a.shape.empty()) {
    try {
      (void)rbmkit::npy_to_utf8(a, "fuzz.npy");
    } catch (const rbmkit::FormatError&) {
    }
  }
  return 0;
}
