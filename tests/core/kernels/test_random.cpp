#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "rbmkit/kernels/random.hpp"

#include <Random123/philox.h>

namespace rbmkit {
namespace {

TEST(Random, SameSeedAndStreamGiveTheSameNumbers) {
  RandomStream a(42, 7), b(42, 7), c(43, 7), d(42, 8);
  std::vector<float> x(100), y(100), z(100), w(100);
  a.uniform(x.data(), 100);
  b.uniform(y.data(), 100);
  c.uniform(z.data(), 100);
  d.uniform(w.data(), 100);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
  EXPECT_NE(x, w);
}

TEST(Random, StartingAtABlockSkipsTheBlocksBefore) {
  RandomStream a(1, 2), b(1, 2, 5);
  std::vector<float> x(40), y(20);
  a.uniform(x.data(), 40);  // 10 blocks
  b.uniform(y.data(), 20);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(x[static_cast<std::size_t>(20 + i)], y[static_cast<std::size_t>(i)]);
  EXPECT_EQ(a.block(), 10u);
  EXPECT_EQ(b.block(), 10u);
}

TEST(Random, UniformMomentsMatchWithinFiveStandardErrors) {
  const std::size_t n = 1 << 20;
  std::vector<float> u(n);
  RandomStream(3, 0).uniform(u.data(), n);
  double s = 0, s2 = 0;
  for (float x : u) {
    ASSERT_GE(x, 0.0f);
    ASSERT_LT(x, 1.0f);
    s += x;
    s2 += x * x;
  }
  // Var(u) = 1/12, Var(u^2) = 1/5 - 1/9.
  EXPECT_NEAR(s / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(s2 / n, 1.0 / 3, 5 * std::sqrt((1.0 / 5 - 1.0 / 9) / n));
}

TEST(Random, NormalMomentsMatchWithinFiveStandardErrors) {
  RandomStream r(9, 1);
  const int n = 200000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    s += x;
    s2 += x * x;
  }
  EXPECT_NEAR(s / n, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(s2 / n, 1.0, 5 * std::sqrt(2.0 / n));  // Var(x^2) = 2
}

TEST(Random, BelowIsUniformByChiSquare) {
  RandomStream r(5, 5);
  const int k = 7, n = 70000;
  std::vector<int> counts(k, 0);
  for (int i = 0; i < n; ++i) {
    const auto x = r.below(k);
    ASSERT_LT(x, static_cast<std::uint64_t>(k));
    ++counts[x];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / k) * (c - n / k) / double(n / k);
  EXPECT_LT(chi2, 22.46);  // chi-square 6 dof, p = 0.001
  EXPECT_EQ(r.below(1), 0u);
}

}  // namespace
}  // namespace rbmkit

namespace rbmkit {
namespace {

// The vectorised uniform() equals Random123's scalar Philox4x32-10 word for word, across a
// block counter that crosses 2^32 and for lengths that are not multiples of 4 or 64.
TEST(Random, UniformEqualsRandom123Reference) {
  using Philox = r123::Philox4x32_R<10>;
  const std::uint64_t seed = 0x0123456789abcdefULL, stream = 0xfedcba9876543210ULL;
  for (std::uint64_t first : {std::uint64_t{0}, (std::uint64_t{1} << 32) - 7}) {
    for (std::size_t n : {1, 3, 4, 63, 64, 65, 785}) {
      std::vector<float> got(n);
      RandomStream(seed, stream, first).uniform(got.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t block = first + i / 4;
        const Philox::ctr_type c = {{static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
                                     static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)}};
        const Philox::key_type k = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
        const std::uint32_t word = Philox()(c, k).v[i % 4];
        ASSERT_EQ(got[i], static_cast<float>(word >> 8) / 16777216.0f) << "n " << n << " i " << i;
      }
    }
  }
}

}  // namespace
}  // namespace rbmkit
