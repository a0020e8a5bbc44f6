#include <png.h>

#include <csetjmp>
#include <new>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"
#include "rbmkit/pictures/mosaic.hpp"
#include "rbmkit/pictures/png.hpp"

namespace rbmkit {
namespace {

// Owns libpng's write structures and collects the encoded bytes and any error message.
// libpng reports errors by longjmp; no object with a destructor lives between its frames and
// the setjmp in encode_png, and our callbacks never let an exception escape into libpng.
class PngWriter {
 public:
  PngWriter() {
    png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, this, on_error, on_warning);
    if (png_ != nullptr) info_ = png_create_info_struct(png_);
    if (png_ == nullptr || info_ == nullptr) {
      png_destroy_write_struct(&png_, &info_);
      throw IoError("libpng: cannot create the PNG writer");
    }
    png_set_write_fn(png_, this, on_write, nullptr);
  }
  ~PngWriter() { png_destroy_write_struct(&png_, &info_); }
  PngWriter(const PngWriter&) = delete;
  PngWriter& operator=(const PngWriter&) = delete;

  png_structp png() const { return png_; }
  png_infop info() const { return info_; }
  std::string& bytes() { return bytes_; }
  const std::string& error() const { return error_; }

 private:
  static PngWriter& self(png_structp p) { return *static_cast<PngWriter*>(png_get_io_ptr(p)); }

  static void on_write(png_structp p, png_bytep data, png_size_t n) {
    bool ok = true;
    try {
      self(p).bytes_.append(reinterpret_cast<const char*>(data), n);
    } catch (const std::bad_alloc&) {
      ok = false;
    }
    if (!ok) png_error(p, "out of memory");
  }
  static void on_error(png_structp p, png_const_charp msg) {
    static_cast<PngWriter*>(png_get_error_ptr(p))->error_ = msg;
    png_longjmp(p, 1);
  }
  static void on_warning(png_structp, png_const_charp) {}

  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
  std::string bytes_;
  std::string error_;
};

void check_image(const Image& img) {
  if (img.width == 0 || img.height == 0 || img.width > kMaxImagePixels || img.height > kMaxImagePixels)
    throw InvalidArgument("cannot encode a " + std::to_string(img.width) + " x " + std::to_string(img.height) + " image as PNG");
  if (img.gray.size() != img.width * img.height)
    throw InvalidArgument("image has " + std::to_string(img.gray.size()) + " pixels but is " + std::to_string(img.width) +
                          " x " + std::to_string(img.height));
}

}  // namespace

std::string encode_png(const Image& img) {
  check_image(img);
  std::vector<png_bytep> rows(img.height);
  for (std::size_t y = 0; y < img.height; ++y) rows[y] = const_cast<png_bytep>(img.gray.data() + y * img.width);
  PngWriter w;
  if (setjmp(png_jmpbuf(w.png()))) throw IoError("libpng: cannot encode the image: " + w.error());
  png_set_IHDR(w.png(), w.info(), static_cast<png_uint_32>(img.width), static_cast<png_uint_32>(img.height), 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(w.png(), w.info());
  png_write_image(w.png(), rows.data());
  png_write_end(w.png(), nullptr);
  return std::move(w.bytes());
}

void write_png(const std::string& path, const Image& img) { write_file_atomic(path, encode_png(img)); }

}  // namespace rbmkit
