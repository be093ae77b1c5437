// The conventions every subcommand shares: help, version, usage errors and exit codes.

#include <catch2/catch.hpp>

#include "support/run_command.hpp"

using clipset::test::run_clipset;

TEST_CASE("--version prints the version on stdout and exits 0", "[cli]") {
  const auto r = run_clipset({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("clipset ", 0) == 0);
  CHECK(r.err.empty());
}

TEST_CASE("every subcommand has --help with examples on stdout, exit 0", "[cli]") {
  for (const char* sub : {"ingest"}) {
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
