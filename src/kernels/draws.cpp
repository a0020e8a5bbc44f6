#include "rbmkit/kernels/draws.hpp"

namespace rbmkit {
namespace {

// Draws of fewer values than this stay on the calling thread: starting a parallel region costs
// more than drawing them.
constexpr Eigen::Index kParallelDrawMin = 16384;

}  // namespace

void for_each_draw_row(Eigen::Index B, Eigen::Index cols, std::uint64_t per_row, const DrawTag& tag,
                       const std::function<void(Eigen::Index, RandomStream&)>& draw) {
  const auto draw_row = [&](Eigen::Index r) {
    RandomStream rng = tag.row_streams
                           ? RandomStream(tag.seed, tag.row_streams[r], tag.block0)
                           : RandomStream(tag.seed, tag.stream, tag.block0 + static_cast<std::uint64_t>(r) * per_row);
    draw(r, rng);
  };
  if (B * cols <= kParallelDrawMin) {
    for (Eigen::Index r = 0; r < B; ++r) draw_row(r);
    return;
  }
#pragma omp parallel for schedule(static)
  for (Eigen::Index r = 0; r < B; ++r) draw_row(r);
}

}  // namespace rbmkit
