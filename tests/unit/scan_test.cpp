// Folder walk, sidecar detection and item ids.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/ingest.hpp"
#include "support/temp_dir.hpp"

using clipset::make_item_id;
using clipset::scan_roots;
using clipset::ScanOptions;
using clipset::test::TempDir;
using clipset::test::write_file;

namespace {

std::vector<std::string> relative_paths(const std::vector<clipset::ScannedFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.relative.generic_string());
  return out;
}

}  // namespace

TEST_CASE("scan: deterministic byte order, hidden and sidecar files skipped", "[scan]") {
  TempDir dir;
  for (const char* name : {"b/2.wav", "b/10.wav", "a/Z.wav", "a/a.wav", "top.flac", ".hidden/x.wav", "a/.DS_Store",
                           "a/notes.txt", "a/sheet.csv", "a/peaks.pkf", "a/Thumbs.db", "a/x.json"}) {
    write_file(dir / name, "data");
  }
  const auto result = scan_roots({dir.path()}, {});
  CHECK(relative_paths(result.audio) == std::vector<std::string>{"a/Z.wav", "a/a.wav", "b/10.wav", "b/2.wav", "top.flac"});
  CHECK(relative_paths(result.label_tracks) == std::vector<std::string>{"a/notes.txt"});
  CHECK(result.warnings.empty());
  CHECK(result.audio[0].path == dir.path() / "a/Z.wav");
}

TEST_CASE("scan: include and exclude globs", "[scan]") {
  TempDir dir;
  for (const char* name : {"dog/a.wav", "dog/b.flac", "scratch/c.wav", "cat/old/d.wav"}) write_file(dir / name, "x");
  SECTION("exclude by folder name") {
    ScanOptions options;
    options.exclude = {"scratch"};
    CHECK(relative_paths(scan_roots({dir.path()}, options).audio) ==
          std::vector<std::string>{"cat/old/d.wav", "dog/a.wav", "dog/b.flac"});
  }
  SECTION("include by file name") {
    ScanOptions options;
    options.include = {"*.wav"};
    CHECK(relative_paths(scan_roots({dir.path()}, options).audio) ==
          std::vector<std::string>{"cat/old/d.wav", "dog/a.wav", "scratch/c.wav"});
  }
  SECTION("a pattern with a slash matches the relative path") {
    ScanOptions options;
    options.exclude = {"cat/*"};
    CHECK(relative_paths(scan_roots({dir.path()}, options).audio) ==
          std::vector<std::string>{"dog/a.wav", "dog/b.flac", "scratch/c.wav"});
  }
}

TEST_CASE("scan: symlink loops and repeated folders are walked once", "[scan]") {
  TempDir dir;
  write_file(dir / "lake/dog/a.wav", "x");
  REQUIRE(::symlink("..", (dir / "lake/dog/loop").c_str()) == 0);
  REQUIRE(::symlink("dog", (dir / "lake/alias").c_str()) == 0);
  REQUIRE(::symlink("missing.wav", (dir / "lake/dangling.wav").c_str()) == 0);
  write_file(dir / "lake/zzz/b.wav", "x");
  REQUIRE(::symlink("../zzz", (dir / "lake/dog/shortcut").c_str()) == 0);
  REQUIRE(::mkfifo((dir / "lake/pipe.wav").c_str(), 0600) == 0);
  const auto result = scan_roots({dir / "lake"}, {});
  // Real folders first: "alias" and "shortcut" lead to folders walked already, "loop" too.
  CHECK(relative_paths(result.audio) ==
        std::vector<std::string>{"dangling.wav", "dog/a.wav", "pipe.wav", "zzz/b.wav"});
  CHECK(result.audio[0].problem == "broken symbolic link (its target does not exist)");
  CHECK(result.audio[1].problem.empty());
  CHECK(result.audio[2].problem == "not a regular file (a FIFO)");
  CHECK(result.warnings.empty());
}

TEST_CASE("scan: a folder reached only through a link is walked under the link's name", "[scan]") {
  TempDir dir;
  write_file(dir / "elsewhere/cat/c.wav", "x");
  write_file(dir / "lake/dog/a.wav", "x");
  REQUIRE(::symlink((dir / "elsewhere/cat").c_str(), (dir / "lake/cat").c_str()) == 0);
  const auto result = scan_roots({dir / "lake"}, {});
  CHECK(relative_paths(result.audio) == std::vector<std::string>{"dog/a.wav", "cat/c.wav"});
}

TEST_CASE("scan: a missing root is an io error, a file root is taken as it is", "[scan]") {
  TempDir dir;
  CHECK_THROWS_AS(scan_roots({dir / "nope"}, {}), clipset::Error);
  write_file(dir / "one.wav", "x");
  const auto result = scan_roots({dir / "one.wav"}, {});
  CHECK(relative_paths(result.audio) == std::vector<std::string>{"one.wav"});
}

TEST_CASE("scan: sidecar files are recognised by name, any case", "[scan]") {
  CHECK(clipset::is_sidecar_file("x.TXT"));
  CHECK(clipset::is_sidecar_file("meta.csv"));
  CHECK(clipset::is_sidecar_file("Thumbs.db"));
  CHECK(clipset::is_sidecar_file("a.reapeaks"));
  CHECK_FALSE(clipset::is_sidecar_file("a.wav"));
  CHECK_FALSE(clipset::is_sidecar_file("a.m4a"));
  CHECK_FALSE(clipset::is_sidecar_file("README"));
}

TEST_CASE("item ids are filesystem-safe, readable and distinct", "[scan]") {
  CHECK(make_item_id("dog/pixel7_001.wav") == "dog__pixel7_001.wav");
  CHECK(make_item_id("top.flac") == "top.flac");
  CHECK(make_item_id("a/b/c-d.e.wav") == "a__b__c-d.e.wav");
  // Lossy mappings carry a digest of the exact path.
  const std::string spaced = make_item_id("my dir/x y.wav");
  CHECK(spaced == "my_dir__x_y.wav-" + clipset::sha256_hex("my dir/x y.wav").substr(0, 8));
  CHECK(make_item_id("my_dir/x_y.wav") == "my_dir__x_y.wav");
  CHECK(make_item_id("a__b.wav") != make_item_id("a/b.wav"));
  CHECK(make_item_id("caf\xc3\xa9.wav") != make_item_id("caf\xc3\xa8.wav"));
  CHECK(make_item_id("-x.wav").front() != '-');
  for (const char* path : {"my dir/x y.wav", "caf\xc3\xa9.wav", "a:b|c?.wav", "-x.wav"}) {
    const std::string id = make_item_id(path);
    INFO(id);
    CHECK(id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos);
  }
}
