// Streaming aggregation for clipset stats: cells of --by fields, classes, groups, imbalance,
// flags, and the renderings.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "clipset/error.hpp"
#include "clipset/stats.hpp"

namespace {

const char* const kManifest =
    R"({"id":"a1","duration":1.0,"labels":["dog"],"group":"r1","split":"train","meta":{"recorder":"anna"}})" "\n"
    R"({"id":"a2","duration":3.0,"labels":["dog","siren"],"group":"r1","split":"train","meta":{"recorder":"anna"}})" "\n"
    R"({"id":"b1","duration":2.0,"labels":["cat"],"group":"r2","split":"test","meta":{"recorder":"ben"}})" "\n"
    R"({"id":"b2","labels":[],"group":"r3","split":"train"})" "\n";

clipset::StatsReport stats_of(const std::string& text, clipset::StatsOptions options = {}) {
  std::istringstream in(text);
  return clipset::compute_stats(options, in, "test.jsonl");
}

const clipset::StatsRow* row_with(const clipset::StatsReport& r, const std::vector<std::string>& key) {
  for (const auto& row : r.rows) {
    if (row.key == key) return &row;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("stats counts items, groups and seconds per cell, multi-label items count in each class", "[stats]") {
  const auto r = stats_of(kManifest);
  CHECK(r.total.items == 4);
  CHECK(r.total.groups == 3);
  CHECK(r.total.timed == 3);
  CHECK(r.total.seconds == Approx(6.0));
  const auto* dog_train = row_with(r, {"dog", "train"});
  REQUIRE(dog_train);
  CHECK(dog_train->figures.items == 2);
  CHECK(dog_train->figures.groups == 1);
  CHECK(*dog_train->figures.mean_seconds() == Approx(2.0));
  CHECK(dog_train->figures.min_seconds == Approx(1.0));
  CHECK(dog_train->figures.max_seconds == Approx(3.0));
  REQUIRE(row_with(r, {"siren", "train"}));
  const auto* unlabelled = row_with(r, {"(none)", "train"});
  REQUIRE(unlabelled);
  CHECK_FALSE(unlabelled->figures.mean_seconds());  // no duration: no mean, no division by zero
  REQUIRE(r.classes.size() == 3);
  CHECK(r.classes[0].label == "dog");
  CHECK(r.classes[0].figures.items == 2);
  CHECK(r.classes[0].under_min);
  CHECK(*r.imbalance == Approx(2.0));
  CHECK(r.unlabelled == 1);
  CHECK(r.class_by_split.at("train").at("dog") == 2);
  CHECK(r.items_by_split.at("train") == 3);  // a1, a2 (two labels) and b2 (none): 4 labels, 3 items
  CHECK(r.items_by_split.at("test") == 1);
  const std::string html = clipset::stats_to_html(r, "t");
  CHECK(html.find(">4 labels, 3 items<") != std::string::npos);  // the bar says which count it shows
  CHECK(html.find(">1<") != std::string::npos);                   // test: one label on one item
}

TEST_CASE("stats --by takes any dotted field, items without it are (none)", "[stats]") {
  clipset::StatsOptions options;
  options.by = {"meta.recorder"};
  options.min_per_class = 1;
  const auto r = stats_of(kManifest, options);
  REQUIRE(r.rows.size() == 3);
  CHECK(row_with(r, {"anna"})->figures.items == 2);
  CHECK(row_with(r, {"(none)"})->figures.items == 1);
  CHECK(r.missing.at("meta.recorder") == 1);
  CHECK_FALSE(r.classes[0].under_min);
}

TEST_CASE("stats refuses a --by field that no item has", "[stats]") {
  clipset::StatsOptions options;
  options.by = {"meta.recordr"};
  try {
    stats_of(kManifest, options);
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::usage);
    CHECK(e.subject() == "{{by}} meta.recordr");
  }
  // A schema field nobody filled in yet is not a typo: an unsplit manifest has no split.
  options.by = {"split", "fold"};
  CHECK_NOTHROW(stats_of(kManifest, options));
}

TEST_CASE("stats of an empty manifest: zeros, no imbalance, every format renders", "[stats]") {
  const auto r = stats_of("\n");
  CHECK(r.total.items == 0);
  CHECK(r.rows.empty());
  CHECK_FALSE(r.imbalance);
  CHECK_FALSE(r.total.mean_seconds());
  CHECK(clipset::stats_to_json(r)["total"]["mean_seconds"].is_null());
  CHECK_FALSE(clipset::stats_to_table(r).empty());
  CHECK(clipset::stats_to_csv(r).rfind("labels,split,items", 0) == 0);
  CHECK(clipset::stats_to_html(r, "empty").find("</html>") != std::string::npos);
}

TEST_CASE("stats renderings: table aligned, csv quoted, markdown rows, json stable", "[stats]") {
  const auto r = stats_of(kManifest);
  const std::string table = clipset::stats_to_table(r);
  CHECK(table.find("labels  split  items") == 0);
  CHECK(table.find("imbalance 2.00 (items: dog 2 / siren 1)") != std::string::npos);
  const std::string csv = clipset::stats_to_csv(r);
  CHECK(csv.find("dog,train,2,1,4.0,2.00,1.00,3.00\n") != std::string::npos);
  CHECK(csv.find("total,,4,3,6.0,2.00,1.00,3.00\n") != std::string::npos);
  const std::string md = clipset::stats_to_markdown(r);
  CHECK(md.find("| dog | train | 2 | 1 | 4.0 | 2.00 | 1.00 | 3.00 |") != std::string::npos);
  const auto json = clipset::stats_to_json(r);
  CHECK(json["cells"][0]["key"]["labels"] == "(none)");
  CHECK(json["classes"]["under_min"].size() == 3);
  CHECK(json["total"]["items"] == 4);
}

TEST_CASE("stats: groups are counted exactly across many items in any order", "[stats]") {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += R"({"id":"i)" + std::to_string(i) + R"(","labels":["x"],"group":"g)" + std::to_string((i * 7919) % 5003) + "\"}\n";
  }
  const auto r = stats_of(text);
  CHECK(r.total.groups == 5003);
  CHECK(r.rows.front().figures.groups == 5003);
}

TEST_CASE("stats: the same report whatever --jobs, bad lines named with their line number", "[stats]") {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += i == 2500 ? std::string("{oops\n") : R"({"id":"i)" + std::to_string(i) + R"(","duration":0.5,"labels":["c)" + std::to_string(i % 4) + "\"]}\n";
  }
  std::vector<std::size_t> bad_lines;
  auto run = [&](unsigned jobs) {
    clipset::StatsOptions options;
    options.jobs = jobs;
    std::istringstream in(text);
    clipset::StatsCallbacks callbacks;
    callbacks.problem = [&](const clipset::ManifestProblem& p) { bad_lines.push_back(p.line); };
    return clipset::stats_to_json(clipset::compute_stats(options, in, "m.jsonl", callbacks));
  };
  const auto one = run(1);
  const auto four = run(4);
  CHECK(one == four);
  CHECK(one["items"] == 2999);
  CHECK(one["bad_lines"] == 1);
  CHECK(bad_lines == std::vector<std::size_t>{2501, 2501});
}
