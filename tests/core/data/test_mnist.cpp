#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/mnist.hpp"
#include "rbmkit/error.hpp"
#include "test_files.hpp"

namespace rbmkit {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using test::error_of;

constexpr const char* train_images_sha256 = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db";

class MnistFiles : public test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_ / "from");
    fs::create_directories(dir_ / "cache");
  }
  std::string from() const { return path("from"); }
  std::string cache() const { return path("cache"); }
};

using Mnist = MnistFiles;
using MnistIntegration = MnistFiles;

// Sets an environment variable for the scope, restoring its old value afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? ::setenv(name, value, 1) : ::unsetenv(name);
  }
  ~ScopedEnv() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(Sha, KnownVectors) {
  // FIPS 180-2 appendix B test vectors.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_F(Mnist, CacheDirectoryFollowsTheEnvironment) {
  ScopedEnv data("RBMKIT_DATA", "/data/rbm"), xdg("XDG_CACHE_HOME", "/xdg"), home("HOME", "/home/u");
  EXPECT_EQ(default_cache_dir(), "/data/rbm");
  {
    ScopedEnv unset("RBMKIT_DATA", "");
    EXPECT_EQ(default_cache_dir(), "/xdg/rbmkit");
    ScopedEnv unset_xdg("XDG_CACHE_HOME", nullptr);
    EXPECT_EQ(default_cache_dir(), "/home/u/.cache/rbmkit");
    ScopedEnv unset_home("HOME", nullptr);
    EXPECT_THAT(error_of<IoError>([] { default_cache_dir(); }), HasSubstr("RBMKIT_DATA"));
  }
}

TEST_F(Mnist, FetchRefusesAFileWithTheWrongHash) {
  write("from/train-images-idx3-ubyte", "not mnist");
  EXPECT_THAT(error_of<FormatError>([&] { fetch_mnist(cache(), from()); }),
              AllOf(HasSubstr("train-images-idx3-ubyte"), HasSubstr("SHA-256 mismatch"),
                    HasSubstr(std::string("expected ") + train_images_sha256),
                    HasSubstr("actual " + sha256_hex("not mnist"))));
  EXPECT_TRUE(fs::is_empty(cache())) << "nothing may be written before every file is verified";
}

TEST_F(Mnist, FetchVerifiesTheDecompressedContentOfGzFiles) {
  const std::string gz = path("from/train-images-idx3-ubyte.gz");
  gzFile f = gzopen(gz.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzputs(f, "fake images");
  gzclose(f);
  EXPECT_THAT(error_of<FormatError>([&] { fetch_mnist(cache(), from()); }),
              AllOf(HasSubstr(gz), HasSubstr("actual " + sha256_hex("fake images"))));
}

TEST_F(Mnist, FetchNamesAFileMissingFromTheSource) {
  EXPECT_THAT(error_of<IoError>([&] { fetch_mnist(cache(), from()); }),
              HasSubstr(path("from/train-images-idx3-ubyte")));
}

TEST_F(Mnist, LoadNeedsTheFiles) {
  EXPECT_FALSE(mnist_files_present(cache()));
  EXPECT_THAT(error_of<IoError>([&] { load_mnist("train", {}, cache()); }),
              AllOf(HasSubstr("train-images-idx3-ubyte"), HasSubstr("missing")));
}

TEST_F(Mnist, LoadRefusesACorruptCachedFile) {
  write("cache/t10k-images-idx3-ubyte", "corrupt");
  EXPECT_THAT(error_of<FormatError>([&] { load_mnist("test", {}, cache()); }),
              AllOf(HasSubstr("t10k-images-idx3-ubyte"), HasSubstr("SHA-256 mismatch"), HasSubstr("fetch MNIST again")));
}

TEST_F(Mnist, LoadValidatesSplitAndDigits) {
  EXPECT_THAT(error_of<InvalidArgument>([&] { load_mnist("validation", {}, cache()); }),
              AllOf(HasSubstr("'validation'"), HasSubstr("train, test or all")));
  EXPECT_THAT(error_of<InvalidArgument>([&] { load_mnist("train", {3, 10}, cache()); }), HasSubstr("digit 10"));
}

// Uses the real files when they are already in the cache ($RBMKIT_DATA or the default).
std::optional<std::string> cached_mnist_dir() {
  try {
    const std::string d = default_cache_dir();
    if (mnist_files_present(d)) return d;
  } catch (const Error&) {
  }
  return std::nullopt;
}

TEST_F(MnistIntegration, DigitCountsMatchTheKnownTotals) {
  const auto d = cached_mnist_dir();
  if (!d) GTEST_SKIP() << "MNIST is not in the cache; fetch it to run this test";
  EXPECT_EQ(load_mnist("all", {3}, *d).rows(), 7141u);
  EXPECT_EQ(load_mnist("train", {3}, *d).rows(), 6131u);
  EXPECT_EQ(load_mnist("test", {3}, *d).rows(), 1010u);
  const Dataset all = load_mnist("all", {}, *d);
  EXPECT_EQ(all.rows(), 70000u);
  ASSERT_EQ(all.cols(), 784u);
  EXPECT_EQ(all.image_width, 28u);
  EXPECT_EQ(all.image_height, 28u);
  ASSERT_TRUE(all.byte_backed());
  EXPECT_EQ(all.byte_scale(), 1.0f);
  EXPECT_EQ(*std::max_element(all.bytes().begin(), all.bytes().end()), 255);
}

TEST_F(MnistIntegration, DigitSelectionKeepsFileOrder) {
  const auto d = cached_mnist_dir();
  if (!d) GTEST_SKIP() << "MNIST is not in the cache; fetch it to run this test";
  const Dataset test = load_mnist("test", {}, *d);
  const Dataset all38 = load_mnist("all", {3, 8}, *d);
  const Dataset test38 = load_mnist("test", {3, 8}, *d);
  // The test examples come after the training ones; the last one kept is the same image.
  const std::size_t n = all38.rows(), m = test38.rows();
  ASSERT_GT(m, 0u);
  EXPECT_TRUE(std::equal(test38.bytes().end() - 784, test38.bytes().end(), all38.bytes().begin() + (n - 1) * 784));
  EXPECT_LT(m, test.rows());
}

TEST_F(MnistIntegration, LoadDataThresholdsByDefault) {
  const auto d = cached_mnist_dir();
  if (!d) GTEST_SKIP() << "MNIST is not in the cache; fetch it to run this test";
  const Dataset x = load_data("mnist:train:3", Binarization{}, DataOptions{*d, false, {}});
  EXPECT_EQ(x.rows(), 6131u);
  EXPECT_TRUE(x.binary());
  EXPECT_EQ(x.image_width, 28u);
}

TEST_F(MnistIntegration, FetchFromALocalCopyWritesVerifiedFilesOnce) {
  const auto d = cached_mnist_dir();
  if (!d) GTEST_SKIP() << "MNIST is not in the cache; fetch it to run this test";
  fetch_mnist(cache(), *d);
  EXPECT_TRUE(mnist_files_present(cache()));
  const auto stamp = fs::last_write_time(dir_ / "cache" / "train-labels-idx1-ubyte");
  fetch_mnist(cache(), from());  // already present: the empty source is not consulted
  EXPECT_EQ(fs::last_write_time(dir_ / "cache" / "train-labels-idx1-ubyte"), stamp);
  EXPECT_EQ(load_mnist("test", {3}, cache()).rows(), 1010u);
}

}  // namespace
}  // namespace rbmkit
