// Where a batch of random draws takes its numbers from: one counter-based stream block range per
// row (chain), so every chain's draws are fixed by the seed whatever the number of threads.
//
// Row r of a draw tagged (seed, stream, block0) uses RandomStream(seed, stream, block0 + r * per_row),
// per_row the blocks (4 uniforms each) one row consumes; with row_streams set, row r draws from
// RandomStream(seed, row_streams[r], block0) instead (annealing, where each chain has its own stream).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>

#include "rbmkit/kernels/random.hpp"

namespace rbmkit {

// Random blocks (4 uniforms each) one row of `cols` values consumes.
constexpr std::uint64_t blocks_per_row(std::uint64_t cols) { return (cols + 3) / 4; }

struct DrawTag {
  std::uint64_t seed;
  std::uint64_t stream;
  std::uint64_t block0;
  const std::uint64_t* row_streams = nullptr;  // (B) or null
};

// Calls draw(r, rng) for every row r < B with the row's stream (see the header comment); on
// several threads when B * cols is large.
void for_each_draw_row(Eigen::Index B, Eigen::Index cols, std::uint64_t per_row, const DrawTag& tag,
                       const std::function<void(Eigen::Index, RandomStream&)>& draw);

}  // namespace rbmkit
