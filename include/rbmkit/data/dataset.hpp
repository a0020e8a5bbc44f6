// Dataset: n examples of dimension d, stored once in compact form.
//
// Byte-backed data (MNIST, uint8 IDX/NPY files, every binarised data set) keeps one byte per
// value: value(i, j) = bytes[i * d + j] * byte_scale. Real-valued data keeps one float per
// value. Binary data (every value 0 or 1) is byte-backed with byte_scale = 1 and can hand out
// the indices of its ones, which the sparse training paths use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rbmkit {

class Dataset {
 public:
  Dataset() = default;

  // rows x cols bytes, row-major; value = byte * scale.
  static Dataset from_bytes(std::size_t rows, std::size_t cols, std::vector<std::uint8_t> bytes,
                            float scale = 1.0f);
  // rows x cols floats, row-major.
  static Dataset from_floats(std::size_t rows, std::size_t cols, std::vector<float> values);

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  bool empty() const { return rows_ == 0; }

  bool byte_backed() const { return !bytes_.empty() || (rows_ * cols_ == 0 && reals_.empty()); }
  float byte_scale() const { return scale_; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  const std::vector<float>& floats() const { return reals_; }

  // True when every value is exactly 0 or 1 (computed once at construction); byte-backed binary
  // data then has its ones at the nonzero bytes.
  bool binary() const { return binary_; }

  float value(std::size_t row, std::size_t col) const;
  // Writes row `row` (cols() floats) to out.
  void copy_row(std::size_t row, float* out) const;
  // Binary data only: the column indices of the ones in row `row`, ascending.
  void active_columns(std::size_t row, std::vector<std::uint32_t>& out) const;

  // Examples whose row index is in `rows`, in that order.
  Dataset select_rows(const std::vector<std::size_t>& rows) const;

  // Image shape of one example when known (MNIST and IDX images: 28 x 28); 0 when unknown.
  std::size_t image_width = 0;
  std::size_t image_height = 0;
  // The names in a CSV file's header row, when it had one; empty otherwise.
  std::vector<std::string> column_names;

 private:
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::vector<std::uint8_t> bytes_;
  std::vector<float> reals_;
  float scale_ = 1.0f;
  bool binary_ = false;
};

}  // namespace rbmkit
