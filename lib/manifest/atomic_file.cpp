// Output that appears atomically: temp file in the target's folder, flush, fsync, rename.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <random>
#include <streambuf>
#include <string>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "clipset/signals.hpp"

namespace clipset {

namespace {

// Temp files in progress, so that a signal handler can remove them (async-signal-safe: fixed
// storage, atomics and unlink only).
constexpr std::size_t kMaxPending = 64;  // far more outputs than any command opens
struct PendingSlot {
  std::atomic<bool> used{false};   // claimed by an AtomicOutput
  std::atomic<bool> ready{false};  // path fully written
  std::array<char, 4096> path{};
};
std::array<PendingSlot, kMaxPending> g_pending;

int register_pending(const std::string& path) {
  if (path.size() >= 4096) return -1;
  for (std::size_t i = 0; i < kMaxPending; ++i) {
    bool expected = false;
    if (g_pending[i].used.load() || !g_pending[i].used.compare_exchange_strong(expected, true)) continue;
    std::memcpy(g_pending[i].path.data(), path.c_str(), path.size() + 1);
    g_pending[i].ready.store(true);
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_pending(int slot) {
  if (slot < 0) return;
  g_pending[static_cast<std::size_t>(slot)].ready.store(false);
  g_pending[static_cast<std::size_t>(slot)].used.store(false);
}

// Six random characters, as mkstemp uses; unique enough with O_EXCL retrying on a clash.
std::string temp_suffix() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 random{std::random_device{}() ^ (static_cast<std::uint64_t>(::getpid()) << 32)};
  std::string suffix(6, 'x');
  for (char& c : suffix) c = kAlphabet[random() % (sizeof kAlphabet - 1)];
  return suffix;
}

// A buffered stream over a file descriptor that remembers why a write failed (ENOSPC, EIO,
// EDQUOT): std::ofstream only says that it failed.
class FdStreamBuf : public std::streambuf {
 public:
  FdStreamBuf() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  ~FdStreamBuf() override { close(); }
  FdStreamBuf(const FdStreamBuf&) = delete;
  FdStreamBuf& operator=(const FdStreamBuf&) = delete;

  void attach(int fd) { fd_ = fd; }
  int fd() const noexcept { return fd_; }
  int error() const noexcept { return error_; }  // the first failed write's errno, 0 if none
  // Writes what is buffered and closes; false when any write or the close failed.
  bool close() {
    if (fd_ < 0) return error_ == 0;
    const bool flushed = sync() == 0;
    if (::close(fd_) != 0 && error_ == 0) error_ = errno;
    fd_ = -1;
    return flushed && error_ == 0;
  }

 protected:
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    write_all(pbase(), pptr());
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0 ? 0 : -1;
  }
  // A write of a buffer's size or more (a tar block, a clip) goes straight to the file after what
  // is buffered, rather than through the buffer in pieces.
  std::streamsize xsputn(const char* data, std::streamsize count) override {
    if (count < static_cast<std::streamsize>(buffer_.size())) return std::streambuf::xsputn(data, count);
    if (sync() != 0) return 0;
    write_all(data, data + count);
    return error_ == 0 ? count : 0;
  }

 private:
  void write_all(const char* from, const char* to) {
    while (from < to && error_ == 0) {
      const ssize_t n = ::write(fd_, from, static_cast<std::size_t>(to - from));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error_ = errno;
      else from += n;
    }
  }

  std::array<char, 1 << 16> buffer_{};
  int fd_ = -1;
  int error_ = 0;
};

// A writer holds an exclusive flock on its temporary file until it commits or is gone, so a
// temporary file of the same target that nobody holds was left by a run killed outright
// (SIGKILL, the OOM killer, a power cut). The age guard covers the instant between another
// writer's open() and its flock().
void remove_stale_temporaries(const std::filesystem::path& folder, const std::string& prefix_name, const std::string& own) {
  constexpr auto kMinAge = std::chrono::seconds(10);
  std::error_code ec;
  std::filesystem::directory_iterator it(folder, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != prefix_name.size() + 6 || name.compare(0, prefix_name.size(), prefix_name) != 0) continue;
    const std::string path = it->path().string();
    if (path == own) continue;
    std::error_code age_ec;
    const auto written = std::filesystem::last_write_time(it->path(), age_ec);
    if (age_ec || std::filesystem::file_time_type::clock::now() - written < kMinAge) continue;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) continue;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(path.c_str());
    ::close(fd);
  }
}

}  // namespace

void remove_pending_outputs() noexcept {
  for (auto& slot : g_pending) {
    if (slot.ready.load()) ::unlink(slot.path.data());
  }
}

struct AtomicOutput::State {
  bool to_stdout = false;
  bool direct = false;  // not a regular file: written in place, nothing to rename
  bool sync = true;
  bool committed = false;
  std::filesystem::path target;
  std::string temp_path;
  FdStreamBuf buffer;
  std::ostream file{&buffer};
  int slot = -1;
};

AtomicOutput::AtomicOutput(const std::string& name, bool sync) : state_(std::make_unique<State>()) {
  state_->sync = sync;
  if (name == "-") {
    state_->to_stdout = true;
    display_name_ = "(stdout)";
    return;
  }
  display_name_ = name;
  state_->target = name;
  std::error_code ec;
  // Replace the file a link points to, not the link itself; like the shell's >, a link whose
  // file does not exist yet gets that file created. Chains are followed (bounded, as the kernel does).
  for (int hops = 0; hops < 40 && std::filesystem::is_symlink(state_->target, ec); ++hops) {
    const auto next = std::filesystem::read_symlink(state_->target, ec);
    if (ec) break;
    state_->target = next.is_absolute() ? next : state_->target.parent_path() / next;
  }
  struct stat st {};
  const bool replaces = ::stat(state_->target.c_str(), &st) == 0;
  if (replaces) {
    if (S_ISDIR(st.st_mode)) throw_output(name, "is a directory");
    if (!S_ISREG(st.st_mode)) {
      // A device or pipe (/dev/null, a FIFO): there is nothing to replace, so write straight in.
      state_->direct = true;
      const int fd = ::open(state_->target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) throw_output(name, errno_reason(errno));
      state_->buffer.attach(fd);
      return;
    }
  }
  const std::filesystem::path folder =
      state_->target.has_parent_path() ? state_->target.parent_path() : std::filesystem::path(".");
  // The name is registered for signal clean-up *before* the file exists: a Ctrl-C between the
  // two then removes a file that is not there yet, instead of missing one that is.
  const std::string prefix = (folder / ("." + state_->target.filename().string() + ".tmp-")).string();
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    const std::string candidate = prefix + temp_suffix();
    state_->slot = register_pending(candidate);
    // 0666: the kernel applies the umask, so an output is an ordinary file, readable as the
    // umask allows (reading the umask instead costs a /proc read per file).
    fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      state_->temp_path = candidate;
      break;
    }
    const int err = errno;
    unregister_pending(state_->slot);
    if (err != EEXIST || attempt > 100) {
      throw_output(name, "cannot create a temporary file in " + folder.string() + ": " + errno_reason(err));
    }
  }
  // A rewritten file keeps its permissions (a manifest holding GPS positions may be 0640), not
  // the umask's default.
  if (replaces) (void)::fchmod(fd, st.st_mode & 07777);
  state_->buffer.attach(fd);
  // Manifests and reports (sync) are few per run: each clears what killed runs left for its
  // target. Clip files are many; listing their folder for each would cost O(n^2).
  (void)::flock(fd, LOCK_EX | LOCK_NB);
  if (sync) remove_stale_temporaries(folder, "." + state_->target.filename().string() + ".tmp-", state_->temp_path);
}

AtomicOutput::~AtomicOutput() {
  if (state_ && !state_->to_stdout && !state_->direct && !state_->committed) {
    state_->buffer.close();
    ::unlink(state_->temp_path.c_str());
    unregister_pending(state_->slot);
  }
}

std::ostream& AtomicOutput::stream() {
  return state_->to_stdout ? std::cout : static_cast<std::ostream&>(state_->file);
}

void AtomicOutput::commit() {
  if (state_->committed) return;
  if (state_->to_stdout) {
    std::cout.flush();
    if (!std::cout) throw_output("(stdout)", "write failed");
    state_->committed = true;
    return;
  }
  // Flush; sync before the rename so that a crash never leaves a renamed file with holes.
  bool written = state_->file.good() && state_->buffer.pubsync() == 0;
  if (written && state_->sync && !state_->direct && ::fsync(state_->buffer.fd()) != 0) {
    const int err = errno;
    state_->buffer.close();
    throw_output(display_name_, "cannot sync: " + errno_reason(err));
  }
  written = state_->buffer.close() && written;
  if (!written) {
    const int err = state_->buffer.error();
    throw_output(display_name_, err != 0 ? "write failed: " + errno_reason(err) : "write failed");
  }
  if (state_->direct) {
    state_->committed = true;
    return;
  }

  if (::rename(state_->temp_path.c_str(), state_->target.c_str()) != 0) {
    throw_output(display_name_, "cannot rename into place: " + errno_reason(errno));
  }
  state_->committed = true;
  unregister_pending(state_->slot);
}

}  // namespace clipset
