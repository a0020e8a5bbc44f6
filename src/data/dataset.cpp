#include "rbmkit/data/dataset.hpp"

#include <algorithm>
#include <array>

#include "rbmkit/error.hpp"

namespace rbmkit {

Dataset Dataset::from_bytes(std::size_t rows, std::size_t cols, std::vector<std::uint8_t> bytes,
                            float scale) {
  if (bytes.size() != rows * cols)
    throw InvalidArgument("dataset: " + std::to_string(bytes.size()) + " bytes for " +
                          std::to_string(rows) + " x " + std::to_string(cols) + " values");
  Dataset d;
  d.rows_ = rows;
  d.cols_ = cols;
  d.bytes_ = std::move(bytes);
  d.scale_ = scale;
  // Binary when every byte present, times the scale, is exactly 0 or 1 (0/1 bytes at scale 1,
  // 0/255 bytes at scale 1/255).
  std::array<bool, 256> present{};
  for (const std::uint8_t v : d.bytes_) present[v] = true;
  d.binary_ = true;
  for (std::size_t v = 0; v < 256; ++v)
    if (present[v] && static_cast<float>(v) * scale != 0.0f && static_cast<float>(v) * scale != 1.0f) d.binary_ = false;
  return d;
}

Dataset Dataset::from_floats(std::size_t rows, std::size_t cols, std::vector<float> values) {
  if (values.size() != rows * cols)
    throw InvalidArgument("dataset: " + std::to_string(values.size()) + " values for " +
                          std::to_string(rows) + " x " + std::to_string(cols));
  const bool binary =
      std::all_of(values.begin(), values.end(), [](float v) { return v == 0.0f || v == 1.0f; });
  if (binary && !values.empty()) {
    std::vector<std::uint8_t> bytes(values.size());
    std::transform(values.begin(), values.end(), bytes.begin(),
                   [](float v) { return static_cast<std::uint8_t>(v); });
    return from_bytes(rows, cols, std::move(bytes));
  }
  Dataset d;
  d.rows_ = rows;
  d.cols_ = cols;
  d.reals_ = std::move(values);
  return d;
}

float Dataset::value(std::size_t row, std::size_t col) const {
  const std::size_t k = row * cols_ + col;
  return bytes_.empty() ? reals_[k] : bytes_[k] * scale_;
}

void Dataset::copy_row(std::size_t row, float* out) const {
  const std::size_t base = row * cols_;
  if (bytes_.empty()) {
    std::copy_n(reals_.data() + base, cols_, out);
  } else {
    for (std::size_t j = 0; j < cols_; ++j) out[j] = bytes_[base + j] * scale_;
  }
}

void Dataset::active_columns(std::size_t row, std::vector<std::uint32_t>& out) const {
  out.clear();
  const std::uint8_t* r = bytes_.data() + row * cols_;
  for (std::size_t j = 0; j < cols_; ++j)
    if (r[j]) out.push_back(static_cast<std::uint32_t>(j));
}

Dataset Dataset::select_rows(const std::vector<std::size_t>& rows) const {
  Dataset out;
  if (bytes_.empty() && !reals_.empty()) {
    std::vector<float> v(rows.size() * cols_);
    for (std::size_t i = 0; i < rows.size(); ++i)
      std::copy_n(reals_.data() + rows[i] * cols_, cols_, v.data() + i * cols_);
    out = from_floats(rows.size(), cols_, std::move(v));
  } else {
    std::vector<std::uint8_t> v(rows.size() * cols_);
    for (std::size_t i = 0; i < rows.size(); ++i)
      std::copy_n(bytes_.data() + rows[i] * cols_, cols_, v.data() + i * cols_);
    out = from_bytes(rows.size(), cols_, std::move(v), scale_);
  }
  out.image_width = image_width;
  out.image_height = image_height;
  return out;
}

}  // namespace rbmkit
