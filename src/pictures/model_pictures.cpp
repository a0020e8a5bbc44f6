#include "rbmkit/pictures/model_pictures.hpp"

#include <algorithm>

#include "rbmkit/error.hpp"
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

Tile picture_tile(const std::string& flag, std::size_t d, std::size_t image_width, std::size_t image_height) {
  // w * h == d, without trusting w * h not to wrap around (the shape may come from a file).
  const auto holds = [d](std::size_t w, std::size_t h) { return w > 0 && d % w == 0 && h == d / w; };
  Tile t = !flag.empty() ? parse_tile(flag)
           : holds(image_width, image_height) && d > 0 ? Tile{image_width, image_height}
                                                      : default_tile(d);
  if (!holds(t.first, t.second)) {
    std::size_t values = 0;
    const std::string held = __builtin_mul_overflow(t.first, t.second, &values) ? "more than 2^64" : std::to_string(values);
    throw ParameterError("tile", "tile shape " + std::to_string(t.first) + "x" + std::to_string(t.second) + " holds " + held +
                                     " values but the model has " + std::to_string(d) + " visible units");
  }
  return t;
}

Tile model_tile(const std::string& flag, const LoadedModel& loaded) {
  const auto w = loaded.meta.value("image_width", nlohmann::json(0));
  const auto h = loaded.meta.value("image_height", nlohmann::json(0));
  const bool known = w.is_number_unsigned() && h.is_number_unsigned();
  return picture_tile(flag, loaded.model.n_visible(), known ? w.get<std::size_t>() : 0,
                      known ? h.get<std::size_t>() : 0);
}

void write_weights_png(const std::string& path, const Model& m, Tile tile) {
  write_png(path, weight_mosaic(m.W, tile.first, tile.second));
}

Matrix display_values(Matrix X, const VisibleDisplay& display) {
  if (display.units != UnitType::Gaussian || X.size() == 0) return X;
  if (display.standardization) unstandardize(X, *display.standardization);
  if (!X.allFinite()) return X;  // sample_mosaic names the non-finite value
  const double lo = X.minCoeff(), hi = X.maxCoeff();
  if (!(hi > lo)) return Matrix::Constant(X.rows(), X.cols(), 0.5f);
  return ((X.cast<double>().array() - lo) / (hi - lo)).cast<float>().matrix();
}

void write_chains_png(const std::string& path, const Chains& chains, Tile tile, const VisibleDisplay& display) {
  write_png(path, sample_mosaic(display_values(chains.means, display), tile.first, tile.second));
}

void write_samples_png(const std::string& path, const Model& m, const Dataset& data, Tile tile, int steps,
                       std::uint64_t seed, const VisibleDisplay& display) {
  const std::size_t n = std::min<std::size_t>(100, data.rows());
  write_chains_png(path, run_chains(m, random_examples(data, n, seed), steps, seed), tile, display);
}

}  // namespace rbmkit
