// End-to-end tests of the open-set pieces of issue 23: validate --open-set, the open-set share in
// stats, and compare's report of items chosen by a model (meta.selected_by).

#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

using Json = nlohmann::json;
using clipset::test::lines_of;
using clipset::test::run_clipset;
using clipset::test::TempDir;
using clipset::test::write_file;

// 28 train items (every 7th labelled unknown), 12 test items: dog, cat and owl (never in train),
// every other test item chosen by a model.
std::string open_set_manifest(bool unknown_in_test) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    const bool test = i >= 28;
    std::string label = i % 3 == 0 ? "dog" : i % 3 == 1 ? "cat" : "bird";
    if (test && i % 3 == 2) label = "owl";
    if (!test && i % 7 == 0) label = "unknown";
    if (test && unknown_in_test && i == 39) label = "background";
    Json r{{"id", "i" + std::to_string(i)}, {"labels", {label}}, {"split", test ? "test" : "train"}, {"group", "g" + std::to_string(i)},
           {"meta", {{"selected_by", test && i % 2 == 1 ? "model" : "random"}}}};
    text += r.dump() + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("validate --open-set: a test split without unknown examples, a test class unseen in train", "[open-set][validate][e2e]") {
  TempDir dir;
  const auto m = (dir / "m.jsonl").string();
  write_file(m, open_set_manifest(false));
  auto r = run_clipset({"validate", m, "--open-set", "--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(Json::parse(lines[0])["subject"] == "test");
  CHECK(Json::parse(lines[0])["message"] ==
        "split test (12 items) holds no item labelled 'unknown' or 'background': the model is never tested on sounds outside its classes");
  CHECK(Json::parse(lines[1])["subject"] == "owl");
  CHECK(Json::parse(lines[1])["message"].get<std::string>().find("class 'owl' has 4 items in split test and none in train") == 0);

  // Without --open-set the check does not run; with it and a background example only owl remains.
  CHECK(run_clipset({"validate", m}).exit_code == 0);
  write_file(m, open_set_manifest(true));
  r = run_clipset({"validate", m, "--open-set", "--format", "json"});
  CHECK(r.exit_code == 1);
  CHECK(lines_of(r.out).size() == 1);
  // owl declared outside the closed set: no findings; --open-set-labels alone is a usage error.
  r = run_clipset({"validate", m, "--open-set", "--open-set-labels", "owl,background"});
  CHECK(r.exit_code == 0);
  r = run_clipset({"validate", m, "--open-set-labels", "owl"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--open-set-labels: needs --open-set") != std::string::npos);
  // No test split at all: said, not passed silently.
  write_file(m, "{\"id\":\"a\",\"labels\":[\"dog\"]}\n");
  r = run_clipset({"validate", m, "--open-set"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("no items in split test: the open set cannot be checked") != std::string::npos);
}

TEST_CASE("stats: the open-set share per split, in the table and in JSON", "[open-set][stats][e2e]") {
  TempDir dir;
  const auto m = (dir / "m.jsonl").string();
  write_file(m, open_set_manifest(true));
  const auto table = run_clipset({"stats", m});
  CHECK(table.exit_code == 0);
  CHECK(table.out.find("open set (unknown, background): test 1 of 12 items (8.3 %), train 4 of 28 (14.3 %)") != std::string::npos);
  const auto json = run_clipset({"stats", m, "--format", "json", "--open-set-labels", "owl"});
  REQUIRE(json.exit_code == 0);
  const Json j = Json::parse(json.out);
  CHECK(j["open_set"]["labels"] == Json{"owl"});
  CHECK(j["open_set"]["by_split"]["test"]["items"] == 4);
  CHECK(j["open_set"]["by_split"]["train"]["items"] == 0);
}

TEST_CASE("compare --between split: items chosen by a model are counted per side and said", "[open-set][compare][e2e]") {
  TempDir dir;
  const auto m = (dir / "m.jsonl").string();
  write_file(m, open_set_manifest(false));
  const auto r = run_clipset({"compare", m, "--between", "split", "--by", "labels", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json c = Json::parse(r.out)["comparisons"][0];
  CHECK(c["selected_by"]["other"] == Json{{"model", 6}, {"random", 6}});
  CHECK(c["selected_by"]["reference"] == Json{{"random", 28}});
  CHECK(c["findings"][0].get<std::string>().find("test: 6 of 12 items (50.0%) were chosen by a model") == 0);
}
