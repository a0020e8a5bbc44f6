// Dataset storage: owned bytes and floats, and views of memory others own (numpy arrays), which
// read the same values, copy nothing and keep their owner alive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

TEST(Dataset, ViewsReadTheirOwnersMemory) {
  auto doubles = std::make_shared<std::vector<double>>(std::vector<double>{0.0, 0.25, 1.0, 0.5, 0.75, 0.125});
  auto floats = std::make_shared<std::vector<float>>(doubles->begin(), doubles->end());
  auto bytes = std::make_shared<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{0, 64, 255, 128, 192, 32});
  const Dataset d = Dataset::view_doubles(2, 3, doubles->data(), doubles);
  const Dataset f = Dataset::view_floats(2, 3, floats->data(), floats);
  const Dataset b = Dataset::view_bytes(2, 3, bytes->data(), 1.0f / 256.0f, bytes);
  EXPECT_EQ(d.storage(), Storage::Doubles);
  EXPECT_EQ(f.storage(), Storage::Floats);
  EXPECT_EQ(b.storage(), Storage::Bytes);
  EXPECT_EQ(f.floats().data(), floats->data());  // no copy
  EXPECT_EQ(b.bytes().data(), bytes->data());
  EXPECT_TRUE(d.floats().empty());
  const Matrix expected = to_matrix(f);
  EXPECT_EQ(to_matrix(d), expected);
  EXPECT_FLOAT_EQ(d.value(1, 2), 0.125f);
  EXPECT_FLOAT_EQ(b.value(0, 2), 255.0f / 256.0f);
  EXPECT_FALSE(d.binary());
  // Copies share the memory and keep it alive after the owner's last other reference goes.
  const Dataset copy = d;
  doubles.reset();
  EXPECT_EQ(to_matrix(copy), expected);
  // Selected rows are owned (doubles become floats).
  const Dataset picked = copy.select_rows({1});
  EXPECT_EQ(picked.storage(), Storage::Floats);
  EXPECT_FLOAT_EQ(picked.value(0, 0), 0.5f);
}

TEST(Dataset, BinaryIsKnownForEveryStorage) {
  auto zeros_ones = std::make_shared<std::vector<double>>(std::vector<double>{0, 1, 1, 0});
  EXPECT_TRUE(Dataset::view_doubles(2, 2, zeros_ones->data(), zeros_ones).binary());
  auto bools = std::make_shared<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{1, 0, 0, 1});
  EXPECT_TRUE(Dataset::view_bytes(2, 2, bools->data(), 1.0f, bools).binary());
  // Binary floats are stored as bytes.
  const Dataset owned = Dataset::from_floats(2, 2, {0, 1, 1, 1});
  EXPECT_TRUE(owned.binary());
  EXPECT_TRUE(owned.byte_backed());
  EXPECT_THAT(owned.bytes(), testing::ElementsAre(0, 1, 1, 1));
}

TEST(Dataset, SizesMustAgree) {
  EXPECT_THROW(Dataset::from_bytes(2, 2, {1, 2, 3}), InvalidArgument);
  EXPECT_THROW(Dataset::view_floats(2, 2, nullptr, nullptr), InvalidArgument);
  EXPECT_NO_THROW(Dataset::view_floats(0, 2, nullptr, nullptr));
}

}  // namespace
}  // namespace rbmkit
