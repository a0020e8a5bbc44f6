// Hostile input, one place for the whole list (the per-format suites test each parser in
// depth): sizes that are claimed but not present, trailing garbage, non-finite and out-of-range
// data, examples with no values, zero examples, H = 0 and enormous H, shape mismatches in
// model.npz, and the regressions the fuzz targets (fuzz/) found. Every case must end in a typed
// rbmkit exception whose message says where (file and offset, or line and column) and what;
// none may allocate what the input merely claims (the ASan build would report an allocation of
// terabytes as a failure).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/loaders.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/formats/npy.hpp"
#include "rbmkit/formats/npz.hpp"
#include "rbmkit/io/model_file.hpp"
#include "rbmkit/model/model.hpp"
#include "rbmkit/training/trainer.hpp"
#include "test_files.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using test::error_of;
using test::expect_error;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// ---- builders ----------------------------------------------------------------------------

void put_be32(std::string& s, std::uint32_t v) {
  for (int k = 3; k >= 0; --k) s += static_cast<char>((v >> (8 * k)) & 0xFF);
}

void put_le(std::string& s, std::uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) s += static_cast<char>((v >> (8 * k)) & 0xFF);
}

std::string idx_file(int type, const std::vector<std::uint32_t>& dims, const std::string& payload) {
  std::string s = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims) put_be32(s, d);
  return s + payload;
}

std::string npy_file(const std::string& dict, const std::string& payload) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string s = "\x93NUMPY\x01";
  s += '\0';
  put_le(s, header.size(), 2);
  return s + header + payload;
}

std::string npy_dict(const std::string& descr, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
}

std::string floats(const std::vector<float>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

// The bytes of a model.npz with W (d, H) and the given members replaced or added.
std::string model_npz(std::size_t d, std::size_t H, std::vector<NpzMember> replace = {}) {
  std::vector<float> w(d * H, 0.25f), a(d, 0.0f), b(H, 0.5f);
  std::vector<NpzMember> members{{"W", npy_float32({d, H}, w.data())},
                                 {"a", npy_float32({d}, a.data())},
                                 {"b", npy_float32({H}, b.data())},
                                 {"meta", npy_unicode("{\"n_visible\": " + std::to_string(d) + ", \"n_hidden\": " +
                                                      std::to_string(H) + "}")}};
  for (auto& r : replace) {
    bool found = false;
    for (auto& m : members)
      if (m.name == r.name) m.array = r.array, found = true;
    if (!found) members.push_back(r);
  }
  return encode_npz(members);
}

std::uint32_t crc_of(const std::string& data) {
  return static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

// A hand-made stored zip (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), independent of encode_npz, so that
// records can overlap or hold anything.
std::string zip_local(const std::string& name, const std::string& data) {
  std::string s;
  put_le(s, 0x04034b50, 4);
  for (const std::uint64_t v : {20, 0, 0, 0, 0x21}) put_le(s, v, 2);  // version, flags, method, time, date
  put_le(s, crc_of(data), 4);
  put_le(s, data.size(), 4);
  put_le(s, data.size(), 4);
  put_le(s, name.size(), 2);
  put_le(s, 0, 2);
  return s + name + data;
}

std::string zip_central(const std::string& name, const std::string& data, std::size_t offset) {
  std::string s;
  put_le(s, 0x02014b50, 4);
  for (const std::uint64_t v : {20, 20, 0, 0, 0, 0x21}) put_le(s, v, 2);  // made by, needed, flags, method, time, date
  put_le(s, crc_of(data), 4);
  put_le(s, data.size(), 4);
  put_le(s, data.size(), 4);
  put_le(s, name.size(), 2);
  for (int k = 0; k < 4; ++k) put_le(s, 0, 2);  // extra, comment, disk, internal attributes
  put_le(s, 0, 4);                              // external attributes
  put_le(s, offset, 4);
  return s + name;
}

std::string zip_archive(const std::string& records, const std::vector<std::string>& central) {
  std::string cd;
  for (const auto& c : central) cd += c;
  std::string s = records + cd;
  put_le(s, 0x06054b50, 4);
  put_le(s, 0, 2);
  put_le(s, 0, 2);
  put_le(s, central.size(), 2);
  put_le(s, central.size(), 2);
  put_le(s, cd.size(), 4);
  put_le(s, records.size(), 4);
  put_le(s, 0, 2);
  return s;
}

std::string load_model_error(const std::string& bytes) {
  return error_of<FormatError>([&] { load_model_bytes(bytes, "m.npz"); });
}

// ---- sizes that are claimed but not present --------------------------------------------

// 10^12 elements claimed by a header of a few bytes: refused with the sizes, never allocated.
TEST(HostileSizes, TeraElementClaimsAreRefusedBeforeAllocating) {
  EXPECT_THAT(error_of<FormatError>([] { parse_idx(idx_file(0x0E, {1000000, 1000000}, "12345678"), "big.idx"); }),
              AllOf(HasSubstr("big.idx: truncated"), HasSubstr("expected 8000000000012 bytes"), HasSubstr("found 20")));
  EXPECT_THAT(error_of<FormatError>([] { parse_npy(npy_file(npy_dict("<f8", "(1000000, 1000000)"), ""), "big.npy"); }),
              AllOf(HasSubstr("big.npy: truncated"),
                    HasSubstr("expected 8000000000128 bytes (128-byte header + 1000000 x 1000000 float64 values)")));
  EXPECT_THAT(error_of<FormatError>([] { decode_npy(npy_file(npy_dict("<f4", "(1000000, 1000000)"), ""), "m"); }),
              HasSubstr("needs 4000000000000 bytes of data, but 0 follow the header"));
  // Products that overflow 64 bits are refused as such.
  EXPECT_THAT(error_of<FormatError>([] {
                parse_npy(npy_file(npy_dict("<f4", "(18446744073709551615, 3)"), ""), "wrap.npy");
              }),
              HasSubstr("wrap.npy"));
  EXPECT_THAT(error_of<FormatError>([] {
                parse_idx(idx_file(0x08, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, ""), "wrap.idx");
              }),
              HasSubstr("wrap.idx: dimensions 4294967295 x 4294967295 x 4294967295 overflow"));
}

// A deflated model.npz member that claims far more than deflate can make of its bytes, and a
// header length beyond the end of the file.
TEST(HostileSizes, DeclaredSizesBeyondTheDataAreRefused) {
  EXPECT_THAT(error_of<FormatError>([] { parse_npy(std::string("\x93NUMPY\x02\x00\xff\xff\xff\x7f{", 13), "h.npy"); }),
              AllOf(HasSubstr("h.npy: truncated NPY header"), HasSubstr("header length 2147483647")));
  std::string zip = encode_npz({{"W", npy_float32({2}, std::vector<float>{1, 2}.data())}}, NpzCompression::Deflate);
  const std::size_t central = zip.size() - 22 - (46 + 5);
  for (int k = 0; k < 4; ++k) zip[central + 24 + static_cast<std::size_t>(k)] = k == 3 ? '\x7f' : '\xff';
  EXPECT_THAT(error_of<FormatError>([&] { decode_npz(zip, "bomb.npz"); }),
              AllOf(HasSubstr("bomb.npz: member 'W.npy'"), HasSubstr("more than deflate can produce")));
}

// A member "big.npy" whose stored data holds, after its own .npy, the whole local record of a
// second member "z.npy" that has its own central entry: distinct names, shared bytes. This is
// the trick behind zip bombs that inflate one compressed kernel many times.
TEST(HostileSizes, OverlappingNpzMembersAreRefused) {
  const std::vector<float> v{1, 2, 3};
  const std::string npy = encode_npy(npy_float32({3}, v.data()));
  const std::string z_record = zip_local("z.npy", npy);
  const std::string big = npy + z_record;
  const std::string archive = zip_archive(zip_local("big.npy", big),
                                          {zip_central("z.npy", npy, 30 + 7 + npy.size()), zip_central("big.npy", big, 0)});
  EXPECT_THAT(error_of<FormatError>([&] { decode_npz(archive, "o.npz"); }),
              AllOf(HasSubstr("o.npz: member 'big.npy'"), HasSubstr("overlap another member's")));
  // The same records without the overlap: z after big, each read once.
  const std::string apart = zip_archive(zip_local("big.npy", npy) + zip_local("z.npy", npy),
                                        {zip_central("big.npy", npy, 0), zip_central("z.npy", npy, 30 + 7 + npy.size())});
  EXPECT_EQ(decode_npz(apart, "a.npz").size(), 2u);
}

// ---- trailing garbage ---------------------------------------------------------------------

TEST(HostileTrailing, EveryBinaryFormatRefusesBytesAfterItsData) {
  EXPECT_THAT(error_of<FormatError>([] { parse_idx(idx_file(0x08, {2}, "ab") + "junk", "t.idx"); }),
              HasSubstr("t.idx: 4 bytes of trailing data after the array"));
  EXPECT_THAT(error_of<FormatError>([] { parse_npy(npy_file(npy_dict("<f4", "(1,)"), floats({1}) + "x"), "t.npy"); }),
              HasSubstr("t.npy: 1 bytes of trailing data"));
  const std::string npz = model_npz(2, 2);
  ASSERT_NO_THROW(load_model_bytes(npz, "m.npz"));
  EXPECT_THAT(load_model_error(npz + "garbage"), HasSubstr("m.npz: no zip end-of-central-directory record"));
  // Header text after the dict's closing brace.
  EXPECT_THAT(error_of<FormatError>([] { parse_npy(npy_file(npy_dict("<f4", "(1,)") + " 7", floats({1})), "t.npy"); }),
              AllOf(HasSubstr("t.npy: malformed NPY header"), HasSubstr("after the closing brace at header offset")));
}

// ---- CSV: line and column, a bounded message ----------------------------------------------

TEST(HostileCsv, ErrorsNameLineAndColumnAndQuoteTheCellSafely) {
  EXPECT_THAT(error_of<FormatError>([] { parse_csv("0,1\n1,0\n1,zz\n", "t.csv"); }),
              HasSubstr("t.csv: line 3, column 2: 'zz' is not a number"));
  EXPECT_THAT(error_of<FormatError>([] { parse_csv("0,1\n1,0,1\n", "t.csv"); }),
              HasSubstr("t.csv: line 2 has 3 columns, expected 2"));
  // A hostile cell: control bytes are escaped and a long cell is cut, so the message stays one
  // short line whatever the file holds.
  const std::string cell = "\x1b[31m" + std::string(10000, 'A') + "\nX";
  const std::string msg = error_of<FormatError>([&] { parse_csv("0,1\n1," + cell + "\n", "t.csv"); });
  EXPECT_THAT(msg, AllOf(HasSubstr("line 2, column 2: '\\x1b[31mAAAA"), HasSubstr("... (10005 bytes)' is not a number")));
  EXPECT_LT(msg.size(), 200u);
  EXPECT_EQ(msg.find('\x1b'), std::string::npos);
}

// ---- non-finite and out-of-range data ----------------------------------------------------

TEST(HostileData, NonFiniteValuesAreRefusedWithTheirPosition) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::string be_nan;
  put_be32(be_nan, 0);
  put_be32(be_nan, std::bit_cast<std::uint32_t>(nan));
  EXPECT_THAT(error_of<DataError>([&] { parse_idx(idx_file(0x0D, {1, 2}, be_nan), "n.idx"); }),
              AllOf(HasSubstr("n.idx: value nan at row 0, column 1"), HasSubstr("not finite")));
  EXPECT_THAT(error_of<DataError>([&] { parse_npy(npy_file(npy_dict("<f4", "(2, 2)"), floats({0, 1, inf, 0})), "i.npy"); }),
              HasSubstr("i.npy: value inf at row 1, column 0"));
  EXPECT_THAT(error_of<DataError>([] { parse_npy(npy_file(npy_dict("<f8", "(1, 1)"), std::string("\0\0\0\0\0\0\xf0\x7f", 8)), "d.npy"); }),
              HasSubstr("d.npy: value inf at row 0, column 0"));
  EXPECT_THAT(error_of<DataError>([] { parse_csv("0,1\n1,nan\n", "c.csv"); }), HasSubstr("c.csv: line 2, column 2: value nan"));
  EXPECT_THAT(error_of<DataError>([] { parse_csv("0,-inf\n", "c.csv"); }), HasSubstr("line 1, column 2: value -inf"));
  EXPECT_THAT(error_of<DataError>([] { parse_csv("1e39,0\n", "c.csv"); }), HasSubstr("too large for a 32-bit float"));
  std::vector<float> w(4, 0.0f);
  w[3] = nan;
  EXPECT_THAT(load_model_error(model_npz(2, 2, {{"W", npy_float32({2, 2}, w.data())}})),
              HasSubstr("m.npz: member 'W' holds a non-finite value at flat index 3"));
}

TEST(HostileData, ValuesOutsideTheUnitIntervalAreRefusedForBinaryUnits) {
  const Dataset d = Dataset::from_floats(2, 3, {0, 0.5f, 1, 0, 1.5f, 0});
  EXPECT_THAT(error_of<DataError>([&] { check_unit_interval(d, "training data"); }),
              AllOf(HasSubstr("training data: value 1.5 at row 1, column 1 (0-based)"), HasSubstr("outside [0, 1]")));
  const Dataset neg = Dataset::from_floats(1, 2, {0, -0.25f});
  TrainConfig c = test::exercise_config();
  c.hidden = 2;
  c.updates = 1;
  EXPECT_THAT(error_of<DataError>([&] { train(c, neg, nullptr, {}); }), HasSubstr("value -0.25 at row 0, column 1"));
  // Raw bytes (0..255) are not intensities until binarised or scaled.
  const Dataset raw = Dataset::from_bytes(1, 2, {0, 200});
  EXPECT_THAT(error_of<DataError>([&] { check_unit_interval(raw, "data"); }), HasSubstr("value 200 at row 0, column 1"));
  EXPECT_NO_THROW(check_unit_interval(binarize(raw, {}), "data"));
}

// ---- shapes: zero examples, examples of no values, H = 0, enormous H ------------------------

// Found by fuzz_idx: a header claiming 2^31 rows of 0 values each was accepted (0 bytes of data
// are "all there"), and anything iterating over the rows then spun for billions of steps.
TEST(HostileShapes, ExamplesOfNoValuesAreRefused) {
  EXPECT_THAT(error_of<FormatError>([] { parse_idx(idx_file(0x0D, {0x83838383, 0}, ""), "z.idx"); }),
              HasSubstr("z.idx: dimensions 2206434179 x 0 give 2206434179 examples of 0 values each"));
  EXPECT_THAT(error_of<FormatError>([] { parse_npy(npy_file(npy_dict("|u1", "(5, 0)"), ""), "z.npy"); }),
              HasSubstr("z.npy: dimensions 5 x 0 give 5 examples of 0 values each"));
  EXPECT_THAT(error_of<FormatError>([] { parse_npy(npy_file(npy_dict("<f4", "(3, 4, 0)"), ""), "z.npy"); }),
              HasSubstr("examples of 0 values each"));
  // No examples at all is a valid (empty) file; using it is the error.
  const Dataset none = parse_npy(npy_file(npy_dict("<f4", "(0, 4)"), ""), "e.npy");
  EXPECT_EQ(none.rows(), 0u);
  EXPECT_EQ(none.cols(), 4u);
  TrainConfig c = test::exercise_config();
  c.updates = 1;
  EXPECT_THAT(error_of<DataError>([&] { train(c, none, nullptr, {}); }), HasSubstr("no examples"));
  EXPECT_THAT(error_of<FormatError>([] { parse_csv("\n \n\t\n", "e.csv"); }), HasSubstr("e.csv: file is empty"));
}

TEST(HostileShapes, HiddenLayerSizesAreCheckedBeforeAllocating) {
  EXPECT_THAT(error_of<InvalidArgument>([] { check_model_size(784, 0); }), HasSubstr("at least one hidden unit"));
  EXPECT_THAT(error_of<InvalidArgument>([] { make_model(784, 0, 0.1f, 0, true); }), HasSubstr("at least one hidden unit"));
  EXPECT_THAT(error_of<InvalidArgument>([] { check_model_size(0, 10); }), HasSubstr("at least one visible unit"));
  // 784 x 10^8 float weights: 313.6 GB, refused with the number before anything is allocated.
  EXPECT_THAT(error_of<InvalidArgument>([] { make_model(784, 100000000, 0.1f, 0, true); }),
              AllOf(HasSubstr("784 x 100000000 weights would need 313.6"), HasSubstr("GB")));
  EXPECT_THAT(error_of<InvalidArgument>([] { check_model_size(std::numeric_limits<std::size_t>::max(), 2); }),
              HasSubstr("would need"));
  TrainConfig c = test::exercise_config();
  c.hidden = 0;
  EXPECT_THAT(error_of<InvalidArgument>([&] { validate(c); }), HasSubstr("number of hidden units must be an integer in [1, 16777216] (got 0)"));
  c.hidden = 10000000;
  c.updates = 1;
  const Dataset d = Dataset::from_bytes(1, 784, std::vector<std::uint8_t>(784, 1));
  EXPECT_THAT(error_of<InvalidArgument>([&] { train(c, d, nullptr, {}); }), HasSubstr("would need 31.4"));
}

TEST(HostileShapes, HeldOutDataOfAnotherWidthIsRefused) {
  const Dataset data = Dataset::from_bytes(2, 3, {0, 1, 0, 1, 0, 1});
  const Dataset held = Dataset::from_bytes(1, 4, {0, 1, 0, 1});
  TrainConfig c = test::exercise_config();
  c.hidden = 2;
  c.updates = 1;
  EXPECT_THAT(error_of<DataError>([&] { train(c, data, &held, {}); }),
              HasSubstr("held-out data has 4 columns but the training data has 3"));
}

// ---- model.npz: nothing executed, every shape checked ------------------------------------

TEST(HostileModel, ShapeMismatchesBetweenWABAndMetaAreRefused) {
  const std::vector<float> v(64, 0.0f);
  EXPECT_THAT(load_model_error(model_npz(3, 2, {{"a", npy_float32({2}, v.data())}})),
              HasSubstr("m.npz: the length of a is 2 but W has 3 rows"));
  EXPECT_THAT(load_model_error(model_npz(3, 2, {{"b", npy_float32({5}, v.data())}})),
              HasSubstr("the length of b is 5 but W has 2 columns"));
  EXPECT_THAT(load_model_error(model_npz(3, 2, {{"W", npy_float32({3, 2, 1}, v.data())}})),
              HasSubstr("member 'W' must be 2-D; it has shape (3, 2, 1)"));
  EXPECT_THAT(load_model_error(model_npz(3, 2, {{"W", npy_float32({3, 0}, v.data())}})),
              HasSubstr("member 'W' has shape (3, 0); a model needs d, H >= 1"));
  EXPECT_THAT(load_model_error(model_npz(3, 2, {{"meta", npy_unicode("{\"n_visible\": 3, \"n_hidden\": 20}")}})),
              HasSubstr("meta n_hidden is 20 but W has 2 columns"));
  EXPECT_THAT(load_model_error(model_npz(3, 2, {{"meta", npy_unicode("{\"n_visible\": -3}")}})),
              HasSubstr("meta n_visible must be a non-negative integer"));
  EXPECT_THAT(load_model_error(model_npz(3, 2, {{"meta", npy_unicode("{\"n_visible\": 3.0}")}})),
              HasSubstr("meta n_visible must be a non-negative integer"));
}

TEST(HostileModel, PickledMembersAreNeverRun) {
  // An object array is pickle data (numpy.load needs allow_pickle=True for it); this one would
  // run a shell command when unpickled. rbmkit refuses the header before looking at the bytes.
  const std::string pickle = npy_file("{'descr': '|O', 'fortran_order': False, 'shape': (), }",
                                      "cos\nsystem\n(S'touch /tmp/rbmkit-pwned'\ntR.");
  const std::string npz = model_npz(2, 2);
  std::string records;
  std::vector<std::string> central;
  for (const auto& [name, array] : decode_npz(npz, "m.npz")) {
    const std::string data = name == "meta" ? pickle : encode_npy(array);
    central.push_back(zip_central(name + ".npy", data, records.size()));
    records += zip_local(name + ".npy", data);
  }
  EXPECT_THAT(load_model_error(zip_archive(records, central)),
              HasSubstr("m.npz: member 'meta.npy': bad .npy header (object dtype '|O' needs pickle, which rbmkit never runs"));
  EXPECT_THAT(error_of<FormatError>([] {
                decode_npy(npy_file("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "abcd"), "s");
              }),
              HasSubstr("structured dtypes are not supported"));
}

TEST(HostileModel, MetaThatIsNotAPlainObjectIsRefused) {
  EXPECT_THAT(load_model_error(model_npz(2, 2, {{"meta", npy_unicode("{\"a\": 1,}")}})),
              HasSubstr("member 'meta' is not valid JSON"));
  // Deep nesting: parsed without recursion and refused as not an object; no stack overflow.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_THAT(load_model_error(model_npz(2, 2, {{"meta", npy_unicode(deep)}})),
              HasSubstr("member 'meta' must be a JSON object, not array"));
  const std::string deep_object = "{\"x\": " + std::string(50000, '[') + std::string(50000, ']') + "}";
  EXPECT_NO_THROW(load_model_bytes(model_npz(2, 2, {{"meta", npy_unicode(deep_object)}}), "m.npz"));
  EXPECT_THAT(load_model_error(model_npz(2, 2, {{"meta", npy_unicode("{\"visible_units\": \"quantum\"}")}})),
              HasSubstr("meta visible_units: unknown unit type 'quantum'"));
}

TEST(HostileModel, ErrorsNameTheOffset) {
  std::string zip = model_npz(2, 2);
  const std::size_t end = zip.size() - 22;
  zip[end + 19] = '\x7f';  // central directory offset far beyond the file
  EXPECT_THAT(load_model_error(zip), AllOf(HasSubstr("m.npz: central directory offset"),
                                           HasSubstr("end record at offset " + std::to_string(end))));
  std::string crc = model_npz(2, 2);
  crc[30 + 5 + 80] ^= 1;  // a byte of W's data (stored)
  EXPECT_THAT(load_model_error(crc), AllOf(HasSubstr("member 'W.npy' (local header at offset 0)"), HasSubstr("CRC-32 mismatch")));
}

}  // namespace
}  // namespace rbmkit
