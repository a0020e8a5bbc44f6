#include "rbmkit/formats/npy.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <utility>

#include "rbmkit/error.hpp"

namespace rbmkit {

static_assert(std::endian::native == std::endian::little, "rbmkit's .npy code assumes a little-endian host");

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr std::size_t kAlign = 64;
constexpr std::size_t kGrowthDigits = 21;  // numpy leaves room to grow the first extent in place

std::optional<std::size_t> checked_mul(std::size_t x, std::size_t y) {
  if (y != 0 && x > std::numeric_limits<std::size_t>::max() / y) return std::nullopt;
  return x * y;
}

std::optional<std::size_t> checked_product(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (std::size_t e : shape) {
    const auto next = checked_mul(n, e);
    if (!next) return std::nullopt;
    n = *next;
  }
  return n;
}

std::optional<std::size_t> checked_bytes(const std::vector<std::size_t>& shape, std::size_t item_size) {
  const auto count = checked_product(shape);
  return count ? checked_mul(*count, item_size) : std::nullopt;
}

std::size_t type_item_size(NpyType t) {
  switch (t) {
    case NpyType::Float32: return 4;
    case NpyType::Float64: return 8;
    case NpyType::UInt8: return 1;
    case NpyType::Unicode: return 4;
  }
  return 0;
}

template <class T>
NpyArray make_array(NpyType type, std::vector<std::size_t> shape, const T* values) {
  const auto bytes = checked_bytes(shape, sizeof(T));
  if (!bytes) throw InvalidArgument("array shape " + npy_shape_text(shape) + " has more elements than fit in memory");
  NpyArray a;
  a.type = type;
  a.item_size = sizeof(T);
  a.shape = std::move(shape);
  if (*bytes > 0) a.data.assign(reinterpret_cast<const char*>(values), *bytes);
  return a;
}

// ---- UTF-8 <-> UTF-32 ----

bool is_scalar_value(std::uint32_t cp) { return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF); }

std::u32string utf8_to_utf32(std::string_view s) {
  std::u32string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size())
      throw InvalidArgument("text is not valid UTF-8 (byte " + std::to_string(i) + ")");
    std::uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) throw InvalidArgument("text is not valid UTF-8 (byte " + std::to_string(i + k) + ")");
      cp = (cp << 6) | (cc & 0x3F);
    }
    constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || !is_scalar_value(cp))
      throw InvalidArgument("text is not valid UTF-8 (byte " + std::to_string(i) + ")");
    out.push_back(cp);
    i += len;
  }
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// ---- header parsing ----

// The header text with non-printable bytes escaped, cut to a readable length.
std::string printable(std::string_view s) {
  std::string out;
  for (char ch : s.substr(0, 200)) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') out += "\\n";
    else if (std::isprint(c)) out += ch;
    else out += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
  }
  if (s.size() > 200) out += "...";
  return out;
}

// Sets h.descr, kind, item_size and byte_order from the descr `d`; false for a dtype not
// described here. The numeric sizes are the ones numpy has; '<U{n}' needs 1 <= n < 10^9, so
// that 4 * n cannot overflow. Sizes are written without leading zeros, as numpy writes them.
bool describe_dtype(const std::string& d, NpyHeader& h) {
  if (d.size() < 3 || std::string_view("<>=|").find(d[0]) == std::string_view::npos) return false;
  const std::string digits = d.substr(2);
  if (digits.size() > 9 || digits[0] == '0' || digits.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const std::size_t n = std::stoul(digits);
  const auto sized = [&](NpyKind kind, std::initializer_list<std::size_t> sizes) {
    if (std::find(sizes.begin(), sizes.end(), n) == sizes.end()) return false;
    h.descr = d;
    h.kind = kind;
    h.item_size = kind == NpyKind::Unicode ? 4 * n : n;
    h.byte_order = d[0];
    return true;
  };
  switch (d[1]) {
    case 'b': return sized(NpyKind::Bool, {1});
    case 'i': return sized(NpyKind::Int, {1, 2, 4, 8});
    case 'u': return sized(NpyKind::UInt, {1, 2, 4, 8});
    case 'f': return sized(NpyKind::Float, {2, 4, 8, 16});
    case 'c': return sized(NpyKind::Complex, {8, 16, 32});
    case 'U': return sized(NpyKind::Unicode, {n});
    default: return false;
  }
}

// The array type decode_npy returns for `h`: '<f4', '<f8', '|u1' or '<u1', '<U{n}'.
std::optional<NpyType> array_type(const NpyHeader& h) {
  const bool little = h.byte_order == '<';
  if (h.kind == NpyKind::Float && little && h.item_size == 4) return NpyType::Float32;
  if (h.kind == NpyKind::Float && little && h.item_size == 8) return NpyType::Float64;
  if (h.kind == NpyKind::UInt && h.item_size == 1 && (little || h.byte_order == '|')) return NpyType::UInt8;
  if (h.kind == NpyKind::Unicode && little) return NpyType::Unicode;
  return std::nullopt;
}

// A recursive-descent parser for the Python literal numpy writes: a dict of string keys whose
// values are strings, True/False or tuples of non-negative integers. Nothing else is accepted.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& where, std::string_view bad_header)
      : s_(text), where_(where), bad_header_(bad_header) {}

  NpyHeader parse() {
    NpyHeader h;
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (skip_space(), peek() != '}') {
      const std::string key = parse_string();
      expect(':');
      if (key == "descr") {
        set_once(have_descr, key);
        parse_descr(h);
      } else if (key == "fortran_order") {
        set_once(have_order, key);
        h.fortran_order = parse_bool();
      } else if (key == "shape") {
        set_once(have_shape, key);
        h.shape = parse_shape();
      } else {
        fail("unexpected key '" + key + "'");
      }
      skip_space();
      if (peek() != '}') expect(',');
    }
    ++pos_;
    skip_space();
    if (pos_ != s_.size()) fail("unexpected text after the closing brace");
    if (!have_descr || !have_order || !have_shape) fail("it needs the keys descr, fortran_order and shape");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(where_ + ": " + std::string(bad_header_) + " (" + what + " at header offset " +
                      std::to_string(pos_) + "): " + printable(s_));
  }
  void set_once(bool& seen, const std::string& key) {
    if (seen) fail("duplicate key '" + key + "'");
    seen = true;
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n')) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string parse_string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    const std::size_t end = s_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string out(s_.substr(pos_ + 1, end - pos_ - 1));
    if (out.find('\\') != std::string::npos) fail("escape sequences are not supported");
    pos_ = end + 1;
    return out;
  }
  bool parse_bool() {
    skip_space();
    for (const bool value : {true, false}) {
      const std::string_view word = value ? "True" : "False";
      if (s_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    }
    fail("expected True or False");
  }
  std::size_t parse_extent() {
    skip_space();
    if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("expected a non-negative integer");
    std::size_t v = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      const auto next = checked_mul(v, 10);
      const auto digit = static_cast<std::size_t>(s_[pos_] - '0');
      if (!next || *next > std::numeric_limits<std::size_t>::max() - digit) fail("shape extent too large");
      v = *next + digit;
      ++pos_;
    }
    if (peek() == 'L') ++pos_;  // a Python 2 long, as old numpy versions wrote
    return v;
  }
  // (), (n,), (n, m), (n, m,) ...; "(n)" is an integer in Python, not a tuple.
  std::vector<std::size_t> parse_shape() {
    expect('(');
    std::vector<std::size_t> shape;
    skip_space();
    while (peek() != ')') {
      shape.push_back(parse_extent());
      skip_space();
      if (peek() == ',') {
        ++pos_;
        skip_space();
      } else if (peek() != ')' || shape.size() == 1) {
        fail("expected ',' in the shape tuple");
      }
    }
    ++pos_;
    return shape;
  }
  void parse_descr(NpyHeader& h) {
    skip_space();
    const std::size_t at = pos_;
    if (peek() == '[') fail("structured dtypes are not supported");
    const std::string d = parse_string();
    if (!describe_dtype(d, h)) {
      pos_ = at;
      fail(d.find('O') != std::string::npos
               ? "object dtype '" + d + "' needs pickle, which rbmkit never runs"
               : "unsupported dtype '" + d + "' (not a boolean, integer, float, complex or unicode dtype)");
    }
  }

  std::string_view s_;
  const std::string& where_;
  std::string_view bad_header_;
  std::size_t pos_ = 0;
};

std::uint32_t read_le(std::string_view bytes, std::size_t at, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < n; ++k) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + k])) << (8 * k);
  return v;
}

// Reorders Fortran-ordered (column-major) elements into C (row-major) order.
std::string fortran_to_c(std::string_view src, const std::vector<std::size_t>& shape, std::size_t item) {
  std::string out(src.size(), '\0');
  const std::size_t count = src.size() / item;
  std::vector<std::size_t> index(shape.size(), 0);
  for (std::size_t c = 0; c < count; ++c) {
    std::size_t f = 0;
    for (std::size_t k = shape.size(); k-- > 0;) f = f * shape[k] + index[k];
    std::memcpy(out.data() + c * item, src.data() + f * item, item);
    for (std::size_t k = shape.size(); k-- > 0;) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

}  // namespace

std::size_t NpyArray::element_count() const { return checked_product(shape).value_or(0); }

NpyArray npy_float32(std::vector<std::size_t> shape, const float* values) {
  return make_array(NpyType::Float32, std::move(shape), values);
}

NpyArray npy_float64(std::vector<std::size_t> shape, const double* values) {
  return make_array(NpyType::Float64, std::move(shape), values);
}

NpyArray npy_uint8(std::vector<std::size_t> shape, const std::uint8_t* values) {
  return make_array(NpyType::UInt8, std::move(shape), values);
}

NpyArray npy_unicode(std::string_view utf8) {
  std::u32string text = utf8_to_utf32(utf8);
  if (text.find(U'\0') != std::u32string::npos) throw InvalidArgument("text for a numpy string contains a NUL character");
  if (text.empty()) text.push_back(U'\0');
  NpyArray a;
  a.type = NpyType::Unicode;
  a.item_size = 4 * text.size();
  a.data.assign(reinterpret_cast<const char*>(text.data()), a.item_size);
  return a;
}

std::vector<float> npy_to_float32(const NpyArray& a, const std::string& what) {
  const std::size_t n = a.element_count();
  std::vector<float> out(n);
  if (a.type == NpyType::Float32) {
    if (n > 0) std::memcpy(out.data(), a.data.data(), n * sizeof(float));
  } else if (a.type == NpyType::Float64) {
    for (std::size_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, a.data.data() + i * sizeof(double), sizeof(double));
      out[i] = static_cast<float>(v);
    }
  } else {
    throw FormatError(what + " has dtype " + npy_descr(a) + "; expected <f4 or <f8");
  }
  return out;
}

std::string npy_to_utf8(const NpyArray& a, const std::string& what) {
  if (a.type != NpyType::Unicode || !a.shape.empty())
    throw FormatError(what + " must be a 0-d unicode string array; it has dtype " + npy_descr(a) + " and shape " +
                      npy_shape_text(a.shape));
  std::size_t n = a.item_size / 4;
  while (n > 0 && read_le(a.data, 4 * (n - 1), 4) == 0) --n;
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t cp = read_le(a.data, 4 * i, 4);
    if (!is_scalar_value(cp) || cp == 0)
      throw FormatError(what + " holds an invalid character code " + std::to_string(cp) + " at position " +
                        std::to_string(i));
    append_utf8(out, cp);
  }
  return out;
}

std::string npy_shape_text(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

std::string npy_descr(const NpyArray& a) {
  switch (a.type) {
    case NpyType::Float32: return "<f4";
    case NpyType::Float64: return "<f8";
    case NpyType::UInt8: return "|u1";
    case NpyType::Unicode: return "<U" + std::to_string(a.item_size / 4);
  }
  return "?";
}

std::string encode_npy(const NpyArray& a) {
  const bool item_ok = a.type == NpyType::Unicode ? a.item_size > 0 && a.item_size % 4 == 0
                                                  : a.item_size == type_item_size(a.type);
  if (!item_ok) throw InvalidArgument("item size " + std::to_string(a.item_size) + " does not fit dtype " + npy_descr(a));
  const auto bytes = checked_bytes(a.shape, a.item_size);
  if (!bytes || *bytes != a.data.size())
    throw InvalidArgument("array of shape " + npy_shape_text(a.shape) + " and dtype " + npy_descr(a) + " holds " +
                          std::to_string(a.data.size()) + " bytes of data; expected " +
                          (bytes ? std::to_string(*bytes) : std::string("more than fit in memory")));
  std::string dict = "{'descr': '" + npy_descr(a) + "', 'fortran_order': False, 'shape': " + npy_shape_text(a.shape) + ", }";
  if (!a.shape.empty()) dict.append(kGrowthDigits - std::to_string(a.shape[0]).size(), ' ');
  const std::size_t unpadded = kMagic.size() + 4 + dict.size() + 1;
  const std::size_t pad = kAlign - unpadded % kAlign;
  const std::size_t header_len = dict.size() + pad + 1;
  if (header_len > 0xFFFF) throw InvalidArgument("array shape " + npy_shape_text(a.shape) + " is too long for a .npy header");
  std::string out;
  out.reserve(kMagic.size() + 4 + header_len + a.data.size());
  out += kMagic;
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header_len & 0xFF);
  out += static_cast<char>(header_len >> 8);
  out += dict;
  out.append(pad, ' ');
  out += '\n';
  out += a.data;
  return out;
}

NpyHeader parse_npy_header(std::string_view bytes, const std::string& where, const NpyHeaderWords& words) {
  if (bytes.substr(0, kMagic.size()) != kMagic)
    throw FormatError(where + ": not an NPY file: it must start with the magic bytes \\x93NUMPY");
  const auto truncated = [&](std::size_t need) {
    return FormatError(where + ": truncated NPY header: expected at least " + std::to_string(need) + " bytes, found " +
                       std::to_string(bytes.size()));
  };
  if (bytes.size() < kMagic.size() + 2) throw truncated(kMagic.size() + 2);
  const auto major = static_cast<unsigned char>(bytes[6]);
  const auto minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    throw FormatError(where + ": " + std::string(words.bad_version) + " " + std::to_string(major) + "." +
                      std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  const std::size_t len_size = major == 1 ? 2 : 4;
  const std::size_t prefix = kMagic.size() + 2 + len_size;
  if (bytes.size() < prefix) throw truncated(prefix);
  const std::size_t header_len = read_le(bytes, 8, len_size);
  if (header_len > bytes.size() - prefix)
    throw FormatError(where + ": truncated NPY header: header length " + std::to_string(header_len) +
                      " runs past the end of the data (expected " + std::to_string(prefix + header_len) +
                      " bytes of header, found " + std::to_string(bytes.size()) + ")");
  const std::string_view text = bytes.substr(prefix, header_len);
  if (text.empty() || text.back() != '\n')
    throw FormatError(where + ": " + std::string(words.bad_header) + " (it does not end with a newline): " +
                      printable(text));
  NpyHeader h = HeaderParser(text, where, words.bad_header).parse();
  h.data_offset = prefix + header_len;
  const auto n = checked_bytes(h.shape, h.item_size);
  if (!n)
    throw FormatError(where + ": NPY shape " + npy_shape_text(h.shape) +
                      " overflows: its elements take more bytes than fit in memory");
  h.data_bytes = *n;
  return h;
}

NpyArray decode_npy(std::string_view bytes, const std::string& where) {
  const NpyHeader h = parse_npy_header(bytes, where);
  const auto type = array_type(h);
  if (!type)
    throw FormatError(where + ": " + std::string(NpyHeaderWords{}.bad_header) + " (unsupported dtype '" + h.descr +
                      "'; supported: <f4, <f8, |u1, <U{n})");
  const std::size_t have = bytes.size() - h.data_offset;
  const std::string what = "shape " + npy_shape_text(h.shape) + " with " + std::to_string(h.item_size) +
                           "-byte elements needs " + std::to_string(h.data_bytes) + " bytes of data, but ";
  if (have < h.data_bytes) throw FormatError(where + ": .npy data is truncated: " + what + std::to_string(have) + " follow the header");
  if (have > h.data_bytes)
    throw FormatError(where + ": .npy has " + std::to_string(have - h.data_bytes) + " trailing bytes after the data (" +
                      what + std::to_string(have) + " follow the header)");
  NpyArray a;
  a.type = *type;
  a.item_size = h.item_size;
  a.shape = h.shape;
  const std::string_view data = bytes.substr(h.data_offset);
  a.data = h.fortran_order && h.shape.size() > 1 ? fortran_to_c(data, h.shape, h.item_size) : std::string(data);
  return a;
}

}  // namespace rbmkit
