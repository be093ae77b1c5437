// Files in the out folder: clip files linked or copied, and written files, each appearing whole.

#include <fcntl.h>
#include <signal.h>
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

constexpr const char* kTempLinkInfix = ".tmp-link-";

// A name beside `to` for a link that then replaces it with one rename: ".NAME.tmp-link-PID-N".
fs::path temp_beside(const fs::path& to) {
  static std::atomic<unsigned> counter{0};
  return to.parent_path() / ("." + to.filename().string() + kTempLinkInfix + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// The process that made a temporary link, from its name; 0 when the name is not one of ours.
pid_t temp_link_owner(const std::string& name) {
  const auto at = name.rfind(kTempLinkInfix);
  if (name.empty() || name.front() != '.' || at == std::string::npos || at < 2) return 0;
  const std::string rest = name.substr(at + std::char_traits<char>::length(kTempLinkInfix));
  const auto dash = rest.find('-');
  const auto digits = [](const std::string& t) { return !t.empty() && t.size() < 10 && t.find_first_not_of("0123456789") == std::string::npos; };
  if (dash == std::string::npos || !digits(rest.substr(0, dash)) || !digits(rest.substr(dash + 1))) return 0;
  return static_cast<pid_t>(std::stol(rest.substr(0, dash)));
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

std::size_t remove_leftover_links(const fs::path& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t owner = temp_link_owner(it->path().filename().string());
    // A live process (another export into the same folder) may still rename its link.
    if (owner <= 0 || owner == ::getpid() || ::kill(owner, 0) == 0 || errno != ESRCH) continue;
    struct stat st{};
    if (stat_of(it->path(), st, false) && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && ::unlink(it->path().c_str()) == 0) ++removed;
  }
  return removed;
}

void make_folder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw_output(dir.string(), "cannot create folder: " + errno_reason(ec.value()));
}

namespace {

// The one rule's message (require_regular_file) for a path that stat refused or found not to be
// a regular file, named as the manifest spells it.
[[noreturn]] void throw_not_regular(const Entry& entry) {
  try {
    require_regular_file(entry.file);
  } catch (const Error& e) {
    throw Error(e.kind(), entry.display, e.reason());
  }
  throw_io(entry.display, "changed while read");  // it became a regular file meanwhile
}

void check_size(const Entry& entry, const struct stat& st) {
  if (entry.item.bytes && static_cast<std::uint64_t>(st.st_size) != *entry.item.bytes) {
    throw_data(entry.display, "damaged or changed: " + std::to_string(st.st_size) + " bytes where the manifest says " +
                                  std::to_string(*entry.item.bytes));
  }
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

void check_clip_file(const Entry& entry) {
  struct stat st{};
  if (!stat_of(entry.file, st) || !S_ISREG(st.st_mode)) throw_not_regular(entry);
  check_size(entry, st);
}

std::string read_clip_file(const Entry& entry) {
  check_clip_file(entry);  // never opens what is not a regular file (a FIFO would block)
  const Descriptor fd(::open(entry.file.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st{};
  if (fd.get() < 0) throw_io(entry.display, "cannot open: " + errno_reason(errno));
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) throw_io(entry.display, "changed while read");
  check_size(entry, st);
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t have = 0;
  for (;;) {
    // One byte more than the size asks for: a read that ends early or late means a change.
    char extra = 0;
    char* at = have < bytes.size() ? bytes.data() + have : &extra;
    const ssize_t got = ::read(fd.get(), at, have < bytes.size() ? bytes.size() - have : 1);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_io(entry.display, "cannot read: " + errno_reason(errno));
    if (got == 0) break;
    if (have == bytes.size()) throw_io(entry.display, "cannot read (changed while read?)");
    have += static_cast<std::size_t>(got);
  }
  if (have != bytes.size()) throw_io(entry.display, "cannot read (changed while read?)");
  return bytes;
}

void count_file(ExportSplitSummary& split, ExportSummary& summary, const fs::path& file, Placed placed) {
  ++split.files;
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (!ec) split.bytes += size;
  ++(placed == Placed::written ? summary.written : summary.unchanged);
}

}  // namespace clipset::detail
