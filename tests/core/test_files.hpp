// Helpers shared by the core tests that touch files or check error messages: a fresh directory
// per test, writing and reading a file's bytes, and the message of an expected exception.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace rbmkit::test {

// Writes `bytes` to `path` exactly (binary mode); returns the path.
inline std::string write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}

// The bytes of the file at `path` (empty when it cannot be read).
inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The message of the E thrown by f; a test failure (and "") when f throws nothing. Any other
// exception propagates, which fails the test.
template <class E, class F>
std::string error_of(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception thrown";
  return "";
}

// Expects f to throw an E whose message contains `needle`.
template <class E, class F>
void expect_error(F&& f, const std::string& needle) {
  EXPECT_THAT(error_of<E>(std::forward<F>(f)), ::testing::HasSubstr(needle));
}

// Each test gets a fresh directory, $RBMKIT_TEST_TMP (or the system temp directory)
// /rbmkit-SUITE-TEST-PID, removed again after the test.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const char* base = std::getenv("RBMKIT_TEST_TMP");
    dir_ = std::filesystem::path(base && *base ? base : std::filesystem::temp_directory_path()) /
           (std::string("rbmkit-") + info->test_suite_name() + "-" + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // The path of `name` inside the test's directory.
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Writes `bytes` to `name` inside the test's directory; returns its path.
  std::string write(const std::string& name, std::string_view bytes) const { return write_bytes(dir_ / name, bytes); }

  std::filesystem::path dir_;
};

}  // namespace rbmkit::test
