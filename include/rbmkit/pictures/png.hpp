// PNG files of 8-bit grayscale images (mosaic.hpp), encoded with libpng.
#pragma once

#include <string>

#include "rbmkit/pictures/mosaic.hpp"

namespace rbmkit {

// The image as PNG bytes (8-bit grayscale, no interlacing, zlib's default compression).
// Throws InvalidArgument for an empty image or one whose pixel count does not match its size;
// IoError when libpng fails.
std::string encode_png(const Image& img);

// encode_png, then write_file_atomic: a failed write leaves `path` untouched. Throws as
// encode_png, and IoError naming the path when it cannot be written.
void write_png(const std::string& path, const Image& img);

}  // namespace rbmkit
