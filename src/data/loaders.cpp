#include "rbmkit/data/loaders.hpp"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/formats/npy.hpp"

namespace rbmkit {
namespace {

using Bytes = const unsigned char*;

Bytes bytes_of(std::string_view s) { return reinterpret_cast<Bytes>(s.data()); }

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string hex_byte(unsigned v) {
  static const char digits[] = "0123456789abcdef";
  return std::string("0x") + digits[(v >> 4) & 15] + digits[v & 15];
}

// Empty when v can be stored as a finite float; otherwise what is wrong with it.
std::string float_problem(double v) {
  if (!std::isfinite(v)) return "is not finite";
  if (std::abs(v) > std::numeric_limits<float>::max()) return "is too large for a 32-bit float";
  return "";
}

// ---- gzip ----------------------------------------------------------------------------------

bool is_gzip(std::string_view s) { return s.size() >= 2 && s[0] == '\x1f' && s[1] == '\x8b'; }

struct Inflater {
  z_stream zs{};
  Inflater() {
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw IoError("cannot initialise zlib");
  }
  ~Inflater() { inflateEnd(&zs); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
};

std::string gunzip(std::string_view in, std::size_t max_bytes, const std::string& name) {
  constexpr std::size_t chunk = std::size_t{1} << 20;
  Inflater inf;
  z_stream& zs = inf.zs;
  std::string out;
  std::size_t in_pos = 0, out_pos = 0;
  for (;;) {
    if (zs.avail_in == 0 && in_pos < in.size()) {
      const std::size_t n = std::min(chunk, in.size() - in_pos);
      zs.next_in = const_cast<Bytef*>(bytes_of(in) + in_pos);
      zs.avail_in = static_cast<uInt>(n);
      in_pos += n;
    }
    if (out_pos == out.size()) {
      if (out.size() > max_bytes)
        throw FormatError(name + ": decompresses to more than the limit of " +
                          std::to_string(max_bytes) + " bytes");
      out.resize(std::min(max_bytes + 1, std::max(2 * out.size(), chunk)));
    }
    const std::size_t room = std::min(chunk, out.size() - out_pos);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + out_pos);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out_pos += room - zs.avail_out;
    const bool input_done = zs.avail_in == 0 && in_pos == in.size();
    if (rc == Z_STREAM_END) {
      if (input_done) break;
      inflateReset(&zs);  // another gzip member follows
    } else if (rc == Z_BUF_ERROR && input_done) {
      throw FormatError(name + ": truncated gzip data (" + std::to_string(in.size()) +
                        " compressed bytes end in the middle of the stream)");
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      throw FormatError(name + ": corrupt gzip data: " + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)));
    }
  }
  if (out_pos > max_bytes)
    throw FormatError(name + ": decompresses to more than the limit of " + std::to_string(max_bytes) +
                      " bytes");
  out.resize(out_pos);
  return out;
}

// ---- binary arrays (IDX and NPY) -----------------------------------------------------------

enum class Elem { U8, I8, I16, U16, I32, U32, I64, U64, F32, F64 };

std::size_t elem_size(Elem e) {
  switch (e) {
    case Elem::U8:
    case Elem::I8: return 1;
    case Elem::I16:
    case Elem::U16: return 2;
    case Elem::I32:
    case Elem::U32:
    case Elem::F32: return 4;
    case Elem::I64:
    case Elem::U64:
    case Elem::F64: return 8;
  }
  return 1;
}

const char* elem_name(Elem e) {
  switch (e) {
    case Elem::U8: return "uint8";
    case Elem::I8: return "int8";
    case Elem::I16: return "int16";
    case Elem::U16: return "uint16";
    case Elem::I32: return "int32";
    case Elem::U32: return "uint32";
    case Elem::I64: return "int64";
    case Elem::U64: return "uint64";
    case Elem::F32: return "float32";
    case Elem::F64: return "float64";
  }
  return "?";
}

struct ArrayHeader {
  Elem elem = Elem::U8;
  bool big_endian = false;
  bool fortran_order = false;
  std::vector<std::uint64_t> shape;
  std::size_t data_offset = 0;
};

std::uint64_t load_uint(Bytes p, std::size_t n, bool big_endian) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[big_endian ? i : n - 1 - i];
  return v;
}

double decode(Bytes p, Elem e, bool big_endian) {
  const std::uint64_t u = load_uint(p, elem_size(e), big_endian);
  switch (e) {
    case Elem::U8: return static_cast<double>(u);
    case Elem::I8: return static_cast<std::int8_t>(u);
    case Elem::I16: return static_cast<std::int16_t>(u);
    case Elem::U16:
    case Elem::U32:
    case Elem::U64: return static_cast<double>(u);
    case Elem::I32: return static_cast<std::int32_t>(u);
    case Elem::I64: return static_cast<double>(static_cast<std::int64_t>(u));
    case Elem::F32: return std::bit_cast<float>(static_cast<std::uint32_t>(u));
    case Elem::F64: return std::bit_cast<double>(u);
  }
  return 0.0;
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? " x " : "") + std::to_string(shape[i]);
  return s;
}

// Product of shape[first..], or FormatError when it overflows 64 bits.
std::uint64_t checked_product(const std::vector<std::uint64_t>& shape, std::size_t first,
                              const std::string& name) {
  std::uint64_t n = 1;
  for (std::size_t i = first; i < shape.size(); ++i)
    if (__builtin_mul_overflow(n, shape[i], &n))
      throw FormatError(name + ": dimensions " + shape_text(shape) +
                        " overflow: their product does not fit in 64 bits");
  return n;
}

// Checks that exactly the bytes the header describes follow it; returns the element count.
std::size_t check_data_size(std::size_t file_size, const ArrayHeader& h, const std::string& name) {
  const std::uint64_t count = checked_product(h.shape, 0, name);
  std::uint64_t data_bytes = 0, expected = 0;
  if (__builtin_mul_overflow(count, elem_size(h.elem), &data_bytes) ||
      __builtin_add_overflow(data_bytes, h.data_offset, &expected))
    throw FormatError(name + ": dimensions " + shape_text(h.shape) + " overflow: " +
                      elem_name(h.elem) + " data of that shape exceed 2^64 bytes");
  const std::string layout = "expected " + std::to_string(expected) + " bytes (" +
                             std::to_string(h.data_offset) + "-byte header + " + shape_text(h.shape) +
                             " " + elem_name(h.elem) + " values), found " + std::to_string(file_size);
  if (file_size < expected) throw FormatError(name + ": truncated: " + layout);
  if (file_size > expected)
    throw FormatError(name + ": " + std::to_string(file_size - expected) +
                      " bytes of trailing data after the array: " + layout);
  return static_cast<std::size_t>(count);
}

// Builds the Dataset of an array whose header was parsed: rows = shape[0], cols = the product
// of the other dimensions; Fortran-order data (1-D or 2-D) are transposed into row order.
Dataset array_dataset(std::string_view file, const ArrayHeader& h, const std::string& name) {
  const std::size_t count = check_data_size(file.size(), h, name);
  const std::size_t rows = static_cast<std::size_t>(h.shape[0]);
  const std::size_t cols = static_cast<std::size_t>(checked_product(h.shape, 1, name));
  if (cols == 0 && rows > 0)
    throw FormatError(name + ": dimensions " + shape_text(h.shape) + " give " + std::to_string(rows) +
                      " examples of 0 values each; every example needs at least one value");
  const auto dest = [&](std::size_t k) { return h.fortran_order ? (k % rows) * cols + k / rows : k; };
  const Bytes data = bytes_of(file) + h.data_offset;
  Dataset out;
  if (h.elem == Elem::U8) {
    std::vector<std::uint8_t> v(count);
    for (std::size_t k = 0; k < count; ++k) v[dest(k)] = data[k];
    out = Dataset::from_bytes(rows, cols, std::move(v));
  } else {
    const std::size_t size = elem_size(h.elem);
    std::vector<float> v(count);
    for (std::size_t k = 0; k < count; ++k) {
      const double x = decode(data + k * size, h.elem, h.big_endian);
      const std::size_t d = dest(k);
      if (const std::string why = float_problem(x); !why.empty())
        throw DataError(name + ": value " + number_text(x) + " at row " + std::to_string(d / cols) +
                        ", column " + std::to_string(d % cols) + " (0-based) " + why);
      v[d] = static_cast<float>(x);
    }
    out = Dataset::from_floats(rows, cols, std::move(v));
  }
  if (h.shape.size() == 3) {
    out.image_height = static_cast<std::size_t>(h.shape[1]);
    out.image_width = static_cast<std::size_t>(h.shape[2]);
  }
  return out;
}

void require_nonempty(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) throw FormatError(name + ": file is empty");
}

Elem idx_elem(unsigned type, const std::string& name) {
  switch (type) {
    case 0x08: return Elem::U8;
    case 0x09: return Elem::I8;
    case 0x0B: return Elem::I16;
    case 0x0C: return Elem::I32;
    case 0x0D: return Elem::F32;
    case 0x0E: return Elem::F64;
    default:
      throw FormatError(name + ": unknown IDX element type " + hex_byte(type) +
                        " (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)");
  }
}

// ---- NPY ---------------------------------------------------------------------------------

// The element type of a descr read_npy accepts: b1, u1, u2, u4, u8, i1, i2, i4, i8, f4, f8 in any byte order
// ('|' only for one-byte types); nullopt for any other.
std::optional<Elem> npy_elem(const NpyHeader& h) {
  if (h.byte_order == '|' && h.item_size != 1) return std::nullopt;
  switch (h.kind) {
    case NpyKind::Bool: return Elem::U8;
    case NpyKind::UInt:
      if (h.item_size == 1) return Elem::U8;
      if (h.item_size == 2) return Elem::U16;
      if (h.item_size == 4) return Elem::U32;
      if (h.item_size == 8) return Elem::U64;
      break;
    case NpyKind::Int:
      if (h.item_size == 1) return Elem::I8;
      if (h.item_size == 2) return Elem::I16;
      if (h.item_size == 4) return Elem::I32;
      if (h.item_size == 8) return Elem::I64;
      break;
    case NpyKind::Float:
      if (h.item_size == 4) return Elem::F32;
      if (h.item_size == 8) return Elem::F64;
      break;
    default: break;
  }
  return std::nullopt;
}

// ---- CSV -----------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  for (;;) {
    const std::size_t comma = line.find(',');
    cells.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return cells;
    line.remove_prefix(comma + 1);
  }
}

// A cell as quoted in an error message: at most 40 characters, control and non-ASCII bytes as
// \xNN, so that a hostile file cannot flood or garble the one-line message.
std::string cell_text(std::string_view cell) {
  std::string out;
  for (const char ch : cell.substr(0, 40)) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) out += ch;
    else out += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
  }
  if (cell.size() > 40) out += "... (" + std::to_string(cell.size()) + " bytes)";
  return out;
}

bool parse_number(std::string_view cell, double& v) {
  if (cell.size() > 1 && cell[0] == '+' && cell[1] != '-') cell.remove_prefix(1);
  const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  return !cell.empty() && r.ec == std::errc() && r.ptr == cell.data() + cell.size();
}

// Index of the first cell that is not a number, or cells.size() when all are.
std::size_t first_non_number(const std::vector<std::string_view>& cells, std::vector<double>& values) {
  values.resize(cells.size());
  for (std::size_t j = 0; j < cells.size(); ++j)
    if (!parse_number(cells[j], values[j])) return j;
  return cells.size();
}

struct CsvLine {
  std::size_t number;  // 1-based
  std::string_view text;
};

std::vector<CsvLine> nonblank_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  std::vector<CsvLine> lines;
  for (std::size_t number = 1; !text.empty(); ++number) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    if (!trim(line).empty()) lines.push_back({number, line});
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace

std::string read_decompressed(const std::string& path, std::size_t max_bytes) {
  std::string raw = read_file(path, max_bytes);
  return is_gzip(raw) ? gunzip(raw, max_bytes, path) : raw;
}

Dataset parse_idx(std::string_view bytes, const std::string& name) {
  require_nonempty(bytes, name);
  const Bytes p = bytes_of(bytes);
  if (bytes.size() < 4 || p[0] != 0 || p[1] != 0)
    throw FormatError(name + ": not an IDX file: it must start with 0x00 0x00 TYPE NDIMS" +
                      (bytes.size() >= 2 ? ", found " + hex_byte(p[0]) + " " + hex_byte(p[1]) : "") +
                      " (read_array reads *.npy and *.csv by their extension, anything else as IDX)");
  ArrayHeader h;
  h.elem = idx_elem(p[2], name);
  h.big_endian = true;
  const std::size_t ndims = p[3];
  if (ndims == 0) throw FormatError(name + ": IDX header declares 0 dimensions");
  h.data_offset = 4 + 4 * ndims;
  if (bytes.size() < h.data_offset)
    throw FormatError(name + ": truncated IDX header: expected " + std::to_string(h.data_offset) +
                      " bytes for " + std::to_string(ndims) + " dimensions, found " +
                      std::to_string(bytes.size()));
  for (std::size_t i = 0; i < ndims; ++i) h.shape.push_back(load_uint(p + 4 + 4 * i, 4, true));
  return array_dataset(bytes, h, name);
}

Dataset parse_npy(std::string_view bytes, const std::string& name) {
  require_nonempty(bytes, name);
  const NpyHeader npy = parse_npy_header(bytes, name, {"unsupported NPY format version", "malformed NPY header"});
  const std::optional<Elem> elem = npy_elem(npy);
  if (!elem)
    throw FormatError(name + ": unsupported NPY dtype '" + npy.descr +
                      "' (supported: b1, u1, u2, u4, u8, i1, i2, i4, i8, f4, f8, little- or big-endian)");
  if (npy.shape.empty() || npy.shape.size() > 3)
    throw FormatError(name + ": NPY array has " + std::to_string(npy.shape.size()) +
                      " dimensions; supported are 1 (n -> n x 1), 2 (n x d) and 3 (n images h x w)");
  if (npy.fortran_order && npy.shape.size() == 3)
    throw FormatError(name + ": 3-D NPY arrays in fortran_order are not supported; save a C-ordered "
                      "copy (numpy.ascontiguousarray)");
  ArrayHeader h;
  h.elem = *elem;
  h.big_endian = npy.big_endian();
  h.fortran_order = npy.fortran_order;
  h.shape.assign(npy.shape.begin(), npy.shape.end());
  h.data_offset = npy.data_offset;
  return array_dataset(bytes, h, name);
}

namespace {

// Whether `cell` looks like a number (a sign, digits, a point, an exponent) even if it does not
// parse as one that fits: such a cell is a bad value, never a column name.
bool number_like(std::string_view cell) {
  if (cell.empty()) return false;
  const std::size_t start = cell[0] == '+' || cell[0] == '-' ? 1 : 0;
  if (start == cell.size() || !(std::isdigit(static_cast<unsigned char>(cell[start])) || cell[start] == '.')) return false;
  return cell.find_first_not_of("0123456789.eE+-", start) == std::string_view::npos;
}

// A hint when a line seems to use another delimiter than the comma.
std::string delimiter_hint(std::string_view line) {
  for (const char d : {';', '\t', '|'})
    if (line.find(d) != std::string_view::npos && line.find(',') == std::string_view::npos)
      return std::string("; the line has no commas but ") + (d == '\t' ? "tabs" : std::string("'") + d + "'") +
             ": rbmkit reads comma-separated values, so convert the delimiter to commas";
  return "";
}

// The first line of a CSV file is a header when every cell is a name (not empty, not
// number-like), a data row when every cell is a number; anything else is refused, naming the cell.
bool csv_header(const CsvLine& line, const std::string& name, std::vector<std::string>& names) {
  const std::vector<std::string_view> cells = split_cells(line.text);
  std::vector<double> values;
  if (first_non_number(cells, values) == cells.size()) return false;
  const std::string where = name + ": line " + std::to_string(line.number) + ", column ";
  for (std::size_t j = 0; j < cells.size(); ++j) {
    if (number_like(cells[j]) && !parse_number(cells[j], values[j]))
      throw DataError(where + std::to_string(j + 1) + ": value " + cell_text(cells[j]) +
                      " is not a number a 32-bit float can hold" + delimiter_hint(line.text));
    if (cells[j].empty() || parse_number(cells[j], values[j]))
      throw FormatError(where + std::to_string(j + 1) + (cells[j].empty() ? " is empty" : " is a number") +
                        ": the first line must be all column names (a header) or all numbers (data), not a mix" +
                        delimiter_hint(line.text));
    names.emplace_back(cells[j]);
  }
  return true;
}

}  // namespace

Dataset parse_csv(std::string_view text, const std::string& name) {
  const std::vector<CsvLine> lines = nonblank_lines(text);
  if (lines.empty()) throw FormatError(name + ": file is empty (no CSV rows)");
  std::vector<double> row;
  std::vector<std::string> names;
  const bool header = csv_header(lines[0], name, names);
  const std::size_t cols = split_cells(lines[0].text).size();
  if (header && lines.size() == 1)
    throw FormatError(name + ": line " + std::to_string(lines[0].number) + " is a header (" + cell_text(names[0]) +
                      ", ...) and no data rows follow");
  std::vector<float> values;
  for (std::size_t i = header ? 1 : 0; i < lines.size(); ++i) {
    const std::string where = name + ": line " + std::to_string(lines[i].number);
    const std::vector<std::string_view> cells = split_cells(lines[i].text);
    if (cells.size() != cols)
      throw FormatError(where + " has " + std::to_string(cells.size()) + " columns, expected " +
                        std::to_string(cols) + " (as on line " + std::to_string(lines[0].number) + ")");
    const std::size_t bad = first_non_number(cells, row);
    if (bad < cols)
      throw FormatError(where + ", column " + std::to_string(bad + 1) + ": '" + cell_text(cells[bad]) +
                        "' is not a number" + (i == 0 || cols == 1 ? delimiter_hint(lines[i].text) : ""));
    for (std::size_t j = 0; j < cols; ++j) {
      if (const std::string why = float_problem(row[j]); !why.empty())
        throw DataError(where + ", column " + std::to_string(j + 1) + ": value " + cell_text(cells[j]) +
                        " " + why);
      values.push_back(static_cast<float>(row[j]));
    }
  }
  const std::size_t rows = values.size() / cols;
  Dataset out = Dataset::from_floats(rows, cols, std::move(values));
  out.column_names = std::move(names);
  return out;
}

Dataset read_idx(const std::string& path) { return parse_idx(read_decompressed(path), path); }

Dataset read_npy(const std::string& path) { return parse_npy(read_decompressed(path), path); }

Dataset read_csv(const std::string& path) { return parse_csv(read_decompressed(path), path); }

Dataset read_array(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  if (name.ends_with(".npy")) return read_npy(path);
  if (name.ends_with(".csv")) return read_csv(path);
  return read_idx(path);
}

}  // namespace rbmkit
