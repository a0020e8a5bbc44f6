// Mosaics (grid geometry, separators, scaling) and the PNG encoder, checked by decoding with
// libpng's own reader.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <png.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/pictures/mosaic.hpp"
#include "rbmkit/pictures/png.hpp"
#include "test_files.hpp"

namespace rbmkit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using test::error_of;

std::uint8_t at(const Image& img, std::size_t x, std::size_t y) { return img.gray.at(y * img.width + x); }

// Pixel (r, c) of tile k in a grid with `cols` columns of tile_w x tile_h tiles.
std::uint8_t tile_px(const Image& img, std::size_t cols, std::size_t tile_w, std::size_t tile_h, std::size_t k,
                     std::size_t r, std::size_t c) {
  return at(img, (k % cols) * (tile_w + 1) + 1 + c, (k / cols) * (tile_h + 1) + 1 + r);
}

// Every pixel on the lines x = i * (tile_w + 1) and y = j * (tile_h + 1) is a separator.
void expect_separators(const Image& img, std::size_t tile_w, std::size_t tile_h, std::uint8_t separator) {
  for (std::size_t y = 0; y < img.height; ++y)
    for (std::size_t x = 0; x < img.width; ++x)
      if (x % (tile_w + 1) == 0 || y % (tile_h + 1) == 0) {
        ASSERT_EQ(at(img, x, y), separator) << "(" << x << ", " << y << ")";
      }
}

Matrix weights(std::size_t d, std::size_t H, float scale) {
  Matrix W(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(H));
  for (Eigen::Index i = 0; i < W.rows(); ++i)
    for (Eigen::Index j = 0; j < W.cols(); ++j) W(i, j) = scale * std::sin(static_cast<float>(3 * i + 7 * j + 1));
  return W;
}

struct Decoded {
  png_uint_32 width = 0, height = 0, format = 0;
  std::vector<std::uint8_t> gray;
};

Decoded decode_png(const std::string& bytes) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  Decoded out;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    ADD_FAILURE() << "libpng cannot read the PNG: " << image.message;
    return out;
  }
  out.width = image.width;
  out.height = image.height;
  out.format = image.format;
  image.format = PNG_FORMAT_GRAY;
  out.gray.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.gray.data(), 0, nullptr)) ADD_FAILURE() << image.message;
  png_image_free(&image);
  return out;
}

// ---- weight mosaics ----

// Four units, 2 x 2 tiles in a 2 x 2 grid: 7 x 7 pixels.
TEST(Image, WeightMosaicScalesEachUnitSymmetricallyAroundZero) {
  Matrix W(4, 4);
  W.col(0) << 1.0f, -1.0f, 0.0f, 0.5f;
  W.col(1).setZero();
  W.col(2) << 2.0f, 1.0f, -0.5f, 0.0f;
  W.col(3) << -4.0f, -1.0f, 3.0f, 1e-3f;
  const Image img = weight_mosaic(W, 2, 2);
  ASSERT_EQ(img.width, 7u);
  ASSERT_EQ(img.height, 7u);
  ASSERT_EQ(img.gray.size(), 49u);
  expect_separators(img, 2, 2, kWeightSeparator);
  const std::vector<std::vector<int>> want{{255, 0, 128, 191}, {128, 128, 128, 128}, {255, 191, 96, 128}, {0, 96, 223, 128}};
  for (std::size_t k = 0; k < 4; ++k)
    for (std::size_t i = 0; i < 4; ++i)
      EXPECT_EQ(tile_px(img, 2, 2, 2, k, i / 2, i % 2), want[k][i]) << "unit " << k << " weight " << i;
}

TEST(Image, TilesAreLaidOutRowMajor) {
  Matrix W(6, 1);
  W.col(0) << -5, -3, -1, 1, 3, 5;  // tile_w 3, tile_h 2: top row -5 -3 -1, bottom row 1 3 5
  const Image img = weight_mosaic(W, 3, 2);
  ASSERT_EQ(img.width, 5u);
  ASSERT_EQ(img.height, 4u);
  EXPECT_EQ(at(img, 1, 1), 0);
  EXPECT_EQ(at(img, 3, 1), 102);
  EXPECT_EQ(at(img, 1, 2), 153);
  EXPECT_EQ(at(img, 3, 2), 255);
}

TEST(Image, HundredUnitsMakeATenByTenGridOf28x28Tiles) {
  const Image img = weight_mosaic(weights(784, 100, 0.01f), 28, 28);
  EXPECT_EQ(img.width, 291u);
  EXPECT_EQ(img.height, 291u);
  expect_separators(img, 28, 28, kWeightSeparator);
  for (std::size_t k = 0; k < 100; ++k) {
    bool has_extreme = false;
    for (std::size_t r = 0; r < 28; ++r)
      for (std::size_t c = 0; c < 28; ++c) has_extreme |= tile_px(img, 10, 28, 28, k, r, c) % 255 == 0;
    EXPECT_TRUE(has_extreme) << "tile " << k << " has neither 0 nor 255";
  }
}

TEST(Image, GridIsNearSquareAndUnusedCellsAreSeparatorColour) {
  const std::vector<std::array<std::size_t, 3>> cases{{1, 1, 1}, {2, 2, 1}, {3, 2, 2}, {5, 3, 2}, {10, 4, 3}, {101, 11, 10}};
  for (const auto& [H, cols, rows] : cases) {
    const Image img = weight_mosaic(weights(4, H, 1.0f), 2, 2);
    EXPECT_EQ(img.width, 3 * cols + 1) << H;
    EXPECT_EQ(img.height, 3 * rows + 1) << H;
  }
  const Image img = weight_mosaic(Matrix::Zero(4, 3), 2, 2);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(tile_px(img, 2, 2, 2, 2, i / 2, i % 2), 128);
    EXPECT_EQ(tile_px(img, 2, 2, 2, 3, i / 2, i % 2), kWeightSeparator);
  }
}

TEST(Image, TileThatDoesNotMatchDIsInvalidArgument) {
  EXPECT_THAT(error_of<InvalidArgument>([] { weight_mosaic(weights(784, 2, 1.0f), 27, 28); }),
              AllOf(HasSubstr("27 x 28"), HasSubstr("756"), HasSubstr("d = 784")));
  EXPECT_THROW(weight_mosaic(Matrix(4, 0), 2, 2), InvalidArgument);
  EXPECT_THROW(sample_mosaic(Matrix(0, 4), 2, 2), InvalidArgument);
  EXPECT_THROW(weight_mosaic(weights(4, 1, 1.0f), 0, 4), InvalidArgument);
  EXPECT_THROW(sample_mosaic(weights(1, 1, 1.0f), 1, 1, std::size_t{1} << 30), InvalidArgument);
}

TEST(Image, NonFiniteValuesAreDataErrors) {
  Matrix W = weights(4, 3, 1.0f);
  W(2, 1) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(error_of<DataError>([&] { weight_mosaic(W, 2, 2); }), HasSubstr("hidden unit 1"));
  Matrix X = Matrix::Constant(2, 4, 0.5f);
  X(1, 0) = std::numeric_limits<float>::infinity();
  EXPECT_THROW(sample_mosaic(X, 2, 2), DataError);
}

// ---- sample mosaics ----

TEST(Image, SampleMosaicMapsZeroOneToBlackWhiteAndClamps) {
  Matrix X(5, 4);
  X << 0, 1, 0.5f, 0.25f,  //
      1.2f, -0.1f, 0.002f, 0.998f,  //
      Eigen::RowVector4f::Zero(), Eigen::RowVector4f::Ones(), Eigen::RowVector4f::Constant(0.5f);
  const Image img = sample_mosaic(X, 2, 2);
  ASSERT_EQ(img.width, 10u);  // 5 samples: 3 columns, 2 rows
  ASSERT_EQ(img.height, 7u);
  expect_separators(img, 2, 2, kSampleSeparator);
  const std::vector<std::vector<int>> want{{0, 255, 128, 64}, {255, 0, 1, 254}, {0, 0, 0, 0}, {255, 255, 255, 255}, {128, 128, 128, 128}};
  for (std::size_t k = 0; k < 5; ++k)
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(tile_px(img, 3, 2, 2, k, i / 2, i % 2), want[k][i]) << k << " " << i;
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(tile_px(img, 3, 2, 2, 5, i / 2, i % 2), kSampleSeparator);
}

TEST(Image, SampleMosaicHonoursColumns) {
  const Matrix X = Matrix::Constant(5, 6, 1.0f);
  const Image row = sample_mosaic(X, 3, 2, 5);
  EXPECT_EQ(row.width, 5 * 4 + 1u);
  EXPECT_EQ(row.height, 3u + 1);
  const Image column = sample_mosaic(X, 6, 1, 1);
  EXPECT_EQ(column.width, 8u);
  EXPECT_EQ(column.height, 5 * 2 + 1u);
  expect_separators(column, 6, 1, kSampleSeparator);
}

// The separators differ from every colour a sample's background (0) and strokes (255) have, and
// from the weights' zero (mid grey).
TEST(Image, SeparatorsAreAGreyOfTheirOwn) {
  for (const std::uint8_t s : {kSampleSeparator, kWeightSeparator}) {
    EXPECT_NE(s, 0);
    EXPECT_NE(s, 255);
  }
  EXPECT_NE(kWeightSeparator, 128);
}

TEST(Image, DefaultTile) {
  using P = std::pair<std::size_t, std::size_t>;
  EXPECT_EQ(default_tile(784), P(28, 28));
  EXPECT_EQ(default_tile(64), P(8, 8));
  EXPECT_EQ(default_tile(1), P(1, 1));
  EXPECT_EQ(default_tile(10), P(10, 1));
  EXPECT_EQ(default_tile(783), P(783, 1));
  EXPECT_THROW(default_tile(0), InvalidArgument);
}

TEST(Image, UpscaleRepeatsEachPixel) {
  const Image img{2, 1, {10, 200}};
  const Image big = upscale(img, 3);
  ASSERT_EQ(big.width, 6u);
  ASSERT_EQ(big.height, 3u);
  for (std::size_t y = 0; y < 3; ++y)
    for (std::size_t x = 0; x < 6; ++x) EXPECT_EQ(at(big, x, y), x < 3 ? 10 : 200);
  EXPECT_EQ(upscale(img, 1).gray, img.gray);
  EXPECT_THROW(upscale(img, 0), InvalidArgument);
  EXPECT_THROW(upscale(Image{2, 2, {1}}, 2), InvalidArgument);
}

// ---- PNG ----

TEST(Png, EncodedGrayImageDecodesToTheSamePixels) {
  Image img{7, 5, std::vector<std::uint8_t>(35)};
  for (std::size_t i = 0; i < img.gray.size(); ++i) img.gray[i] = static_cast<std::uint8_t>(i * 37 % 256);
  const std::string png = encode_png(img);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  const Decoded d = decode_png(png);
  EXPECT_EQ(d.width, 7u);
  EXPECT_EQ(d.height, 5u);
  EXPECT_EQ(d.format, static_cast<png_uint_32>(PNG_FORMAT_GRAY));
  EXPECT_EQ(d.gray, img.gray);
}

TEST(Png, RejectsImagesWhoseSizeDoesNotMatch) {
  EXPECT_THROW(encode_png(Image{3, 3, std::vector<std::uint8_t>(8)}), InvalidArgument);
  EXPECT_THROW(encode_png(Image{0, 0, {}}), InvalidArgument);
}

using PngWrite = test::TempDirTest;

TEST_F(PngWrite, MosaicWrittenToAFileDecodesToTheMosaic) {
  const Image img = upscale(weight_mosaic(weights(784, 100, 0.05f), 28, 28), 2);
  write_png(path("filters.png"), img);
  const Decoded d = decode_png(read_file(path("filters.png")));
  EXPECT_EQ(d.width, 582u);
  EXPECT_EQ(d.height, 582u);
  EXPECT_EQ(d.gray, img.gray);
}

TEST_F(PngWrite, UnwritablePathIsIoError) {
  const Image img{1, 1, {0}};
  EXPECT_THROW(write_png(path("missing/dir/x.png"), img), IoError);
}

}  // namespace
}  // namespace rbmkit
