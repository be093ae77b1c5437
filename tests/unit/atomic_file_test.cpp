#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "clipset/signals.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

// Files in `folder` whose name starts with `.NAME.tmp-` (AtomicOutput's temporaries).
std::vector<std::string> temp_files(const fs::path& folder, const std::string& name) {
  std::vector<std::string> found;
  const std::string prefix = "." + name + ".tmp-";
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) == 0) found.push_back(file);
  }
  return found;
}

std::size_t entries_in(const fs::path& folder) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

clipset::Error open_error(const std::string& name) {
  try {
    clipset::AtomicOutput out(name);
  } catch (const clipset::Error& e) {
    return e;
  }
  FAIL("no error for " << name);
  throw;  // not reached
}

// Sets the umask for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

}  // namespace

TEST_CASE("AtomicOutput: the file appears only on commit", "[atomic]") {
  clipset::test::TempDir dir;
  const auto target = dir / "out.jsonl";
  {
    clipset::AtomicOutput out(target.string());
    CHECK(out.display_name() == target.string());
    out.stream() << "line 1\n";
    out.stream().flush();
    CHECK_FALSE(fs::exists(target));
    CHECK(temp_files(dir.path(), "out.jsonl").size() == 1);
    out.stream() << "line 2\n";
    out.commit();
    CHECK(fs::exists(target));
    CHECK(temp_files(dir.path(), "out.jsonl").empty());
    out.commit();  // a second commit does nothing
  }
  CHECK(clipset::test::read_file(target) == "line 1\nline 2\n");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("AtomicOutput: small and large writes mixed keep their order", "[atomic]") {
  // Writes of the buffer's size (64 KiB) or more bypass the buffer: what was buffered goes first.
  clipset::test::TempDir dir;
  const auto target = dir / "out.bin";
  std::string expected;
  {
    clipset::AtomicOutput out(target.string(), false);
    for (const std::size_t size : {std::size_t{7}, std::size_t{1} << 16, std::size_t{3}, std::size_t{200000}, std::size_t{65535}, std::size_t{1}}) {
      const std::string piece(size, static_cast<char>('a' + expected.size() % 26));
      out.stream().write(piece.data(), static_cast<std::streamsize>(piece.size()));
      expected += piece;
    }
    REQUIRE(out.stream());
    out.commit();
  }
  CHECK(clipset::test::read_file(target) == expected);
}

TEST_CASE("AtomicOutput: without commit the old file is intact and no temporary remains", "[atomic]") {
  clipset::test::TempDir dir;
  const auto target = dir / "out.jsonl";
  SECTION("no previous file") {
    {
      clipset::AtomicOutput out(target.string());
      out.stream() << "partial";
    }
    CHECK_FALSE(fs::exists(target));
    CHECK(entries_in(dir.path()) == 0);
  }
  SECTION("a previous file") {
    clipset::test::write_file(target, "old\n");
    {
      clipset::AtomicOutput out(target.string());
      out.stream() << std::string(100000, 'x');
      out.stream().flush();
    }
    CHECK(clipset::test::read_file(target) == "old\n");
    CHECK(temp_files(dir.path(), "out.jsonl").empty());
    CHECK(entries_in(dir.path()) == 1);
  }
  SECTION("an exception unwinds past it") {
    clipset::test::write_file(target, "old\n");
    try {
      clipset::AtomicOutput out(target.string());
      out.stream() << "new\n";
      throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    CHECK(clipset::test::read_file(target) == "old\n");
    CHECK(entries_in(dir.path()) == 1);
  }
}

TEST_CASE("AtomicOutput: commit replaces an existing file", "[atomic]") {
  clipset::test::TempDir dir;
  const auto target = dir / "out.jsonl";
  clipset::test::write_file(target, std::string(5000, 'o'));
  clipset::AtomicOutput out(target.string());
  out.stream() << "new\n";
  out.commit();
  CHECK(clipset::test::read_file(target) == "new\n");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("AtomicOutput: a relative name lands in the working folder's relative path", "[atomic]") {
  clipset::test::TempDir dir;
  const auto old_cwd = fs::current_path();
  fs::current_path(dir.path());
  try {
    {
      clipset::AtomicOutput out("plain.jsonl");
      out.stream() << "a\n";
      out.commit();
    }
    fs::create_directory("sub");
    {
      clipset::AtomicOutput out("sub/nested.jsonl");
      out.stream() << "b\n";
      out.commit();
    }
  } catch (...) {
    fs::current_path(old_cwd);
    throw;
  }
  fs::current_path(old_cwd);
  CHECK(clipset::test::read_file(dir / "plain.jsonl") == "a\n");
  CHECK(clipset::test::read_file(dir / "sub/nested.jsonl") == "b\n");
  CHECK(entries_in(dir.path()) == 2);
  CHECK(entries_in(dir / "sub") == 1);
}

TEST_CASE("AtomicOutput: the result has mode 0666 & ~umask", "[atomic]") {
  clipset::test::TempDir dir;
  const auto mask = GENERATE(mode_t{022}, mode_t{077}, mode_t{002}, mode_t{0});
  CAPTURE(mask);
  const ScopedUmask scoped(mask);
  const auto target = dir / "out.jsonl";
  {
    clipset::AtomicOutput out(target.string());
    out.stream() << "x\n";
    out.commit();
  }
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == (0666 & ~mask));
  CHECK(S_ISREG(st.st_mode));
}

TEST_CASE("AtomicOutput: a folder that does not exist is an io error", "[atomic]") {
  clipset::test::TempDir dir;
  const std::string name = (dir / "no/such/folder/out.jsonl").string();
  const auto e = open_error(name);
  CHECK(e.kind() == clipset::ErrorKind::io);
  CHECK(e.subject() == name);
  CAPTURE(e.reason());
  CHECK(e.reason().find("no such file or directory") != std::string::npos);
}

TEST_CASE("AtomicOutput: a target that is a folder is an io error", "[atomic]") {
  clipset::test::TempDir dir;
  fs::create_directory(dir / "sub");
  const auto e = open_error((dir / "sub").string());
  CHECK(e.kind() == clipset::ErrorKind::io);
  CHECK(e.reason() == "is a directory");
  CHECK(entries_in(dir.path()) == 1);  // no temporary left behind
  CHECK(fs::is_directory(dir / "sub"));
}

TEST_CASE("AtomicOutput: '-' is stdout and commit only flushes", "[atomic]") {
  clipset::AtomicOutput out("-");
  CHECK(out.display_name() == "(stdout)");
  CHECK(&out.stream() == &std::cout);
  CHECK_NOTHROW(out.commit());
}

TEST_CASE("remove_pending_outputs removes uncommitted temporaries only", "[atomic]") {
  clipset::test::TempDir dir;
  const auto committed = dir / "done.jsonl";
  const auto pending = dir / "pending.jsonl";
  clipset::test::write_file(pending, "old\n");
  {
    clipset::AtomicOutput done(committed.string());
    done.stream() << "done\n";
    done.commit();
    clipset::AtomicOutput out(pending.string());
    out.stream() << "new\n";
    out.stream().flush();
    REQUIRE(temp_files(dir.path(), "pending.jsonl").size() == 1);

    clipset::remove_pending_outputs();

    CHECK(temp_files(dir.path(), "pending.jsonl").empty());
    CHECK(clipset::test::read_file(pending) == "old\n");
    CHECK(clipset::test::read_file(committed) == "done\n");
    // The output, committed after its temporary was removed, fails instead of writing garbage.
    CHECK_THROWS_AS(out.commit(), clipset::Error);
  }
  CHECK(clipset::test::read_file(pending) == "old\n");
  CHECK(clipset::test::read_file(committed) == "done\n");
  CHECK(entries_in(dir.path()) == 2);
}

TEST_CASE("remove_pending_outputs copes with many outputs at once", "[atomic]") {
  clipset::test::TempDir dir;
  std::vector<std::unique_ptr<clipset::AtomicOutput>> outputs;
  for (int i = 0; i < 8; ++i) {
    outputs.push_back(std::make_unique<clipset::AtomicOutput>((dir / "o").string() + std::to_string(i)));
  }
  CHECK(entries_in(dir.path()) == 8);
  clipset::remove_pending_outputs();
  CHECK(entries_in(dir.path()) == 0);
  outputs.clear();
  CHECK(entries_in(dir.path()) == 0);
  clipset::remove_pending_outputs();  // nothing pending: a no-op
}

TEST_CASE("remove_pending_outputs removes the temporaries of more than 16 outputs", "[atomic][regression]") {
  // Pending temporaries live in 16 fixed slots; the 17th output onwards is not registered, so
  // Ctrl-C leaves its temporary behind.
  clipset::test::TempDir dir;
  std::vector<std::unique_ptr<clipset::AtomicOutput>> outputs;
  for (int i = 0; i < 20; ++i) {
    outputs.push_back(std::make_unique<clipset::AtomicOutput>((dir / "o").string() + std::to_string(i)));
  }
  CHECK(entries_in(dir.path()) == 20);
  clipset::remove_pending_outputs();
  CHECK(entries_in(dir.path()) == 0);  // actual: 4 temporaries remain
}

// /dev/full, /dev/null, /dev/stdout: a temporary file renamed over a device would, as root,
// replace the device node with a regular file (and report success for /dev/full). AtomicOutput
// writes devices and pipes in place instead. These tests never touch /dev (if that regressed, they
// would destroy it): they use a device node and a FIFO made in a temporary folder.
TEST_CASE("AtomicOutput onto a 'full' character device fails on commit and keeps the device", "[atomic]") {
  clipset::test::TempDir dir;
  const auto device = dir / "full";
  if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 7)) != 0) {
    WARN("cannot make a device node here (" << std::strerror(errno) << "); skipped");
    return;
  }
  {
    clipset::AtomicOutput out(device.string());
    CHECK(entries_in(dir.path()) == 1);  // no temporary file next to a device
    out.stream() << "some items\n";
    try {
      out.commit();
      FAIL_CHECK("commit to a full device succeeded");
    } catch (const clipset::Error& e) {
      CHECK(e.kind() == clipset::ErrorKind::io);
      CHECK(e.subject() == device.string());
      CHECK(e.reason().find("write failed: no space left on device") != std::string::npos);
    }
  }
  struct stat st {};
  REQUIRE(::lstat(device.c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("AtomicOutput onto a 'null' character device succeeds and keeps the device", "[atomic]") {
  clipset::test::TempDir dir;
  const auto device = dir / "null";
  if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {
    WARN("cannot make a device node here (" << std::strerror(errno) << "); skipped");
    return;
  }
  {
    clipset::AtomicOutput out(device.string());
    out.stream() << std::string(100000, 'x');
    CHECK_NOTHROW(out.commit());
  }
  {
    clipset::AtomicOutput uncommitted(device.string());  // destroyed without commit: nothing to undo
    uncommitted.stream() << "y";
  }
  struct stat st {};
  REQUIRE(::lstat(device.c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("AtomicOutput onto a FIFO writes into it and keeps it", "[atomic]") {
  clipset::test::TempDir dir;
  const auto fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // A reader that never blocks, so that opening the FIFO for writing does not block either.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  try {
    clipset::AtomicOutput out(fifo.string());
    out.stream() << "through the pipe\n";
    out.commit();
  } catch (const clipset::Error& e) {
    FAIL_CHECK(e.what());
  }
  char buffer[64] = {};
  const auto got = ::read(reader, buffer, sizeof buffer);
  ::close(reader);
  struct stat st {};
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(std::string(buffer, got > 0 ? static_cast<std::size_t>(got) : 0) == "through the pipe\n");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("AtomicOutput onto a symlink replaces the file it points to and keeps the link", "[atomic]") {
  clipset::test::TempDir dir;
  fs::create_directory(dir / "real");
  clipset::test::write_file(dir / "real/m.jsonl", "old\n");
  fs::create_symlink("real/m.jsonl", dir / "link.jsonl");
  {
    clipset::AtomicOutput out((dir / "link.jsonl").string());
    CHECK(out.display_name() == (dir / "link.jsonl").string());
    out.stream() << "new\n";
    out.commit();
  }
  CHECK(fs::is_symlink(dir / "link.jsonl"));
  CHECK(clipset::test::read_file(dir / "real/m.jsonl") == "new\n");
  CHECK(entries_in(dir.path()) == 2);
  CHECK(entries_in(dir / "real") == 1);
  {
    clipset::AtomicOutput out((dir / "link.jsonl").string());  // not committed
    out.stream() << "newer\n";
  }
  CHECK(clipset::test::read_file(dir / "real/m.jsonl") == "new\n");
  CHECK(entries_in(dir / "real") == 1);
}

TEST_CASE("AtomicOutput onto a symlink to a folder is 'is a directory'", "[atomic]") {
  clipset::test::TempDir dir;
  fs::create_directory(dir / "real");
  fs::create_directory_symlink("real", dir / "link");
  const auto e = open_error((dir / "link").string());
  CHECK(e.kind() == clipset::ErrorKind::io);
  CHECK(e.reason() == "is a directory");
  CHECK(fs::is_symlink(dir / "link"));
}

TEST_CASE("AtomicOutput onto a dangling symlink creates the file it points to", "[atomic][regression]") {
  // Like a shell's `> link`. canonical() fails for a missing file, so the link itself is renamed
  // over: the link becomes a regular file and the file it named is never written.
  clipset::test::TempDir dir;
  fs::create_directory(dir / "real");
  fs::create_symlink("real/m.jsonl", dir / "link.jsonl");
  {
    clipset::AtomicOutput out((dir / "link.jsonl").string());
    out.stream() << "new\n";
    out.commit();
  }
  CHECK(fs::is_symlink(dir / "link.jsonl"));  // actual: a regular file
  CHECK(fs::exists(dir / "real/m.jsonl"));    // actual: missing
}

TEST_CASE("AtomicOutput: a rewritten file keeps its permissions (issue 15)", "[atomic_file][regression]") {
  clipset::test::TempDir dir;
  const auto file = dir / "raw.jsonl";
  {
    clipset::AtomicOutput out(file.string());
    out.stream() << "first\n";
    out.commit();
  }
  REQUIRE(::chmod(file.c_str(), 0640) == 0);
  {
    clipset::AtomicOutput out(file.string());
    out.stream() << "second\n";
    out.commit();
  }
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
}

TEST_CASE("AtomicOutput: a temporary file left by a killed run is removed, a live or new one is not", "[atomic]") {
  clipset::test::TempDir t;
  const fs::path target = t / "out.jsonl";
  const auto make = [&](const char* suffix, bool old) {
    const fs::path p = t / (std::string(".out.jsonl.tmp-") + suffix);
    std::ofstream(p) << "partial";
    if (old) fs::last_write_time(p, fs::file_time_type::clock::now() - std::chrono::minutes(5));
    return p;
  };
  const fs::path stale = make("Aa0Bb1", true);
  const fs::path fresh = make("Cc2Dd3", false);   // as if another writer had just opened it
  const fs::path live = make("Ee4Ff5", true);     // another writer still running holds its lock
  const fs::path other = t / ".other.jsonl.tmp-Gg6Hh7";  // another target's: not ours to judge
  std::ofstream(other) << "x";
  fs::last_write_time(other, fs::file_time_type::clock::now() - std::chrono::minutes(5));
  const int held = ::open(live.c_str(), O_RDONLY);
  REQUIRE(held >= 0);
  REQUIRE(::flock(held, LOCK_EX) == 0);

  clipset::AtomicOutput out(target.string());
  out.stream() << "new\n";
  out.commit();
  ::close(held);

  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(fresh));
  CHECK(fs::exists(live));
  CHECK(fs::exists(other));
  CHECK(fs::exists(target));
}
