#include "rbmkit/data/dataset.hpp"

#include <algorithm>
#include <array>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

template <class T>
bool all_zero_or_one(const T* v, std::size_t n) {
  return std::all_of(v, v + n, [](T x) { return x == T(0) || x == T(1); });
}

// Binary when every byte present, times the scale, is exactly 0 or 1 (0/1 bytes at scale 1,
// 0/255 bytes at scale 1/255).
bool binary_bytes(const std::uint8_t* v, std::size_t n, float scale) {
  std::array<bool, 256> present{};
  for (std::size_t k = 0; k < n; ++k) present[v[k]] = true;
  for (std::size_t b = 0; b < 256; ++b)
    if (present[b] && static_cast<float>(b) * scale != 0.0f && static_cast<float>(b) * scale != 1.0f) return false;
  return true;
}

void check_count(std::size_t have, std::size_t rows, std::size_t cols, const char* what) {
  if (have != rows * cols)
    throw InvalidArgument("dataset: " + std::to_string(have) + " " + what + " for " + std::to_string(rows) + " x " +
                          std::to_string(cols) + " values");
}

}  // namespace

Dataset Dataset::make(std::size_t rows, std::size_t cols, Storage storage, const void* data, float scale,
                      std::shared_ptr<const void> owner) {
  if (rows * cols > 0 && !data) throw InvalidArgument("dataset: no memory for " + std::to_string(rows * cols) + " values");
  Dataset d;
  d.rows_ = rows;
  d.cols_ = cols;
  d.storage_ = storage;
  d.data_ = data;
  d.owner_ = std::move(owner);
  d.scale_ = scale;
  const std::size_t n = rows * cols;
  switch (storage) {
    case Storage::Bytes: d.binary_ = binary_bytes(static_cast<const std::uint8_t*>(data), n, scale); break;
    case Storage::Floats: d.binary_ = all_zero_or_one(static_cast<const float*>(data), n); break;
    case Storage::Doubles: d.binary_ = all_zero_or_one(static_cast<const double*>(data), n); break;
  }
  return d;
}

Dataset Dataset::from_bytes(std::size_t rows, std::size_t cols, std::vector<std::uint8_t> bytes, float scale) {
  check_count(bytes.size(), rows, cols, "bytes");
  auto owned = std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
  return make(rows, cols, Storage::Bytes, owned->data(), scale, owned);
}

Dataset Dataset::from_floats(std::size_t rows, std::size_t cols, std::vector<float> values) {
  check_count(values.size(), rows, cols, "values");
  if (values.empty() || all_zero_or_one(values.data(), values.size())) {
    std::vector<std::uint8_t> bytes(values.begin(), values.end());
    return from_bytes(rows, cols, std::move(bytes));
  }
  auto owned = std::make_shared<const std::vector<float>>(std::move(values));
  return make(rows, cols, Storage::Floats, owned->data(), 1.0f, owned);
}

Dataset Dataset::view_bytes(std::size_t rows, std::size_t cols, const std::uint8_t* data, float scale,
                            std::shared_ptr<const void> owner) {
  return make(rows, cols, Storage::Bytes, data, scale, std::move(owner));
}

Dataset Dataset::view_floats(std::size_t rows, std::size_t cols, const float* data, std::shared_ptr<const void> owner) {
  return make(rows, cols, Storage::Floats, data, 1.0f, std::move(owner));
}

Dataset Dataset::view_doubles(std::size_t rows, std::size_t cols, const double* data,
                              std::shared_ptr<const void> owner) {
  return make(rows, cols, Storage::Doubles, data, 1.0f, std::move(owner));
}

std::span<const std::uint8_t> Dataset::bytes() const {
  if (storage_ != Storage::Bytes || !data_) return {};
  return {static_cast<const std::uint8_t*>(data_), rows_ * cols_};
}

std::span<const float> Dataset::floats() const {
  if (storage_ != Storage::Floats || !data_) return {};
  return {static_cast<const float*>(data_), rows_ * cols_};
}

float Dataset::value(std::size_t row, std::size_t col) const {
  const std::size_t k = row * cols_ + col;
  switch (storage_) {
    case Storage::Bytes: return static_cast<const std::uint8_t*>(data_)[k] * scale_;
    case Storage::Floats: return static_cast<const float*>(data_)[k];
    case Storage::Doubles: return static_cast<float>(static_cast<const double*>(data_)[k]);
  }
  return 0.0f;
}

void Dataset::prefetch_row(std::size_t row) const {
  const std::size_t element = storage_ == Storage::Bytes ? 1 : storage_ == Storage::Floats ? sizeof(float) : sizeof(double);
  const char* begin = static_cast<const char*>(data_) + row * cols_ * element;
  for (std::size_t offset = 0; offset < cols_ * element; offset += 64) __builtin_prefetch(begin + offset);
}

void Dataset::copy_row(std::size_t row, float* out) const {
  const std::size_t base = row * cols_;
  switch (storage_) {
    case Storage::Bytes: {
      const std::uint8_t* r = static_cast<const std::uint8_t*>(data_) + base;
      for (std::size_t j = 0; j < cols_; ++j) out[j] = r[j] * scale_;
      break;
    }
    case Storage::Floats: std::copy_n(static_cast<const float*>(data_) + base, cols_, out); break;
    case Storage::Doubles: {
      const double* r = static_cast<const double*>(data_) + base;
      for (std::size_t j = 0; j < cols_; ++j) out[j] = static_cast<float>(r[j]);
      break;
    }
  }
}

Dataset Dataset::select_rows(const std::vector<std::size_t>& rows) const {
  Dataset out;
  if (storage_ == Storage::Bytes) {
    std::vector<std::uint8_t> v(rows.size() * cols_);
    const std::uint8_t* data = static_cast<const std::uint8_t*>(data_);
    for (std::size_t i = 0; i < rows.size(); ++i) std::copy_n(data + rows[i] * cols_, cols_, v.data() + i * cols_);
    out = from_bytes(rows.size(), cols_, std::move(v), scale_);
  } else {
    std::vector<float> v(rows.size() * cols_);
    for (std::size_t i = 0; i < rows.size(); ++i) copy_row(rows[i], v.data() + i * cols_);
    out = from_floats(rows.size(), cols_, std::move(v));
  }
  out.image_width = image_width;
  out.image_height = image_height;
  return out;
}

}  // namespace rbmkit
