// numpy's .npz container: a zip archive (PKWARE APPNOTE.TXT, section 4) whose members are
// NAME.npy files (see npy.hpp), as written by numpy.savez and numpy.savez_compressed.
//
// The writer produces a plain zip (no zip64): local headers, members stored (method 0) or
// deflated (method 8), CRC-32 from zlib, the central directory and the end record. The reader
// trusts nothing: it finds the end record, checks every offset and size against the file size
// before use, takes sizes, method and CRC from the central directory (numpy's zip64 local
// headers and data descriptors are therefore fine), checks each local header against its
// central entry, inflates with a cap equal to the declared size, verifies the CRC and then
// decodes each member with decode_npy. Anything malformed is a FormatError naming the file and
// the problem (with byte offsets where they help).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rbmkit/formats/npy.hpp"

namespace rbmkit {

// One member of a .npz: `name` without the ".npy" suffix (numpy's key), and its array.
struct NpzMember {
  std::string name;
  NpyArray array;
};

enum class NpzCompression { Stored, Deflate };

// Encodes `members` as .npz bytes, in the given order. Throws InvalidArgument for an empty or
// duplicate name, for a name longer than 65531 bytes, or when the archive would need zip64
// (more than 65535 members, or an archive or member of 4 GiB or more; the message gives the size).
std::string encode_npz(const std::vector<NpzMember>& members, NpzCompression compression = NpzCompression::Stored);

// Decodes .npz bytes into arrays by name. `where` (normally the file name) starts every error
// message. Refused with FormatError: a missing or inconsistent end record, a central directory or
// local header outside the file or with a bad signature, zip64, multi-disk or encrypted archives,
// methods other than stored and deflate, sizes that do not match the data, a CRC mismatch, member
// names that do not end in ".npy" or repeat, members whose bytes overlap (a zip bomb's trick),
// and any member that decode_npy refuses. Memory grows with the data actually inflated, never
// with a size the archive merely declares.
std::map<std::string, NpyArray> decode_npz(std::string_view bytes, const std::string& where);

// encode_npz, then write_file_atomic. Throws InvalidArgument as encode_npz, IoError as
// write_file_atomic.
void write_npz(const std::string& path, const std::vector<NpzMember>& members,
               NpzCompression compression = NpzCompression::Stored);

// read_file, then decode_npz with `path` as `where`. Throws IoError when the file cannot be read,
// FormatError as decode_npz (and for a file too large to be a zip without zip64).
std::map<std::string, NpyArray> read_npz(const std::string& path);

}  // namespace rbmkit
