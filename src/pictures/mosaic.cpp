#include "rbmkit/pictures/mosaic.hpp"

#include <algorithm>
#include <cmath>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

struct Grid {
  std::size_t cols, rows, tile_w, tile_h;
};

// The smallest c with c * c >= n.
std::size_t ceil_sqrt(std::size_t n) {
  auto c = static_cast<std::size_t>(std::sqrt(static_cast<double>(n)));
  while (c * c < n) ++c;
  while (c > 0 && (c - 1) * (c - 1) >= n) --c;
  return c;
}

// Checks the tile against the vector length and sizes the grid for n tiles.
Grid make_grid(const char* fn, std::size_t n, std::size_t d, std::size_t tile_w, std::size_t tile_h, std::size_t columns) {
  const std::string name(fn);
  if (tile_w == 0 || tile_h == 0 || tile_w > kMaxImagePixels || tile_h > kMaxImagePixels || tile_w * tile_h != d)
    throw InvalidArgument(name + ": a " + std::to_string(tile_w) + " x " + std::to_string(tile_h) + " tile holds " +
                          std::to_string(tile_w * tile_h) + " values but the vectors have d = " + std::to_string(d));
  if (n == 0) throw InvalidArgument(name + ": nothing to draw (0 tiles)");
  const std::size_t cols = columns == 0 ? ceil_sqrt(n) : columns;
  return Grid{cols, (n + cols - 1) / cols, tile_w, tile_h};
}

Image blank_image(const char* fn, const Grid& g, std::uint8_t separator) {
  const bool fits = g.cols <= kMaxImagePixels && g.rows <= kMaxImagePixels;
  const std::size_t w = g.cols * (g.tile_w + 1) + 1, h = g.rows * (g.tile_h + 1) + 1;
  if (!fits || w > kMaxImagePixels || h > kMaxImagePixels || w * h > kMaxImagePixels)
    throw InvalidArgument(std::string(fn) + ": a grid of " + std::to_string(g.cols) + " x " + std::to_string(g.rows) +
                          " tiles of " + std::to_string(g.tile_w) + " x " + std::to_string(g.tile_h) +
                          " pixels is larger than the limit of " + std::to_string(kMaxImagePixels) + " pixels");
  return Image{w, h, std::vector<std::uint8_t>(w * h, separator)};
}

// Fills tile k (row-major grid order) with pixel(i) for i = r * tile_w + c.
template <class PixelFn>
void paint_tile(Image& img, const Grid& g, std::size_t k, PixelFn pixel) {
  const std::size_t x0 = (k % g.cols) * (g.tile_w + 1) + 1, y0 = (k / g.cols) * (g.tile_h + 1) + 1;
  for (std::size_t r = 0; r < g.tile_h; ++r)
    for (std::size_t c = 0; c < g.tile_w; ++c) img.gray[(y0 + r) * img.width + x0 + c] = pixel(r * g.tile_w + c);
}

std::uint8_t to_byte(double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

}  // namespace

Image weight_mosaic(const Matrix& W, std::size_t tile_w, std::size_t tile_h) {
  const std::size_t d = static_cast<std::size_t>(W.rows()), H = static_cast<std::size_t>(W.cols());
  const Grid g = make_grid("weight mosaic", H, d, tile_w, tile_h, 0);
  Image img = blank_image("weight mosaic", g, kWeightSeparator);
  for (std::size_t j = 0; j < H; ++j) {
    const auto col = W.col(static_cast<Eigen::Index>(j));
    if (!col.allFinite()) throw DataError("weight mosaic: the weights of hidden unit " + std::to_string(j) + " hold NaN or infinity");
    const double m = col.cwiseAbs().maxCoeff();
    paint_tile(img, g, j, [&](std::size_t i) {
      return m == 0.0 ? to_byte(127.5) : to_byte(127.5 + 127.5 * col(static_cast<Eigen::Index>(i)) / m);
    });
  }
  return img;
}

Image sample_mosaic(const Matrix& X, std::size_t tile_w, std::size_t tile_h, std::size_t columns) {
  const std::size_t n = static_cast<std::size_t>(X.rows()), d = static_cast<std::size_t>(X.cols());
  const Grid g = make_grid("sample mosaic", n, d, tile_w, tile_h, columns);
  Image img = blank_image("sample mosaic", g, kSampleSeparator);
  for (std::size_t k = 0; k < n; ++k) {
    const auto row = X.row(static_cast<Eigen::Index>(k));
    if (!row.allFinite()) throw DataError("sample mosaic: sample " + std::to_string(k) + " holds NaN or infinity");
    paint_tile(img, g, k, [&](std::size_t i) { return to_byte(255.0 * row(static_cast<Eigen::Index>(i))); });
  }
  return img;
}

std::pair<std::size_t, std::size_t> default_tile(std::size_t d) {
  if (d == 0) throw InvalidArgument("no default tile for vectors of length 0");
  if (d == 784) return {28, 28};
  const std::size_t s = ceil_sqrt(d);
  if (s * s == d) return {s, s};
  return {d, 1};
}

Image upscale(const Image& img, int factor) {
  if (factor < 1) throw InvalidArgument("upscale factor must be >= 1 (got " + std::to_string(factor) + ")");
  if (img.gray.size() != img.width * img.height) throw InvalidArgument("image pixel count does not match its size");
  const auto f = static_cast<std::size_t>(factor);
  if (img.width > kMaxImagePixels / f || img.height > kMaxImagePixels / f ||
      img.width * f * img.height * f > kMaxImagePixels)
    throw InvalidArgument("upscaling a " + std::to_string(img.width) + " x " + std::to_string(img.height) + " image by " +
                          std::to_string(factor) + " exceeds the limit of " + std::to_string(kMaxImagePixels) + " pixels");
  Image out{img.width * f, img.height * f, {}};
  out.gray.resize(out.width * out.height);
  for (std::size_t y = 0; y < out.height; ++y)
    for (std::size_t x = 0; x < out.width; ++x) out.gray[y * out.width + x] = img.gray[(y / f) * img.width + x / f];
  return out;
}

}  // namespace rbmkit
