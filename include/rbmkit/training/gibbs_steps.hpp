// Gibbs steps per update of CD-k, PCD-k and PT: k throughout, or rising linearly from 1 to k
// over the first `ramp` updates (k raised as the weights grow and the chains mix more slowly;
// Hinton 2010, "A practical guide to training restricted Boltzmann machines", section 3).
#pragma once

#include <cstdint>

namespace rbmkit {

class GibbsSteps {
 public:
  // k >= 1; ramp 0: k from the first update.
  GibbsSteps(int k, std::uint64_t ramp = 0);  // NOLINT(google-explicit-constructor): a plain k is a schedule
  // k(u) = 1 + floor((k - 1) u / ramp) for u < ramp, k after.
  int at(std::uint64_t update) const;
  int k() const { return k_; }

 private:
  int k_;
  std::uint64_t ramp_;
};

}  // namespace rbmkit
