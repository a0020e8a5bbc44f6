#include "rbmkit/pictures/model_pictures.hpp"

#include <algorithm>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/threads.hpp"
#include "rbmkit/pictures/mosaic.hpp"
#include "rbmkit/pictures/png.hpp"

namespace rbmkit {

Tile parse_tile(const std::string& text) {
  const auto x = text.find('x');
  std::size_t w = 0, h = 0;
  try {
    if (x == std::string::npos) throw std::invalid_argument("no x");
    std::size_t used = 0;
    w = std::stoul(text.substr(0, x), &used);
    if (used != x) throw std::invalid_argument("junk");
    h = std::stoul(text.substr(x + 1), &used);
    if (used != text.size() - x - 1) throw std::invalid_argument("junk");
  } catch (const std::exception&) {
    throw ParameterError("tile", "tile shape must be WxH, e.g. 28x28 (got '" + text + "')");
  }
  if (w == 0 || h == 0) throw ParameterError("tile", "tile width and height must be >= 1 (got '" + text + "')");
  return {w, h};
}

std::optional<Tile> image_tile(const std::string& flag, std::size_t d, std::size_t image_width,
                               std::size_t image_height) {
  // w * h == d, without trusting w * h not to wrap around (the shape may come from a file).
  const auto holds = [d](std::size_t w, std::size_t h) { return w > 0 && d % w == 0 && h == d / w; };
  if (!flag.empty()) {
    const Tile t = parse_tile(flag);
    if (!holds(t.first, t.second)) {
      std::size_t values = 0;
      const std::string held = __builtin_mul_overflow(t.first, t.second, &values) ? "more than 2^64" : std::to_string(values);
      throw ParameterError("tile", "tile shape " + std::to_string(t.first) + "x" + std::to_string(t.second) + " holds " +
                                       held + " values but the model has " + std::to_string(d) + " visible units");
    }
    return t;
  }
  if (d > 0 && holds(image_width, image_height)) return Tile{image_width, image_height};
  const Tile square = default_tile(d);
  if (square.second > 1 || d == 1) return square;
  return std::nullopt;
}

Tile picture_tile(const std::string& flag, std::size_t d, std::size_t image_width, std::size_t image_height) {
  if (const auto t = image_tile(flag, d, image_width, image_height)) return *t;
  throw ParameterError("tile", "the data has no image shape (" + std::to_string(d) +
                                   " values, not a square, and no image size recorded): give the tile shape WxH to draw it");
}

Tile model_tile(const std::string& flag, const LoadedModel& loaded) {
  const auto w = loaded.meta.value("image_width", nlohmann::json(0));
  const auto h = loaded.meta.value("image_height", nlohmann::json(0));
  const bool known = w.is_number_unsigned() && h.is_number_unsigned();
  return picture_tile(flag, loaded.model.n_visible(), known ? w.get<std::size_t>() : 0,
                      known ? h.get<std::size_t>() : 0);
}

void write_weights_png(const std::string& path, const Model& m, Tile tile, int scale) {
  write_png(path, upscale(weight_mosaic(m.W, tile.first, tile.second), scale));
}

Matrix display_values(Matrix X, const VisibleDisplay& display) {
  if (display.units != UnitType::Gaussian || X.size() == 0) return X;
  if (display.standardization) unstandardize(X, *display.standardization);
  if (!X.allFinite()) return X;  // sample_mosaic names the non-finite value
  const double lo = X.minCoeff(), hi = X.maxCoeff();
  if (!(hi > lo)) return Matrix::Constant(X.rows(), X.cols(), 0.5f);
  return ((X.cast<double>().array() - lo) / (hi - lo)).cast<float>().matrix();
}

void write_chains_png(const std::string& path, const Chains& chains, Tile tile, const VisibleDisplay& display, int scale) {
  write_png(path, upscale(sample_mosaic(display_values(chains.means, display), tile.first, tile.second), scale));
}

void write_inpainting_png(const std::string& path, const Matrix& data, const std::vector<std::uint8_t>& clamp,
                          const Matrix& completion, Tile tile, const VisibleDisplay& display, int scale) {
  const Eigen::Index n = data.rows(), d = data.cols();
  // One range for the whole picture: data, masks and completions shown on the same scale.
  Matrix all(3 * n, d);
  for (Eigen::Index r = 0; r < n; ++r) {
    all.row(3 * r) = data.row(r);
    all.row(3 * r + 2) = completion.row(r);
  }
  all = display_values(std::move(all), display);
  for (Eigen::Index r = 0; r < n; ++r) {
    all.row(3 * r + 1) = all.row(3 * r);
    for (Eigen::Index i = 0; i < d; ++i)
      if (!clamp[static_cast<std::size_t>(i)]) all(3 * r + 1, i) = 0.5f;
  }
  const std::size_t per_row = static_cast<std::size_t>(std::min<Eigen::Index>(n, 5));
  write_png(path, upscale(sample_mosaic(all, tile.first, tile.second, 3 * per_row), scale));
}

void write_samples_png(const std::string& path, const Model& m, const Dataset& data, Tile tile, int steps,
                       std::uint64_t seed, const VisibleDisplay& display) {
  // A hundred chains are small work: on one thread they cost little more than on two, and they
  // do not stall when other processes hold the cores (two threads that meet at every product
  // then wait for each other's time slices).
  const ScopedThreads one(1);
  const std::size_t n = std::min<std::size_t>(100, data.rows());
  write_chains_png(path, run_chains(m, random_examples(data, n, seed), steps, seed), tile, display);
}

}  // namespace rbmkit
