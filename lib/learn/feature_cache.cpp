// The feature cache: one file per feature definition (its name is a digest of
// describe_features()), holding a header and then fixed-size records: the SHA-256 of the clip's
// key in hex, then its feature values as raw doubles. Doubles, not floats: a rerun from the cache
// must give the very numbers a fresh run gives.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/manifest.hpp"
#include "curve_internal.hpp"

namespace clipset::detail {

namespace {

constexpr std::size_t kKeyBytes = 64;  // hex SHA-256
constexpr double kByteOrderMark = 1.0; // written raw after the header: another byte order reads differently

std::string header_text(const std::string& description, std::size_t width) {
  return "clipset feature cache 1\n" + description + "\nwidth " + std::to_string(width) + "\n";
}

// An exclusive lock on `<cache file>.lock` while a run merges and writes the cache file, so two
// runs on one folder never lose each other's entries (the later merges what the earlier wrote).
class CacheLock {
 public:
  explicit CacheLock(const std::filesystem::path& file) {
    const std::string path = file.string() + ".lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw_io(path, errno_reason(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        const int err = errno;
        ::close(fd_);
        throw_io(path, errno_reason(err));
      }
    }
  }
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;
  ~CacheLock() { ::close(fd_); }  // closing releases the lock

 private:
  int fd_ = -1;
};

}  // namespace

FeatureCache::FeatureCache(std::filesystem::path dir, std::string description, std::size_t width, std::string part)
    : part_(std::move(part)), description_(std::move(description)), width_(width) {
  const std::string stem = sha256_hex(description_).substr(0, 16);
  file_ = dir / (stem + ".features");
  if (!part_.empty()) part_file_ = dir / (stem + "." + part_ + ".features");
  load(file_, false, false);
  // The parts shards wrote, in name order so that a rerun reads them alike.
  std::vector<std::filesystem::path> parts;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > stem.size() + 10 && name.compare(0, stem.size() + 1, stem + ".") == 0 && name != file_.filename().string() &&
        it->path().extension() == ".features") {
      parts.push_back(it->path());
    }
  }
  std::sort(parts.begin(), parts.end());
  for (const auto& file : parts) {
    const bool own = file == part_file_;
    if (!own) parts_.push_back(file);
    load(file, own, false);
  }
}

void FeatureCache::load(const std::filesystem::path& file, bool own, bool keep_mine) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return;  // no cache yet
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string header = header_text(description_, width_);
  double mark = 0;
  if (bytes.size() < header.size() + sizeof mark || bytes.compare(0, header.size(), header) != 0) {
    note_ = file.string() + ": written for other feature parameters or not a feature cache; it will be replaced";
    return;
  }
  std::memcpy(&mark, bytes.data() + header.size(), sizeof mark);
  if (mark != kByteOrderMark) {
    note_ = file.string() + ": written on a machine with another byte order; it will be replaced";
    return;
  }
  const std::size_t record = kKeyBytes + width_ * sizeof(double);
  std::size_t at = header.size() + sizeof mark;
  for (; at + record <= bytes.size(); at += record) {
    std::vector<double> values(width_);
    std::memcpy(values.data(), bytes.data() + at + kKeyBytes, width_ * sizeof(double));
    if (keep_mine) entries_.try_emplace(bytes.substr(at, kKeyBytes), Entry{std::move(values), own});
    else entries_.insert_or_assign(bytes.substr(at, kKeyBytes), Entry{std::move(values), own});
  }
  if (at != bytes.size()) note_ = file.string() + ": ends in a partial entry (ignored); it will be rewritten";
}

const double* FeatureCache::find(const std::string& key) const {
  const auto it = entries_.find(sha256_hex(key));
  return it == entries_.end() ? nullptr : it->second.values.data();
}

void FeatureCache::put(const std::string& key, const std::vector<double>& values) {
  if (values.size() != width_) throw Error(ErrorKind::internal, file_.string(), "feature vector of the wrong width");
  entries_.insert_or_assign(sha256_hex(key), Entry{values, true});
  ++added_;
}

void FeatureCache::save() {
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec) throw_io(file_.parent_path().string(), "cannot create the cache folder: " + errno_reason(ec.value()));
  const CacheLock lock(file());
  // What another run wrote since this one loaded the file is kept (a part is one shard's alone).
  if (part_.empty()) load(file_, false, true);
  AtomicOutput out(file().string(), false);
  std::ostream& s = out.stream();
  s << header_text(description_, width_);
  s.write(reinterpret_cast<const char*>(&kByteOrderMark), sizeof kByteOrderMark);
  for (const auto& [digest, entry] : entries_) {
    if (!part_.empty() && !entry.own) continue;  // a part holds what its shard added
    s.write(digest.data(), static_cast<std::streamsize>(digest.size()));
    s.write(reinterpret_cast<const char*>(entry.values.data()), static_cast<std::streamsize>(entry.values.size() * sizeof(double)));
  }
  out.commit();
  if (part_.empty()) {  // the parts are in the one file now
    for (const auto& part : parts_) std::filesystem::remove(part, ec);
  }
}

}  // namespace clipset::detail
