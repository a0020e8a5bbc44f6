// Pictures of a model: weight and sample mosaics as 8-bit grayscale images (png.hpp encodes them).
//
// A mosaic is a grid of tiles, each tile_w x tile_h pixels showing one vector of d = tile_w *
// tile_h values laid out row-major (value r * tile_w + c at row r, column c). With n tiles and
// `columns` grid columns (0: near-square, columns = ceil(sqrt(n))) the grid has
// rows = ceil(n / columns); tiles are separated by 1-pixel lines and surrounded by a 1-pixel
// border, so the image is columns * (tile_w + 1) + 1 pixels wide and rows * (tile_h + 1) + 1
// high (291 x 291 for 100 MNIST filters). Separators, the border and unused grid cells have the
// colour of separators: a grey that is neither the background nor a stroke (kSampleSeparator for
// samples, black background and white strokes; kWeightSeparator for weights, whose zero is mid
// grey). Tiles are filled in row-major grid order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rbmkit/kernels/matrix.hpp"

namespace rbmkit {

// An 8-bit grayscale image; gray[y * width + x] is the pixel in row y, column x (0 black).
struct Image {
  std::size_t width = 0;
  std::size_t height = 0;
  std::vector<std::uint8_t> gray;
};

// The colours of separators, border and unused grid cells.
inline constexpr std::uint8_t kSampleSeparator = 128;
inline constexpr std::uint8_t kWeightSeparator = 64;

// The largest mosaic, in pixels (2^30); larger requests are InvalidArgument.
inline constexpr std::size_t kMaxImagePixels = std::size_t{1} << 30;

// One tile per hidden unit j, showing column j of W (d, H). Each tile is scaled symmetrically
// around zero by its own largest magnitude m_j = max_i |W(i, j)|:
//   pixel = clamp(round(127.5 + 127.5 * W(i, j) / m_j), 0, 255)
// so 0 is mid-grey (128), +m_j white (255) and -m_j black (0); an all-zero column is all 128.
// Throws InvalidArgument when tile_w * tile_h != d (the message gives both), when H = 0, or when
// the image would exceed kMaxImagePixels; DataError when W holds NaN or infinity (the message
// gives the unit).
Image weight_mosaic(const Matrix& W, std::size_t tile_w, std::size_t tile_h);

// One tile per row of X (n, d), values in [0, 1]: pixel = clamp(round(255 * x), 0, 255).
// `columns` = 0 picks the near-square grid. Throws InvalidArgument when tile_w * tile_h != d,
// n = 0 or the image would exceed kMaxImagePixels; DataError when X holds NaN or infinity.
Image sample_mosaic(const Matrix& X, std::size_t tile_w, std::size_t tile_h, std::size_t columns = 0);

// The tile for vectors of length d: (28, 28) for 784 (MNIST), (s, s) when d = s * s, else
// (d, 1): one row of d pixels. Throws InvalidArgument for d = 0.
std::pair<std::size_t, std::size_t> default_tile(std::size_t d);

// Each pixel becomes a factor x factor block (nearest neighbour), so small mosaics are easier
// to see. Throws InvalidArgument for factor < 1, for an image whose pixel count does not match
// its size, or a result larger than kMaxImagePixels.
Image upscale(const Image& img, int factor);

}  // namespace rbmkit
