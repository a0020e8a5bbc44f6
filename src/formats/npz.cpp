#include "rbmkit/formats/npz.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <set>

#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"

namespace rbmkit {
namespace {

// Zip record signatures and sizes (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::size_t kLocalSize = 30;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kEndSize = 22;
constexpr std::size_t kMaxComment = 0xFFFF;
constexpr std::uint32_t kZip64Marker = 0xFFFFFFFF;
constexpr std::uint16_t kMethodStored = 0;
constexpr std::uint16_t kMethodDeflate = 8;
constexpr std::uint16_t kVersionNeeded = 20;   // 2.0: deflate
constexpr std::uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01, for reproducible files
constexpr std::uint16_t kFlagsEncrypted = 0x0001 | 0x0040 | 0x2000;
constexpr std::size_t kMaxDeflateRatio = 1032;  // deflate cannot expand 1 byte to more than ~1032

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::uint32_t crc32_of(std::string_view data) {
  return static_cast<std::uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

// ---- writing ----

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

// `v` as a 32-bit zip field; refuses what would need zip64.
std::uint32_t zip32(std::size_t v, const std::string& what) {
  if (v >= kZip64Marker)
    throw InvalidArgument(what + " is " + std::to_string(v) + " bytes; .npz files of 4 GiB or more need zip64, " +
                          "which rbmkit does not write");
  return static_cast<std::uint32_t>(v);
}

std::string deflate_raw(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw InvalidArgument("zlib: cannot start deflate");
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw InvalidArgument("zlib: deflate failed (" + std::to_string(rc) + ")");
  return out;
}

// The fields shared by a member's local header and its central directory entry.
struct Entry {
  std::string name;
  std::uint16_t method;
  std::uint32_t crc;
  std::uint32_t compressed;
  std::uint32_t size;
  std::uint32_t offset;
};

void put_common(std::string& out, const Entry& e) {
  put16(out, kVersionNeeded);
  put16(out, 0);  // flags
  put16(out, e.method);
  put16(out, 0);  // time
  put16(out, kDosDate);
  put32(out, e.crc);
  put32(out, e.compressed);
  put32(out, e.size);
  put16(out, static_cast<std::uint32_t>(e.name.size()));
  put16(out, 0);  // extra field length
}

void put_local(std::string& out, const Entry& e) {
  put32(out, kLocalSig);
  put_common(out, e);
  out += e.name;
}

void put_central(std::string& out, const Entry& e) {
  put32(out, kCentralSig);
  put16(out, kVersionNeeded);  // version made by: MS-DOS attributes, spec 2.0
  put_common(out, e);
  put16(out, 0);  // comment length
  put16(out, 0);  // disk number
  put16(out, 0);  // internal attributes
  put32(out, 0);  // external attributes
  put32(out, e.offset);
  out += e.name;
}

void check_names(const std::vector<NpzMember>& members) {
  std::set<std::string> seen;
  for (const auto& m : members) {
    if (m.name.empty()) throw InvalidArgument("an .npz member needs a name");
    if (m.name.size() + 4 > 0xFFFF) throw InvalidArgument("the .npz member name '" + m.name.substr(0, 40) + "...' is too long");
    if (!seen.insert(m.name).second) throw InvalidArgument("duplicate .npz member name '" + m.name + "'");
  }
  if (members.size() > 0xFFFF) throw InvalidArgument("more than 65535 .npz members need zip64, which rbmkit does not write");
}

// ---- reading ----

class ZipReader {
 public:
  ZipReader(std::string_view bytes, const std::string& where) : b_(bytes), where_(where) {}

  std::map<std::string, NpyArray> read() {
    const std::size_t end = find_end_record();
    const std::uint32_t cd_offset = u32(end + 16);
    const std::size_t count = read_end_record(end);
    std::map<std::string, NpyArray> arrays;
    std::size_t p = cd_offset;
    for (std::size_t i = 0; i < count; ++i) {
      const Entry e = read_central(p, end);
      std::string key = e.name.substr(0, e.name.size() - 4);
      if (arrays.count(key)) fail("member '" + e.name + "' appears twice");
      const std::string data = extract(e, cd_offset);
      arrays.emplace(std::move(key), decode_npy(data, where_ + ": member '" + e.name + "'"));
    }
    if (p != end) fail("the central directory has " + std::to_string(end - p) + " unexplained bytes at offset " + std::to_string(p));
    return arrays;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw FormatError(where_ + ": " + what); }

  std::uint32_t u16(std::size_t at) const {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b_[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b_[at + 1])) << 8;
  }
  std::uint32_t u32(std::size_t at) const { return u16(at) | u16(at + 2) << 16; }

  // The end-of-central-directory record: the last signature whose comment reaches exactly to
  // the end of the file.
  std::size_t find_end_record() const {
    if (b_.size() < kEndSize)
      fail("not a zip archive (" + std::to_string(b_.size()) + " bytes, shorter than a zip end record)");
    const std::size_t lowest = b_.size() - kEndSize > kMaxComment ? b_.size() - kEndSize - kMaxComment : 0;
    for (std::size_t p = b_.size() - kEndSize + 1; p-- > lowest;)
      if (u32(p) == kEndSig && p + kEndSize + u16(p + 20) == b_.size()) return p;
    fail("no zip end-of-central-directory record found (the file is truncated or not a .npz)");
  }

  // Checks the end record at `end`; returns the number of members.
  std::size_t read_end_record(std::size_t end) const {
    const std::uint32_t entries = u16(end + 10), cd_size = u32(end + 12), cd_offset = u32(end + 16);
    const std::string at = " (end record at offset " + std::to_string(end) + ")";
    if (u16(end + 4) != 0 || u16(end + 6) != 0 || u16(end + 8) != entries) fail("multi-disk zip archives are not supported" + at);
    if (entries == 0xFFFF || cd_size == kZip64Marker || cd_offset == kZip64Marker) fail("zip64 archives are not supported" + at);
    if (cd_offset > b_.size())
      fail("central directory offset " + std::to_string(cd_offset) + " is beyond the end of the file (" +
           std::to_string(b_.size()) + " bytes)" + at);
    if (std::size_t{cd_offset} + cd_size != end)
      fail("central directory (offset " + std::to_string(cd_offset) + ", " + std::to_string(cd_size) +
           " bytes) does not end where the end record starts" + at);
    if (std::size_t{entries} * kCentralSize > cd_size)
      fail("a central directory of " + std::to_string(cd_size) + " bytes cannot hold " + std::to_string(entries) + " entries" + at);
    return entries;
  }

  // Reads the central directory entry at `p` (advanced past it), which must lie before `end`.
  Entry read_central(std::size_t& p, std::size_t end) const {
    const std::string at = " at offset " + std::to_string(p);
    if (end - p < kCentralSize || u32(p) != kCentralSig) fail("bad central directory entry" + at);
    const std::size_t name_len = u16(p + 28), extra_len = u16(p + 30), comment_len = u16(p + 32);
    if (end - p - kCentralSize < name_len + extra_len + comment_len) fail("central directory entry runs past its end" + at);
    Entry e{std::string(b_.substr(p + kCentralSize, name_len)), static_cast<std::uint16_t>(u16(p + 10)),
            u32(p + 16), u32(p + 20), u32(p + 24), u32(p + 42)};
    const std::string member = "member '" + e.name + "'" + at;
    if ((u16(p + 8) & kFlagsEncrypted) != 0) fail(member + " is encrypted");
    if (e.method != kMethodStored && e.method != kMethodDeflate)
      fail(member + " uses compression method " + std::to_string(e.method) + "; only stored (0) and deflate (8) are supported");
    if (e.compressed == kZip64Marker || e.size == kZip64Marker || e.offset == kZip64Marker)
      fail(member + " needs zip64, which is not supported");
    if (u16(p + 34) != 0) fail(member + " is on another disk");
    if (e.name.size() <= 4 || e.name.compare(e.name.size() - 4, 4, ".npy") != 0)
      fail(member + " is not a .npy array (its name must end in .npy)");
    p += kCentralSize + name_len + extra_len + comment_len;
    return e;
  }

  // Checks the member's local header and returns its uncompressed, CRC-checked bytes. Members
  // must lie before the central directory at `cd_offset`.
  std::string extract(const Entry& e, std::size_t cd_offset) {
    const std::string member = "member '" + e.name + "' (local header at offset " + std::to_string(e.offset) + ")";
    if (std::size_t{e.offset} + kLocalSize > cd_offset || u32(e.offset) != kLocalSig) fail(member + ": bad local header");
    const std::size_t name_len = u16(e.offset + 26), extra_len = u16(e.offset + 28);
    const std::size_t start = e.offset + kLocalSize + name_len + extra_len;
    if (start > cd_offset || b_.substr(e.offset + kLocalSize, name_len) != e.name)
      fail(member + ": the local header does not match the central directory");
    if ((u16(e.offset + 6) & kFlagsEncrypted) != 0 || u16(e.offset + 8) != e.method)
      fail(member + ": the local header's flags or method differ from the central directory's");
    if (start + e.compressed > b_.size())
      fail(member + ": its " + std::to_string(e.compressed) + " bytes at offset " + std::to_string(start) +
           " run past the end of the file (" + std::to_string(b_.size()) + " bytes)");
    if (start + e.compressed > cd_offset)
      fail(member + ": its " + std::to_string(e.compressed) + " bytes at offset " + std::to_string(start) +
           " overlap the central directory at offset " + std::to_string(cd_offset));
    claim(e.offset, start + e.compressed, member);
    const std::string_view raw = b_.substr(start, e.compressed);
    std::string data = e.method == kMethodStored ? stored(raw, e, member) : inflate_raw(raw, e, member);
    const std::uint32_t crc = crc32_of(data);
    if (crc != e.crc) fail(member + ": CRC-32 mismatch (recorded " + hex(e.crc) + ", computed " + hex(crc) + ")");
    return data;
  }

  std::string stored(std::string_view raw, const Entry& e, const std::string& member) const {
    if (e.compressed != e.size)
      fail(member + ": stored member has compressed size " + std::to_string(e.compressed) + " but size " + std::to_string(e.size));
    return std::string(raw);
  }

  // Raw inflate, into a buffer that grows with the output up to the declared size plus one
  // byte: memory follows what the stream really produces, and more output than declared is
  // detected without ever allocating more.
  std::string inflate_raw(std::string_view raw, const Entry& e, const std::string& member) const {
    if (e.size / kMaxDeflateRatio > std::size_t{e.compressed} + 1)
      fail(member + ": claims " + std::to_string(e.size) + " bytes from " + std::to_string(e.compressed) +
           " compressed bytes, more than deflate can produce");
    z_stream zs{};
    if (inflateInit2(&zs, -15) != Z_OK) fail(member + ": zlib cannot start inflate");
    constexpr std::size_t kFirstStep = std::size_t{1} << 20;
    const std::size_t cap = std::size_t{e.size} + 1;
    std::string out;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    zs.avail_in = static_cast<uInt>(raw.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
      if (zs.total_out == out.size()) {
        if (out.size() == cap) break;
        out.resize(std::min(cap, std::max(kFirstStep, 2 * out.size())));
      }
      zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
      zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
      rc = inflate(&zs, Z_NO_FLUSH);
    }
    const std::string msg = zs.msg ? zs.msg : "";
    const std::size_t produced = zs.total_out, left = zs.avail_in;
    inflateEnd(&zs);
    if (produced > e.size)
      fail(member + ": inflates to more than the " + std::to_string(e.size) + " bytes the central directory says");
    if (rc != Z_STREAM_END)
      fail(member + ": corrupt or truncated deflate data (zlib: " + (msg.empty() ? std::to_string(rc) : msg) + ")");
    if (produced != e.size)
      fail(member + ": inflates to " + std::to_string(produced) + " bytes; the central directory says " + std::to_string(e.size));
    if (left != 0) fail(member + ": " + std::to_string(left) + " compressed bytes follow the end of the deflate stream");
    out.resize(produced);
    return out;
  }

  // Records the bytes [begin, end) of a member (local header and data); members may not share
  // bytes, since overlapping members let a small file inflate to many copies of the same data
  // (a zip bomb).
  void claim(std::size_t begin, std::size_t end, const std::string& member) {
    const auto next = spans_.lower_bound(begin);
    const bool overlaps = (next != spans_.end() && next->first < end) ||
                          (next != spans_.begin() && std::prev(next)->second > begin);
    if (overlaps)
      fail(member + ": its bytes " + std::to_string(begin) + " to " + std::to_string(end) +
           " overlap another member's (overlapping members are refused)");
    spans_.emplace(begin, end);
  }

  std::string_view b_;
  const std::string& where_;
  std::map<std::size_t, std::size_t> spans_;  // members' byte ranges: begin -> end
};

}  // namespace

std::string encode_npz(const std::vector<NpzMember>& members, NpzCompression compression) {
  check_names(members);
  std::string out;
  std::vector<Entry> entries;
  for (const auto& m : members) {
    const std::string name = m.name + ".npy";
    const std::string npy = encode_npy(m.array);
    Entry e{name, compression == NpzCompression::Stored ? kMethodStored : kMethodDeflate, crc32_of(npy), 0,
            zip32(npy.size(), "member '" + name + "'"), zip32(out.size(), "the archive before member '" + name + "'")};
    const std::string packed = e.method == kMethodStored ? std::string() : deflate_raw(npy);
    const std::string_view body = e.method == kMethodStored ? std::string_view(npy) : std::string_view(packed);
    e.compressed = zip32(body.size(), "member '" + name + "' compressed");
    put_local(out, e);
    out += body;
    entries.push_back(std::move(e));
  }
  const std::uint32_t cd_offset = zip32(out.size(), "the archive before its central directory");
  for (const auto& e : entries) put_central(out, e);
  const std::uint32_t cd_size = zip32(out.size() - cd_offset, "the central directory");
  put32(out, kEndSig);
  put16(out, 0);  // this disk
  put16(out, 0);  // disk of the central directory
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put32(out, cd_size);
  put32(out, cd_offset);
  put16(out, 0);  // comment length
  return out;
}

std::map<std::string, NpyArray> decode_npz(std::string_view bytes, const std::string& where) {
  return ZipReader(bytes, where).read();
}

void write_npz(const std::string& path, const std::vector<NpzMember>& members, NpzCompression compression) {
  write_file_atomic(path, encode_npz(members, compression));
}

std::map<std::string, NpyArray> read_npz(const std::string& path) {
  const std::string bytes = read_file(path, std::size_t{kZip64Marker} + kEndSize + kMaxComment);
  return decode_npz(bytes, path);
}

}  // namespace rbmkit
