#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/kernels/random.hpp"
#include "test_files.hpp"

namespace rbmkit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using test::error_of;
using Kind = Binarization::Kind;

Dataset bytes_2x3(std::vector<std::uint8_t> v) {
  Dataset d = Dataset::from_bytes(2, 3, std::move(v));
  d.image_width = 3;
  d.image_height = 1;
  return d;
}

double mean_value(const Dataset& d) {
  double s = 0;
  for (std::size_t i = 0; i < d.rows(); ++i)
    for (std::size_t j = 0; j < d.cols(); ++j) s += d.value(i, j);
  return s / static_cast<double>(d.rows() * d.cols());
}

// ---- parse_binarization --------------------------------------------------------------------

TEST(DataSpec, ParsesEveryBinarizationForm) {
  EXPECT_EQ(parse_binarization("auto").kind, Kind::Auto);
  EXPECT_EQ(parse_binarization("none").kind, Kind::None);
  const Binarization t = parse_binarization("threshold");
  EXPECT_EQ(t.kind, Kind::Threshold);
  EXPECT_EQ(t.threshold, 127.5);
  EXPECT_EQ(parse_binarization("threshold:0.25").threshold, 0.25);
  EXPECT_EQ(parse_binarization("threshold:-3").threshold, -3.0);
  const Binarization s = parse_binarization("stochastic:18446744073709551615");
  EXPECT_EQ(s.kind, Kind::Stochastic);
  EXPECT_EQ(s.seed, 18446744073709551615ull);
  EXPECT_EQ(parse_binarization("stochastic").seed, 0u);
}

TEST(DataSpec, BinarizationRoundTripsThroughToString) {
  for (const std::string text : {"auto", "none", "threshold:127.5", "threshold:0.1", "stochastic:42"})
    EXPECT_EQ(to_string(parse_binarization(text)), text);
  EXPECT_EQ(to_string(parse_binarization("threshold")), "threshold:127.5");
}

TEST(DataSpec, RejectsUnknownBinarizationsListingTheForms) {
  for (const std::string text : {"bogus", "threshold:", "threshold:abc", "threshold:nan", "threshold:1x",
                                 "stochastic:-1", "stochastic:1.5", "none:3", "Auto", ""}) {
    EXPECT_THAT(error_of<InvalidArgument>([&] { parse_binarization(text); }),
                AllOf(HasSubstr("'" + text + "'"), HasSubstr("auto, none, threshold, threshold:T"),
                      HasSubstr("stochastic:SEED")));
  }
}

// ---- binarize ------------------------------------------------------------------------------

TEST(Binarize, ThresholdAtTheMidpointOfTheByteScale) {
  const Dataset out = binarize(bytes_2x3({0, 127, 128, 255, 200, 10}), parse_binarization("threshold"));
  ASSERT_TRUE(out.byte_backed());
  EXPECT_TRUE(out.binary());
  EXPECT_THAT(out.bytes(), testing::ElementsAre(0, 0, 1, 1, 1, 0));
  EXPECT_EQ(out.image_width, 3u);
  EXPECT_EQ(out.image_height, 1u);
}

TEST(Binarize, ThresholdOnFloatsUsesTheirOwnScale) {
  const Dataset x = Dataset::from_floats(1, 4, {0.1f, 0.5f, 0.51f, 2.0f});
  EXPECT_THAT(binarize(x, parse_binarization("threshold:0.5")).bytes(), testing::ElementsAre(0, 0, 1, 1));
}

TEST(Binarize, StochasticDrawsFromOneStreamPerRow) {
  std::vector<std::uint8_t> v(20 * 30);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = static_cast<std::uint8_t>((k * 37) % 256);
  const Dataset x = Dataset::from_bytes(20, 30, v);
  const Dataset out = binarize(x, parse_binarization("stochastic:9"));
  std::vector<float> u(30);
  for (std::size_t i = 0; i < 20; ++i) {
    RandomStream(9, i).uniform(u.data(), 30);
    for (std::size_t j = 0; j < 30; ++j)
      ASSERT_EQ(out.value(i, j), u[j] < x.value(i, j) * (1.0f / 255.0f) ? 1.0f : 0.0f) << i << ", " << j;
  }
}

TEST(Binarize, StochasticIsReproducibleAndDependsOnTheSeed) {
  std::vector<std::uint8_t> v(50 * 40);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = static_cast<std::uint8_t>((k * 101) % 256);
  const Dataset x = Dataset::from_bytes(50, 40, v);
  const Dataset a = binarize(x, parse_binarization("stochastic:1"));
  const Dataset b = binarize(x, parse_binarization("stochastic:1"));
  const Dataset c = binarize(x, parse_binarization("stochastic:2"));
  EXPECT_TRUE(a.binary());
  EXPECT_THAT(a.bytes(), testing::ElementsAreArray(b.bytes()));
  EXPECT_THAT(a.bytes(), testing::Not(testing::ElementsAreArray(c.bytes())));
}

TEST(Binarize, StochasticFrequencyMatchesTheIntensity) {
  // n Bernoulli(p) draws: the mean has standard deviation sqrt(p (1 - p) / n); allow 5 sigma.
  const std::size_t rows = 400, cols = 250;
  const double n = static_cast<double>(rows * cols);
  const Dataset floats = Dataset::from_floats(rows, cols, std::vector<float>(rows * cols, 0.3f));
  EXPECT_NEAR(mean_value(binarize(floats, parse_binarization("stochastic:5"))), 0.3, 5 * std::sqrt(0.3 * 0.7 / n));
  const Dataset bytes = Dataset::from_bytes(rows, cols, std::vector<std::uint8_t>(rows * cols, 51));  // 51/255 = 0.2
  EXPECT_NEAR(mean_value(binarize(bytes, parse_binarization("stochastic:5"))), 0.2, 5 * std::sqrt(0.2 * 0.8 / n));
}

TEST(Binarize, StochasticExtremesAreDeterministic) {
  const Dataset out = binarize(bytes_2x3({0, 255, 0, 255, 255, 0}), parse_binarization("stochastic:3"));
  EXPECT_THAT(out.bytes(), testing::ElementsAre(0, 1, 0, 1, 1, 0));
  EXPECT_EQ(out.image_width, 3u);
}

TEST(Binarize, StochasticRefusesFloatsOutsideTheUnitInterval) {
  const Dataset x = Dataset::from_floats(2, 2, {0.5f, 0.2f, 1.5f, 0.0f});
  EXPECT_THAT(error_of<DataError>([&] { binarize(x, parse_binarization("stochastic")); }),
              AllOf(HasSubstr("value 1.5"), HasSubstr("row 1, column 0 (0-based)")));
}

TEST(Binarize, NoneScalesBytesToTheUnitInterval) {
  const Dataset out = binarize(bytes_2x3({0, 255, 51, 102, 1, 3}), parse_binarization("none"));
  ASSERT_TRUE(out.byte_backed());
  EXPECT_FLOAT_EQ(out.byte_scale(), 1.0f / 255.0f);
  EXPECT_FLOAT_EQ(out.value(0, 1), 1.0f);
  EXPECT_FLOAT_EQ(out.value(0, 2), 0.2f);
  EXPECT_EQ(out.image_width, 3u);
}

TEST(Binarize, NoneKeepsFloatsAndBinaryBytes) {
  const Dataset f = Dataset::from_floats(1, 3, {-2.0f, 0.5f, 7.0f});
  EXPECT_THAT(binarize(f, parse_binarization("none")).floats(), testing::ElementsAreArray(f.floats()));
  const Dataset b = bytes_2x3({0, 1, 1, 0, 0, 1});
  const Dataset out = binarize(b, parse_binarization("auto"));
  EXPECT_EQ(out.byte_scale(), 1.0f);
  EXPECT_THAT(out.bytes(), testing::ElementsAreArray(b.bytes()));
}

// ---- check_unit_interval -------------------------------------------------------------------

TEST(DataSpec, UnitIntervalCheckNamesTheFirstOffendingValue) {
  const Dataset x = Dataset::from_floats(2, 3, {0.0f, 0.5f, 1.0f, 0.2f, 0.3f, 1.5f});
  EXPECT_THAT(error_of<DataError>([&] { check_unit_interval(x, "training data"); }),
              AllOf(HasSubstr("training data"), HasSubstr("value 1.5"), HasSubstr("row 1, column 2 (0-based)"),
                    HasSubstr("[0, 1]")));
  EXPECT_THAT(error_of<DataError>([&] { check_unit_interval(bytes_2x3({0, 1, 255, 0, 0, 0}), "held-out data"); }),
              AllOf(HasSubstr("held-out data"), HasSubstr("value 255"), HasSubstr("row 0, column 2")));
  EXPECT_THAT(error_of<DataError>([&] { check_unit_interval(Dataset::from_floats(1, 2, {0.5f, -0.25f}), "x"); }),
              HasSubstr("value -0.25 at row 0, column 1"));
}

TEST(DataSpec, UnitIntervalCheckAcceptsValidData) {
  EXPECT_NO_THROW(check_unit_interval(Dataset::from_floats(1, 3, {0.0f, 0.5f, 1.0f}), "x"));
  EXPECT_NO_THROW(check_unit_interval(bytes_2x3({0, 1, 1, 0, 0, 1}), "x"));
  EXPECT_NO_THROW(check_unit_interval(binarize(bytes_2x3({0, 255, 9, 0, 0, 1}), Binarization{}), "x"));
}

// ---- load_data -----------------------------------------------------------------------------

using DataSpecLoad = test::TempDirTest;

// A 2 x (2 x 2) uint8 IDX image file.
const std::string idx_images("\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02"
                             "\x00\x80\xff\x10\x20\x7f\xc8\x01",
                             24);

TEST_F(DataSpecLoad, FilesAreNotBinarizedByDefault) {
  const Dataset x = load_data(write("img.idx", idx_images), Binarization{}, DataOptions{});
  ASSERT_EQ(x.rows(), 2u);
  ASSERT_EQ(x.cols(), 4u);
  EXPECT_FLOAT_EQ(x.value(0, 2), 1.0f);
  EXPECT_FLOAT_EQ(x.value(0, 3), 16.0f / 255.0f);
  EXPECT_FLOAT_EQ(x.value(1, 0), 32.0f / 255.0f);
  EXPECT_EQ(x.image_width, 2u);
  EXPECT_EQ(x.image_height, 2u);
}

TEST_F(DataSpecLoad, FilesAreThresholdedOnTheRawScale) {
  const Dataset x = load_data(write("img.idx", idx_images), parse_binarization("threshold:100"), DataOptions{});
  EXPECT_THAT(x.bytes(), testing::ElementsAre(0, 1, 1, 0, 0, 1, 1, 0));
  EXPECT_EQ(x.image_width, 2u);
}

TEST_F(DataSpecLoad, FilesAreReadByExtension) {
  const Dataset c = load_data(write("DATA.CSV", "a,b\n0.5,0.25\n"), Binarization{}, DataOptions{});
  EXPECT_THAT(c.floats(), testing::ElementsAre(0.5f, 0.25f));
  const std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (3,)}\n";
  const std::string npy = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header +
                          std::string("\x00\x01\x01", 3);
  const Dataset n = load_data(write("v.npy", npy), Binarization{}, DataOptions{});
  EXPECT_EQ(n.rows(), 3u);
  EXPECT_TRUE(n.binary());
  EXPECT_THAT(error_of<FormatError>([&] { load_data(write("v.dat", npy), Binarization{}, DataOptions{}); }),
              HasSubstr("not an IDX file"));
}

TEST_F(DataSpecLoad, MalformedMnistSpecsAreInvalidArguments) {
  const DataOptions offline{dir_.string(), false, {}};
  for (const std::string spec : {"mnist:", "mnist:validation", "mnist:train:", "mnist:train:3x", "mnist:all:3:8"})
    EXPECT_THAT(error_of<InvalidArgument>([&] { load_data(spec, Binarization{}, offline); }),
                AllOf(HasSubstr("'" + spec + "'"), HasSubstr("mnist:SPLIT:DIGITS")));
}

TEST_F(DataSpecLoad, MnistWithoutFetchingNeedsTheCache) {
  EXPECT_THAT(error_of<IoError>([&] { load_data("mnist:train:3", Binarization{}, {dir_.string(), false, {}}); }),
              AllOf(HasSubstr(dir_.string()), HasSubstr("fetching is disabled")));
}

}  // namespace
}  // namespace rbmkit
