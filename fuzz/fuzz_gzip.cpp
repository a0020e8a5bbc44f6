// libFuzzer target: read_decompressed (loaders.hpp), the gzip reader in front of every data
// loader, over arbitrary file contents. The bytes go to an in-memory file (memfd) so that the
// real entry point runs, with a 1 MiB limit on the decompressed size. Accepted output must
// respect the limit.
// Any rbmkit::Error is a refusal and fine; anything else is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = std::size_t{1} << 20;
  static const int fd = ::memfd_create("fuzz_gzip", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (fd < 0 || ::ftruncate(fd, 0) != 0 || ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
  try {
    const std::string out = rbmkit::read_decompressed(path, kLimit);
    if (out.size() > kLimit) std::abort();
  } catch (const rbmkit::Error&) {
  }
  return 0;
}
