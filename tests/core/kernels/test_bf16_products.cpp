// bf16 products (kernels/bf16_products.hpp) against fp32 and double references, with the error
// bound of bf16 rounding derived in the header: each operand has relative error <= 2^-9, so a
// product sum_k a_k b_k is off by at most (2^-8 + 2^-16) sum_k |a_k b_k|, plus fp32 summation
// (K 2^-24 of the same sum).
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <limits>
#include <vector>

#include "rbmkit/kernels/bf16_products.hpp"
#include "rbmkit/kernels/threads.hpp"
#include "rbmkit/kernels/random.hpp"

namespace rbmkit {
namespace {

Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, bool binary) {
  RandomStream rng(seed, 0);
  Matrix M(rows, cols);
  for (Eigen::Index i = 0; i < M.size(); ++i) {
    const double u = rng.uniform_double();
    M.data()[i] = binary ? (u < 0.3 ? 1.0f : 0.0f) : static_cast<float>(4.0 * u - 2.0);
  }
  return M;
}

// |C - A B| <= bound (A B with |.|) for every entry, in double.
void expect_within_bf16_bound(const Matrix& A, const Matrix& B, const Matrix& C, const Vector* bias) {
  const Eigen::MatrixXd Ad = A.cast<double>(), Bd = B.cast<double>();
  Eigen::MatrixXd exact = Ad * Bd;
  if (bias) exact.rowwise() += bias->cast<double>().transpose();
  const Eigen::MatrixXd magnitude = Ad.cwiseAbs() * Bd.cwiseAbs();
  const double unit = std::ldexp(1.0, -8) + std::ldexp(1.0, -16) + static_cast<double>(A.cols()) * std::ldexp(1.0, -24);
  for (Eigen::Index i = 0; i < C.rows(); ++i)
    for (Eigen::Index j = 0; j < C.cols(); ++j)
      ASSERT_LE(std::fabs(C(i, j) - exact(i, j)), unit * magnitude(i, j) + 1e-6 * std::fabs(exact(i, j)) + 1e-30)
          << "(" << i << ", " << j << ")";
}

TEST(Bf16, RoundsToNearestEven) {
  for (const float x : {0.0f, 1.0f, -1.0f, 2.0f, 3.0f, 255.0f, 0.5f}) EXPECT_EQ(from_bf16(to_bf16(x)), x);
  EXPECT_EQ(from_bf16(to_bf16(1.0f + std::ldexp(1.0f, -8))), 1.0f);  // a tie, to even
  EXPECT_EQ(from_bf16(to_bf16(1.0f + 3 * std::ldexp(1.0f, -8))), 1.0f + std::ldexp(1.0f, -6));
  EXPECT_EQ(from_bf16(to_bf16(1.0f + std::ldexp(1.0f, -7) + std::ldexp(1.0f, -12))), 1.0f + std::ldexp(1.0f, -7));
  EXPECT_TRUE(std::isnan(from_bf16(to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(from_bf16(to_bf16(std::numeric_limits<float>::infinity())), std::numeric_limits<float>::infinity());
  // The vectorised conversion agrees with the scalar one, tails included.
  const Matrix x = random_matrix(1, 77, 3, false);
  std::vector<std::uint16_t> v(77);
  to_bf16(x.data(), v.data(), v.size());
  for (int i = 0; i < 77; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], to_bf16(x(0, i)));
}

TEST(Bf16, ProductsAreWithinTheRoundingBound) {
  const Matrix W = random_matrix(96, 40, 1, false);
  const Vector bias = random_matrix(1, 40, 2, false).row(0).transpose();
  Bf16Weights up, down;
  up.assign(W, false);
  down.assign(W, true);
  EXPECT_EQ(up.rows(), 96);
  EXPECT_EQ(down.rows(), 40);
  for (const Eigen::Index M : {1, 3, 64, 100}) {
    const Matrix V = random_matrix(M, 96, 10 + M, true);
    Matrix C;
    up.multiply(V, C, &bias);
    expect_within_bf16_bound(V, W, C, &bias);
    const Matrix S = random_matrix(M, 40, 20 + M, false);
    down.multiply(S, C);
    expect_within_bf16_bound(S, W.transpose(), C, nullptr);
  }
  // Binary states times weights that are bf16 already: exact up to fp32 summation.
  Matrix Wq = W;
  for (Eigen::Index i = 0; i < Wq.size(); ++i) Wq.data()[i] = from_bf16(to_bf16(Wq.data()[i]));
  up.assign(Wq, false);
  const Matrix V = random_matrix(5, 96, 7, true);
  Matrix C;
  up.multiply(V, C);
  EXPECT_LT((C - V * Wq).cwiseAbs().maxCoeff(), 1e-5f);
}

// An input of at least 2^15 entries is converted to bf16 by every thread, a share of whole
// 64-byte lines each; the shares (with an odd total, so the last one is partial) cover the input:
// after a product of another input of the same size has filled the buffer, the product is within
// the bound, and it has the bits of the product on one thread.
TEST(Bf16, LargeInputsConvertedOnSeveralThreadsGiveTheSameProducts) {
  const Matrix W = random_matrix(101, 24, 4, false);
  Bf16Weights up;
  up.assign(W, false);
  const Matrix V = random_matrix(333, 101, 5, false);  // 33,633 entries
  const Matrix other = random_matrix(333, 101, 6, false);
  Matrix one, two;
  {
    const ScopedThreads threads(2);
    up.multiply(other, two);
    up.multiply(V, two);
  }
  expect_within_bf16_bound(V, W, two, nullptr);
  {
    const ScopedThreads threads(1);
    up.multiply(V, one);
  }
  EXPECT_EQ(one, two);
}

// W^T packed from W (transposing in registers, 16 rows at a time, scalar tails) and packed from
// W^T itself (row pairs) are the same bits, so their products agree exactly: for shapes with
// full and partial 32 x 64 blocks and column groups of 16.
TEST(Bf16, TransposedPackingEqualsPackingTheTranspose) {
  for (const auto& [rows, cols] : {std::pair<Eigen::Index, Eigen::Index>{96, 64}, {70, 50}, {784, 100}, {33, 17}}) {
    const Matrix W = random_matrix(rows, cols, 40 + rows, false);
    const Matrix Wt = W.transpose();
    Bf16Weights from_w, from_wt;
    from_w.assign(W, true);
    from_wt.assign(Wt, false);
    const Matrix S = random_matrix(9, cols, 50 + cols, false);
    Matrix C1, C2;
    from_w.multiply(S, C1);
    from_wt.multiply(S, C2);
    EXPECT_EQ(C1, C2) << rows << " x " << cols;
    expect_within_bf16_bound(S, Wt, C1, nullptr);
  }
}

// n = 200 rows on two threads: each adds to its own block of rows (0-127 and 128-199).
TEST(Bf16, OuterProductUpdateIsWithinTheRoundingBound) {
  for (const Eigen::Index n : {50, 200}) {
    const Matrix V1 = random_matrix(20, n, 4, true), V2 = random_matrix(20, n, 5, true);
    const Matrix H1 = random_matrix(20, 30, 6, false), H2 = random_matrix(20, 30, 7, false);
    Matrix M = random_matrix(n, 30, 8, false);
    const Matrix before = M;
    {
      const ScopedThreads two(2);
      bf16_add_outer(M, {{&V1, &H1, 0.05f}, {&V2, &H2, -0.05f}});
    }
    Matrix A(40, n), Y(40, 30);
    A << V1, V2;
    Y << 0.05f * H1, -0.05f * H2;
    expect_within_bf16_bound(A.transpose(), Y, M - before, nullptr);
  }
}

// The update converting W in its own pass (each thread its own rows) leaves both copies equal to
// fresh conversions of the updated W: the same products, bit for bit, on 1 to 3 threads, for row
// counts that end inside a block and a column count (70) that ends inside one too.
TEST(Bf16, OuterProductUpdateRefreshesTheWeightsAsAssignDoes) {
  for (const Eigen::Index n : {50, 200, 300})
    for (const int threads : {1, 2, 3}) {
      const Matrix V1 = random_matrix(20, n, 4, true), V2 = random_matrix(20, n, 5, true);
      const Matrix H1 = random_matrix(20, 70, 6, true), H2 = random_matrix(20, 70, 7, true);
      Matrix M = random_matrix(n, 70, 8, false);
      Bf16Weights up, down;
      up.assign(M, false);
      down.assign(M, true);
      {
        const ScopedThreads team(threads);
        bf16_add_outer(M, {{&V1, &H1, 0.05f}, {&V2, &H2, -0.05f}}, {&up, &down});
      }
      Bf16Weights fresh_up, fresh_down;
      fresh_up.assign(M, false);
      fresh_down.assign(M, true);
      Matrix C, fresh;
      up.multiply(V1, C);
      fresh_up.multiply(V1, fresh);
      EXPECT_EQ(C, fresh) << n << " rows, " << threads << " threads (W)";
      down.multiply(H1, C);
      fresh_down.multiply(H1, fresh);
      EXPECT_EQ(C, fresh) << n << " rows, " << threads << " threads (W^T)";
    }
}

TEST(Bf16, ConcurrentProductsEqualSerialOnes) {
  const Matrix W = random_matrix(64, 48, 9, false);
  Bf16Weights up;
  up.assign(W, false);
  std::vector<Matrix> inputs, serial(8), parallel(8);
  for (int t = 0; t < 8; ++t) inputs.push_back(random_matrix(7 + t, 64, 30 + t, true));
  for (int t = 0; t < 8; ++t) up.multiply(inputs[t], serial[t]);
#pragma omp parallel for num_threads(4)
  for (int t = 0; t < 8; ++t) up.multiply(inputs[t], parallel[t]);
  for (int t = 0; t < 8; ++t) EXPECT_EQ(parallel[t], serial[t]);
}

}  // namespace
}  // namespace rbmkit
