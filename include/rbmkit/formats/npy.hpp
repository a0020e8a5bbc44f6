// One array in numpy's .npy format (numpy/lib/format.py; NEP 1), as bytes in memory.
//
// Layout: the magic "\x93NUMPY", a version byte pair, a little-endian header length (2 bytes in
// version 1.0, 4 bytes in 2.0 and 3.0), a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and ended by '\n', then the raw elements. The encoder writes version 1.0
// exactly as numpy does (header padded so that the data starts at a multiple of 64 bytes); the
// decoder is strict and never executes anything: only the element types below are accepted, so
// object (pickle) arrays are refused. Arrays are little-endian; rbmkit assumes a little-endian
// host.
//
// parse_npy_header is the one .npy header parser in rbmkit: decode_npy (the .npz and model.npz
// reader) and read_npy (loaders.hpp, data sets of more element types) both use it, and each
// refuses the element types it does not support.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rbmkit {

// Element types: '<f4', '<f8', '|u1', and '<U{n}' (n UTF-32LE code units per element, padded
// with NUL; numpy's fixed-width unicode string).
enum class NpyType { Float32, Float64, UInt8, Unicode };

// An array in C (row-major) order.
struct NpyArray {
  NpyType type = NpyType::Float32;
  std::size_t item_size = 4;        // bytes per element: 4, 8, 1, or 4 * n for '<U{n}'
  std::vector<std::size_t> shape;   // empty: a 0-d array holding one element
  std::string data;                 // element_count() * item_size raw little-endian bytes

  // The product of the shape (1 for a 0-d array, 0 when any extent is 0).
  std::size_t element_count() const;
};

// The kind of element a .npy descr names (numpy's dtype.kind): 'b', 'i', 'u', 'f', 'c', 'U'.
enum class NpyKind { Bool, Int, UInt, Float, Complex, Unicode };

// What a .npy header says, and where the elements start.
struct NpyHeader {
  std::string descr = "<f4";        // the dtype as written: "<f4", ">i2", "|b1", "<U7", ...
  NpyKind kind = NpyKind::Float;
  std::size_t item_size = 4;        // bytes per element (4 * n for '<U{n}')
  char byte_order = '<';            // as written: '<' little, '>' big, '=' native (little), '|' none
  std::vector<std::size_t> shape;
  bool fortran_order = false;
  std::size_t data_offset = 0;  // bytes from the magic to the first element
  std::size_t data_bytes = 0;   // element count * item_size, checked against overflow

  bool big_endian() const { return byte_order == '>'; }
};

// The openings of parse_npy_header's messages for an unsupported format version and for a bad
// header dict (including a dtype it cannot describe). The defaults are decode_npy's; read_npy
// passes {"unsupported NPY format version", "malformed NPY header"}, its own wording.
struct NpyHeaderWords {
  std::string_view bad_version = "unsupported .npy format version";
  std::string_view bad_header = "bad .npy header";
};

// Builders. `values` holds the product of `shape` elements in C order.
NpyArray npy_float32(std::vector<std::size_t> shape, const float* values);
NpyArray npy_float64(std::vector<std::size_t> shape, const double* values);
NpyArray npy_uint8(std::vector<std::size_t> shape, const std::uint8_t* values);
// A 0-d '<U{n}' array holding `utf8` (n = its code point count, at least 1, as numpy does).
// Throws InvalidArgument when `utf8` is not valid UTF-8 or contains a NUL character (numpy
// strips trailing NULs, so they would not survive a round trip).
NpyArray npy_unicode(std::string_view utf8);

// The elements of a Float32 or Float64 array as floats (float64 rounded to nearest). Throws
// FormatError naming `what` for any other type.
std::vector<float> npy_to_float32(const NpyArray& a, const std::string& what);
// The text of a 0-d Unicode array as UTF-8, trailing NULs removed. Throws FormatError naming
// `what` when `a` is not a 0-d Unicode array or holds a code unit that is not a Unicode scalar.
std::string npy_to_utf8(const NpyArray& a, const std::string& what);

// A shape as Python writes it: "()", "(3,)", "(2, 3)".
std::string npy_shape_text(const std::vector<std::size_t>& shape);

// The dtype string numpy uses for `a`: "<f4", "<f8", "|u1" or "<U{n}".
std::string npy_descr(const NpyArray& a);

// Encodes `a` as a version 1.0 .npy file. Throws InvalidArgument when a.data does not hold
// element_count() * item_size bytes or the item size does not fit the type.
std::string encode_npy(const NpyArray& a);

// Parses and validates the header of the .npy bytes `bytes` (magic, version 1.0/2.0/3.0, header
// length, the dict with exactly the keys descr, fortran_order and shape, a descr it can describe,
// a shape whose byte count does not overflow). Does not look at the elements. The descrs it
// describes are a byte order ('<', '>', '=' or '|') followed by b1; i1, i2, i4, i8; u1, u2, u4,
// u8; f2, f4, f8, f16; c8, c16, c32; or U{n} (n >= 1); the caller decides which it supports.
// Object (pickle), structured and other dtypes are refused. Shape extents may carry Python 2's
// 'L' suffix, as numpy allows. Throws FormatError whose message starts with `where` (a file
// name, or "file.npz: member 'W'").
NpyHeader parse_npy_header(std::string_view bytes, const std::string& where, const NpyHeaderWords& words = {});

// Decodes a whole .npy file: the header, then exactly data_bytes of elements (missing bytes and
// trailing bytes are both FormatError naming `where`). Only the element types of NpyType are
// accepted ('<f4', '<f8', '|u1' or '<u1', '<U{n}'); any other is a FormatError. Fortran-ordered
// arrays are returned in C order.
NpyArray decode_npy(std::string_view bytes, const std::string& where);

}  // namespace rbmkit
