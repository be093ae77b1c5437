// Unit tests of the paths records hold and the one rule that turns record text into file names.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include <filesystem>
#include <fstream>

#include "clipset/error.hpp"
#include "clipset/paths.hpp"
#include "clipset/text.hpp"
#include "support/temp_dir.hpp"

using clipset::kSafeNameMax;
using clipset::safe_file_name;

namespace {
bool ends_with_digest(const std::string& name) {
  if (name.size() < 9 || name[name.size() - 9] != '-') return false;
  return name.find_first_not_of("0123456789abcdef", name.size() - 8) == std::string::npos;
}
}  // namespace

TEST_CASE("safe_file_name: safe text is kept as it is", "[paths]") {
  for (const std::string text : {"rec_000001.500", "dog", "a.b-c_d", "café", "鳥の声", "a+b", "x y"}) {
    CAPTURE(text);
    CHECK(safe_file_name(text) == text);
  }
}

TEST_CASE("safe_file_name: anything that could leave the folder or surprise a shell is mapped, with a digest",
          "[paths][regression]") {
  const std::string nul = std::string("a") + '\0' + "b";
  const std::string invalid = std::string("a\xff") + "b";
  struct Case {
    std::string text;
    std::string start;  // the mapped name before its digest
  };
  for (const Case& c : {Case{"../x", "_.._x"}, Case{"/abs/path/x", "_abs_path_x"}, Case{"..", "_.."},
                        Case{".", "_."}, Case{"", "_"}, Case{".hidden", "_.hidden"}, Case{"-rf", "_-rf"},
                        Case{"a\\b", "a_b"}, Case{nul, "a_b"}, Case{"a\nb", "a_b"}, Case{"a\x1b[2J", "a_[2J"},
                        Case{invalid, "a_b"}, Case{"a\x7f", "a_"}}) {
    CAPTURE(c.text);
    const std::string name = safe_file_name(c.text);
    CHECK(ends_with_digest(name));
    CHECK(name.substr(0, name.size() - 9) == c.start);
    CHECK(name.find('/') == std::string::npos);
    CHECK(name.find('\0') == std::string::npos);
    CHECK(clipset::is_valid_utf8(name));
    CHECK(safe_file_name(c.text) == name);  // the same on every call, every machine
  }
}

TEST_CASE("safe_file_name: texts that map alike still get different names", "[paths]") {
  std::set<std::string> names;
  const std::vector<std::string> texts{"a/b", "a\\b", "a\nb", "a_b", std::string("a") + '\0' + "b"};
  for (const std::string& text : texts) names.insert(safe_file_name(text));
  CHECK(names.size() == 5);
}

TEST_CASE("safe_file_name: a long name is cut at a character boundary and keeps its digest", "[paths]") {
  const std::string ascii(300, 'x');
  const std::string name = safe_file_name(ascii);
  CHECK(name.size() == kSafeNameMax);
  CHECK(ends_with_digest(name));
  CHECK(safe_file_name(ascii + "y") != name);

  std::string birds;
  for (int i = 0; i < 100; ++i) birds += "鳥";  // 3 bytes each
  const std::string cut = safe_file_name(birds);
  CHECK(cut.size() <= kSafeNameMax);
  CHECK(clipset::is_valid_utf8(cut));
  CHECK(ends_with_digest(cut));

  const std::string exact(kSafeNameMax, 'z');
  CHECK(safe_file_name(exact) == exact);  // at the limit: kept
}

TEST_CASE("files no record names: walked in order, hidden names and links to folders skipped", "[paths]") {
  namespace fs = std::filesystem;
  clipset::test::TempDir dir;
  const fs::path clips = dir / "clips";
  for (const char* name : {"b.wav", "a.wav", "dog/c.wav", "dog/d.flac", ".a.wav.tmp-123456", ".hidden/e.wav", "notes.txt"}) {
    fs::create_directories((clips / name).parent_path());
    std::ofstream(clips / name) << "x";
  }
  fs::create_directory_symlink(dir.path(), clips / "loop");  // never followed: no walk outside, no loop
  fs::create_symlink(clips / "a.wav", clips / "link.wav");   // a link to a file is a file
  clipset::NamedFiles named;
  named.add("clips/a.wav", dir.path());                      // relative, resolved against the root
  named.add((clips / "dog" / "." / "c.wav").string(), "");   // absolute, not normal
  named.add("", dir.path());                                 // no path: names nothing
  CHECK(named.size() == 2);
  const auto unnamed = clipset::files_no_record_names(clips, named);
  std::vector<std::string> names;
  for (const auto& f : unnamed.files) names.push_back(f.lexically_relative(clips).generic_string());
  CHECK(names == std::vector<std::string>{"b.wav", "dog/d.flac", "link.wav", "notes.txt"});
  CHECK(unnamed.unreadable.empty());
  CHECK_THROWS_AS(clipset::files_no_record_names(dir / "nowhere", named), clipset::Error);
}
