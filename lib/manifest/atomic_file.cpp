// Output that appears atomically: temp file in the target's folder, flush, fsync, rename.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
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
  std::ofstream file;
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
  if (::stat(state_->target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw_io(name, "is a directory");
    if (!S_ISREG(st.st_mode)) {
      // A device or pipe (/dev/null, a FIFO): there is nothing to replace, so write straight in.
      state_->direct = true;
      state_->file.open(state_->target, std::ios::binary);
      if (!state_->file) throw_io(name, errno_reason(errno));
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
      throw_io(name, "cannot create a temporary file in " + folder.string() + ": " + errno_reason(err));
    }
  }
  ::close(fd);
  state_->file.open(state_->temp_path, std::ios::binary | std::ios::trunc);
  if (!state_->file) {
    ::unlink(state_->temp_path.c_str());
    unregister_pending(state_->slot);
    throw_io(name, "cannot open a temporary file: " + errno_reason(errno));
  }
}

AtomicOutput::~AtomicOutput() {
  if (state_ && !state_->to_stdout && !state_->direct && !state_->committed) {
    state_->file.close();
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
    if (!std::cout) throw_io("(stdout)", "write failed");
    state_->committed = true;
    return;
  }
  state_->file.flush();
  const bool written = static_cast<bool>(state_->file);
  state_->file.close();
  if (!written || state_->file.fail()) throw_io(display_name_, "write failed (disk full?)");
  if (state_->direct) {
    state_->committed = true;
    return;
  }

  if (state_->sync) {
    const int fd = ::open(state_->temp_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      const int err = errno;
      if (fd >= 0) ::close(fd);
      throw_io(display_name_, "cannot sync: " + errno_reason(err));
    }
    ::close(fd);
  }
  if (::rename(state_->temp_path.c_str(), state_->target.c_str()) != 0) {
    throw_io(display_name_, "cannot rename into place: " + errno_reason(errno));
  }
  state_->committed = true;
  unregister_pending(state_->slot);
}

}  // namespace clipset
