// The pictures of a model: weight mosaics and sample grids as PNG files, with the tile shape
// taken from a flag, the data or the model file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/data/standardize.hpp"
#include "rbmkit/io/model_file.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/sampling/chains.hpp"

namespace rbmkit {

using Tile = std::pair<std::size_t, std::size_t>;  // (width, height)

// Parses "WxH" (e.g. "28x28") into (width, height); throws ParameterError naming "tile".
Tile parse_tile(const std::string& text);

// The tile shape: from the tile flag WxH when given, else the data's image shape (image_width x
// image_height, when they hold d values), else (s, s) when d = s * s; none when the data has no
// image shape. Throws ParameterError naming "tile" when the flag's tile does not hold d values.
std::optional<Tile> image_tile(const std::string& flag, std::size_t d, std::size_t image_width,
                               std::size_t image_height);

// image_tile, or ParameterError naming "tile" when the data has no image shape.
Tile picture_tile(const std::string& flag, std::size_t d, std::size_t image_width, std::size_t image_height);

// The tile shape for a loaded model: --tile, else the image shape recorded in its meta.
Tile model_tile(const std::string& flag, const LoadedModel& loaded);

// The weight mosaic (mosaic.hpp), each pixel drawn as scale x scale.
void write_weights_png(const std::string& path, const Model& m, Tile tile, int scale = 1);

// How pictures show visible values: the model's visible unit type and, for Gaussian units, the
// standardisation to undo (null: none).
struct VisibleDisplay {
  UnitType units = UnitType::Bernoulli;
  const Standardization* standardization = nullptr;
};

// The values of visible vectors X (n, d) in [0, 1] for a picture: Bernoulli means as they are;
// Gaussian means un-standardised, then mapped linearly from their overall [min, max] (one range
// for the whole grid, so tiles stay comparable) to [0, 1] (all 1/2 when min = max).
Matrix display_values(Matrix X, const VisibleDisplay& display);

// A near-square grid of the chains' final conditional means E[v | h] (display_values).
void write_chains_png(const std::string& path, const Chains& chains, Tile tile, const VisibleDisplay& display = {},
                      int scale = 1);

// Inpainting: three tiles per chain, side by side: the data example (n, d), the same with the
// free units (clamp[i] == 0) mid grey, and the completion (n, d) (display_values of each).
// Up to five chains per row of the grid.
void write_inpainting_png(const std::string& path, const Matrix& data, const std::vector<std::uint8_t>& clamp,
                          const Matrix& completion, Tile tile, const VisibleDisplay& display = {}, int scale = 1);
// 100 chains (fewer for small data) started at random examples of `data` (in the model's units,
// i.e. standardised when the model is), run for `steps` on one thread.
void write_samples_png(const std::string& path, const Model& m, const Dataset& data, Tile tile, int steps,
                       std::uint64_t seed, const VisibleDisplay& display = {});

}  // namespace rbmkit
