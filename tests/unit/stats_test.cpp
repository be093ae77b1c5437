// Streaming aggregation for clipset stats: cells of --by fields, classes, groups, imbalance,
// flags, and the renderings.

#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>

#include "clipset/error.hpp"
#include "clipset/statistics.hpp"
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

TEST_CASE("stats test-set precision: Wilson half-widths over the test split's items and groups", "[stats][precision]") {
  std::string text;
  for (int i = 0; i < 37; ++i) {
    text += R"({"id":"s)" + std::to_string(i) + R"(","labels":["siren"],"group":"g)" + std::to_string(i % 5) + R"(","split":"test"})" "\n";
  }
  for (int i = 0; i < 400; ++i) {
    text += R"({"id":"d)" + std::to_string(i) + R"(","labels":["dog"],"group":"h)" + std::to_string(i) + R"(","split":"test"})" "\n";
  }
  text += R"({"id":"c0","labels":["cat"],"split":"train"})" "\n";
  const auto r = stats_of(text);
  const auto& p = r.precision;
  CHECK_FALSE(p.whole_manifest);
  CHECK(p.overall.items == 437);
  REQUIRE(p.classes.size() == 3);
  // Widest first: cat has no test items at all.
  CHECK(p.classes[0].label == "cat");
  CHECK(p.classes[0].items == 0);
  CHECK_FALSE(p.classes[0].half_width_items);
  CHECK(p.classes[0].over_max);
  CHECK(p.classes[1].label == "siren");
  CHECK(p.classes[1].items == 37);
  CHECK(p.classes[1].groups == 5);
  CHECK(*p.classes[1].half_width_items == Approx(clipset::wilson_half_width(37, 0.5)));
  CHECK(*p.classes[1].half_width_groups == Approx(clipset::wilson_half_width(5, 0.5)));
  CHECK(p.classes[1].over_max);
  CHECK(p.classes[2].label == "dog");
  CHECK_FALSE(p.classes[2].over_max);  // ±4.9 points
  CHECK(clipset::precision_statement(p.classes[1], false) == "with 37 test clips of 'siren', accuracy is known to \u00b115 points");
  CHECK(clipset::precision_statement(p.classes[0], false) == "no test clips of 'cat': its accuracy cannot be measured");
  CHECK(clipset::stats_to_table(r).find("with 37 test clips of 'siren', accuracy is known to \u00b115 points") != std::string::npos);
  CHECK(clipset::stats_to_json(r)["precision"]["classes"][1]["half_width_items"].get<double>() == Approx(0.15334424168941144));
}

TEST_CASE("stats test-set precision at --accuracy, --max-ci, and over the whole manifest without a test split", "[stats][precision]") {
  clipset::StatsOptions options;
  options.accuracy = 0.9;
  options.max_ci = 0.2;
  const auto r = stats_of(kManifest, options);
  // kManifest's test split holds b1 (cat) only.
  CHECK(r.precision.overall.items == 1);
  options.test_split = "holdout";  // no item there: every item is the test set
  const auto whole = stats_of(kManifest, options);
  CHECK(whole.precision.whole_manifest);
  CHECK(whole.precision.overall.items == 4);
  for (const auto& c : whole.precision.classes) {
    if (c.label != "dog") continue;
    CHECK(c.items == 2);
    CHECK(*c.half_width_items == Approx(clipset::wilson_half_width(2, 0.9)));
    CHECK(c.over_max);
  }
  options.accuracy = 1.5;
  CHECK_THROWS_AS(stats_of(kManifest, options), clipset::Error);
  options.accuracy.reset();
  options.max_ci = 0;
  CHECK_THROWS_AS(stats_of(kManifest, options), clipset::Error);
}

TEST_CASE("stats quotas: dates, targets from a file and from a curve, the sentence", "[stats]") {
  CHECK(clipset::quota_day("1970-01-01") == 0);
  CHECK(clipset::quota_day("2026-11-26T10:00:00Z") == clipset::quota_day("2026-11-26"));
  CHECK(*clipset::quota_day("2026-03-01") - *clipset::quota_day("2026-02-28") == 1);
  for (const char* bad : {"", "2026-13-01", "26-11-2026", "2026-11-26x", "yesterday"}) CHECK_FALSE(clipset::quota_day(bad));

  const auto targets = clipset::parse_quota_targets("# a comment\ndog, 40\n\nmeta.recorder=anna,5\r\n", "q.csv");
  CHECK(targets == std::map<std::string, std::size_t>{{"dog", 40}, {"meta.recorder=anna", 5}});
  CHECK_THROWS_WITH(clipset::parse_quota_targets("dog,40\ndog,41\n", "q.csv"), "q.csv:2: 'dog' has a target already");
  CHECK_THROWS_WITH(clipset::parse_quota_targets("dog,-1\n", "q.csv"), "q.csv:1: the target '-1' is not a whole number of items");

  const auto curve = clipset::Json::parse(R"({"target":{"per_class":{"dog":12.2,"cat":3}}})");
  CHECK(clipset::quota_targets_from_curve(curve, "c.json") == std::map<std::string, std::size_t>{{"cat", 3}, {"dog", 13}});
  CHECK_THROWS_WITH(clipset::quota_targets_from_curve(clipset::Json::parse(R"({"target":null})"), "c.json"),
                    Catch::StartsWith("c.json: holds no per-class target"));

  clipset::QuotaRow row{"labels", "dog", 37, 74.0, 100, 12, true};
  CHECK(clipset::quota_sentence(row) == "dog 37/100 clips (63 to go; at the last 4 weeks' 3 a week: about 21 weeks)");
  row.recent = 0;
  CHECK(clipset::quota_sentence(row) == "dog 37/100 clips (63 to go; none recorded in the last 4 weeks)");
  row.dated = false;
  CHECK(clipset::quota_sentence(row) == "dog 37/100 clips (63 to go; no recorded_at dates to project from)");
  row.items = 100;
  CHECK(clipset::quota_sentence(row) == "dog 100/100 clips (target reached)");
  clipset::QuotaRow recorder{"meta.recorder", "anna", 80, 0, 100, 40, true};
  CHECK(clipset::quota_sentence(recorder) == "meta.recorder=anna 80/100 clips (20 to go; at the last 4 weeks' 10 a week: about 2 weeks)");
}
