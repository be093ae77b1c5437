// learning-curve's pieces: the size schedule, shares by largest remainder, subsets drawn by
// group, the feature cache on disk, virtual clips cut from their source, the annotator ceiling,
// the table for people.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "learn/curve_internal.hpp"
#include "clipset/error.hpp"
#include "support/audio_fixtures.hpp"
#include "support/table_columns.hpp"
#include "support/temp_dir.hpp"

using clipset::Error;
using clipset::ErrorKind;
using clipset::LearningCurveOptions;
namespace detail = clipset::detail;

namespace {

detail::TrainPool pool_of(const std::vector<std::vector<std::size_t>>& groups_per_class) {
  detail::TrainPool pool;
  std::size_t next = 0;
  for (const auto& sizes : groups_per_class) {
    pool.by_class.emplace_back();
    pool.class_items.push_back(0);
    for (const std::size_t items : sizes) {
      std::vector<std::size_t> group;
      for (std::size_t i = 0; i < items; ++i) group.push_back(next++);
      pool.by_class.back().push_back(group);
      pool.class_items.back() += items;
      pool.total += items;
    }
  }
  return pool;
}

bool is_usage_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind() == ErrorKind::usage;
  }
  return false;
}

}  // namespace

TEST_CASE("learning-curve: --sizes takes counts and shares and names a bad entry", "[learning-curve]") {
  const auto sizes = clipset::parse_sizes("100, 25%,7");
  REQUIRE(sizes.size() == 3);
  CHECK(sizes[0].value == 100);
  CHECK_FALSE(sizes[0].percent);
  CHECK(sizes[1].value == 25);
  CHECK(sizes[1].percent);
  for (const char* bad : {"0", "abc", "1.5", "150%", "", "10,,20", "-5", "nan"}) {
    INFO(bad);
    CHECK(is_usage_error([&] { clipset::parse_sizes(bad); }));
  }
  try {
    clipset::parse_sizes("100,x7");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("x7") != std::string::npos);
  }
}

TEST_CASE("learning-curve: default sizes run geometrically from 5 per class to all of train", "[learning-curve]") {
  LearningCurveOptions options;
  const auto sizes = detail::curve_sizes(options, 1000, 4);
  REQUIRE(sizes.size() == 8);
  CHECK(sizes.front() == 20);
  CHECK(sizes.back() == 1000);
  for (std::size_t i = 1; i < sizes.size(); ++i) {
    const double ratio = double(sizes[i]) / double(sizes[i - 1]);
    CHECK(ratio == Approx(std::pow(50.0, 1.0 / 7.0)).epsilon(0.05));
  }
  // Few items: the sizes collapse to the distinct ones, never beyond train.
  const auto small = detail::curve_sizes(options, 6, 3);
  CHECK(small.back() == 6);
  CHECK(std::is_sorted(small.begin(), small.end()));
  CHECK(std::adjacent_find(small.begin(), small.end()) == small.end());
}

TEST_CASE("learning-curve: explicit sizes are checked against the training split", "[learning-curve]") {
  LearningCurveOptions options;
  options.sizes = clipset::parse_sizes("50%,10,100%,10");
  CHECK(detail::curve_sizes(options, 200, 2) == std::vector<std::size_t>{10, 100, 200});
  options.sizes = clipset::parse_sizes("201");
  CHECK(is_usage_error([&] { detail::curve_sizes(options, 200, 2); }));
  options.sizes = clipset::parse_sizes("0.1%");
  CHECK(is_usage_error([&] { detail::curve_sizes(options, 200, 2); }));
}

TEST_CASE("learning-curve: apportion keeps shares, a floor per class and the capacity of each", "[learning-curve]") {
  CHECK(detail::apportion(10, {90, 10}, 1) == std::vector<std::size_t>{9, 1});
  CHECK(detail::apportion(10, {99, 1}, 1) == std::vector<std::size_t>{9, 1});
  CHECK(detail::apportion(3, {50, 30, 20}, 1) == std::vector<std::size_t>{1, 1, 1});
  CHECK(detail::apportion(2, {50, 30, 20}, 1) == std::vector<std::size_t>{1, 1, 0});  // too few for a floor
  CHECK(detail::apportion(7, {5, 0, 5}, 1) == std::vector<std::size_t>{4, 0, 3});
  for (const std::size_t total : {1u, 5u, 17u, 60u, 100u}) {
    const auto share = detail::apportion(total, {40, 35, 20, 5}, 1);
    std::size_t sum = 0;
    for (std::size_t c = 0; c < share.size(); ++c) {
      sum += share[c];
      CHECK(share[c] <= std::vector<std::size_t>{40, 35, 20, 5}[c]);
    }
    CHECK(sum == total);
  }
}

TEST_CASE("learning-curve: subsets take one item per group in turn, so no recording fills one", "[learning-curve]") {
  // Class 0: one big recording (40 items) and four small ones; class 1: 2 recordings of 10.
  const detail::TrainPool pool = pool_of({{40, 3, 3, 3, 3}, {10, 10}});
  auto group_of = [&](std::size_t item) {
    for (std::size_t c = 0; c < pool.by_class.size(); ++c)
      for (std::size_t g = 0; g < pool.by_class[c].size(); ++g)
        if (std::count(pool.by_class[c][g].begin(), pool.by_class[c][g].end(), item)) return c * 100 + g;
    return std::size_t{999};
  };
  const auto subset = detail::draw_subset(pool, 14, 7, 1);
  REQUIRE(subset.size() == 14);
  std::map<std::size_t, std::size_t> per_group;
  for (const std::size_t i : subset) ++per_group[group_of(i)];
  // Class 0 gets 10 of 14 (52 of 72 items): each of its 5 groups gives 2, the big one no more.
  std::size_t class0 = 0;
  for (const auto& [g, n] : per_group) {
    if (g < 100) {
      class0 += n;
      CHECK(n == 2);
    }
  }
  CHECK(class0 == 10);
  CHECK(std::set<std::size_t>(subset.begin(), subset.end()).size() == subset.size());
  CHECK(detail::draw_subset(pool, 14, 7, 1) == subset);  // deterministic
  CHECK(detail::draw_subset(pool, 14, 7, 2) != subset);  // another repeat, another subset
  CHECK(detail::draw_subset(pool, pool.total, 7, 3).size() == pool.total);
}

TEST_CASE("learning-curve: the feature cache gives back the very doubles it was given", "[learning-curve]") {
  clipset::test::TempDir dir;
  const std::vector<double> values{0.1, -1e-300, 3.141592653589793, 1e10};
  {
    detail::FeatureCache cache(dir.path() / "cache", "logmel test", 4);
    CHECK(cache.find("clip a") == nullptr);
    cache.put("clip a", values);
    CHECK(cache.dirty());
    cache.save();
  }
  detail::FeatureCache again(dir.path() / "cache", "logmel test", 4);
  CHECK(again.note().empty());
  const double* hit = again.find("clip a");
  REQUIRE(hit != nullptr);
  CHECK(std::vector<double>(hit, hit + 4) == values);
  CHECK(again.find("clip b") == nullptr);

  // Other parameters read another file; a damaged file is ignored with a note, never trusted.
  detail::FeatureCache other(dir.path() / "cache", "logmel other", 4);
  CHECK(other.find("clip a") == nullptr);
  const auto file = again.file();
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 3);
  detail::FeatureCache cut(dir.path() / "cache", "logmel test", 4);
  CHECK(cut.find("clip a") == nullptr);
  CHECK(cut.note().find("partial") != std::string::npos);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << "not a cache";
  detail::FeatureCache junk(dir.path() / "cache", "logmel test", 4);
  CHECK(junk.find("clip a") == nullptr);
  CHECK_FALSE(junk.note().empty());
}

TEST_CASE("learning-curve: two runs on one cache folder keep each other's entries", "[learning-curve]") {
  clipset::test::TempDir dir;
  // Both load the (empty) cache, each extracts its own clip, the first saves, then the second.
  detail::FeatureCache first(dir.path() / "cache", "logmel test", 2);
  detail::FeatureCache second(dir.path() / "cache", "logmel test", 2);
  first.put("clip a", {1.0, 2.0});
  second.put("clip b", {3.0, 4.0});
  first.save();
  second.save();  // used to write only its own entries: clip a was lost
  detail::FeatureCache after(dir.path() / "cache", "logmel test", 2);
  REQUIRE(after.find("clip a") != nullptr);
  REQUIRE(after.find("clip b") != nullptr);
  CHECK(after.find("clip a")[1] == 2.0);
  CHECK(after.find("clip b")[0] == 3.0);
}

TEST_CASE("learning-curve: virtual clips are cut from one pass over their source", "[learning-curve]") {
  clipset::test::TempDir dir;
  // A ramp, so every frame says where it came from; stereo with the ramp on channel 2 only.
  const int rate = 8000;
  std::vector<float> samples;
  for (int i = 0; i < 3 * rate; ++i) {
    samples.push_back(0.0f);
    samples.push_back(float(i % 16384) / 32768.0f);
  }
  const auto source = dir.path() / "rec.wav";
  clipset::test::write_samples(source, samples, rate, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  std::vector<detail::ClipRef> refs(3);
  for (auto& r : refs) {
    r.is_virtual = true;
    r.path = source;
    r.display = "rec.wav";
    r.settings.channels = {clipset::ChannelSelection::Mode::pick, 1};
  }
  refs[0].start = 8000, refs[0].content = 4000, refs[0].frames = 4000;
  refs[1].start = 100, refs[1].content = 4000, refs[1].frames = 4000;    // out of order: sorted by start
  refs[2].start = 22000, refs[2].content = 2000, refs[2].frames = 4000;  // runs past the end: zero padded
  std::vector<const detail::ClipRef*> clips{&refs[0], &refs[1], &refs[2]};
  std::map<std::size_t, std::vector<float>> got;
  std::vector<std::string> failures;
  detail::read_source_clips(
      clips, rate, [&](std::size_t k, std::vector<float>& audio) { got[k] = audio; },
      [&](std::size_t, const std::string& reason) { failures.push_back(reason); });
  CHECK(failures.empty());
  REQUIRE(got.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    REQUIRE(got[k].size() == 4000);
    for (std::int64_t i = 0; i < refs[k].content; ++i) {
      const float expected = float((refs[k].start + i) % 16384) / 32768.0f;
      if (got[k][static_cast<std::size_t>(i)] != expected) FAIL("clip " << k << " frame " << i);
    }
  }
  CHECK(got[2][3999] == 0.0f);

  // Mono mix of the same file: the mean of both channels.
  refs[1].settings.channels = {clipset::ChannelSelection::Mode::mono, 0};
  std::vector<const detail::ClipRef*> mono{&refs[1]};
  detail::read_source_clips(
      mono, rate, [&](std::size_t, std::vector<float>& audio) { CHECK(audio[10] == Approx((110 % 16384) / 65536.0)); },
      [&](std::size_t, const std::string& reason) { FAIL(reason); });

  // A clip starting after the end, and a missing source: each clip fails with a reason.
  refs[0].start = 50000;
  refs[2].path = dir.path() / "gone.wav";
  for (const auto* ref : {&refs[0], &refs[2]}) {
    std::vector<std::string> reasons;
    detail::read_source_clips(
        {ref}, rate, [&](std::size_t, std::vector<float>&) { FAIL("cut a clip that cannot be cut"); },
        [&](std::size_t, const std::string& reason) { reasons.push_back(reason); });
    REQUIRE(reasons.size() == 1);
    CHECK_FALSE(reasons.front().empty());
  }
}

TEST_CASE("learning-curve: the ceiling is the share of annotator pairs that label a clip alike", "[learning-curve]") {
  auto clip = [](std::vector<std::pair<std::string, std::string>> marks) {
    clipset::Item item;
    item.id = "c";
    item.duration = 1.0;
    for (const auto& [who, label] : marks) {
      clipset::Annotation a;
      a.start = 0.1;
      a.end = 0.9;
      a.label = label;
      a.annotator = who;
      item.annotations.push_back(a);
    }
    return item;
  };
  detail::CeilingAccumulator acc;
  CHECK_FALSE(acc.finish().has_value());
  acc.add(clip({{"anna", "dog"}, {"ben", "dog"}}));
  acc.add(clip({{"anna", "dog"}, {"ben", "cat"}}));
  acc.add(clip({{"anna", "dog"}}));  // one annotator: nothing to compare
  auto second_pass = clip({{"anna", "dog"}, {"anna", "cat"}});
  second_pass.annotations[1].pass = 2;  // self-agreement, not a second rater
  acc.add(second_pass);
  const auto ceiling = acc.finish();
  REQUIRE(ceiling.has_value());
  CHECK(ceiling->clips == 2);
  CHECK(ceiling->pairs == 2);
  CHECK(ceiling->agreement == Approx(0.5));
  CHECK(ceiling->annotators == std::vector<std::string>{"anna", "ben"});
}

TEST_CASE("learning-curve: the table lines up and prints labels escaped", "[learning-curve]") {
  clipset::LearningCurveResult r;
  r.manifest = "dataset.jsonl";
  r.classes = {clipset::test::kAlignmentLabels[0], clipset::test::kAlignmentLabels[1], "bad\x1b[2Jlabel"};
  for (const std::size_t size : {15, 60, 240}) r.sizes.push_back({size, 5, 0.9, 0.05, 0.9, 0.88, 0.89, 0.4});
  r.fit.ok = true;
  r.fit.law = {0.5, 0.5, 0.02};
  r.target = clipset::TargetAnswer{0.95, 300.0, {100, 100, 100}, {}, std::nullopt};
  for (const auto metric : {clipset::CurveMetric::accuracy, clipset::CurveMetric::macro_f1, clipset::CurveMetric::balanced_accuracy}) {
    r.metric = metric;
    const std::string table = clipset::curve_table(r);
    INFO(table);
    const auto tables = clipset::test::tables_in(table);
    REQUIRE(tables.size() == 1);
    CHECK(tables[0].size() == 4);
    CHECK(clipset::test::misaligned_columns(tables) == "");
    CHECK(table.find("(café 100, 鳥 100, bad\\x1b[2Jlabel 100)") != std::string::npos);
    CHECK(table.find('\x1b') == std::string::npos);
  }
}
