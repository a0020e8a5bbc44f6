// add_sparse_outer (M += alpha A^T Y, A mostly zero) against the plain dense product, over a
// table of shapes: odd widths around the 64-column blocks, batch 1, empty and dense A.
#include <gtest/gtest.h>

#include <cmath>

#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/sparse_product.hpp"

namespace rbmkit {
namespace {

Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, double density, bool binary, std::uint64_t seed) {
  Matrix X(rows, cols);
  RandomStream rng(seed, 0);
  for (Eigen::Index i = 0; i < X.size(); ++i) {
    const double u = rng.uniform_double(), v = rng.uniform_double();
    X.data()[i] = u < density ? (binary ? 1.0f : static_cast<float>(2 * v - 1)) : 0.0f;
  }
  return X;
}

TEST(SparseOuter, EqualsTheDenseProductOverATableOfShapes) {
  struct Shape { Eigen::Index B, n, k; double density; bool binary; };
  const Shape shapes[] = {{1, 784, 100, 0.14, true},   {5, 33, 1, 0.3, true},     {100, 784, 500, 0.14, true},
                          {100, 50, 64, 0.14, false},  {7, 20, 65, 0.2, true},    {64, 19, 127, 0.05, false},
                          {30, 40, 17, 0.0, true},     {20, 30, 200, 0.9, false}, {300, 12, 129, 0.35, true}};
  std::uint64_t seed = 1;
  for (const Shape& s : shapes) {
    const Matrix A = random_matrix(s.B, s.n, s.density, s.binary, seed++);
    const Matrix Y = random_matrix(s.B, s.k, 1.0, false, seed++);
    const Matrix M0 = random_matrix(s.n, s.k, 1.0, false, seed++);
    const float alpha = -0.37f;
    Matrix expected = M0;
    expected.noalias() += alpha * (A.transpose() * Y);
    Matrix got = M0;
    add_sparse_outer(got, A, Y, alpha);
    // Each entry sums at most B products of magnitude <= 1 in a different order than the GEMM:
    // the two float results differ by at most about 2 B eps |alpha| (plus rounding of M).
    const float tol = 2.0f * static_cast<float>(s.B) * 1.2e-7f * std::fabs(alpha) + 4e-7f;
    EXPECT_LE((got - expected).cwiseAbs().maxCoeff(), tol) << s.B << "x" << s.n << " k " << s.k;
  }
}

TEST(SparseOuter, ResultDoesNotDependOnTheThreadCount) {
  const Matrix A = random_matrix(100, 784, 0.14, true, 7), Y = random_matrix(100, 500, 1.0, false, 8);
  Matrix one = random_matrix(784, 500, 1.0, false, 9), two = one;
// Inside a one-thread parallel region the kernel's own region is nested, so it runs on one
  // thread.
#pragma omp parallel num_threads(1)
  { add_sparse_outer(one, A, Y, 0.01f); }
  add_sparse_outer(two, A, Y, 0.01f);
  EXPECT_EQ(one, two);
}

// sparse_times splits its rows between the threads; each row is summed the same way, so the
// bits do not depend on the thread count.
TEST(SparseOuter, SparseTimesDoesNotDependOnTheThreadCount) {
  const Matrix A = random_matrix(100, 784, 0.14, true, 10), M = random_matrix(784, 500, 1.0, false, 11);
  Matrix one, two;
#pragma omp parallel num_threads(1)
  { sparse_times(A, M, one); }
  sparse_times(A, M, two);
  EXPECT_EQ(one, two);
  EXPECT_TRUE(two.isApprox(A * M, 1e-5f));
}

#ifndef NDEBUG
// Debug and sanitizer builds check the shapes at the kernels' entry points (rbmkit/asserts.hpp).
TEST(KernelShapesDeathTest, MismatchedShapesStopDebugBuilds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Matrix A = Matrix::Zero(2, 3), M = Matrix::Zero(4, 5), out;
  EXPECT_DEATH(sparse_times(A, M, out), "sparse_times: A \\(B, n\\) times M \\(n, k\\)");
  Matrix W = Matrix::Zero(3, 5), Y = Matrix::Zero(7, 5);
  EXPECT_DEATH(add_sparse_outer(W, A, Y, 1.0f), "add_sparse_outer");
}
#endif

}  // namespace
}  // namespace rbmkit
