// Standardisation of real-valued data: the statistics against a direct double computation,
// constant columns, the round trip, refusals, and the model file's members.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/data/standardize.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/io/model_file.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "test_files.hpp"
#include "tiny_rbm.hpp"

namespace rbmkit {
namespace {

using ::testing::HasSubstr;
using test::error_of;

// 5 x 3: a varied column, a constant column and a column of large offset.
Dataset sample_data() {
  return Dataset::from_floats(5, 3, {1.0f, 7.0f, 1000.5f,  //
                                     2.0f, 7.0f, 1001.5f,  //
                                     4.0f, 7.0f, 999.0f,   //
                                     -3.0f, 7.0f, 1002.0f, //
                                     0.5f, 7.0f, 1000.0f});
}

TEST(Standardize, StatisticsAreThePopulationMeanAndStandardDeviation) {
  const Dataset d = sample_data();
  const Standardization s = fit_standardization(d);
  for (std::size_t j : {0u, 2u}) {
    double mean = 0, sq = 0;
    for (std::size_t r = 0; r < 5; ++r) mean += d.value(r, j);
    mean /= 5;
    for (std::size_t r = 0; r < 5; ++r) sq += (d.value(r, j) - mean) * (d.value(r, j) - mean);
    EXPECT_NEAR(s.mean[static_cast<Eigen::Index>(j)], mean, 1e-6 * std::fabs(mean) + 1e-7);
    EXPECT_NEAR(s.std[static_cast<Eigen::Index>(j)], std::sqrt(sq / 5), 1e-6);
  }
  EXPECT_EQ(s.mean[1], 7.0f);  // a constant column keeps its value as the mean and std 1
  EXPECT_EQ(s.std[1], 1.0f);
}

TEST(Standardize, StandardisedDataHasZeroMeanUnitVarianceAndRoundTrips) {
  const Dataset d = sample_data();
  const Standardization s = fit_standardization(d);
  const Dataset z = standardize(d, s);
  for (std::size_t j : {0u, 2u}) {
    // x - mean in float loses up to an ulp of |x| (2^-23 |x|), divided by std.
    double largest = 0;
    for (std::size_t r = 0; r < 5; ++r) largest = std::max(largest, std::fabs(static_cast<double>(d.value(r, j))));
    const double tolerance = 4 * std::ldexp(largest, -23) / s.std[static_cast<Eigen::Index>(j)];
    double mean = 0, sq = 0;
    for (std::size_t r = 0; r < 5; ++r) mean += z.value(r, j);
    for (std::size_t r = 0; r < 5; ++r) sq += z.value(r, j) * z.value(r, j);
    EXPECT_NEAR(mean / 5, 0.0, tolerance);
    EXPECT_NEAR(sq / 5, 1.0, 4 * tolerance);
  }
  Matrix X = to_matrix(z);
  unstandardize(X, s);
  const Matrix original = to_matrix(d);
  // float rounding of (x - m) / s * s + m: a few ulp of the column's magnitude
  EXPECT_LE((X - original).cwiseAbs().maxCoeff(), 1e-3f);
  EXPECT_LE((X.col(0) - original.col(0)).cwiseAbs().maxCoeff(), 1e-6f);
}

TEST(Standardize, BadDataIsRefused) {
  EXPECT_THAT(error_of<DataError>([] { fit_standardization(Dataset::from_floats(0, 2, {})); }), HasSubstr("no examples"));
  EXPECT_THAT(error_of<DataError>([] { fit_standardization(Dataset::from_floats(2, 2, {0, 1, NAN, 2})); }),
              HasSubstr("row 1, column 0"));
  const Standardization s = fit_standardization(sample_data());
  EXPECT_THAT(error_of<DataError>([&] { standardize(Dataset::from_floats(1, 2, {1, 2}), s); }),
              HasSubstr("the data has 2 columns but the standardisation has 3"));
}

class StandardizationFile : public test::TempDirTest {};

TEST_F(StandardizationFile, TheModelFileKeepsTheStatistics) {
  const Standardization s = fit_standardization(sample_data());
  Model m = make_model(3, 2, 0.1f, 1, true);
  m.visible_units = UnitType::Gaussian;
  save_model(path("m.npz"), m, {}, standardization_members(s));
  const LoadedModel loaded = load_model(path("m.npz"));
  ASSERT_TRUE(loaded.standardization);
  EXPECT_EQ(loaded.standardization->mean, s.mean);
  EXPECT_EQ(loaded.standardization->std, s.std);
  save_model(path("plain.npz"), m, {});
  EXPECT_FALSE(load_model(path("plain.npz")).standardization);
}

TEST_F(StandardizationFile, BrokenMembersAreRefusedNamingTheFile) {
  Model m = make_model(3, 2, 0.1f, 1, true);
  const Standardization s = fit_standardization(sample_data());
  auto members = standardization_members(s);
  save_model(path("half.npz"), m, {}, {members[0]});
  EXPECT_THAT(error_of<FormatError>([&] { load_model(path("half.npz")); }),
              HasSubstr("has 'standardize_mean' but not 'standardize_std'"));
  Standardization zero = s;
  zero.std[0] = 0.0f;
  save_model(path("zero.npz"), m, {}, standardization_members(zero));
  EXPECT_THAT(error_of<FormatError>([&] { load_model(path("zero.npz")); }),
              HasSubstr("'standardize_std' must be finite and > 0 (entry 0)"));
  const float two[2] = {0, 1};
  save_model(path("short.npz"), m, {}, {{"standardize_mean", npy_float32({2}, two)}, {"standardize_std", npy_float32({2}, two)}});
  EXPECT_THAT(error_of<FormatError>([&] { load_model(path("short.npz")); }), HasSubstr("must have shape (3,)"));
}

}  // namespace
}  // namespace rbmkit
