// The conventions every subcommand shares: help, version, usage errors and exit codes.

#include <catch2/catch.hpp>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using clipset::test::run_clipset;
using clipset::test::run_command;

namespace {

// The subcommands `clipset --help` lists under "Subcommands:" as "  name   description".
std::vector<std::string> listed_subcommands() {
  const auto main_help = run_clipset({"--help"});
  REQUIRE(main_help.exit_code == 0);
  std::vector<std::string> subcommands;
  bool in_list = false;
  for (const auto& line : clipset::test::lines_of(main_help.out)) {
    if (line.rfind("Subcommands:", 0) == 0) {
      in_list = true;
      continue;
    }
    if (in_list && line.rfind("  ", 0) == 0) {
      const auto begin = line.find_first_not_of(' ');
      const std::string name = line.substr(begin, line.find(' ', begin) - begin);
      if (name != "help") subcommands.push_back(name);
    } else if (in_list && !line.empty()) {
      in_list = false;
    }
  }
  REQUIRE_FALSE(subcommands.empty());
  return subcommands;
}

}  // namespace

TEST_CASE("clipset --version prints the version on stdout and exits 0", "[cli]") {
  const auto r = run_clipset({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("clipset ", 0) == 0);
  CHECK(r.err.empty());
  // The libraries it runs with, each as its own pkg-config module reports it (issue 22).
  for (const auto& [library, module] : std::vector<std::pair<std::string, std::string>>{
           {"libsndfile", "sndfile"}, {"libsoxr", "soxr"}, {"libsamplerate", "samplerate"}, {"Chromaprint", "libchromaprint"},
           {"simdjson", "simdjson"}, {"nlohmann/json", "nlohmann_json"}}) {
    INFO(library << "\n" << r.out);
    auto expected = run_command({"pkg-config", "--modversion", module}).out;
    while (!expected.empty() && expected.back() == '\n') expected.pop_back();
    const auto at = r.out.find("\n  " + library + " " + expected);
    REQUIRE(at != std::string::npos);
    const char after = r.out[at + 4 + library.size() + expected.size()];
    CHECK((after == '\n' || after == ' '));  // 1.2.0 is not 1.2.01
  }
  CHECK(r.out.find("\n  FFmpeg ") != std::string::npos);
}

TEST_CASE("every subcommand has --help with examples on stdout, exit 0", "[cli]") {
  for (const auto& sub : listed_subcommands()) {
    INFO(sub);
    const auto r = run_clipset({sub, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Examples:") != std::string::npos);
    CHECK(r.err.empty());
    const auto via_help = run_clipset({"help", sub});
    CHECK(via_help.exit_code == 0);
    CHECK(via_help.out == r.out);
  }
}

TEST_CASE("usage errors exit 2 with one clear line and nothing on stdout", "[cli]") {
  SECTION("unknown option") {
    const auto r = run_clipset({"ingest", "--no-such-option", "x"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("clipset ingest: ", 0) == 0);
  }
  SECTION("no subcommand") {
    const auto r = run_clipset({});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
  }
  SECTION("unknown help topic") {
    const auto r = run_clipset({"help", "frobnicate"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("frobnicate: no such subcommand") != std::string::npos);
  }
  SECTION("bad value") {
    const auto r = run_clipset({"ingest", "--jobs", "0", "."});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
  }
}

TEST_CASE("every subcommand has a doc page naming each of its options", "[cli]") {
  const auto subcommands = listed_subcommands();
  for (const auto& sub : subcommands) {
    INFO("subcommand " << sub);
    const std::string doc_path = std::string(CLIPSET_SOURCE_DIR) + "/docs/" + sub + ".md";
    std::string doc;
    REQUIRE_NOTHROW(doc = clipset::test::read_file(doc_path));
    CHECK(doc.find("## SYNOPSIS") != std::string::npos);
    CHECK(doc.find("## EXAMPLES") != std::string::npos);
    CHECK(doc.find("## EXIT STATUS") != std::string::npos);
    const auto help = run_clipset({sub, "--help"});
    // Every long option of --help appears in the page.
    const std::string& text = help.out;
    for (std::size_t at = text.find("--"); at != std::string::npos; at = text.find("--", at + 2)) {
      std::size_t end = at + 2;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-')) ++end;
      const std::string option = text.substr(at, end - at);
      if (option.size() <= 2 || option == "--help") continue;
      INFO("option " << option);
      CHECK(doc.find(option) != std::string::npos);
    }
  }
}

TEST_CASE("a binary file given as a manifest names only the first 20 bad lines", "[cli]") {
  clipset::test::TempDir dir;
  std::string garbage;
  for (int i = 0; i < 500; ++i) garbage += std::string("\x01\x02\xff RIFF") + char('a' + i % 26) + "\n";
  clipset::test::write_file(dir / "not-a-manifest.wav", garbage);
  const std::vector<std::vector<std::string>> commands = {{"split", "not-a-manifest.wav", "-o", "out.jsonl"},
                                                          {"segment", "not-a-manifest.wav", "--virtual", "-o", "out.jsonl"},
                                                          {"stats", "not-a-manifest.wav"}};
  for (const auto& command : commands) {
    INFO(command.front());
    const auto r = run_clipset(command, "", dir.path().string());
    std::size_t named = 0;
    for (const auto& line : clipset::test::lines_of(r.err)) named += line.find(": not valid JSON") != std::string::npos;
    CHECK(named == 20);
    CHECK(r.err.find("only the first 20 are named (--verbose names all)") != std::string::npos);
    CHECK(r.err.find("skipped 500 bad lines (the first 20 named above") != std::string::npos);
  }
}
