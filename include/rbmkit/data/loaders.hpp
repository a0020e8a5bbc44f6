// Array file loaders: IDX (LeCun's MNIST format), NPY (NumPy's format) and CSV, each read
// into a Dataset of n examples (rows) by d values (cols).
//
// Every loader also accepts a gzip-compressed file (recognised by the gzip magic bytes, so a
// name ending in .gz is not required), decompressed in memory up to max_input_bytes.
// Sizes are validated before anything is allocated: dimension products must not overflow and
// must match the bytes actually present. Every error names the file. Errors:
//   IoError      the file cannot be opened or read;
//   FormatError  malformed content (bad magic, unsupported type, truncated data, trailing
//                data, corrupt gzip stream, ragged or non-numeric CSV, examples of 0 values
//                such as an (n, 0) array), with the expected and actual byte counts or the line
//                and column (CSV cells are quoted escaped, at most 40 characters);
//   DataError    a value that is NaN or infinite, or too large for a 32-bit float, with its
//                row and column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "rbmkit/data/dataset.hpp"

namespace rbmkit {

// Largest input accepted, after decompression: 4 GiB.
inline constexpr std::size_t max_input_bytes = std::size_t{1} << 32;

// IDX: bytes 0x00 0x00 TYPE NDIMS, then NDIMS big-endian uint32 dimensions, then the values,
// big-endian, in row-major order. TYPE is 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
// 0x0D float32 or 0x0E float64. Shape: rows = dim 0, cols = product of the other dimensions
// (1 for a one-dimensional file such as MNIST labels); a three-dimensional file is a stack of
// images with image_height = dim 1 and image_width = dim 2. uint8 files stay byte-backed
// with scale 1 (raw values 0..255); every other type becomes floats.
Dataset read_idx(const std::string& path);

// NPY format versions 1.0, 2.0 and 3.0. Shapes (n,) -> n x 1, (n, d) -> n x d and
// (n, h, w) -> n x (h * w) with image_height = h, image_width = w. Element types (descr):
// u1 and b1 (kept byte-backed, scale 1), u2, u4, u8, i1, i2, i4, i8 (numpy's default integer), f4,
// f8 (converted to floats; integers beyond 2^24 lose their last bits as floats), little-
// or big-endian. fortran_order True is read (and transposed into row order) for 1-D and 2-D
// arrays; for 3-D arrays it is a FormatError. The header is read by parse_npy_header (npy.hpp),
// the parser the .npz model reader uses too.
Dataset read_npy(const std::string& path);

// CSV: one example per line, numbers separated by commas, optional spaces or tabs around each
// number; blank lines are skipped. The first line is a header, and skipped, when it has a
// cell that is not a number (the other lines must then all be numeric). Every line must have
// the same number of cells. Errors give the 1-based line and column. Values become floats
// (a file of only 0s and 1s becomes byte-backed binary data, as Dataset::from_floats does).
Dataset read_csv(const std::string& path);

// Reads by file name: *.npy -> read_npy, *.csv -> read_csv, anything else -> read_idx; a
// trailing .gz is ignored for the choice (data.csv.gz is a gzip-compressed CSV file).
Dataset read_array(const std::string& path);

// The same parsers over bytes in memory; `name` is used in error messages.
Dataset parse_idx(std::string_view bytes, const std::string& name);
Dataset parse_npy(std::string_view bytes, const std::string& name);
Dataset parse_csv(std::string_view text, const std::string& name);

// The contents of a file, gunzipped when it starts with the gzip magic bytes (0x1f 0x8b; a
// stream of several gzip members is read whole). IoError when it cannot be read; FormatError
// when the gzip data are corrupt or truncated, or when the file or its decompressed contents
// exceed max_bytes.
std::string read_decompressed(const std::string& path, std::size_t max_bytes = max_input_bytes);

}  // namespace rbmkit
