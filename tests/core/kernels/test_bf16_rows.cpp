// The per-example path's bf16 row kernels (kernels/bf16_rows.hpp) against scalar references:
// rows are rounded as to_bf16 rounds, products of bf16 values are exact in fp32, so a row times
// a vector is off the double sum only by fp32 summation, at most (cols) 2^-24 sum_k |m_k x_k|.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "rbmkit/kernels/bf16_rows.hpp"
#include "rbmkit/kernels/random.hpp"

namespace rbmkit {
namespace {

Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  RandomStream rng(seed, 0);
  Matrix M(rows, cols);
  for (Eigen::Index i = 0; i < M.size(); ++i) M.data()[i] = static_cast<float>(4.0 * rng.uniform_double() - 2.0);
  return M;
}

Bf16Rows rows_of(const Matrix& M) {
  Bf16Rows R(M.rows(), M.cols());
  for (Eigen::Index i = 0; i < M.rows(); ++i) R.assign_row(i, M.row(i).data());
  return R;
}

TEST(Bf16Rows, RowsAreRoundedToNearestEvenAndPaddedWithZeros) {
  for (const Eigen::Index cols : {1, 15, 16, 17, 31, 100, 130}) {
    const Matrix M = random_matrix(5, cols, static_cast<std::uint64_t>(cols));
    const Bf16Rows R = rows_of(M);
    ASSERT_EQ(R.stride() % 16, 0);
    ASSERT_GE(R.stride(), cols);
    ASSERT_LT(R.stride(), cols + 16);
    for (Eigen::Index i = 0; i < M.rows(); ++i) {
      for (Eigen::Index c = 0; c < cols; ++c) ASSERT_EQ(R.row(i)[c], to_bf16(M(i, c))) << cols << " " << i << " " << c;
      for (Eigen::Index c = cols; c < R.stride(); ++c) ASSERT_EQ(R.row(i)[c], 0) << cols;
    }
  }
}

// y = bias + M x over row ranges that start anywhere and end in and after 16-row groups, for
// binary and general bf16 vectors x, with rows ending on and half way through 32-value chunks.
TEST(Bf16Rows, RowsTimesVectorWithinFp32SummationBound) {
  for (const Eigen::Index cols : {7, 16, 32, 100, 112, 129}) {
    const Eigen::Index rows = 53;
    const Matrix M = random_matrix(rows, cols, 100 + static_cast<std::uint64_t>(cols));
    const Bf16Rows R = rows_of(M);
    const Matrix bias = random_matrix(1, rows, 7);
    for (const bool binary : {true, false}) {
      Bf16Rows x(1, cols);
      RandomStream rng(static_cast<std::uint64_t>(cols), 1);
      std::vector<float> xf(static_cast<std::size_t>(cols));
      for (auto& v : xf) v = binary ? (rng.uniform_double() < 0.4 ? 1.0f : 0.0f) : static_cast<float>(rng.uniform_double() - 0.5);
      x.assign_row(0, xf.data());
      for (const auto& [r0, r1] : {std::pair<Eigen::Index, Eigen::Index>{0, rows}, {3, 35}, {16, 32}, {20, 21}}) {
        std::vector<float> y(static_cast<std::size_t>(rows), -7.0f);
        bf16_rows_times(R, x.row(0), bias.data(), r0, r1, y.data());
        for (Eigen::Index i = 0; i < rows; ++i) {
          if (i < r0 || i >= r1) {
            ASSERT_EQ(y[static_cast<std::size_t>(i)], -7.0f) << "row " << i << " outside [" << r0 << ", " << r1 << ")";
            continue;
          }
          double exact = bias(0, i), magnitude = std::fabs(bias(0, i));
          for (Eigen::Index c = 0; c < cols; ++c) {
            const double term = static_cast<double>(from_bf16(R.row(i)[c])) * from_bf16(x.row(0)[c]);
            exact += term;
            magnitude += std::fabs(term);
          }
          ASSERT_LE(std::fabs(y[static_cast<std::size_t>(i)] - exact), (cols + 1) * std::ldexp(magnitude, -24))
              << "cols " << cols << " row " << i << " binary " << binary;
        }
      }
    }
  }
}

TEST(Bf16Rows, AxpyAddsTheRowsValuesExactlyOnce) {
  const Eigen::Index cols = 100;
  const Matrix M = random_matrix(3, cols, 5);
  const Bf16Rows R = rows_of(M);
  std::vector<float> acc(static_cast<std::size_t>(R.stride())), expected;
  for (std::size_t c = 0; c < acc.size(); ++c) acc[c] = 0.25f * static_cast<float>(c) - 3.0f;
  expected = acc;
  const float scale = 0.37f;
  bf16_row_axpy(R, 1, scale, acc.data());
  for (Eigen::Index c = 0; c < R.stride(); ++c) {
    const auto k = static_cast<std::size_t>(c);
    ASSERT_EQ(acc[k], std::fma(scale, from_bf16(R.row(1)[c]), expected[k])) << c;
  }
}

}  // namespace
}  // namespace rbmkit
