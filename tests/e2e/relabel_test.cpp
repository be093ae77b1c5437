// End-to-end tests of `clipset relabel`, `ingest --unknown` (the same rule) and `stats
// --taxonomy --level`: the binary on manifests, taxonomies and audio the tests write; every
// documented error with its exit code.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/audio_fixtures.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::TempDir;
using clipset::test::write_file;

constexpr const char* kManifest =
    "{\"manifest_version\":1,\"id\":\"a\",\"labels\":[\"hound\"],\"n\":  1.50,\"annotations\":[{\"start\":0,\"end\":1,\"label\":\"hound\",\"annotator\":\"x\"}]}\n"
    "{\"manifest_version\":1,\"id\":\"b\",\"labels\":[\"meow\",\"dog\"],\"custom\":{\"k\":[1,2]}}\n"
    "{\"manifest_version\":1,\"id\":\"c\",\"labels\":[\"Cat\"],\"split\":\"test\"}\n";

constexpr const char* kMap = "# ours -> the taxonomy's\nhound\tDog\ndog\tDog\n";
constexpr const char* kTaxonomy = "animal/Dog\nanimal/Cat\nvehicle/Car\n";

std::vector<std::string> labels_of_lines(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text)) out.push_back(Json::parse(line)["labels"].dump());
  return out;
}

}  // namespace

TEST_CASE("relabel: --map renames labels and annotations, other bytes kept, unmapped labels named", "[relabel][e2e]") {
  TempDir dir;
  write_file(dir / "m.jsonl", kManifest);
  write_file(dir / "map.tsv", kMap);
  const auto r = run_clipset({"relabel", (dir / "m.jsonl").string(), "--map", (dir / "map.tsv").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].find("\"n\":  1.50") != std::string::npos);
  CHECK(Json::parse(lines[0])["annotations"][0]["label"] == "Dog");
  CHECK(lines[1] == "{\"manifest_version\":1,\"id\":\"b\",\"labels\":[\"meow\",\"Dog\"],\"custom\":{\"k\":[1,2]}}");
  CHECK(lines[2] == "{\"manifest_version\":1,\"id\":\"c\",\"labels\":[\"Cat\"],\"split\":\"test\"}");
  CHECK(r.err.find("clipset relabel: 3 items, 2 relabelled") != std::string::npos);
  CHECK(r.err.find("labels not in --map, kept as they are: Cat (1), meow (1)") != std::string::npos);
}

TEST_CASE("relabel: --taxonomy --unknown makes labels outside one class, -o may replace the input", "[relabel][e2e]") {
  TempDir dir;
  write_file(dir / "m.jsonl", kManifest);
  write_file(dir / "map.tsv", kMap);
  write_file(dir / "tax.txt", kTaxonomy);
  const auto m = (dir / "m.jsonl").string();
  const auto r = run_clipset({"relabel", m, "--map", (dir / "map.tsv").string(), "--taxonomy", (dir / "tax.txt").string(),
                              "--unknown", "unknown", "-o", m, "--jobs", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(labels_of_lines(read_file(m)) == std::vector<std::string>{"[\"Dog\"]", "[\"unknown\",\"Dog\"]", "[\"Cat\"]"});
  CHECK(r.err.find("labels outside --taxonomy made 'unknown': meow (1)") != std::string::npos);
  // Run again: nothing is outside any more, and the file stays byte for byte.
  const std::string before = read_file(m);
  const auto again = run_clipset({"relabel", m, "--taxonomy", (dir / "tax.txt").string(), "--unknown", "unknown", "-o", m});
  CHECK(again.exit_code == 0);
  CHECK(read_file(m) == before);
  CHECK(again.err.find("0 relabelled") != std::string::npos);
}

TEST_CASE("relabel: bad options and files, each one line with its exit code, nothing written", "[relabel][e2e]") {
  TempDir dir;
  write_file(dir / "m.jsonl", std::string(kManifest) + "not json\n");
  write_file(dir / "map.tsv", "hound Dog\n");
  write_file(dir / "tax.txt", kTaxonomy);
  const auto m = (dir / "m.jsonl").string();
  const auto out = (dir / "out.jsonl").string();
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"relabel", m, "-o", out}, 2, "clipset relabel: nothing to rewrite: give --map MAP.tsv, or --taxonomy FILE with --unknown LABEL, or both"},
      {{"relabel", m, "--unknown", "x", "-o", out}, 2, "clipset relabel: --unknown: needs --taxonomy (or --map)"},
      {{"relabel", m, "--taxonomy", (dir / "tax.txt").string(), "-o", out}, 2, "clipset relabel: --taxonomy: needs --unknown LABEL"},
      {{"relabel", m, "--map", (dir / "map.tsv").string(), "-o", out}, 2, "map.tsv:1: expected 'label<TAB>taxonomy label', found no tab"},
      {{"relabel", m, "--map", (dir / "nope.tsv").string(), "-o", out}, 3, "nope.tsv: no such file or directory"},
      {{"relabel", m, "--taxonomy", (dir / "tax.txt").string(), "--unknown", "u", "-o", (dir / "tax.txt").string()}, 2, "-o"},
      {{"relabel", m, "--taxonomy", (dir / "tax.txt").string(), "--unknown", "u", "--strict", "-o", out}, 1, "m.jsonl:4: not valid JSON"},
  };
  for (const auto& c : cases) {
    const auto r = run_clipset(c.args);
    INFO(r.command << "\n" << r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
  CHECK(read_file(dir / "tax.txt") == kTaxonomy);
  // Without --strict the bad line is named and left out; the run goes on.
  const auto r = run_clipset({"relabel", m, "--taxonomy", (dir / "tax.txt").string(), "--unknown", "u"});
  CHECK(r.exit_code == 0);
  CHECK(lines_of(r.out).size() == 3);
  CHECK(r.err.find("m.jsonl:4: not valid JSON") != std::string::npos);
}

TEST_CASE("ingest --taxonomy --unknown: folder labels outside the taxonomy become one class", "[relabel][ingest][e2e]") {
  TempDir dir;
  clipset::test::write_tone(dir / "lake/dog/a.wav");
  clipset::test::write_tone(dir / "lake/meow/b.wav");
  clipset::test::write_tone(dir / "lake/purr/c.wav");
  write_file(dir / "tax.txt", "dog\ncat\n");
  const auto r = run_clipset({"ingest", (dir / "lake").string(), "--taxonomy", (dir / "tax.txt").string(), "--unknown", "unknown"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(labels_of_lines(r.out) == std::vector<std::string>{"[\"dog\"]", "[\"unknown\"]", "[\"unknown\"]"});
  CHECK(r.err.find("labels outside --taxonomy made 'unknown': meow (1), purr (1)") != std::string::npos);
  const auto bad = run_clipset({"ingest", (dir / "lake").string(), "--unknown", "unknown"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--unknown: needs --taxonomy") != std::string::npos);
}

TEST_CASE("stats --taxonomy --level: counts roll up to a level, several parents, unknown labels named", "[relabel][stats][e2e]") {
  TempDir dir;
  write_file(dir / "ontology.json", R"([
    {"id": "/m/a", "name": "Animal", "child_ids": ["/m/d", "/m/w"]},
    {"id": "/m/d", "name": "Domestic", "child_ids": ["/m/dog"]},
    {"id": "/m/w", "name": "Wild", "child_ids": ["/m/dog", "/m/wolf"]},
    {"id": "/m/dog", "name": "Dog", "child_ids": []},
    {"id": "/m/wolf", "name": "Wolf", "child_ids": []},
    {"id": "/m/v", "name": "Vehicle", "child_ids": []}
  ])");
  write_file(dir / "m.jsonl",
             "{\"id\":\"1\",\"labels\":[\"Dog\"]}\n{\"id\":\"2\",\"labels\":[\"/m/wolf\"]}\n{\"id\":\"3\",\"labels\":[\"meow\"]}\n"
             "{\"id\":\"4\",\"labels\":[\"Dog\",\"Wolf\"]}\n{\"id\":\"5\",\"labels\":[\"Vehicle\"]}\n");
  const auto counts = [&](const std::string& level) {
    const auto r = run_clipset({"stats", (dir / "m.jsonl").string(), "--taxonomy", (dir / "ontology.json").string(), "--level", level,
                                "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("labels not in --taxonomy, counted under their own names: meow (1)") != std::string::npos);
    const Json j = Json::parse(r.out);
    CHECK(j["taxonomy"]["level"] == std::stoi(level));
    std::map<std::string, int> out;
    for (const auto& c : j["classes"]["list"]) out[c["label"]] = c["figures"]["items"];
    return out;
  };
  CHECK(counts("1") == std::map<std::string, int>{{"Animal", 3}, {"Vehicle", 1}, {"meow", 1}});
  CHECK(counts("2") == std::map<std::string, int>{{"Domestic", 2}, {"Wild", 3}, {"Vehicle", 1}, {"meow", 1}});
  const auto bad = run_clipset({"stats", (dir / "m.jsonl").string(), "--level", "2"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--level: needs --taxonomy FILE") != std::string::npos);
}
