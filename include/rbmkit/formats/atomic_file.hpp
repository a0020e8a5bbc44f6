// Atomic file replacement: write to a temporary file in the target's directory, fsync it,
// rename it over the target, fsync the directory. Readers see either the old complete file
// or the new complete file, never a partial one; a failed write leaves the target untouched.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rbmkit {

// Writes `data` to `path` atomically. Throws IoError naming the path on any failure.
void write_file_atomic(const std::string& path, std::string_view data);

// Reads a whole file; throws IoError naming the path when it cannot be read, and
// FormatError when it is larger than max_bytes.
std::string read_file(const std::string& path, std::size_t max_bytes = std::size_t{1} << 34);

}  // namespace rbmkit
