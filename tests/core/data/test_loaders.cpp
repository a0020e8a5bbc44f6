#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/error.hpp"
#include "test_files.hpp"

namespace rbmkit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using test::error_of;

class FileTest : public test::TempDirTest {
 protected:
  std::string write_gz(const std::string& name, const std::string& bytes) const {
    const std::string gz = path(name);
    gzFile f = gzopen(gz.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    EXPECT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
    gzclose(f);
    return gz;
  }
};

using Idx = FileTest;
using Npy = FileTest;
using Csv = FileTest;
using Gz = FileTest;

void put_uint(std::string& s, std::uint64_t v, int bytes, bool big_endian) {
  for (int i = 0; i < bytes; ++i) {
    const int shift = 8 * (big_endian ? bytes - 1 - i : i);
    s += static_cast<char>((v >> shift) & 0xff);
  }
}

// Values encoded as IDX element type `type` (0x08 ... 0x0e) in the given byte order.
std::string encode(const std::vector<double>& values, int type, bool big_endian) {
  std::string s;
  for (double v : values) {
    switch (type) {
      case 0x08: put_uint(s, static_cast<std::uint8_t>(v), 1, big_endian); break;
      case 0x09: put_uint(s, static_cast<std::uint8_t>(static_cast<std::int8_t>(v)), 1, big_endian); break;
      case 0x0B: put_uint(s, static_cast<std::uint16_t>(static_cast<std::int16_t>(v)), 2, big_endian); break;
      case 0x0C: put_uint(s, static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4, big_endian); break;
      case 0x0D: put_uint(s, std::bit_cast<std::uint32_t>(static_cast<float>(v)), 4, big_endian); break;
      case 0x0E: put_uint(s, std::bit_cast<std::uint64_t>(v), 8, big_endian); break;
    }
  }
  return s;
}

std::string idx_header(int type, const std::vector<std::uint32_t>& dims) {
  std::string s = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (std::uint32_t d : dims) put_uint(s, d, 4, true);
  return s;
}

std::string npy_file(int major, const std::string& dict, const std::string& payload) {
  const std::size_t preamble = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string s = "\x93NUMPY";
  s += static_cast<char>(major);
  s += '\0';
  put_uint(s, header.size(), major == 1 ? 2 : 4, false);
  return s + header + payload;
}

std::string npy_dict(const std::string& descr, const std::string& shape, bool fortran = false) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

void expect_values(const Dataset& d, std::size_t rows, std::size_t cols, const std::vector<double>& v) {
  ASSERT_EQ(d.rows(), rows);
  ASSERT_EQ(d.cols(), cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j)
      EXPECT_EQ(d.value(i, j), static_cast<float>(v[i * cols + j])) << "at " << i << ", " << j;
}

// ---- IDX -----------------------------------------------------------------------------------

TEST_F(Idx, EveryElementTypeRoundTrips) {
  const std::vector<std::pair<int, std::vector<double>>> cases = {
      {0x08, {0, 1, 7, 255, 128, 3}},
      {0x09, {-128, 0, 7, 127, -1, 3}},
      {0x0B, {-32768, 0, 7, 32767, -1, 1234}},
      {0x0C, {-2000000, 0, 7, 16777216, -1, 5}},
      {0x0D, {-1.5, 0, 0.25, 3e10, 1e-3, 7}},
      {0x0E, {-1.5, 0, 0.1, 1e30, 1e-300, 7}},
  };
  for (const auto& [type, values] : cases) {
    SCOPED_TRACE(type);
    const std::string path = write("a.idx", idx_header(type, {2, 3}) + encode(values, type, true));
    const Dataset d = read_idx(path);
    expect_values(d, 2, 3, values);
    EXPECT_EQ(d.byte_backed(), type == 0x08);
    EXPECT_EQ(d.image_width, 0u);
  }
}

TEST_F(Idx, Uint8StaysRawBytes) {
  const Dataset d = read_idx(write("a.idx", idx_header(0x08, {2, 2}) + std::string("\x00\x80\xff\x01", 4)));
  ASSERT_TRUE(d.byte_backed());
  EXPECT_EQ(d.byte_scale(), 1.0f);
  EXPECT_THAT(d.bytes(), testing::ElementsAre(0, 128, 255, 1));
}

TEST_F(Idx, ThreeDimensionalFileIsAStackOfImages) {
  const std::vector<double> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const Dataset d = read_idx(write("img.idx", idx_header(0x08, {2, 2, 3}) + encode(v, 0x08, true)));
  expect_values(d, 2, 6, v);
  EXPECT_EQ(d.image_height, 2u);
  EXPECT_EQ(d.image_width, 3u);
}

TEST_F(Idx, OneDimensionalFileIsAColumn) {
  const Dataset d = read_idx(write("labels.idx", idx_header(0x08, {4}) + std::string("\x03\x01\x04\x01", 4)));
  expect_values(d, 4, 1, {3, 1, 4, 1});
}

TEST_F(Idx, TruncatedDataNamesExpectedAndActualSizes) {
  const std::string path = write("t.idx", idx_header(0x08, {2, 3}) + std::string(5, '\1'));
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }),
              AllOf(HasSubstr(path), HasSubstr("truncated"), HasSubstr("expected 18 bytes"), HasSubstr("found 17")));
}

TEST_F(Idx, TruncatedHeader) {
  const std::string path = write("h.idx", idx_header(0x08, {2, 3}).substr(0, 9));
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }),
              AllOf(HasSubstr(path), HasSubstr("truncated IDX header"), HasSubstr("expected 12 bytes")));
}

TEST_F(Idx, TrailingDataIsRefused) {
  const std::string path = write("g.idx", idx_header(0x08, {2, 3}) + std::string(9, '\1'));
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }),
              AllOf(HasSubstr(path), HasSubstr("3 bytes of trailing data"), HasSubstr("expected 18 bytes")));
}

TEST_F(Idx, WrongMagicIsRefused) {
  const std::string path = write("m.idx", "PK\x03\x04 this is a zip file");
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }),
              AllOf(HasSubstr(path), HasSubstr("not an IDX file"), HasSubstr("0x50 0x4b")));
}

TEST_F(Idx, UnknownElementTypeIsRefused) {
  const std::string path = write("u.idx", idx_header(0x0A, {1}) + "x");
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }),
              AllOf(HasSubstr(path), HasSubstr("unknown IDX element type 0x0a")));
}

TEST_F(Idx, OverflowingDimensionsAreRefusedWithoutAllocating) {
  const std::uint32_t big = 1u << 31;
  const std::string path = write("o.idx", idx_header(0x08, {big, big, big}) + std::string(8, '\0'));
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }),
              AllOf(HasSubstr(path), HasSubstr("overflow"), HasSubstr("2147483648 x 2147483648 x 2147483648")));
  // 2^21 cubed is 2^63 doubles: the element count fits in 64 bits, the byte count does not.
  const std::string path2 = write("o2.idx", idx_header(0x0E, {1u << 21, 1u << 21, 1u << 21}));
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path2); }), HasSubstr("overflow"));
}

TEST_F(Idx, HugeClaimedSizeIsTruncationNotAllocation) {
  const std::string path = write("huge.idx", idx_header(0x08, {1u << 20, 1u << 20, 1u << 20}) + "abc");
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }),
              AllOf(HasSubstr("truncated"), HasSubstr("expected 1152921504606846992 bytes"), HasSubstr("found 19")));
}

TEST_F(Idx, EmptyFileIsRefused) {
  const std::string path = write("e.idx", "");
  EXPECT_THAT(error_of<FormatError>([&] { read_idx(path); }), AllOf(HasSubstr(path), HasSubstr("empty")));
}

TEST_F(Idx, MissingFileIsIoError) {
  const std::string path = this->path("absent.idx");
  EXPECT_THAT(error_of<IoError>([&] { read_idx(path); }), HasSubstr(path));
}

TEST_F(Idx, NonFiniteValuesNameRowAndColumn) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::string p1 = write("nan.idx", idx_header(0x0D, {2, 3}) + encode({0, 1, 2, 3, 4, nan}, 0x0D, true));
  EXPECT_THAT(error_of<DataError>([&] { read_idx(p1); }),
              AllOf(HasSubstr(p1), HasSubstr("nan"), HasSubstr("row 1, column 2 (0-based)"), HasSubstr("not finite")));
  const std::string p2 = write("inf.idx", idx_header(0x0E, {2, 2}) + encode({0, -inf, 2, 3}, 0x0E, true));
  EXPECT_THAT(error_of<DataError>([&] { read_idx(p2); }), HasSubstr("row 0, column 1"));
  const std::string p3 = write("big.idx", idx_header(0x0E, {1, 2}) + encode({0, 1e300}, 0x0E, true));
  EXPECT_THAT(error_of<DataError>([&] { read_idx(p3); }), HasSubstr("too large for a 32-bit float"));
}

// ---- NPY -----------------------------------------------------------------------------------

TEST_F(Npy, Uint8VersionOneStaysRawBytes) {
  const std::string path =
      write("u8.npy", npy_file(1, npy_dict("|u1", "(2, 3)"), std::string("\x00\x01\x02\xfd\xfe\xff", 6)));
  const Dataset d = read_npy(path);
  ASSERT_TRUE(d.byte_backed());
  EXPECT_EQ(d.byte_scale(), 1.0f);
  expect_values(d, 2, 3, {0, 1, 2, 253, 254, 255});
}

TEST_F(Npy, Float32VersionTwo) {
  const std::vector<double> v = {0.5, -2, 1e-3, 42};
  const Dataset d = read_npy(write("f4.npy", npy_file(2, npy_dict("<f4", "(2, 2)"), encode(v, 0x0D, false))));
  EXPECT_FALSE(d.byte_backed());
  expect_values(d, 2, 2, v);
}

TEST_F(Npy, Float64LittleAndBigEndianVersionThree) {
  const std::vector<double> v = {0.1, -2.5, 3, 1e20, 7, 8};
  expect_values(read_npy(write("le.npy", npy_file(3, npy_dict("<f8", "(3, 2)"), encode(v, 0x0E, false)))), 3, 2, v);
  expect_values(read_npy(write("be.npy", npy_file(1, npy_dict(">f8", "(3, 2)"), encode(v, 0x0E, true)))), 3, 2, v);
}

TEST_F(Npy, OneDimensionalArrayIsAColumn) {
  const std::vector<double> v = {1.5, 2.5, 3.5};
  expect_values(read_npy(write("v.npy", npy_file(1, npy_dict("<f4", "(3,)"), encode(v, 0x0D, false)))), 3, 1, v);
}

TEST_F(Npy, FortranOrderIsTransposed) {
  // The 2 x 3 array [[1, 2, 3], [4, 5, 6]] stored column by column.
  const std::string path =
      write("f.npy", npy_file(1, npy_dict("<f4", "(2, 3)", true), encode({1, 4, 2, 5, 3, 6}, 0x0D, false)));
  expect_values(read_npy(path), 2, 3, {1, 2, 3, 4, 5, 6});
}

TEST_F(Npy, ThreeDimensionalArrayIsAStackOfImages) {
  const Dataset d =
      read_npy(write("i.npy", npy_file(1, npy_dict("|u1", "(2, 3, 1)"), std::string("\x01\x02\x03\x04\x05\x06", 6))));
  expect_values(d, 2, 3, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(d.image_height, 3u);
  EXPECT_EQ(d.image_width, 1u);
}

TEST_F(Npy, TruncatedAndTrailingData) {
  const std::string dict = npy_dict("<f4", "(2, 2)");
  const std::string full = npy_file(1, dict, encode({1, 2, 3, 4}, 0x0D, false));
  const std::string p1 = write("t.npy", full.substr(0, full.size() - 1));
  EXPECT_THAT(error_of<FormatError>([&] { read_npy(p1); }),
              AllOf(HasSubstr(p1), HasSubstr("truncated"), HasSubstr("expected 144 bytes"), HasSubstr("found 143")));
  const std::string p2 = write("g.npy", full + "xy");
  EXPECT_THAT(error_of<FormatError>([&] { read_npy(p2); }),
              AllOf(HasSubstr(p2), HasSubstr("2 bytes of trailing data")));
}

TEST_F(Npy, HeaderLengthBeyondTheFileIsTruncation) {
  std::string bytes = npy_file(1, npy_dict("<f4", "(1, 1)"), "");
  bytes[8] = '\xff';
  bytes[9] = '\xff';
  const std::string path = write("h.npy", bytes);
  EXPECT_THAT(error_of<FormatError>([&] { read_npy(path); }),
              AllOf(HasSubstr("truncated NPY header"), HasSubstr("expected 65545 bytes")));
}

TEST_F(Npy, MalformedHeadersAreRefused) {
  const auto message = [&](const std::string& bytes) {
    const std::string path = write("bad.npy", bytes);
    return error_of<FormatError>([&] { read_npy(path); });
  };
  EXPECT_THAT(message("\x93NUMPX\x01\x00"), HasSubstr("not an NPY file"));
  EXPECT_THAT(message(""), HasSubstr("empty"));
  std::string v4 = npy_file(1, npy_dict("<f4", "(1,)"), std::string(4, '\0'));
  v4[6] = 4;
  EXPECT_THAT(message(v4), HasSubstr("unsupported NPY format version 4.0"));
  EXPECT_THAT(message(npy_file(1, npy_dict("<c8", "(1,)"), std::string(8, '\0'))),
              HasSubstr("unsupported NPY dtype '<c8'"));
  EXPECT_THAT(message(npy_file(1, "{'descr': '<f4', 'shape': (1,), }", std::string(4, '\0'))),
              AllOf(HasSubstr("malformed NPY header"), HasSubstr("fortran_order")));
  EXPECT_THAT(message(npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }", "")),
              HasSubstr("malformed NPY header"));
  EXPECT_THAT(message(npy_file(1, npy_dict("<f4", "(1, 2, 3, 4)"), std::string(96, '\0'))),
              HasSubstr("4 dimensions"));
  EXPECT_THAT(message(npy_file(1, npy_dict("<f4", "(4294967296, 4294967296, 4294967296)"), "")),
              HasSubstr("overflow"));
}

TEST_F(Npy, DtypesOutsideTheLoadersSetAreRefused) {
  for (const std::string descr : {"<f2", "<f16", "|f4", "<c8", "<U2", "|i2"}) {
    const std::string path = write("d.npy", npy_file(1, npy_dict(descr, "(1,)"), std::string(16, '\0')));
    EXPECT_THAT(error_of<FormatError>([&] { read_npy(path); }),
                AllOf(HasSubstr(path), HasSubstr("unsupported NPY dtype '" + descr + "'")));
  }
}

TEST_F(Npy, WideIntegersAreRead) {
  // numpy's default integer (int64) and the unsigned types, little- and big-endian.
  const auto bytes = [](std::initializer_list<std::uint64_t> values, std::size_t size, bool big) {
    std::string out;
    for (std::uint64_t v : values)
      for (std::size_t i = 0; i < size; ++i) out += static_cast<char>((v >> (8 * (big ? size - 1 - i : i))) & 0xff);
    return out;
  };
  const std::uint64_t minus_three = static_cast<std::uint64_t>(std::int64_t{-3});
  expect_values(read_npy(write("i8.npy", npy_file(1, npy_dict("<i8", "(2, 2)"), bytes({0, 1, minus_three, 255}, 8, false)))),
                2, 2, {0, 1, -3, 255});
  expect_values(read_npy(write("u2.npy", npy_file(1, npy_dict(">u2", "(1, 3)"), bytes({7, 65535, 0}, 2, true)))), 1, 3,
                {7, 65535, 0});
  expect_values(read_npy(write("u4.npy", npy_file(1, npy_dict("<u4", "(2,)"), bytes({1, 4000000000u}, 4, false)))), 2, 1,
                {1, 4000000000.0});
  const Dataset binary = read_npy(write("b.npy", npy_file(1, npy_dict("<i8", "(1, 3)"), bytes({1, 0, 1}, 8, false))));
  EXPECT_TRUE(binary.binary());
}

TEST_F(Npy, Python2LongExtentsAreRead) {
  const std::vector<double> v = {1, 2, 3, 4};
  expect_values(read_npy(write("l.npy", npy_file(1, npy_dict("<i2", "(2L, 2L)"), encode(v, 0x0B, false)))), 2, 2, v);
}

TEST_F(Npy, NonFiniteValueNamesRowAndColumn) {
  const std::string path = write(
      "n.npy", npy_file(1, npy_dict("<f4", "(2, 2)"), encode({0, 1, std::nan(""), 3}, 0x0D, false)));
  EXPECT_THAT(error_of<DataError>([&] { read_npy(path); }),
              AllOf(HasSubstr(path), HasSubstr("row 1, column 0 (0-based)"), HasSubstr("not finite")));
}

// ---- CSV -----------------------------------------------------------------------------------

TEST_F(Csv, NumbersWithoutHeader) {
  const Dataset d = read_csv(write("a.csv", "1,2.5,-3\n 4 , 5e-1 ,\t+6\n"));
  expect_values(d, 2, 3, {1, 2.5, -3, 4, 0.5, 6});
}

TEST_F(Csv, HeaderRowIsSkipped) {
  const Dataset d = read_csv(write("h.csv", "x,y\r\n0.25,1.5\r\n\r\n3,4"));
  expect_values(d, 2, 2, {0.25, 1.5, 3, 4});
}

TEST_F(Csv, ZerosAndOnesBecomeBinaryBytes) {
  const Dataset d = read_csv(write("b.csv", "0,1,1\n1,0,0\n"));
  EXPECT_TRUE(d.byte_backed());
  EXPECT_TRUE(d.binary());
  expect_values(d, 2, 3, {0, 1, 1, 1, 0, 0});
}

TEST_F(Csv, EmptyFileIsRefused) {
  for (const std::string text : {"", "\n  \n"}) {
    const std::string path = write("e.csv", text);
    EXPECT_THAT(error_of<FormatError>([&] { read_csv(path); }), AllOf(HasSubstr(path), HasSubstr("empty")));
  }
}

TEST_F(Csv, NonNumericCellNamesLineAndColumn) {
  const std::string path = write("n.csv", "1,2\n\n3,oops\n");
  EXPECT_THAT(error_of<FormatError>([&] { read_csv(path); }),
              AllOf(HasSubstr(path), HasSubstr("line 3, column 2"), HasSubstr("'oops' is not a number")));
  const std::string p2 = write("n2.csv", "a,b\n1,2\n3,\n");
  EXPECT_THAT(error_of<FormatError>([&] { read_csv(p2); }), HasSubstr("line 3, column 2: '' is not a number"));
}

TEST_F(Csv, HeaderWithoutDataIsRefused) {
  const std::string path = write("h.csv", "a,b,c\n");
  EXPECT_THAT(error_of<FormatError>([&] { read_csv(path); }),
              AllOf(HasSubstr(path), HasSubstr("line 1"), HasSubstr("no data rows")));
}

TEST_F(Csv, RaggedRowIsRefused) {
  const std::string path = write("r.csv", "1,2,3\n4,5,6\n7,8\n");
  EXPECT_THAT(error_of<FormatError>([&] { read_csv(path); }),
              AllOf(HasSubstr(path), HasSubstr("line 3 has 2 columns, expected 3")));
}

TEST_F(Csv, NonFiniteCellNamesLineAndColumn) {
  const std::string path = write("nan.csv", "1,2\n3,NaN\n");
  EXPECT_THAT(error_of<DataError>([&] { read_csv(path); }),
              AllOf(HasSubstr(path), HasSubstr("line 2, column 2"), HasSubstr("not finite")));
  const std::string p2 = write("inf.csv", "-inf,2\n");
  EXPECT_THAT(error_of<DataError>([&] { read_csv(p2); }), HasSubstr("line 1, column 1"));
  const std::string p3 = write("big.csv", "1e39\n");
  EXPECT_THAT(error_of<DataError>([&] { read_csv(p3); }), HasSubstr("too large for a 32-bit float"));
}

// ---- gzip ----------------------------------------------------------------------------------

TEST_F(Gz, EveryFormatReadsCompressed) {
  const std::vector<double> v = {1, 2, 3, 4, 5, 6};
  expect_values(read_array(write_gz("a.idx.gz", idx_header(0x0B, {3, 2}) + encode(v, 0x0B, true))), 3, 2, v);
  expect_values(read_array(write_gz("a.gz", idx_header(0x08, {2, 3}) + encode(v, 0x08, true))), 2, 3, v);
  expect_values(read_array(write_gz("a.npy.gz", npy_file(1, npy_dict("<f8", "(6,)"), encode(v, 0x0E, false)))),
                6, 1, v);
  expect_values(read_array(write_gz("a.csv.gz", "1,2,3\n4,5,6\n")), 2, 3, v);
}

TEST_F(Gz, ConcatenatedMembersAreReadWhole) {
  const std::string both = test::read_bytes(write_gz("a.gz", "hello ")) + test::read_bytes(write_gz("b.gz", "world"));
  EXPECT_EQ(read_decompressed(write("ab.gz", both)), "hello world");
}

TEST_F(Gz, PlainFilesAreReadAsTheyAre) { EXPECT_EQ(read_decompressed(write("p.txt", "plain")), "plain"); }

TEST_F(Gz, TruncatedAndCorruptStreamsAreRefused) {
  const std::string full = test::read_bytes(write_gz("t.gz", std::string(10000, 'x') + "the end"));
  const std::string p1 = write("cut.gz", full.substr(0, full.size() - 6));
  EXPECT_THAT(error_of<FormatError>([&] { read_decompressed(p1); }),
              AllOf(HasSubstr(p1), HasSubstr("truncated gzip data")));
  std::string bad = full;
  for (std::size_t i = 12; i < bad.size() - 8; ++i) bad[i] = static_cast<char>(~bad[i]);
  const std::string p2 = write("bad.gz", bad);
  EXPECT_THAT(error_of<FormatError>([&] { read_decompressed(p2); }),
              AllOf(HasSubstr(p2), HasSubstr("corrupt gzip data")));
}

TEST_F(Gz, DecompressedSizeIsCapped) {
  const std::string path = write_gz("bomb.gz", std::string(100000, '\0'));
  EXPECT_THAT(error_of<FormatError>([&] { read_decompressed(path, 1000); }),
              AllOf(HasSubstr(path), HasSubstr("more than the limit of 1000 bytes")));
  EXPECT_EQ(read_decompressed(path, 100000).size(), 100000u);
}

}  // namespace
}  // namespace rbmkit
