#include "rbmkit/formats/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

void write_file_atomic(const std::string& path, std::string_view data) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw IoError("cannot create a temporary file in " + dir.string() + ": " + errno_text());
  const auto fail = [&](const std::string& what) {
    const std::string msg = what + " " + tmpl + ": " + errno_text();
    ::close(fd);
    ::unlink(tmpl.c_str());
    throw IoError(msg);
  };
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0) fail("cannot set permissions of");
  if (::fsync(fd) != 0) fail("cannot sync");
  if (::close(fd) != 0) {
    const std::string msg = "cannot close " + tmpl + ": " + errno_text();
    ::unlink(tmpl.c_str());
    throw IoError(msg);
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    const std::string msg = "cannot rename " + tmpl + " to " + path + ": " + errno_text();
    ::unlink(tmpl.c_str());
    throw IoError(msg);
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::string read_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw IoError(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open " + path + ": " + errno_text());
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw IoError("cannot read " + path);
  if (static_cast<std::size_t>(size) > max_bytes)
    throw FormatError(path + ": file is " + std::to_string(size) + " bytes, more than the limit of " +
                      std::to_string(max_bytes));
  in.seekg(0);
  std::string out(static_cast<std::size_t>(size), '\0');
  if (size > 0 && !in.read(out.data(), size)) throw IoError("cannot read " + path);
  return out;
}

}  // namespace rbmkit
