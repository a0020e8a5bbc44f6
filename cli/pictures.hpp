// The pictures the CLI writes: weight mosaics and sample grids as PNG.
#pragma once

#include <string>
#include <utility>

#include "rbmkit/dataset.hpp"
#include "rbmkit/model.hpp"
#include "rbmkit/model_io.hpp"
#include "rbmkit/sampler.hpp"

namespace rbmkit::cli {

using Tile = std::pair<std::size_t, std::size_t>;  // (width, height)

// The tile shape: from --tile WxH when given, else the data's image shape, else square-ish.
// Throws InvalidArgument when the tile does not hold d values.
Tile picture_tile(const std::string& flag, std::size_t d, std::size_t image_width, std::size_t image_height);

// The tile shape for a loaded model: --tile, else the image shape recorded in its meta.
Tile model_tile(const std::string& flag, const LoadedModel& loaded);

void write_weights_png(const std::string& path, const Model& m, Tile tile);
// A near-square grid of the chains' final conditional means p(v | h).
void write_chains_png(const std::string& path, const Chains& chains, Tile tile);
// 100 chains (fewer for small data) started at random examples of `data`, run for `steps`.
void write_samples_png(const std::string& path, const Model& m, const Dataset& data, Tile tile, int steps,
                       std::uint64_t seed);

}  // namespace rbmkit::cli
