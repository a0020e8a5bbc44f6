#include "rbmkit/training/gibbs_steps.hpp"

#include <string>

#include "rbmkit/error.hpp"

namespace rbmkit {

GibbsSteps::GibbsSteps(int k, std::uint64_t ramp) : k_(k), ramp_(ramp) {
  if (k < 1) throw InvalidArgument("Gibbs sampling needs k >= 1 steps per update (got " + std::to_string(k) + ")");
}

int GibbsSteps::at(std::uint64_t update) const {
  if (update >= ramp_) return k_;
  // (k - 1) u can pass 2^64; the product in 128 bits keeps the floor exact.
  const auto km1 = static_cast<unsigned __int128>(k_ - 1);
  return 1 + static_cast<int>(km1 * update / ramp_);
}

}  // namespace rbmkit
