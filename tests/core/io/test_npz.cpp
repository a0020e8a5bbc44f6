// .npy encoding, the .npz container and model.npz: round trips, exact byte layout, and one test
// per way a file can be malformed. NpzInterop.* exchange fixture files with numpy; they are
// driven by tests/python/test_model_numpy.py and skip when its environment variables are unset.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/formats/npy.hpp"
#include "rbmkit/formats/npz.hpp"
#include "rbmkit/io/model_file.hpp"
#include "test_files.hpp"

namespace rbmkit {
namespace {

// ---- helpers ----

std::uint32_t get32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(k)]);
  return v;
}

void set16(std::string& s, std::size_t at, std::uint32_t v) {
  s[at] = static_cast<char>(v & 0xFF);
  s[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}

void set32(std::string& s, std::size_t at, std::uint32_t v) {
  set16(s, at, v & 0xFFFF);
  set16(s, at + 2, v >> 16);
}

std::string le16(std::uint32_t v) {
  std::string s(2, '\0');
  set16(s, 0, v);
  return s;
}

std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  set32(s, 0, v);
  return s;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  ASSERT_EQ(from.size(), to.size());
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1)) s.replace(p, from.size(), to);
}

// A .npy file with a hand-written header dict (padded like numpy's) and raw data.
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
  const std::size_t len_size = major == 1 ? 2 : 4;
  std::string header = dict;
  while ((6 + 2 + len_size + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY") + static_cast<char>(major) + '\0';
  out += major == 1 ? le16(static_cast<std::uint32_t>(header.size())) : le32(static_cast<std::uint32_t>(header.size()));
  return out + header + data;
}

std::string float_bytes(const std::vector<float>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

// An independent zip writer for the reader's tests: each member stored or raw-deflated, with
// an optional local extra field and local sizes (numpy writes zip64 extras and 0xFFFFFFFF).
struct RawMember {
  std::string name;
  std::string payload;
  bool deflate = false;
  std::string local_extra;
  bool local_sizes_ff = false;
};

RawMember member(std::string name, std::string payload, bool deflate = false) {
  RawMember m;
  m.name = std::move(name);
  m.payload = std::move(payload);
  m.deflate = deflate;
  return m;
}

std::string deflate_raw(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string raw_zip(const std::vector<RawMember>& members) {
  std::string out, central;
  for (const auto& m : members) {
    const std::string body = m.deflate ? deflate_raw(m.payload) : m.payload;
    const auto crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(m.payload.data()),
                                                      static_cast<uInt>(m.payload.size())));
    const std::string method = le16(m.deflate ? 8 : 0);
    const std::string common_tail = le16(0) + le16(0x21) + le32(crc);
    const std::string sizes = le32(static_cast<std::uint32_t>(body.size())) + le32(static_cast<std::uint32_t>(m.payload.size()));
    const auto offset = static_cast<std::uint32_t>(out.size());
    out += le32(0x04034b50) + le16(45) + le16(0) + method + common_tail +
           (m.local_sizes_ff ? le32(0xFFFFFFFF) + le32(0xFFFFFFFF) : sizes) +
           le16(static_cast<std::uint32_t>(m.name.size())) + le16(static_cast<std::uint32_t>(m.local_extra.size())) +
           m.name + m.local_extra + body;
    central += le32(0x02014b50) + le16(0x031E) + le16(45) + le16(0) + method + common_tail + sizes +
               le16(static_cast<std::uint32_t>(m.name.size())) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) +
               le32(offset) + m.name;
  }
  const auto cd_offset = static_cast<std::uint32_t>(out.size());
  const auto n = static_cast<std::uint32_t>(members.size());
  return out + central + le32(0x06054b50) + le16(0) + le16(0) + le16(n) + le16(n) +
         le32(static_cast<std::uint32_t>(central.size())) + le32(cd_offset) + le16(0);
}

// Offsets inside an archive with no comment.
std::size_t end_record(const std::string& zip) { return zip.size() - 22; }
std::size_t central_dir(const std::string& zip) { return get32(zip, end_record(zip) + 16); }

void expect_npz_error(const std::string& zip, const std::string& needle) {
  test::expect_error<FormatError>([&] { decode_npz(zip, "t.npz"); }, needle);
}

void expect_npy_error(const std::string& npy, const std::string& needle) {
  test::expect_error<FormatError>([&] { decode_npy(npy, "t.npy"); }, needle);
}

void expect_same(const NpyArray& got, const NpyArray& want) {
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.item_size, want.item_size);
  EXPECT_EQ(got.shape, want.shape);
  EXPECT_TRUE(got.data == want.data) << "array data differ";
}

std::vector<float> ramp(std::size_t n, float scale = 0.37f) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>(i) - 1.0f;
  return v;
}

std::vector<NpzMember> sample_members() {
  const std::vector<float> f = ramp(30, 0.5f);  // exact in float32, so numpy can recompute it
  const std::vector<double> g{1.0 / 3.0, -1e300, 0.0};
  const std::vector<std::uint8_t> u{0, 1, 2, 255};
  return {{"cube", npy_float32({2, 3, 5}, f.data())},
          {"empty", npy_float32({0}, nullptr)},
          {"empty2d", npy_float32({4, 0}, nullptr)},
          {"scalar", npy_float32({}, f.data() + 7)},
          {"deep", npy_float32(std::vector<std::size_t>(15, 1), f.data() + 8)},  // header crosses 64-byte steps
          {"f64", npy_float64({3}, g.data())},
          {"u8", npy_uint8({2, 2}, u.data())},
          {"text", npy_unicode("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9d\x84\x9e")}};
}

using NpzFiles = test::TempDirTest;

// ---- .npy ----

TEST(NpzNpy, HeaderIsNumpysVersion10LayoutAlignedTo64) {
  const std::vector<float> v = ramp(6);
  const std::string npy = encode_npy(npy_float32({2, 3}, v.data()));
  ASSERT_EQ(npy.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header_len = static_cast<unsigned char>(npy[8]) | static_cast<unsigned char>(npy[9]) << 8;
  const std::string header = npy.substr(10, header_len);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 0), 0u) << header;
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(header.find_first_not_of(' ', 60), header.size() - 1);
  EXPECT_EQ(npy.substr(10 + header_len), float_bytes(v));
}

TEST(NpzNpy, ShapeTextIsPythons) {
  EXPECT_EQ(npy_shape_text({}), "()");
  EXPECT_EQ(npy_shape_text({3}), "(3,)");
  EXPECT_EQ(npy_shape_text({2, 0, 4}), "(2, 0, 4)");
}

TEST(NpzNpy, Float32RoundTripIsBitExactForOddShapes) {
  std::vector<float> v = ramp(24);
  v[1] = -0.0f;
  v[2] = std::numeric_limits<float>::denorm_min();
  v[3] = std::numeric_limits<float>::max();
  v[4] = std::numeric_limits<float>::infinity();
  v[5] = std::numeric_limits<float>::quiet_NaN();
  const std::vector<std::vector<std::size_t>> shapes{{}, {0}, {1}, {24}, {4, 6}, {2, 0, 4}, {2, 3, 4}, {1, 1, 24, 1}};
  for (const auto& shape : shapes) {
    const NpyArray a = npy_float32(shape, v.data());
    const NpyArray b = decode_npy(encode_npy(a), "t.npy");
    SCOPED_TRACE(npy_shape_text(shape));
    expect_same(b, a);
    EXPECT_EQ(b.data.size(), a.element_count() * 4);
  }
}

TEST(NpzNpy, Float64UInt8AndUnicodeRoundTrip) {
  for (const auto& m : sample_members()) {
    SCOPED_TRACE(m.name);
    expect_same(decode_npy(encode_npy(m.array), "t.npy"), m.array);
  }
}

TEST(NpzNpy, UnicodeIsUtf32WithNumpysDescr) {
  const NpyArray a = npy_unicode("a\xc3\xa9\xf0\x9d\x84\x9e");  // a, e-acute, U+1D11E
  EXPECT_EQ(npy_descr(a), "<U3");
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.data, std::string("a\0\0\0\xe9\0\0\0\x1e\xd1\x01\0", 12));
  EXPECT_EQ(npy_to_utf8(decode_npy(encode_npy(a), "t.npy"), "t"), "a\xc3\xa9\xf0\x9d\x84\x9e");
}

TEST(NpzNpy, EmptyUnicodeIsOneNulLikeNumpy) {
  const NpyArray a = npy_unicode("");
  EXPECT_EQ(npy_descr(a), "<U1");
  EXPECT_EQ(npy_to_utf8(a, "t"), "");
}

TEST(NpzNpy, UnicodeRejectsInvalidUtf8AndNul) {
  EXPECT_THROW(npy_unicode("\xc3"), InvalidArgument);
  EXPECT_THROW(npy_unicode("\xc0\x80"), InvalidArgument);        // overlong NUL
  EXPECT_THROW(npy_unicode("\xed\xa0\x80"), InvalidArgument);    // surrogate
  EXPECT_THROW(npy_unicode(std::string("a\0b", 3)), InvalidArgument);
}

TEST(NpzNpy, FortranOrderIsReturnedInCOrder) {
  const std::vector<float> column_major{0, 3, 1, 4, 2, 5};  // the 2 x 3 matrix [[0 1 2] [3 4 5]]
  const NpyArray a = decode_npy(npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", float_bytes(column_major)), "t");
  EXPECT_EQ(npy_to_float32(a, "t"), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(NpzNpy, AcceptsVersion2HeadersAndKeysInAnyOrder) {
  const std::vector<float> v{1.5f, -2.0f};
  const NpyArray a = decode_npy(npy_bytes("{\"shape\": (2,), 'descr': '<f4', 'fortran_order': False}", float_bytes(v), 2), "t");
  EXPECT_EQ(a.shape, (std::vector<std::size_t>{2}));
  EXPECT_EQ(npy_to_float32(a, "t"), v);
}

TEST(NpzNpy, Float64IsConvertedToFloat) {
  const std::vector<double> v{0.1, -3.0};
  EXPECT_EQ(npy_to_float32(npy_float64({2}, v.data()), "t"), (std::vector<float>{0.1f, -3.0f}));
  const std::vector<std::uint8_t> u{1};
  test::expect_error<FormatError>([&] { npy_to_float32(npy_uint8({1}, u.data()), "member 'W'"); }, "member 'W' has dtype |u1; expected <f4 or <f8");
}

TEST(NpzNpy, RejectsBadMagicVersionAndHeaderLength) {
  expect_npy_error("PK\x03\x04 not numpy at all", "magic bytes");
  std::string npy = encode_npy(npy_float32({1}, ramp(1).data()));
  std::string v9 = npy;
  v9[6] = 9;
  expect_npy_error(v9, "unsupported .npy format version 9.0");
  std::string long_header = npy;
  set16(long_header, 8, 0xFFF0);
  expect_npy_error(long_header, "header length 65520 runs past the end");
  expect_npy_error(npy.substr(0, 9), "truncated");
  expect_npy_error(npy.substr(0, 7), "truncated");
}

TEST(NpzNpy, RejectsMalformedHeaderDicts) {
  expect_npy_error(npy_bytes("{'descr': '<f4', 'shape': (1,), }", "abcd"), "needs the keys descr, fortran_order and shape");
  expect_npy_error(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", "abcd"), "unexpected key 'x'");
  expect_npy_error(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1), }", "abcd"), "expected ','");
  expect_npy_error(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "abcd"), "non-negative integer");
  expect_npy_error(npy_bytes("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", "abcd"), "True or False");
  expect_npy_error(npy_bytes("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "abcd"), "duplicate key");
  expect_npy_error(npy_bytes("__import__('os').system('true')", ""), "expected '{'");
  std::string no_newline = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "abcd");
  no_newline[no_newline.size() - 5] = ' ';
  expect_npy_error(no_newline, "does not end with a newline");
}

TEST(NpzNpy, RejectsPickleBigEndianAndStructuredDtypes) {
  expect_npy_error(npy_bytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0')), "object dtype '|O' needs pickle");
  expect_npy_error(npy_bytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "abcd"), "unsupported dtype '>f4'");
  expect_npy_error(npy_bytes("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", "abcd"), "structured dtypes");
}

TEST(NpzNpy, HeaderDescribesDtypesThatDecodeRefuses) {
  const auto header = [](const std::string& descr) {
    return parse_npy_header(npy_bytes("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3), }", ""), "t.npy");
  };
  const NpyHeader i2 = header(">i2");
  EXPECT_EQ(i2.descr, ">i2");
  EXPECT_EQ(i2.kind, NpyKind::Int);
  EXPECT_EQ(i2.item_size, 2u);
  EXPECT_TRUE(i2.big_endian());
  EXPECT_EQ(i2.shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(i2.data_bytes, 12u);
  EXPECT_EQ(header("|b1").kind, NpyKind::Bool);
  EXPECT_EQ(header("<c16").item_size, 16u);
  EXPECT_EQ(header("<U7").item_size, 28u);
  EXPECT_FALSE(header("=f8").big_endian());
  expect_npy_error(npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0')),
                   "unsupported dtype '<i8'; supported: <f4, <f8, |u1, <U{n}");
  for (const std::string bad : {"|S5", "<i3", "<f04", "<M8[ns]", "f4"})
    test::expect_error<FormatError>([&] { header(bad); }, "unsupported dtype '" + bad + "'");
}

TEST(NpzNpy, HeaderWordsAreTheCallers) {
  std::string v4 = encode_npy(npy_float32({1}, ramp(1).data()));
  v4[6] = 4;
  const NpyHeaderWords words{"unsupported NPY format version", "malformed NPY header"};
  test::expect_error<FormatError>([&] { parse_npy_header(v4, "x.npy", words); }, "x.npy: unsupported NPY format version 4.0");
  test::expect_error<FormatError>([&] { parse_npy_header(npy_bytes("{'descr': '<f4'}", ""), "x.npy", words); },
                                  "x.npy: malformed NPY header (it needs the keys");
}

TEST(NpzNpy, RejectsShapesTheDataCannotHold) {
  expect_npy_error(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", "abcd"),
                   "needs 4000000000000 bytes of data, but 4 follow the header");
  expect_npy_error(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", ""),
                   "more bytes than fit in memory");
  expect_npy_error(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "abcd"), "truncated");
}

TEST(NpzNpy, RejectsTrailingGarbage) {
  const std::string npy = encode_npy(npy_float32({2}, ramp(2).data()));
  expect_npy_error(npy + "xyz", "3 trailing bytes");
}

TEST(NpzNpy, EncodeRejectsDataOfTheWrongSize) {
  NpyArray a = npy_float32({2}, ramp(2).data());
  a.data += "x";
  EXPECT_THROW(encode_npy(a), InvalidArgument);
}

// ---- .npz ----

TEST(Npz, StoredAndDeflatedRoundTripsKeepEveryMember) {
  const auto members = sample_members();
  for (const auto compression : {NpzCompression::Stored, NpzCompression::Deflate}) {
    const auto arrays = decode_npz(encode_npz(members, compression), "t.npz");
    ASSERT_EQ(arrays.size(), members.size());
    for (const auto& m : members) {
      SCOPED_TRACE(m.name);
      ASSERT_EQ(arrays.count(m.name), 1u);
      expect_same(arrays.at(m.name), m.array);
    }
  }
}

TEST(Npz, StoredMembersHoldTheNpyBytesVerbatimAfterALocalHeader) {
  const auto members = sample_members();
  const std::string zip = encode_npz(members);
  ASSERT_EQ(get32(zip, 0), 0x04034b50u);
  EXPECT_EQ(zip.substr(30, 8), "cube.npy");
  EXPECT_EQ(zip.substr(38, encode_npy(members[0].array).size()), encode_npy(members[0].array));
  EXPECT_EQ(get32(zip, end_record(zip)), 0x06054b50u);
}

TEST(Npz, DeflateShrinksCompressibleData) {
  const std::vector<float> zeros(10000, 0.0f);
  const std::vector<NpzMember> members{{"z", npy_float32({10000}, zeros.data())}};
  EXPECT_LT(encode_npz(members, NpzCompression::Deflate).size(), 1000u);
  EXPECT_GT(encode_npz(members, NpzCompression::Stored).size(), 40000u);
}

TEST(Npz, ReadsNumpyStyleZip64LocalHeadersAndDeflate) {
  const std::string npy = encode_npy(npy_float32({3}, ramp(3).data()));
  const std::string zip64_extra = le16(1) + le16(16) + le32(static_cast<std::uint32_t>(npy.size())) + le32(0) +
                                  le32(static_cast<std::uint32_t>(npy.size())) + le32(0);
  RawMember numpy_style = member("x.npy", npy);
  numpy_style.local_extra = zip64_extra;
  numpy_style.local_sizes_ff = true;
  const auto arrays = decode_npz(raw_zip({numpy_style, member("y.npy", npy, true)}), "t");
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(npy_to_float32(arrays.at("x"), "x"), ramp(3));
  EXPECT_EQ(npy_to_float32(arrays.at("y"), "y"), ramp(3));
}

TEST(Npz, EncodeRejectsBadNames) {
  const float v = 1.0f;
  EXPECT_THROW(encode_npz({{"", npy_float32({}, &v)}}), InvalidArgument);
  EXPECT_THROW(encode_npz({{"a", npy_float32({}, &v)}, {"a", npy_float32({}, &v)}}), InvalidArgument);
}

TEST_F(NpzFiles, WriteThenReadFile) {
  write_npz(path("x.npz"), sample_members(), NpzCompression::Deflate);
  EXPECT_EQ(read_npz(path("x.npz")).size(), sample_members().size());
  EXPECT_THROW(read_npz(path("missing.npz")), IoError);
}

class NpzMalformed : public ::testing::Test {
 protected:
  const std::vector<float> v_ = ramp(12);
  const std::string zip_ = encode_npz({{"first", npy_float32({3, 4}, v_.data())}, {"second", npy_float32({2}, v_.data())}});
  std::size_t first_central_ = central_dir(zip_);
};

TEST_F(NpzMalformed, TooShortOrTruncatedFile) {
  expect_npz_error("PK", "not a zip archive (2 bytes");
  expect_npz_error(zip_.substr(0, zip_.size() / 2), "no zip end-of-central-directory record");
  expect_npz_error(zip_.substr(0, zip_.size() - 1), "no zip end-of-central-directory record");
}

TEST_F(NpzMalformed, BadEndRecord) {
  std::string disks = zip_;
  set16(disks, end_record(zip_) + 10, 3);
  expect_npz_error(disks, "multi-disk");
  std::string size = zip_;
  set32(size, end_record(zip_) + 12, get32(zip_, end_record(zip_) + 12) - 1);
  expect_npz_error(size, "does not end where the end record starts");
  std::string zip64 = zip_;
  set32(zip64, end_record(zip_) + 16, 0xFFFFFFFF);
  expect_npz_error(zip64, "zip64");
}

TEST_F(NpzMalformed, CentralDirectoryOffsetBeyondTheFile) {
  std::string z = zip_;
  set32(z, end_record(z) + 16, static_cast<std::uint32_t>(z.size() + 100));
  expect_npz_error(z, "central directory offset " + std::to_string(z.size() + 100) + " is beyond the end of the file");
}

TEST_F(NpzMalformed, BadCentralDirectoryEntry) {
  std::string z = zip_;
  z[first_central_] = 'X';
  expect_npz_error(z, "bad central directory entry at offset " + std::to_string(first_central_));
}

TEST_F(NpzMalformed, MemberLargerThanTheFile) {
  std::string z = zip_;
  set32(z, first_central_ + 20, 0x7FFFFFF0);
  expect_npz_error(z, "run past the end of the file");
}

TEST_F(NpzMalformed, MemberOverlappingTheCentralDirectory) {
  std::string z = zip_;
  set32(z, first_central_ + 20, static_cast<std::uint32_t>(first_central_));
  expect_npz_error(z, "overlap the central directory");
}

TEST_F(NpzMalformed, LocalHeaderOutOfRangeOrWrong) {
  std::string offset = zip_;
  set32(offset, first_central_ + 42, static_cast<std::uint32_t>(first_central_));
  expect_npz_error(offset, "bad local header");
  std::string sig = zip_;
  sig[0] = 'X';
  expect_npz_error(sig, "member 'first.npy' (local header at offset 0): bad local header");
}

TEST_F(NpzMalformed, CrcMismatch) {
  std::string z = zip_;
  z[first_central_ - 1] ^= 0x01;  // the last data byte of the last member
  expect_npz_error(z, "member 'second.npy' (local header at offset");
  expect_npz_error(z, "CRC-32 mismatch");
}

TEST_F(NpzMalformed, UnsupportedMethodAndEncryption) {
  std::string bzip2 = zip_;
  set16(bzip2, first_central_ + 10, 12);
  expect_npz_error(bzip2, "compression method 12");
  std::string encrypted = zip_;
  set16(encrypted, first_central_ + 8, 1);
  expect_npz_error(encrypted, "is encrypted");
}

TEST_F(NpzMalformed, MembersThatAreNotNpyOrRepeat) {
  std::string txt = zip_;
  replace_all(txt, "second.npy", "second.txt");
  expect_npz_error(txt, "member 'second.txt' at offset");
  expect_npz_error(txt, "is not a .npy array");
  expect_npz_error(raw_zip({member("a.npy", encode_npy(npy_float32({}, v_.data()))), member("a.npy", encode_npy(npy_float32({}, v_.data())))}),
                   "member 'a.npy' appears twice");
}

TEST_F(NpzMalformed, BadDeflateStreams) {
  const std::string npy = encode_npy(npy_float32({12}, v_.data()));
  const std::string good = raw_zip({member("d.npy", npy, true)});
  ASSERT_EQ(decode_npz(good, "t").size(), 1u);
  const std::size_t data = 30 + 5;
  std::string corrupt = good;
  corrupt[data] = static_cast<char>(0xFF);  // BFINAL=1, BTYPE=11: a reserved block type
  expect_npz_error(corrupt, "corrupt or truncated deflate data");
  std::string longer = good;
  set32(longer, central_dir(good) + 24, static_cast<std::uint32_t>(npy.size() + 1));
  expect_npz_error(longer, "inflates to " + std::to_string(npy.size()) + " bytes; the central directory says " +
                               std::to_string(npy.size() + 1));
  std::string shorter = good;
  set32(shorter, central_dir(good) + 24, static_cast<std::uint32_t>(npy.size() - 1));
  expect_npz_error(shorter, "inflates to more than the " + std::to_string(npy.size() - 1) + " bytes");
  std::string bomb = good;
  set32(bomb, central_dir(good) + 24, 0x7FFFFFFF);
  expect_npz_error(bomb, "more than deflate can produce");
}

TEST_F(NpzMalformed, BadNpyMembersNameTheMember) {
  const std::string pickle = npy_bytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0'));
  expect_npz_error(raw_zip({member("obj.npy", pickle)}), "t.npz: member 'obj.npy': bad .npy header (object dtype '|O'");
  const std::string huge = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", "");
  expect_npz_error(raw_zip({member("huge.npy", huge)}), "needs 4000000000000 bytes of data");
  const std::string garbage = encode_npy(npy_float32({2}, v_.data())) + "junk";
  expect_npz_error(raw_zip({member("g.npy", garbage, true)}), "member 'g.npy': .npy has 4 trailing bytes");
}

// ---- model.npz ----

Model fixture_model(std::size_t d, std::size_t H) {
  Model m;
  m.W.resize(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(H));
  m.a.resize(static_cast<Eigen::Index>(d));
  m.b.resize(static_cast<Eigen::Index>(H));
  for (std::size_t i = 0; i < d; ++i) {
    m.a(static_cast<Eigen::Index>(i)) = -0.25f * static_cast<float>(i);
    for (std::size_t j = 0; j < H; ++j)
      m.W(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = static_cast<float>(i) - 0.5f * static_cast<float>(j);
  }
  for (std::size_t j = 0; j < H; ++j) m.b(static_cast<Eigen::Index>(j)) = 0.125f * static_cast<float>(j);
  return m;
}

void expect_fixture_values(const Model& m, std::size_t d, std::size_t H) {
  ASSERT_EQ(m.n_visible(), d);
  ASSERT_EQ(m.n_hidden(), H);
  const Model want = fixture_model(d, H);
  EXPECT_TRUE(m.W == want.W) << m.W;
  EXPECT_TRUE(m.a == want.a) << m.a.transpose();
  EXPECT_TRUE(m.b == want.b) << m.b.transpose();
}

bool same_bits(const float* x, const float* y, Eigen::Index n) {
  return std::memcmp(x, y, static_cast<std::size_t>(n) * sizeof(float)) == 0;
}

using ModelIo = NpzFiles;

TEST_F(ModelIo, RoundTripIsBitExactAndKeepsUnitsAndMeta) {
  Model m = fixture_model(7, 5);
  m.W(0, 0) = -0.0f;
  m.W(1, 1) = std::numeric_limits<float>::denorm_min();
  m.W(2, 2) = 0.1f;
  m.b(4) = -std::numeric_limits<float>::max();
  m.a(6) = 1e-30f;
  m.visible_units = UnitType::Gaussian;
  m.hidden_units = UnitType::Ternary;
  save_model(path("model.npz"), m, {{"lr", 0.1}, {"note", "\xc3\xbcnic\xc3\xb8""de"}, {"visible_bias", "overwritten"}});

  const LoadedModel got = load_model(path("model.npz"));
  EXPECT_TRUE(same_bits(got.model.W.data(), m.W.data(), m.W.size()));
  EXPECT_TRUE(same_bits(got.model.a.data(), m.a.data(), m.a.size()));
  EXPECT_TRUE(same_bits(got.model.b.data(), m.b.data(), m.b.size()));
  EXPECT_EQ(got.model.visible_units, UnitType::Gaussian);
  EXPECT_EQ(got.model.hidden_units, UnitType::Ternary);
  EXPECT_TRUE(got.model.visible_bias);
  EXPECT_EQ(got.meta["lr"], 0.1);
  EXPECT_EQ(got.meta["note"], "\xc3\xbcnic\xc3\xb8""de");
  EXPECT_EQ(got.meta["visible_bias"], true);
  EXPECT_EQ(got.meta["visible_units"], "gaussian");
  EXPECT_EQ(got.meta["hidden_units"], "ternary");
  EXPECT_EQ(got.meta["n_visible"], 7);
  EXPECT_EQ(got.meta["n_hidden"], 5);
}

TEST_F(ModelIo, FileHoldsWhatNumpyUsersExpect) {
  save_model(path("model.npz"), fixture_model(3, 2), nullptr);
  const auto arrays = read_npz(path("model.npz"));
  ASSERT_EQ(arrays.size(), 4u);
  EXPECT_EQ(arrays.at("W").shape, (std::vector<std::size_t>{3, 2}));
  EXPECT_EQ(arrays.at("a").shape, (std::vector<std::size_t>{3}));
  EXPECT_EQ(arrays.at("b").shape, (std::vector<std::size_t>{2}));
  for (const char* name : {"W", "a", "b"}) EXPECT_EQ(arrays.at(name).type, NpyType::Float32) << name;
  EXPECT_EQ(npy_to_float32(arrays.at("W"), "W"), (std::vector<float>{0, -0.5f, 1, 0.5f, 2, 1.5f}));
  const auto meta = nlohmann::json::parse(npy_to_utf8(arrays.at("meta"), "meta"));
  EXPECT_EQ(meta["visible_units"], "bernoulli");
  EXPECT_TRUE(arrays.at("meta").shape.empty());
}

TEST_F(ModelIo, NoVisibleBiasWritesZerosAndReadsBackFalse) {
  Model m = fixture_model(4, 3);
  m.visible_bias = false;
  m.a.resize(0);
  save_model(path("model.npz"), m, nlohmann::json::object());
  EXPECT_EQ(npy_to_float32(read_npz(path("model.npz")).at("a"), "a"), std::vector<float>(4, 0.0f));
  const LoadedModel got = load_model(path("model.npz"));
  EXPECT_FALSE(got.model.visible_bias);
  EXPECT_TRUE(got.model.a == Vector::Zero(4));
}

TEST_F(ModelIo, SaveRejectsBadInputAndLeavesTheOldFile) {
  save_model(path("model.npz"), fixture_model(3, 2), nullptr);
  const std::string before = read_file(path("model.npz"));
  Model bad = fixture_model(3, 2);
  bad.b.resize(3);
  EXPECT_THROW(save_model(path("model.npz"), bad, nullptr), InvalidArgument);
  bad = fixture_model(3, 2);
  bad.a.resize(2);
  EXPECT_THROW(save_model(path("model.npz"), bad, nullptr), InvalidArgument);
  EXPECT_THROW(save_model(path("model.npz"), fixture_model(3, 2), nlohmann::json::array()), InvalidArgument);
  EXPECT_THROW(save_model(path("model.npz"), fixture_model(3, 2), {{"bad", "\xff"}}), InvalidArgument);
  EXPECT_EQ(read_file(path("model.npz")), before);
  EXPECT_THROW(save_model(path("no/such/dir/model.npz"), fixture_model(3, 2), nullptr), IoError);
}

TEST_F(ModelIo, LoadsFloat64ParametersFromSavezCompressedLayout) {
  const std::vector<double> W{1, 2, 3, 4, 5, 6}, a{0.5, 0.25, 0}, b{-1, 1};
  write_npz(path("m.npz"),
            {{"W", npy_float64({3, 2}, W.data())}, {"a", npy_float64({3}, a.data())}, {"b", npy_float64({2}, b.data())},
             {"meta", npy_unicode("{}")}, {"extra", npy_float32({0}, nullptr)}},
            NpzCompression::Deflate);
  const LoadedModel got = load_model(path("m.npz"));
  EXPECT_EQ(got.model.W(2, 1), 6.0f);
  EXPECT_EQ(got.model.a(1), 0.25f);
  EXPECT_EQ(got.model.b(0), -1.0f);
  EXPECT_EQ(got.model.visible_units, UnitType::Bernoulli);
  EXPECT_EQ(got.model.hidden_units, UnitType::Bernoulli);
  EXPECT_TRUE(got.model.visible_bias);
}

class ModelIoErrors : public NpzFiles {
 protected:
  // A model.npz with W (3, 2) and the given replacements.
  std::string file(std::vector<NpzMember> replace, const std::vector<std::string>& drop = {}) {
    const Model m = fixture_model(3, 2);
    std::vector<NpzMember> members{{"W", npy_float32({3, 2}, m.W.data())},
                                   {"a", npy_float32({3}, m.a.data())},
                                   {"b", npy_float32({2}, m.b.data())},
                                   {"meta", npy_unicode(R"({"n_visible": 3, "n_hidden": 2})")}};
    for (auto& r : replace)
      for (auto& mem : members)
        if (mem.name == r.name) mem.array = r.array;
    std::erase_if(members, [&](const NpzMember& mem) { return std::find(drop.begin(), drop.end(), mem.name) != drop.end(); });
    write_npz(path("m.npz"), members);
    return path("m.npz");
  }
  void expect_error(const std::string& p, const std::string& needle) {
    test::expect_error<FormatError>([&] { load_model(p); }, needle);
  }
  const std::vector<float> v_ = ramp(12);
};

TEST_F(ModelIoErrors, MissingMembers) {
  expect_error(file({}, {"W"}), "m.npz: missing member 'W'");
  expect_error(file({}, {"b"}), "missing member 'b'");
}

// W, a and b alone are a complete model file: a binary RBM with a visible bias.
TEST_F(ModelIoErrors, MetaIsOptional) {
  const LoadedModel m = load_model(file({}, {"meta"}));
  EXPECT_EQ(m.model.n_visible(), 3u);
  EXPECT_EQ(m.model.visible_units, UnitType::Bernoulli);
  EXPECT_EQ(m.model.hidden_units, UnitType::Bernoulli);
  EXPECT_TRUE(m.model.visible_bias);
  EXPECT_TRUE(m.meta.is_object() && m.meta.empty());
}

TEST_F(ModelIoErrors, ShapeMismatchesNameTheMembers) {
  expect_error(file({{"a", npy_float32({4}, v_.data())}}), "the length of a is 4 but W has 3 rows");
  expect_error(file({{"b", npy_float32({3}, v_.data())}}), "the length of b is 3 but W has 2 columns");
  expect_error(file({{"W", npy_float32({6}, v_.data())}}), "member 'W' must be 2-D; it has shape (6,)");
  expect_error(file({{"b", npy_float32({2, 1}, v_.data())}}), "member 'b' must be 1-D; it has shape (2, 1)");
  expect_error(file({{"W", npy_float32({0, 2}, nullptr)}}), "member 'W' has shape (0, 2)");
  expect_error(file({{"meta", npy_unicode(R"({"n_visible": 9})")}}), "meta n_visible is 9 but W has 3 rows");
  expect_error(file({{"meta", npy_unicode(R"({"n_hidden": 7})")}}), "meta n_hidden is 7 but W has 2 columns");
}

TEST_F(ModelIoErrors, WrongDtypesAndValues) {
  const std::vector<std::uint8_t> u(6, 1);
  expect_error(file({{"W", npy_uint8({3, 2}, u.data())}}), "member 'W' has dtype |u1; expected <f4 or <f8");
  std::vector<float> nan = v_;
  nan[4] = std::nanf("");
  expect_error(file({{"W", npy_float32({3, 2}, nan.data())}}), "member 'W' holds a non-finite value at flat index 4");
  expect_error(file({{"meta", npy_float32({}, v_.data())}}), "member 'meta' must be a 0-d unicode string array");
}

TEST_F(ModelIoErrors, BadMeta) {
  expect_error(file({{"meta", npy_unicode("{not json")}}), "member 'meta' is not valid JSON");
  expect_error(file({{"meta", npy_unicode("[1, 2]")}}), "member 'meta' must be a JSON object, not array");
  expect_error(file({{"meta", npy_unicode(R"({"visible_units": "binary"})")}}), "meta visible_units: unknown unit type 'binary'");
  expect_error(file({{"meta", npy_unicode(R"({"hidden_units": 3})")}}), "meta hidden_units must be a string");
  expect_error(file({{"meta", npy_unicode(R"({"visible_bias": "no"})")}}), "meta visible_bias must be true or false");
  expect_error(file({{"meta", npy_unicode(R"({"visible_bias": false})")}}), "visible_bias is false but member 'a' has non-zero entries");
}

TEST_F(ModelIoErrors, CorruptFileNamesThePath) {
  std::string bytes = read_file(file({}));
  bytes.resize(bytes.size() - 30);
  expect_error(write("cut.npz", bytes), "cut.npz: no zip end-of-central-directory record");
  EXPECT_THROW(load_model(path("absent.npz")), IoError);
}

// ---- numpy interop, driven by tests/python/test_model_numpy.py ----

constexpr std::size_t kFixtureD = 6, kFixtureH = 4;

TEST(NpzInterop, WriteFixture) {
  const char* out = std::getenv("RBMKIT_NPZ_OUT");
  if (out == nullptr || *out == '\0') GTEST_SKIP() << "RBMKIT_NPZ_OUT is not set";
  Model m = fixture_model(kFixtureD, kFixtureH);
  m.visible_units = UnitType::Gaussian;
  save_model(out, m, {{"note", "fixture \xe2\x9c\x93"}, {"epochs", 3}});
  std::string prefix = out;
  const auto members = sample_members();
  write_npz(prefix + ".arrays-stored.npz", members, NpzCompression::Stored);
  write_npz(prefix + ".arrays-deflate.npz", members, NpzCompression::Deflate);
}

TEST(NpzInterop, ReadFixture) {
  const char* in = std::getenv("RBMKIT_NPZ_IN");
  if (in == nullptr || *in == '\0') GTEST_SKIP() << "RBMKIT_NPZ_IN is not set";
  const LoadedModel got = load_model(in);
  expect_fixture_values(got.model, kFixtureD, kFixtureH);
  EXPECT_EQ(got.model.visible_units, UnitType::Gaussian);
  EXPECT_EQ(got.model.hidden_units, UnitType::Bernoulli);
  EXPECT_EQ(got.meta.value("note", ""), "from numpy \xe2\x9c\x93");
}

}  // namespace
}  // namespace rbmkit
