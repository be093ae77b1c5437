// clipset compare as a library: periods, sides, field kinds, one-sided values, findings.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "clipset/compare.hpp"
#include "clipset/error.hpp"

namespace {

clipset::CompareReport compare_texts(const clipset::CompareOptions& options, const std::string& a, const std::string& b = "") {
  std::istringstream in_a(a), in_b(b);
  clipset::ManifestBlocks blocks_a(in_a, "a.jsonl"), blocks_b(in_b, "b.jsonl");
  std::vector<clipset::ManifestBlocks*> inputs{&blocks_a};
  if (options.mode == clipset::CompareMode::files) inputs.push_back(&blocks_b);
  return clipset::compare_manifests(options, inputs);
}

std::string item(const std::string& id, const std::string& label, const std::string& device, double duration,
                 const std::string& split = "train") {
  return R"({"id":")" + id + R"(","labels":[")" + label + R"("],"duration":)" + std::to_string(duration) + R"(,"split":")" + split +
         R"(","meta":{"device":")" + device + R"("}})" "\n";
}

}  // namespace

TEST_CASE("period_of: days, ISO weeks and months of the date a timestamp starts with", "[compare]") {
  using clipset::ComparePeriod;
  using clipset::period_of;
  CHECK(period_of("2026-03-04T10:00:00Z", ComparePeriod::day) == "2026-03-04");
  CHECK(period_of("2026-03-04 10:00", ComparePeriod::month) == "2026-03");
  CHECK(period_of("2026-03-04", ComparePeriod::week) == "2026-W10");
  CHECK(period_of("2021-01-03", ComparePeriod::week) == "2020-W53");  // a Sunday: the week of 2020's last Thursday
  CHECK(period_of("2024-12-30", ComparePeriod::week) == "2025-W01");  // a Monday whose Thursday is in 2025
  CHECK(period_of("2024-02-29", ComparePeriod::day) == "2024-02-29");
  CHECK_FALSE(period_of("2023-02-29", ComparePeriod::day));
  CHECK_FALSE(period_of("2026-13-01", ComparePeriod::month));
  CHECK_FALSE(period_of("20260304", ComparePeriod::day));
  CHECK_FALSE(period_of("2026-03-04x", ComparePeriod::day));
  CHECK_FALSE(period_of("", ComparePeriod::day));
  CHECK(clipset::parse_compare_period("week") == ComparePeriod::week);
  CHECK_THROWS_AS(clipset::parse_compare_period("year"), clipset::Error);
}

TEST_CASE("compare: categorical and numeric fields, values on one side only, findings", "[compare]") {
  std::string a, b;
  for (int i = 0; i < 40; ++i) a += item("a" + std::to_string(i), i % 2 ? "dog" : "cat", i % 4 ? "pixel" : "X", 1.0 + 0.01 * i);
  for (int i = 0; i < 30; ++i) b += item("b" + std::to_string(i), i % 3 ? "dog" : "bird", "pixel", 2.0 + 0.01 * i);
  clipset::CompareOptions options;
  options.by = {"labels", "meta.device", "duration"};
  options.threshold = 0.1;
  const auto r = compare_texts(options, a, b);
  REQUIRE(r.comparisons.size() == 1);
  const auto& c = r.comparisons[0];
  CHECK(c.reference == "a.jsonl");
  CHECK(c.other == "b.jsonl");
  REQUIRE(c.fields.size() == 3);
  CHECK_FALSE(c.fields[0].numeric);
  CHECK(c.fields[0].only_reference == std::vector<std::string>{"cat"});
  CHECK(c.fields[0].only_other == std::vector<std::string>{"bird"});
  CHECK(c.fields[0].chi_square);
  CHECK_FALSE(c.fields[0].ks);
  CHECK(c.fields[2].numeric);
  REQUIRE(c.fields[2].ks);
  CHECK(c.fields[2].ks->statistic == Approx(1.0));
  CHECK(c.fields[2].ks->exact);
  CHECK(c.fields[2].over_threshold);
  CHECK(r.over_threshold());
  bool device_finding = false;
  for (const auto& f : c.findings) device_finding = device_finding || f == "b.jsonl holds no items with meta.device 'X', which is 25.0% of a.jsonl";
  CHECK(device_finding);
  // The JSON report carries the figures.
  const auto json = clipset::compare_to_json(r);
  CHECK(json["over_threshold"] == true);
  CHECK(json["comparisons"][0]["fields"][2]["ks"]["method"] == "exact");
}

TEST_CASE("compare --between split: the largest split is the reference, items without a split left out", "[compare]") {
  std::string text;
  for (int i = 0; i < 20; ++i) text += item("t" + std::to_string(i), "dog", "pixel", 1.0, "train");
  for (int i = 0; i < 5; ++i) text += item("v" + std::to_string(i), "dog", "pixel", 1.0, "val");
  for (int i = 0; i < 6; ++i) text += item("e" + std::to_string(i), "dog", "pixel", 1.0, "test");
  text += R"({"id":"loose","labels":["dog"]})" "\n";
  clipset::CompareOptions options;
  options.mode = clipset::CompareMode::split;
  options.by = {"labels"};
  const auto r = compare_texts(options, text);
  REQUIRE(r.comparisons.size() == 2);
  CHECK(r.comparisons[0].reference == "train");
  CHECK(r.comparisons[0].other == "test");
  CHECK(r.comparisons[1].other == "val");
  CHECK(r.left_out == 1);
  CHECK(r.left_out_examples == std::vector<std::string>{"loose: no split"});
  CHECK(*r.comparisons[0].fields[0].js == Approx(0.0).margin(1e-15));
  CHECK_FALSE(r.over_threshold());
}

TEST_CASE("compare refuses what cannot be compared", "[compare]") {
  const std::string a = item("a", "dog", "pixel", 1.0);
  clipset::CompareOptions options;
  CHECK_THROWS_AS(compare_texts(options, a, a), clipset::Error);  // no --by
  options.by = {"meta.nothing"};
  CHECK_THROWS_AS(compare_texts(options, a, a), clipset::Error);
  options.by = {"labels"};
  options.threshold = 1.5;
  CHECK_THROWS_AS(compare_texts(options, a, a), clipset::Error);
  options.threshold.reset();
  options.mode = clipset::CompareMode::split;
  options.by = {"split"};
  CHECK_THROWS_AS(compare_texts(options, a), clipset::Error);
}
