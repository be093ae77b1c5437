// Files in the out folder: clip files linked or copied, and written files, each appearing whole.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "clipset/paths.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

bool stat_of(const fs::path& path, struct stat& st, bool follow = true) {
  return (follow ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) == 0;
}

// A name beside `to` for a link that then replaces it with one rename.
fs::path temp_beside(const fs::path& to) {
  static std::atomic<unsigned> counter{0};
  return to.parent_path() / ("." + to.filename().string() + ".tmp-link-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// Makes the link with `make_link(target_path)`: straight at `to` when nothing is there (a link
// appears whole), else beside it and renamed over it.
template <class MakeLink>
bool link_into_place(const fs::path& to, MakeLink make_link) {
  struct stat st{};
  if (!stat_of(to, st, false)) return make_link(to);
  const fs::path temp = temp_beside(to);
  if (!make_link(temp)) return false;
  if (::rename(temp.c_str(), to.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw_output(to.string(), "cannot rename into place: " + errno_reason(err));
  }
  return true;
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

bool already_placed(const fs::path& from, const fs::path& to, LinkMode mode) {
  struct stat source{}, target{};
  if (!stat_of(from, source) || !stat_of(to, target, mode != LinkMode::symbolic)) return false;
  if (mode == LinkMode::hard) return same_file(source, target);
  if (mode == LinkMode::symbolic) {
    std::error_code ec;
    return S_ISLNK(target.st_mode) && fs::read_symlink(to, ec) == fs::absolute(from, ec);
  }
  const bool newer = target.st_mtim.tv_sec > source.st_mtim.tv_sec ||
                     (target.st_mtim.tv_sec == source.st_mtim.tv_sec && target.st_mtim.tv_nsec >= source.st_mtim.tv_nsec);
  return S_ISREG(target.st_mode) && !same_file(source, target) && target.st_size == source.st_size && newer;
}

void copy_into_place(const fs::path& from, const fs::path& to) {
  std::ifstream in(from, std::ios::binary);
  if (!in) throw_io(from.string(), "cannot open: " + errno_reason(errno));
  AtomicOutput out(to.string(), false);
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    out.stream().write(block.data(), in.gcount());
  }
  if (in.bad()) throw_io(from.string(), "cannot read: " + errno_reason(errno));
  out.commit();
}

}  // namespace

Placed place_file(const fs::path& from, const fs::path& to, LinkMode mode, bool force) {
  if (!force && already_placed(from, to, mode)) return Placed::unchanged;
  if (mode == LinkMode::hard) {
    const bool linked = link_into_place(to, [&](const fs::path& at) { return ::link(from.c_str(), at.c_str()) == 0; });
    if (linked) return Placed::written;
    // Another file system (EXDEV), or one without hard links: a copy does the same job.
    if (errno != EXDEV && errno != EPERM && errno != EMLINK && errno != ENOTSUP) throw_output(to.string(), "cannot link: " + errno_reason(errno));
  } else if (mode == LinkMode::symbolic) {
    const fs::path target = fs::absolute(from);
    if (!link_into_place(to, [&](const fs::path& at) { return ::symlink(target.c_str(), at.c_str()) == 0; })) {
      throw_output(to.string(), "cannot make a symbolic link: " + errno_reason(errno));
    }
    return Placed::written;
  }
  copy_into_place(from, to);
  return Placed::written;
}

void write_file_atomically(const fs::path& to, const std::string& bytes) {
  AtomicOutput out(to.string(), false);
  out.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.commit();
}

Placed write_if_changed(const fs::path& to, const std::string& bytes) {
  std::error_code ec;
  if (fs::is_regular_file(to, ec) && fs::file_size(to, ec) == bytes.size() && !ec) {
    std::ifstream in(to, std::ios::binary);
    std::string have(bytes.size(), '\0');
    if (in.read(have.data(), static_cast<std::streamsize>(have.size())) && have == bytes) return Placed::unchanged;
  }
  AtomicOutput out(to.string());
  out.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.commit();
  return Placed::written;
}

void make_folder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw_output(dir.string(), "cannot create folder: " + errno_reason(ec.value()));
}

void check_clip_file(const Entry& entry) {
  const std::string& display = entry.display;
  try {
    require_regular_file(entry.file);
  } catch (const Error& e) {
    throw Error(e.kind(), display, e.reason());
  }
  struct stat st{};
  if (!stat_of(entry.file, st)) throw_io(display, errno_reason(errno));
  if (entry.item.bytes && static_cast<std::uint64_t>(st.st_size) != *entry.item.bytes) {
    throw_data(display, "damaged or changed: " + std::to_string(st.st_size) + " bytes where the manifest says " +
                            std::to_string(*entry.item.bytes));
  }
}

void count_file(ExportSplitSummary& split, ExportSummary& summary, const fs::path& file, Placed placed) {
  ++split.files;
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (!ec) split.bytes += size;
  ++(placed == Placed::written ? summary.written : summary.unchanged);
}

}  // namespace clipset::detail
