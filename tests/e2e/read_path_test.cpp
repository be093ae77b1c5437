// End-to-end tests of the manifest read path shared by stats and split (issue 17): the same
// output and the same bad-line report whatever --jobs is, from a file (mapped) and from a pipe,
// and each kind of bad line named with its line number.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using clipset::test::run_clipset;
using clipset::test::TempDir;
using clipset::test::write_file;

// A manifest of several read chunks (256 KiB each) with a bad line of each kind here and there.
struct BadManifest {
  std::string text;
  std::vector<std::string> expected;  // "LINE: reason" for each bad line
};

BadManifest bad_manifest() {
  const std::vector<std::pair<std::string, std::string>> kBad = {
      {std::string("{\"id\":\"n\",\"x\":\"a\0b\"}", 20), "not valid JSON (a NUL byte at byte 17)"},
      {"{\"id\":\"u\",\"x\":\"caf\xe9\"}", "not valid JSON (invalid UTF-8 at byte 19)"},
      {"{\"id\":\"d\",\"x\":" + std::string(70, '[') + std::string(70, ']') + "}", "nested deeper than 64 levels"},
      {"{\"id\":\"t\",\"duration\":\"long\"}", "field 'duration' must be a number, got a string"},
      {"{\"id\":\"v\",\"manifest_version\":9}", "manifest_version 9 is newer than this clipset reads (1); upgrade clipset"},
  };
  BadManifest m;
  std::size_t line = 0;
  for (int i = 0; i < 6000; ++i) {
    if (i % 997 == 500) {
      const auto& [text, reason] = kBad[static_cast<std::size_t>(i / 997) % kBad.size()];
      m.text += text + "\n";
      m.expected.push_back(std::to_string(++line) + ": " + reason);
    }
    Json r{{"id", "clip" + std::to_string(i)}, {"duration", 0.25 * (1 + i % 8)},
           {"labels", {"c" + std::to_string(i % 5)}}, {"group", "rec" + std::to_string(i % 90)},
           {"meta", {{"recorder", "r" + std::to_string(i % 4)}, {"note", std::string(60, 'x')}}},
           {"manifest_version", 1}, {"x_mine", {{"kept", true}, {"n", 1e-300}}}};
    m.text += r.dump() + (i % 7 == 0 ? "\r\n" : "\n");
    ++line;
  }
  return m;
}

void check_same_for_any_jobs(const std::vector<std::string>& args) {
  TempDir dir;
  const BadManifest m = bad_manifest();
  write_file(dir / "m.jsonl", m.text);
  std::vector<std::string> file_args = args, pipe_args = args;
  file_args.insert(file_args.begin() + 1, "m.jsonl");
  pipe_args.insert(pipe_args.begin() + 1, "-");
  const auto first = run_clipset(file_args, "", dir.path().string());
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  for (const auto& expected : m.expected) CHECK(first.err.find("m.jsonl:" + expected + "\n") != std::string::npos);
  for (const char* jobs : {"1", "2", "3"}) {
    auto with_jobs = [&](std::vector<std::string> a) {
      a.push_back("--jobs");
      a.push_back(jobs);
      return a;
    };
    const auto from_file = run_clipset(with_jobs(file_args), "", dir.path().string());
    CHECK(from_file.out == first.out);
    CHECK(from_file.err == first.err);
    const auto from_pipe = run_clipset(with_jobs(pipe_args), m.text, dir.path().string());
    CHECK(from_pipe.out == first.out);
    std::string renamed = first.err;
    for (std::size_t at = 0; (at = renamed.find("m.jsonl:", at)) != std::string::npos;) renamed.replace(at, 8, "(stdin):");
    CHECK(from_pipe.err == renamed);
  }
}

}  // namespace

TEST_CASE("read path: stats gives the same report and bad lines for any --jobs, file or pipe", "[read]") {
  check_same_for_any_jobs({"stats", "--by", "labels,meta.recorder", "--format", "json"});
}

TEST_CASE("read path: split gives the same bytes and bad lines for any --jobs, file or pipe", "[read]") {
  check_same_for_any_jobs({"split", "--folds", "3"});
}
