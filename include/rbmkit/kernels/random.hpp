// Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror and Shaw 2011,
// "Parallel random numbers: as easy as 1, 2, 3"), from Random123.
//
// A stream is identified by (seed, stream id); its n-th block of four 32-bit words is
// philox(key = seed, counter = (n, stream id)). Any block can be computed without the ones
// before it, so results depend only on the seed and on which stream and block each consumer
// uses, never on thread scheduling.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rbmkit {

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t stream, std::uint64_t block = 0);

  // Fills out[0..n) with uniform floats in [0, 1): 24 random bits each, u = k * 2^-24.
  // Starts at a fresh block and consumes ceil(n / 4) blocks.
  void uniform(float* out, std::size_t n);
  // One uniform double in [0, 1) with 53 random bits.
  double uniform_double();
  // A standard normal deviate (Box-Muller on two uniform doubles).
  double normal();
  // Fills out[0..n) with standard normal floats (Box-Muller, two uniforms of uniform() each);
  // starts at a fresh block and consumes ceil(2n / 4) blocks.
  void normal(float* out, std::size_t n);
  // An integer uniform on [0, n) without modulo bias (Lemire 2019); n >= 1.
  std::uint64_t below(std::uint64_t n);
  std::uint32_t next_u32();

  // Index of the next unused block (for checkpoints).
  std::uint64_t block() const { return block_; }

 private:
  void refill();

  std::uint32_t key_[2];
  std::uint32_t stream_[2];
  std::uint64_t block_;
  std::uint32_t buf_[4] = {};
  int used_ = 4;
};

}  // namespace rbmkit
