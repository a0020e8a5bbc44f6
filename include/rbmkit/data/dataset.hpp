// Dataset: n examples of dimension d, stored once in compact form, read-only.
//
// Storage is one of three element types, row-major (value(i, j) at element i * d + j):
//   Bytes    one byte per value: value = byte * byte_scale (MNIST, uint8 IDX/NPY files, every
//            binarised data set, numpy uint8 and bool arrays);
//   Floats   one float per value;
//   Doubles  one double per value (numpy float64 arrays, read without a copy).
// The memory is either owned (from_bytes, from_floats) or a view of memory kept alive by an
// owner handle (view_*: a numpy array, say); copies of a Dataset share it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace rbmkit {

enum class Storage { Bytes, Floats, Doubles };

class Dataset {
 public:
  Dataset() = default;

  // rows x cols bytes, row-major; value = byte * scale.
  static Dataset from_bytes(std::size_t rows, std::size_t cols, std::vector<std::uint8_t> bytes,
                            float scale = 1.0f);
  // rows x cols floats, row-major. Data whose every value is 0 or 1 is stored as bytes.
  static Dataset from_floats(std::size_t rows, std::size_t cols, std::vector<float> values);
  // Views of rows x cols values at `data`, row-major, which `owner` keeps alive and nobody
  // changes while the Dataset or a copy of it lives. Nothing is copied.
  static Dataset view_bytes(std::size_t rows, std::size_t cols, const std::uint8_t* data, float scale,
                            std::shared_ptr<const void> owner);
  static Dataset view_floats(std::size_t rows, std::size_t cols, const float* data, std::shared_ptr<const void> owner);
  static Dataset view_doubles(std::size_t rows, std::size_t cols, const double* data,
                              std::shared_ptr<const void> owner);

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  bool empty() const { return rows_ == 0; }

  Storage storage() const { return storage_; }
  bool byte_backed() const { return storage_ == Storage::Bytes; }
  float byte_scale() const { return scale_; }
  // The stored elements (rows * cols); empty unless the storage is of that type.
  std::span<const std::uint8_t> bytes() const;
  std::span<const float> floats() const;

  // True when every value is exactly 0 or 1 (computed once at construction).
  bool binary() const { return binary_; }

  float value(std::size_t row, std::size_t col) const;
  // Writes row `row` (cols() floats) to out.
  void copy_row(std::size_t row, float* out) const;
  // Asks the CPU to bring row `row` into its caches (a hint: no effect on any value), for a
  // copy_row of it a little later.
  void prefetch_row(std::size_t row) const;

  // Examples whose row index is in `rows`, in that order (owned, of the same storage type but
  // Doubles, which become Floats).
  Dataset select_rows(const std::vector<std::size_t>& rows) const;

  // Image shape of one example when known (MNIST and IDX images: 28 x 28); 0 when unknown.
  std::size_t image_width = 0;
  std::size_t image_height = 0;
  // The names in a CSV file's header row, when it had one; empty otherwise.
  std::vector<std::string> column_names;

 private:
  static Dataset make(std::size_t rows, std::size_t cols, Storage storage, const void* data, float scale,
                      std::shared_ptr<const void> owner);

  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  Storage storage_ = Storage::Bytes;
  const void* data_ = nullptr;           // rows_ * cols_ elements of storage_'s type
  std::shared_ptr<const void> owner_;    // keeps data_ alive
  float scale_ = 1.0f;
  bool binary_ = false;
};

}  // namespace rbmkit
