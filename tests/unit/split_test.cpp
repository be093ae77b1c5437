// `split` over whole manifests: property tests on random manifests and seeds (each item once, no
// group on two sides, byte-identical output whatever the jobs or line order, hash stability,
// folds, --keep-existing), plus the canonical output form and the error cases.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/split.hpp"

namespace {

using clipset::Json;
using clipset::SplitOptions;

struct Run {
  std::string out;
  clipset::SplitReport report;
  std::vector<clipset::ManifestProblem> problems;
};

Run run(const SplitOptions& options, const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out;
  Run r;
  clipset::SplitCallbacks callbacks;
  callbacks.problem = [&](const clipset::ManifestProblem& p) { r.problems.push_back(p); };
  r.report = clipset::split_manifest(options, in, "m.jsonl", out, "(stdout)", callbacks);
  r.out = out.str();
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<Json> records(const std::string& text) {
  std::vector<Json> out;
  for (const auto& line : lines(text)) out.push_back(Json::parse(line));
  return out;
}

std::string join_lines(const std::vector<std::string>& ls) {
  std::string text;
  for (const auto& l : ls) text += l + "\n";
  return text;
}

// A random manifest: groups of clips with a recorder each (recorders shared by some groups),
// single- or multi-label, durations, dates, and fields clipset does not know.
struct Shape {
  std::size_t items = 100;
  std::size_t groups = 20;
  std::size_t classes = 4;
  bool multi_label = false;
  double missing_group = 0;  // share of items without "group"
};

std::vector<std::string> random_manifest(std::uint64_t seed, const Shape& s, const std::string& id_prefix = "") {
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> group_class(s.groups);
  for (auto& c : group_class) c = rng() % s.classes;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.items; ++i) {
    const std::size_t g = (rng() % 4 == 0) ? rng() % std::max<std::size_t>(1, s.groups / 4) : rng() % s.groups;  // some big groups
    Json r = Json::object();
    r["id"] = id_prefix + "clip" + std::to_string(i) + ".wav";
    r["path"] = "clips/" + id_prefix + "clip" + std::to_string(i) + ".wav";
    r["duration"] = static_cast<double>(500 + rng() % 4500) / 1000.0;
    Json labels = Json::array({"c" + std::to_string(group_class[g])});
    if (s.multi_label && rng() % 4 == 0) labels.push_back("c" + std::to_string(rng() % s.classes));
    r["labels"] = labels;
    if (static_cast<double>(rng() % 1000) >= s.missing_group * 1000) r["group"] = "g" + std::to_string(g);
    r["meta"] = Json{{"recorder", "rec" + std::to_string(g % 7)}, {"day", "2026-0" + std::to_string(1 + g % 9) + "-15"}};
    r["reviewed"] = (i % 3 == 0);
    r["x_custom"] = Json{{"n", i}, {"note", "ü ∂"}};
    out.push_back(r.dump());
  }
  return out;
}

// Every value of `field` lies in one split: nothing leaks through it.
void check_no_leak(const std::vector<Json>& recs, const std::string& field, const std::string& assigned = "split") {
  std::map<std::string, std::string> where;
  for (const auto& r : recs) {
    const Json* v = clipset::find_field(r, field);
    if (v == nullptr || v->is_null()) continue;
    const auto key = clipset::field_key(*v);
    const auto value = r.contains(assigned) ? r[assigned].dump() : "none";
    const auto [it, inserted] = where.emplace(key, value);
    INFO(field << " = " << key);
    CHECK(it->second == value);
  }
}

std::map<std::string, std::pair<std::string, int>> assignment_by_id(const std::string& out) {
  std::map<std::string, std::pair<std::string, int>> m;
  for (const auto& r : records(out)) m[r["id"]] = {r["split"], r.value("fold", -1)};
  return m;
}

}  // namespace

TEST_CASE("split: every item exactly once, in input order, unknown fields kept, canonical lines", "[split][property]") {
  const auto seed = GENERATE(take(15, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 1 + seed % 300;
  shape.groups = 1 + seed % 40;
  shape.multi_label = seed % 2 == 0;
  const auto input = random_manifest(seed, shape);
  SplitOptions options;
  options.seed = seed;
  const auto r = run(options, join_lines(input));
  const auto out = lines(r.out);
  REQUIRE(out.size() == input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    const Json in = Json::parse(input[i]);
    const Json o = Json::parse(out[i]);
    CHECK(o["id"] == in["id"]);
    CHECK(o["x_custom"] == in["x_custom"]);
    CHECK(o["reviewed"] == in["reviewed"]);
    CHECK(o["meta"] == in["meta"]);
    // Exactly what the manifest writer would write for the item with its split.
    auto item = clipset::item_from_json(o);
    CHECK(item.split.has_value());
    CHECK(clipset::item_to_line(item) == out[i]);
  }
  CHECK(r.report.items == input.size());
}

TEST_CASE("split: the canonical line with split spliced in equals the writer's, for every field", "[split]") {
  clipset::Item item;
  item.id = "a";
  item.path = "p.wav";
  item.bytes = 10;
  item.sha256 = std::string(64, 'f');
  item.mtime = "2026-01-01T00:00:00.000000000Z";
  item.format = "wav";
  item.subtype = "pcm16";
  item.sample_rate = 16000;
  item.channels = 1;
  item.frames = 16000;
  item.duration = 1.0;
  item.labels = {"dog"};
  item.label_source = "sheet";
  clipset::Annotation a;
  a.label = "dog";
  a.extra["x"] = 1;
  item.annotations = {a};
  item.group = "g";
  item.source = clipset::ClipSource{"s", "s.wav", std::nullopt, 0.5, 1.0, Json{{"extra", true}}};
  item.split = "old";
  item.fold = 7;
  item.quality = Json{{"peak_dbfs", -3.0}};
  item.duplicate_of = "b";
  item.meta = Json{{"recorder", "r"}};
  item.extra["zzz"] = "last";
  item.extra["\"quoted\""] = Json::array({1, 2});
  SplitOptions options;
  options.names = {"train"};
  options.ratios = {1.0};
  options.folds = 2;
  const auto r = run(options, clipset::item_to_line(item) + "\n");
  auto expected = item;
  expected.split = "train";
  const auto out = lines(r.out);
  REQUIRE(out.size() == 1);
  expected.fold = clipset::item_from_json(Json::parse(out[0])).fold;
  CHECK(out[0] == clipset::item_to_line(expected));
}

TEST_CASE("split: no group in two splits, also across joined --group-by fields", "[split][property]") {
  const auto seed = GENERATE(take(20, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 50 + seed % 400;
  shape.groups = 5 + seed % 60;
  shape.classes = 2 + seed % 5;
  shape.multi_label = seed % 3 == 0;
  shape.missing_group = seed % 4 == 0 ? 0.1 : 0.0;
  const auto input = join_lines(random_manifest(seed, shape));
  SplitOptions options;
  options.seed = seed;
  options.method = seed % 5 == 0 ? clipset::SplitMethod::hash : clipset::SplitMethod::balanced;
  SECTION("one field") {
    const auto recs = records(run(options, input).out);
    check_no_leak(recs, "group");
  }
  SECTION("two fields join groups") {
    options.group_by = {"group", "meta.recorder"};
    const auto recs = records(run(options, input).out);
    check_no_leak(recs, "group");
    check_no_leak(recs, "meta.recorder");
  }
}

TEST_CASE("split: same input and seed give identical bytes whatever --jobs or line order", "[split][property]") {
  const auto seed = GENERATE(take(8, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 100 + seed % 1200;
  shape.groups = 10 + seed % 200;
  shape.multi_label = true;
  auto input = random_manifest(seed, shape);
  SplitOptions options;
  options.seed = seed;
  options.folds = seed % 2 == 0 ? 3 : 0;
  options.jobs = 1;
  const auto one = run(options, join_lines(input));
  CHECK(one.out == run(options, join_lines(input)).out);
  options.jobs = 4;
  CHECK(one.out == run(options, join_lines(input)).out);
  std::mt19937_64 rng(seed);
  std::shuffle(input.begin(), input.end(), rng);
  const auto shuffled = run(options, join_lines(input));
  CHECK(assignment_by_id(shuffled.out) == assignment_by_id(one.out));
}

TEST_CASE("split: hash method is stable when items are added", "[split][property][hash]") {
  const auto seed = GENERATE(take(10, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 200;
  shape.groups = 40;
  const auto before = random_manifest(seed, shape);
  shape.groups = 60;  // new groups and new items of old groups
  const auto added = random_manifest(seed + 1, shape, "new_");
  SplitOptions options;
  options.method = clipset::SplitMethod::hash;
  options.folds = 4;
  options.seed = seed;
  const auto old_run = assignment_by_id(run(options, join_lines(before)).out);
  auto all = before;
  all.insert(all.end(), added.begin(), added.end());
  options.seed = seed + 12345;  // the hash method does not use the seed
  const auto new_run = assignment_by_id(run(options, join_lines(all)).out);
  for (const auto& [id, where] : old_run) {
    INFO(id);
    CHECK(new_run.at(id) == where);
  }
}

TEST_CASE("split: folds: every item exactly one fold, groups whole, --folds-within limits them", "[split][property][folds]") {
  const auto seed = GENERATE(take(10, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 100 + seed % 500;
  shape.groups = 20 + seed % 80;
  const auto input = join_lines(random_manifest(seed, shape));
  SplitOptions options;
  options.seed = seed;
  options.folds = 2 + static_cast<int>(seed % 6);
  SECTION("every item") {
    const auto recs = records(run(options, input).out);
    for (const auto& r : recs) {
      REQUIRE(r.contains("fold"));
      CHECK(r["fold"].get<int>() >= 0);
      CHECK(r["fold"].get<int>() < options.folds);
    }
    check_no_leak(recs, "group", "fold");
  }
  SECTION("within train") {
    options.folds_within = {"train"};
    const auto recs = records(run(options, input).out);
    for (const auto& r : recs) CHECK(r.contains("fold") == (r["split"] == "train"));
    check_no_leak(recs, "group", "fold");
  }
}

TEST_CASE("split: --keep-existing never moves a kept item, and new items join their group", "[split][property]") {
  const auto seed = GENERATE(take(10, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 150;
  shape.groups = 30;
  SplitOptions options;
  options.seed = seed;
  options.folds = 3;
  const auto first = run(options, join_lines(random_manifest(seed, shape)));
  shape.groups = 45;
  auto grown = lines(first.out);
  for (const auto& line : random_manifest(seed + 7, shape, "new_")) grown.push_back(line);
  options.keep_existing = true;
  options.seed = seed + 1;
  const auto second = run(options, join_lines(grown));
  const auto before = assignment_by_id(first.out);
  const auto after = assignment_by_id(second.out);
  for (const auto& [id, where] : before) {
    INFO(id);
    CHECK(after.at(id) == where);
  }
  const auto recs = records(second.out);
  check_no_leak(recs, "group");
  check_no_leak(recs, "group", "fold");
  CHECK(second.report.kept_items == before.size());
}

TEST_CASE("split: per-class deviation within the documented bound (single label)", "[split][property]") {
  const auto seed = GENERATE(take(15, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 100 + seed % 1500;
  shape.groups = 10 + seed % 200;
  shape.classes = 1 + seed % 9;
  SplitOptions options;
  options.seed = seed;
  if (seed % 3 == 0) {
    options.ratios = {0.7, 0.15, 0.15};
  } else if (seed % 3 == 1) {
    options.ratios = {0.5, 0.5};
    options.names = {"a", "b"};
  }
  const auto recs = records(run(options, join_lines(random_manifest(seed, shape))).out);
  // Items per (class, group) and per (class, split).
  std::map<std::string, std::map<std::string, double>> per_group, per_split;
  std::map<std::string, double> total;
  for (const auto& r : recs) {
    const auto label = r["labels"][0].get<std::string>();
    const auto group = r.value("group", r["id"].get<std::string>());
    per_group[label][group] += 1;
    per_split[label][r["split"]] += 1;
    total[label] += 1;
  }
  for (const auto& [label, groups] : per_group) {
    double heaviest = 0;
    for (const auto& [g, n] : groups) heaviest = std::max(heaviest, n);
    const double bound = static_cast<double>(options.ratios.size() - 1) * heaviest;
    for (std::size_t j = 0; j < options.names.size(); ++j) {
      const double have = per_split[label][options.names[j]];
      INFO("class " << label << " in " << options.names[j] << ": " << have << " of " << total[label]);
      CHECK(std::fabs(have - options.ratios[j] * total[label]) <= bound + 1e-9);
    }
  }
}

TEST_CASE("split: hold-outs go to their split first, whole groups", "[split]") {
  Shape shape;
  shape.items = 300;
  shape.groups = 40;
  const auto input = join_lines(random_manifest(3, shape));
  SplitOptions options;
  options.ratios = {0.9, 0.1, 0.0};
  options.holdouts = {clipset::parse_holdout("meta.day>=2026-08-01:test")};
  const auto r = run(options, input);
  const auto recs = records(r.out);
  for (const auto& r2 : recs) {
    if (r2["meta"]["day"].get<std::string>() >= "2026-08-01") CHECK(r2["split"] == "test");
    else if (r2.contains("group")) CHECK(r2["split"] != "test");  // a zero ratio takes only held-out groups
  }
  check_no_leak(recs, "group");
  REQUIRE(r.report.holdouts.size() == 1);
  CHECK(r.report.holdouts[0].matched_items > 0);
  CHECK(r.report.holdouts[0].items >= r.report.holdouts[0].matched_items);
}

TEST_CASE("split: bad lines are named with their line numbers, across read chunks, whatever --jobs", "[split]") {
  Shape shape;
  shape.items = 2000;  // about 400 KB: more than one 256 KiB chunk
  auto input = random_manifest(11, shape);
  input[0] = "not json";
  input[999] = "[1,2]";
  input[1999] = R"({"id":""})";
  input.insert(input.begin() + 500, "");  // a blank line counts as a line, and is no problem
  for (const unsigned jobs : {1u, 3u}) {
    SplitOptions options;
    options.jobs = jobs;
    const auto r = run(options, join_lines(input));
    REQUIRE(r.problems.size() == 3);
    CHECK(r.problems[0].line == 1);
    CHECK(r.problems[1].line == 1001);
    CHECK(r.problems[1].reason == "expected a JSON object, got an array");
    CHECK(r.problems[2].line == 2001);
    CHECK(r.problems[2].reason == "field 'id' is empty");
    CHECK(r.problems[2].source == "m.jsonl");
    CHECK(r.report.bad_lines == 3);
    CHECK(r.report.items == 1997);
    CHECK(lines(r.out).size() == 1997);
  }
  SplitOptions strict;
  strict.strict = true;
  try {
    run(strict, join_lines(input));
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.subject() == "m.jsonl:1");
  }
}

TEST_CASE("split: an empty manifest is valid and writes nothing", "[split]") {
  const auto r = run(SplitOptions{}, "");
  CHECK(r.out.empty());
  CHECK(r.report.items == 0);
  CHECK(run(SplitOptions{}, "\n\n").out.empty());
}

TEST_CASE("split: option errors are usage errors", "[split]") {
  auto usage = [](const SplitOptions& o) {
    try {
      clipset::check_split_options(o);
    } catch (const clipset::Error& e) {
      CHECK(e.kind() == clipset::ErrorKind::usage);
      return std::string(e.what());
    }
    FAIL("no error");
    return std::string();
  };
  SplitOptions o;
  o.names = {"train", "test"};
  CHECK_THAT(usage(o), Catch::Contains("2 names for 3 ratios"));
  o.names = {"a", "a", "b"};
  CHECK_THAT(usage(o), Catch::Contains("'a' is given twice"));
  o = SplitOptions{};
  o.holdouts = {clipset::parse_holdout("meta.device=x:tset")};
  CHECK_THAT(usage(o), Catch::Contains("no split named 'tset'"));
  o = SplitOptions{};
  o.folds_within = {"train"};
  CHECK_THAT(usage(o), Catch::Contains("needs {{folds}}"));
  o.folds = 3;
  o.folds_within = {"dev"};
  CHECK_THAT(usage(o), Catch::Contains("no split named 'dev'"));
  o = SplitOptions{};
  o.group_by = {"meta."};
  CHECK_THAT(usage(o), Catch::Contains("not a field name"));
}

TEST_CASE("split: data problems: unknown kept splits, --strict on ungrouped items and leaks", "[split]") {
  auto data_error = [](const SplitOptions& o, const std::string& input) {
    try {
      run(o, input);
    } catch (const clipset::Error& e) {
      CHECK(e.kind() == clipset::ErrorKind::data);
      return std::string(e.what());
    }
    FAIL("no error");
    return std::string();
  };
  SplitOptions keep;
  keep.keep_existing = true;
  CHECK_THAT(data_error(keep, R"({"id":"a","split":"dev"})" "\n"), Catch::Contains("'dev' (1)"));
  SplitOptions strict;
  strict.strict = true;
  CHECK_THAT(data_error(strict, R"({"id":"a"})" "\n"), Catch::Contains("none of the {{group_by}} fields (group), first a"));
  keep.strict = true;
  CHECK_THAT(data_error(keep, R"({"id":"a","group":"g","split":"train"})" "\n" R"({"id":"b","group":"g","split":"test"})" "\n"),
             Catch::Contains("g: train (1), test (1)"));
  SplitOptions seconds;
  seconds.weight = clipset::SplitWeight::seconds;
  CHECK_THAT(data_error(seconds, R"({"id":"a","group":"g"})" "\n"), Catch::Contains("no item has a duration"));
}

TEST_CASE("split: items without a --group-by value fall back to their group, then source.id", "[split]") {
  SplitOptions options;
  options.group_by = {"meta.recorder"};
  options.seed = 3;
  std::string input;
  // 40 recordings of 5 clips each, none with meta.recorder; half of them only with source.id.
  for (int r = 0; r < 40; ++r) {
    for (int c = 0; c < 5; ++c) {
      const auto id = "r" + std::to_string(r) + "c" + std::to_string(c);
      const auto owner = r % 2 ? R"("group":"rec)" + std::to_string(r) + R"(")" : R"("source":{"id":"rec)" + std::to_string(r) + R"("})";
      input += R"({"id":")" + id + R"(","labels":["x"],)" + owner + "}\n";
    }
  }
  const auto r = run(options, input);
  const auto recs = records(r.out);
  REQUIRE(recs.size() == 200);
  for (std::size_t i = 0; i < recs.size(); i += 5) {
    for (std::size_t c = 1; c < 5; ++c) CHECK(recs[i + c]["split"] == recs[i]["split"]);
  }
  CHECK(r.report.ungrouped_items == 200);
  std::set<std::string> used;
  for (const auto& rec : recs) used.insert(rec["split"].get<std::string>());
  CHECK(used.size() == 3);  // 40 groups, not one lump
}

TEST_CASE("split: without --strict, a leak among kept items is reported and kept as it is", "[split]") {
  SplitOptions keep;
  keep.keep_existing = true;
  const auto r = run(keep, R"({"id":"a","group":"g","split":"train"})" "\n" R"({"id":"b","group":"g","split":"test"})" "\n"
                           R"({"id":"c","group":"g"})" "\n");
  const auto recs = records(r.out);
  CHECK(recs[0]["split"] == "train");
  CHECK(recs[1]["split"] == "test");
  CHECK(recs[2]["split"] == "train");  // the first of the tied parts
  REQUIRE(r.report.kept_conflicts.size() == 1);
  CHECK(r.report.kept_conflicts[0].group == "g");
}

TEST_CASE("split: the report counts items, groups and seconds per split and class", "[split]") {
  SplitOptions options;
  options.names = {"a", "b"};
  options.ratios = {0.5, 0.5};
  std::string input;
  for (int i = 0; i < 8; ++i) {
    input += R"({"id":")" + std::to_string(i) + R"(","group":"g)" + std::to_string(i / 2) + R"(","duration":1.5,"labels":[")" +
             (i < 4 ? "x" : "y") + "\"]}\n";
  }
  const auto r = run(options, input);
  REQUIRE(r.report.splits.size() == 2);
  CHECK(r.report.splits[0].items == 4);
  CHECK(r.report.splits[1].items == 4);
  CHECK(r.report.splits[0].groups == 2);
  CHECK(r.report.splits[0].seconds == Approx(6.0));
  CHECK(r.report.max_abs_deviation == 0);
  REQUIRE(r.report.classes.size() == 2);
  CHECK(r.report.classes[0].name == "x");
  CHECK(r.report.classes[0].parts[0].items == 2);
  CHECK(r.report.max_abs_class_deviation == 0);
  const auto json = clipset::split_report_to_json(r.report);
  CHECK(json["splits"][1]["name"] == "b");
  CHECK(json["classes"][1]["parts"][0]["share"] == 0.5);
  CHECK_FALSE(clipset::split_report_lines(r.report).empty());
}

TEST_CASE("split: sparse classes and large groups are named in the report", "[split]") {
  std::string input;
  for (int i = 0; i < 20; ++i) input += R"({"id":")" + std::to_string(i) + R"(","group":"big","labels":["common"]})" "\n";
  for (int i = 0; i < 10; ++i) {
    input += R"({"id":"s)" + std::to_string(i) + R"(","group":"s)" + std::to_string(i) + R"(","labels":["common"]})" "\n";
  }
  input += R"({"id":"r","group":"r","labels":["rare"]})" "\n";
  const auto r = run(SplitOptions{}, input);
  REQUIRE_FALSE(r.report.large_groups.empty());
  CHECK(r.report.large_groups[0].key == "big");
  CHECK(r.report.large_groups[0].items == 20);
  bool rare_named = false;
  for (const auto& c : r.report.sparse_classes) {
    if (c.name == "rare") {
      rare_named = true;
      CHECK(c.groups == 1);
      CHECK(c.missing_from.size() == 2);
    }
  }
  CHECK(rare_named);
}

TEST_CASE("split: --stratify none and --weight seconds balance what they are asked to", "[split]") {
  const auto seed = GENERATE(take(5, random(0ULL, 1ULL << 40)));
  Shape shape;
  shape.items = 400;
  shape.groups = 60;
  const auto input = join_lines(random_manifest(seed, shape));
  SplitOptions options;
  options.seed = seed;
  options.stratify = "";
  options.weight = clipset::SplitWeight::seconds;
  const auto r = run(options, input);
  CHECK(r.report.classes.empty());
  // Groups without classes are dealt by size alone: the same bound holds for the split sizes.
  std::map<std::string, double> group_seconds, split_seconds;
  double total = 0;
  for (const auto& rec : records(r.out)) {
    group_seconds[rec["group"]] += rec["duration"].get<double>();
    split_seconds[rec["split"]] += rec["duration"].get<double>();
    total += rec["duration"].get<double>();
  }
  double heaviest = 0;
  for (const auto& [g, s] : group_seconds) heaviest = std::max(heaviest, s);
  for (std::size_t j = 0; j < options.names.size(); ++j) {
    INFO(options.names[j] << ": " << split_seconds[options.names[j]] << " s of " << total);
    CHECK(std::fabs(split_seconds[options.names[j]] - options.ratios[j] * total) <= 2 * heaviest + 1e-6);
  }
  CHECK(r.report.splits[0].seconds == Approx(split_seconds["train"]));
}

TEST_CASE("split: --stratify FIELD balances the values of any field", "[split]") {
  Shape shape;
  shape.items = 600;
  shape.groups = 70;
  SplitOptions options;
  options.stratify = "meta.recorder";
  const auto r = run(options, join_lines(random_manifest(5, shape)));
  REQUIRE(r.report.classes.size() == 7);
  CHECK(r.report.classes[0].name == "rec0");
  CHECK(r.report.unlabelled_items == 0);
}

TEST_CASE("split: a class field with a value per item is refused, not a quadratic run", "[split]") {
  std::string input;
  for (int i = 0; i < 20005; ++i) input += R"({"id":"i)" + std::to_string(i) + R"(","group":"g"})" "\n";
  SplitOptions options;
  options.stratify = "id";
  try {
    run(options, input);
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::usage);
    CHECK_THAT(e.reason(), Catch::Contains("20005 distinct values"));
  }
}

// Issue 17: a line is written back as it was read, with only split and fold changed.
TEST_CASE("split: unknown members, spacing and number forms kept byte for byte", "[split][splice]") {
  std::mt19937_64 rng(17);
  const char* const kUnknown[] = {"\"x_note\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\"", "\"x_big\":18446744073709551616",
                                  "\"x_num\" : 1.0E+2", "\"x_deep\":{\"a\":[1,{\"b\":null}],\"c\":-0}",
                                  "\"x_tiny\":5e-324", "\"x_list\":[ true , false ]"};
  std::vector<std::string> input;
  std::vector<std::vector<std::string>> kept;  // per line, the members that must survive verbatim
  for (int i = 0; i < 400; ++i) {
    std::vector<std::string> members = {"\"id\":\"c" + std::to_string(i) + "\"", "\"duration\": 1",
                                        "\"labels\":[\"dog\"]", "\"group\":\"g" + std::to_string(i % 20) + "\"",
                                        "\"meta\":{\"recorder\":\"r" + std::to_string(i % 3) + "\",\"z\":1e308}",
                                        "\"manifest_version\":1"};
    for (const char* u : kUnknown) {
      if (rng() % 2) members.push_back(u);
    }
    std::vector<std::string> survivors = members;
    if (rng() % 3 == 0) members.insert(members.begin() + 4, "\"split\":\"old\"");
    if (rng() % 3 == 0) members.push_back("\"fold\":9");
    std::string line = "{";
    for (std::size_t k = 0; k < members.size(); ++k) line += (k ? "," : "") + members[k];
    input.push_back(line + "}");
    kept.push_back(survivors);
  }
  SplitOptions options;
  options.folds = 3;
  const auto r = run(options, join_lines(input));
  const auto out = lines(r.out);
  REQUIRE(out.size() == input.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    CAPTURE(input[i], out[i]);
    for (const auto& member : kept[i]) CHECK(out[i].find(member) != std::string::npos);
    const Json o = Json::parse(out[i]);
    CHECK(o["split"].is_string());
    CHECK(o["split"] != "old");
    CHECK(o["fold"].is_number_integer());
    // The line is its input with split and fold taken out and the new ones put after "group".
    std::string expected = "{";
    for (std::size_t k = 0; k < kept[i].size(); ++k) {
      expected += (k ? "," : "") + kept[i][k];
      if (k == 3) expected += ",\"split\":" + o["split"].dump() + ",\"fold\":" + o["fold"].dump();
    }
    CHECK(out[i] == expected + "}");
  }
}

TEST_CASE("split: a line without manifest_version or with an escaped key is written canonically", "[split][splice]") {
  SplitOptions options;
  options.names = {"train"};
  options.ratios = {1.0};
  const std::string plain = "{\"id\":\"a\",\"duration\":1,\"x\":1.0E+2}";
  const std::string escaped = "{\"id\":\"b\",\"manifest_version\":1,\"dur\\u0061tion\":2}";
  const std::string with_bom = "\xEF\xBB\xBF{\"id\":\"c\" , \"manifest_version\":1}  ";
  const auto out = lines(run(options, plain + "\n" + escaped + "\n" + with_bom + "\n").out);
  REQUIRE(out.size() == 3);
  CHECK(out[0] == "{\"id\":\"a\",\"duration\":1.0,\"labels\":[],\"split\":\"train\",\"manifest_version\":1,\"x\":100.0}");
  CHECK(out[1] == "{\"id\":\"b\",\"duration\":2.0,\"labels\":[],\"split\":\"train\",\"manifest_version\":1}");
  CHECK(out[2] == "{\"id\":\"c\" ,\"split\":\"train\", \"manifest_version\":1}");
}
