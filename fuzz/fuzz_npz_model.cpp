// libFuzzer target: model.npz over arbitrary bytes: the zip container (decode_npz), each
// member's .npy (decode_npy), the JSON meta and load_model's shape checks (load_model_bytes).
// A model it accepts must have consistent shapes and finite parameters.
// Any rbmkit::Error is a refusal and fine; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rbmkit/error.hpp"
#include "rbmkit/io/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const rbmkit::LoadedModel got = rbmkit::load_model_bytes(bytes, "fuzz.npz");
    const rbmkit::Model& m = got.model;
    if (m.n_visible() == 0 || m.n_hidden() == 0) std::abort();
    if (static_cast<std::size_t>(m.a.size()) != m.n_visible() || static_cast<std::size_t>(m.b.size()) != m.n_hidden())
      std::abort();
    if (!m.W.allFinite() || !m.a.allFinite() || !m.b.allFinite()) std::abort();
    if (!got.meta.is_object()) std::abort();
  } catch (const rbmkit::Error&) {
  }
  return 0;
}
