// End-to-end tests of `clipset learning-curve`: on generated clips whose classes can be learnt
// (tones of different pitch in noise) the curve rises far above the majority baseline; on
// shuffled labels it stays at chance. Determinism across --jobs, the feature cache, virtual clips,
// the plot, and every documented error.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "clipset/hash.hpp"
#include "clipset/prng.hpp"
#include "support/audio_fixtures.hpp"
#include "support/check_failure.hpp"
#include "support/learnable_audio.hpp"
#include "support/run_command.hpp"
#include "support/table_columns.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::check_failure;
using clipset::test::CommandResult;
using clipset::test::kAlignmentLabels;
using clipset::test::misaligned_columns;
using clipset::test::tables_in;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::tone_in_noise;
using clipset::test::uniform;
using clipset::test::write_file;

constexpr int kRate = 16000;
constexpr int kClasses = 4;

struct DatasetSpec {
  int train_per_class = 40;
  int eval_per_class = 25;
  bool shuffled = false;  // labels drawn at random, independent of the audio
};

// Clip files under dir/clips and dir/dataset.jsonl: 8 recordings (groups) per class.
void make_dataset(const TempDir& t, const DatasetSpec& spec) {
  clipset::Prng prng(11, 0);
  clipset::Prng labels(12, 0);
  std::string manifest;
  for (const bool train : {true, false}) {
    const int per_class = train ? spec.train_per_class : spec.eval_per_class;
    for (int cls = 0; cls < kClasses; ++cls) {
      for (int i = 0; i < per_class; ++i) {
        const std::string id = std::string(train ? "tr" : "ev") + "_c" + std::to_string(cls) + "_" + std::to_string(i);
        const std::string path = "clips/" + id + ".wav";
        clipset::test::write_samples(t / path, tone_in_noise(cls, prng), kRate);
        const int label = spec.shuffled ? static_cast<int>(labels.below(kClasses)) : cls;
        Json r{{"id", id},
               {"path", path},
               {"sha256", clipset::sha256_file(t / path).sha256},
               {"sample_rate", kRate},
               {"channels", 1},
               {"frames", kRate / 2},
               {"duration", 0.5},
               {"labels", {"class" + std::to_string(label)}},
               {"group", "c" + std::to_string(cls) + "_rec" + std::to_string(i % 8) + (train ? "" : "_ev")},
               {"split", train ? "train" : "val"}};
        manifest += r.dump() + "\n";
      }
    }
  }
  write_file(t / "dataset.jsonl", manifest);
}

CommandResult curve(const TempDir& t, std::vector<std::string> args) {
  args.insert(args.begin(), "learning-curve");
  return run_clipset(args, "", t.path().string());
}

Json curve_json(const TempDir& t, std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json", "--no-cache", "--progress", "never"});
  const auto r = curve(t, args);
  INFO(r.command << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return Json::parse(r.out);
}

}  // namespace

TEST_CASE("learning-curve e2e: learnable classes rise far above the majority baseline", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {});
  const Json j = curve_json(t, {"dataset.jsonl", "--target", "0.95"});
  const Json& sizes = j["sizes"];
  REQUIRE(sizes.size() >= 5);
  CHECK(sizes.front()["size"] == 20);  // 5 per class
  CHECK(sizes.back()["size"] == 160);
  CHECK(sizes.back()["repeats"] == 1);
  CHECK(sizes[1]["repeats"] == 5);
  const double first = sizes.front()["mean"], last = sizes.back()["mean"];
  CHECK(last >= 0.9);
  CHECK(last >= first);
  CHECK(sizes.back()["majority"].get<double>() <= 0.3);
  CHECK(last - sizes.back()["majority"].get<double>() >= 0.6);
  CHECK(j["eval"]["items"] == 100);
  CHECK(j["classes"].size() == kClasses);
  CHECK(j["points"].size() == 5 * (sizes.size() - 1) + 1);
  CHECK(j["fit"].contains("ok"));
  CHECK(j["target"]["score"] == 0.95);
}

TEST_CASE("learning-curve e2e: shuffled labels stay at chance", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {40, 25, true});
  const Json j = curve_json(t, {"dataset.jsonl", "--repeats", "3"});
  // 100 evaluation clips, 4 classes: chance is 0.25 with a standard deviation near 0.045.
  for (const Json& s : j["sizes"]) CHECK(s["mean"].get<double>() <= 0.25 + 0.16);
}

TEST_CASE("learning-curve e2e: the run that creates the default cache says where it is", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {5, 3, false});
  const std::string home = (t / "xdg").string();
  const auto run = [&] {
    return run_command({"env", "XDG_CACHE_HOME=" + home, CLIPSET_BINARY, "learning-curve", "dataset.jsonl", "--repeats", "1"}, "",
                       t.path().string());
  };
  const auto first = run();
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.err.find("caching features in " + home + "/clipset/features (--cache DIR puts them elsewhere, --no-cache nowhere)") !=
        std::string::npos);
  const auto second = run();
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("caching features in") == std::string::npos);
}

TEST_CASE("learning-curve e2e: output is identical for any --jobs and from the cache", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {20, 10, false});
  const std::vector<std::string> common{"dataset.jsonl", "--format", "json", "--cache", "cache", "--repeats", "3", "--target", "0.9",
                                        "--per-class"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return curve(t, args);
  };
  const auto cold = with({"--jobs", "1"});
  REQUIRE(cold.exit_code == 0);
  CHECK(cold.err.find("120 extracted, 0 from the cache") != std::string::npos);
  const auto warm = with({"--jobs", "2"});
  REQUIRE(warm.exit_code == 0);
  CHECK(warm.err.find("0 extracted, 120 from the cache") != std::string::npos);
  Json a = Json::parse(cold.out), b = Json::parse(warm.out);
  CHECK(a["feature_cache"]["extracted"] == 120);
  a.erase("feature_cache");
  b.erase("feature_cache");
  CHECK(a == b);
  CHECK(a["points"][0]["per_class"].contains("class0"));

  // Another feature definition is another cache entry, not a wrong hit.
  const auto bands = with({"--mel-bands", "32"});
  CHECK(bands.err.find("120 extracted, 0 from the cache") != std::string::npos);
  // A damaged cache is named, ignored and rewritten; the answer does not change.
  for (const auto& file : fs::directory_iterator(t / "cache")) {
    fs::resize_file(file.path(), fs::file_size(file.path()) - 5);
  }
  const auto damaged = with({});
  REQUIRE(damaged.exit_code == 0);
  CHECK(damaged.err.find("partial entry") != std::string::npos);
  Json c = Json::parse(damaged.out);
  c.erase("feature_cache");
  CHECK(c == a);
}

namespace {

// Stereo 48 kHz recordings of a tone in noise, the channels different, in two class folders.
void make_stereo_lake(const TempDir& t) {
  clipset::Prng prng(5, 0);
  for (int cls = 0; cls < 2; ++cls) {
    for (int rec = 0; rec < 3; ++rec) {
      std::vector<float> samples;
      for (int i = 0; i < 2 * 48000; ++i) {
        const double tone = 0.3 * std::sin(6.283185307179586 * (300.0 * (cls + 1) + 20.0 * rec) * i / 48000.0);
        samples.push_back(float(tone + 0.1 * (uniform(prng) - 0.5)));
        samples.push_back(float(0.5 * tone + 0.1 * (uniform(prng) - 0.5)));
      }
      clipset::test::write_samples(t / ("lake/class" + std::to_string(cls) + "/rec" + std::to_string(rec) + ".wav"), samples, 48000, 2);
    }
  }
  REQUIRE(run_clipset({"ingest", "lake", "-o", "raw.jsonl"}, "", t.path().string()).exit_code == 0);
}

void run_ok(const TempDir& t, const std::vector<std::string>& args) {
  const auto r = run_clipset(args, "", t.path().string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// Segments raw.jsonl with `how` into `name`-split.jsonl: clip files, or virtual with --virtual.
void segment_split(const TempDir& t, const std::string& name, std::vector<std::string> how) {
  std::vector<std::string> args{"segment", "raw.jsonl", "--rate", "16k", "--length", "0.5s", "--hop", "0.25s", "-o", name + ".jsonl"};
  args.insert(args.end(), how.begin(), how.end());
  run_ok(t, args);
  run_ok(t, {"split", name + ".jsonl", "--ratios", "60,40", "--names", "train,val", "--seed", "3", "-o", name + "-split.jsonl"});
}

}  // namespace

TEST_CASE("learning-curve e2e: virtual clips give the features of the clips segment writes", "[e2e][learning-curve]") {
  TempDir t;
  make_stereo_lake(t);
  // Resampled and mixed down (or one channel picked) by segment into float clip files, or left
  // virtual: learning-curve must cut the very same samples, so the features are the same text.
  const std::vector<std::vector<std::string>> settings{{"--mono"},
                                                       {"--channel", "2", "--resampler", "libsamplerate", "--quality", "best"},
                                                       {"--mono", "--quality", "medium"}};
  for (const auto& how : settings) {
    INFO(how.front() << " " << how.back());
    std::vector<std::string> written = how, virtual_ = how;
    for (const char* arg : {"--out", "clips", "--force", "--subtype", "float"}) written.push_back(arg);
    virtual_.push_back("--virtual");
    segment_split(t, "written", written);
    segment_split(t, "virtual", virtual_);
    for (const char* kind : {"written", "virtual"}) {
      const auto c = curve(t, {std::string(kind) + "-split.jsonl", "--export-features", std::string(kind) + ".csv", "--no-cache", "--sizes",
                               "100%"});
      INFO(c.err);
      REQUIRE(c.exit_code == 0);
      CHECK(c.err.find("left out") == std::string::npos);
    }
    const auto a = clipset::test::lines_of(read_file(t / "written.csv"));
    const auto b = clipset::test::lines_of(read_file(t / "virtual.csv"));
    REQUIRE(a.size() > 20);
    CHECK(a == b);  // ids, labels, splits and every value
  }
}

TEST_CASE("learning-curve e2e: resampled virtual clips of an older segment are left out, naming the fix", "[e2e][learning-curve]") {
  TempDir t;
  make_stereo_lake(t);
  const std::vector<std::string> how{"--mono", "--virtual", "--quality", "best"};
  segment_split(t, "virtual", how);
  // As a segment that did not record its resampling settings wrote them.
  auto make_old = [&](const std::string& name) {
    std::string text = read_file(t / name);
    for (const std::string field : {",\"resampler\":\"soxr\"", ",\"quality\":\"best\""}) {
      for (auto at = text.find(field); at != std::string::npos; at = text.find(field)) text.erase(at, field.size());
    }
    write_file(t / name, text);
  };
  make_old("virtual.jsonl");
  make_old("virtual-split.jsonl");
  const auto c = curve(t, {"virtual-split.jsonl", "--no-cache", "--sizes", "100%"});
  CHECK(c.exit_code == 1);  // no readable clip at all
  CHECK(c.err.find("left out") != std::string::npos);
  CHECK(c.err.find("re-run segment") != std::string::npos);

  // The fix the message names: segment again (it resumes, adding the settings to its records).
  segment_split(t, "virtual", how);
  CHECK(read_file(t / "virtual.jsonl").find("\"resampler\":\"soxr\",\"quality\":\"best\"") != std::string::npos);
  const auto again = curve(t, {"virtual-split.jsonl", "--no-cache", "--sizes", "100%"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
}

TEST_CASE("learning-curve e2e: the plot is a well-formed SVG with its parts", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {20, 10, false});
  const auto r = curve(t, {"dataset.jsonl", "--no-cache", "--target", "0.9", "--plot", "curve.svg", "--repeats", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());  // no --format: stdout stays empty
  const std::string svg = read_file(t / "curve.svg");
  for (const char* part : {"training clips (log scale)", "majority class", "target 0.9", "measured"}) CHECK(svg.find(part) != std::string::npos);
  const auto parsed = run_command({"/usr/bin/python3", "-c",
                                   "import sys, xml.dom.minidom as m\n"
                                   "d = m.parse(sys.argv[1])\n"
                                   "assert d.documentElement.tagName == 'svg'\n"
                                   "print(len(d.getElementsByTagName('circle')))",
                                   (t / "curve.svg").string()});
  INFO(parsed.err);
  CHECK(parsed.exit_code == 0);
  CHECK(std::stoi(parsed.out) >= 3);
}

TEST_CASE("learning-curve e2e: the table lines up on a dataset with accented, wide and control-character labels", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {20, 10, false});
  std::string text = read_file(t / "dataset.jsonl");
  const std::vector<std::pair<std::string, std::string>> renames{
      {"class0", kAlignmentLabels[0]}, {"class1", kAlignmentLabels[1]}, {"class2", "bad\\u001b[2Jlabel"}};
  for (const auto& [from, to] : renames) {
    for (auto at = text.find('"' + from + '"'); at != std::string::npos; at = text.find('"' + from + '"', at)) text.replace(at + 1, from.size(), to);
  }
  write_file(t / "dataset.jsonl", text);
  const auto r = curve(t, {"dataset.jsonl", "--no-cache", "--sizes", "20,40,80", "--repeats", "1", "--target", "0.5", "--progress", "never"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto tables = tables_in(r.err);
  REQUIRE(tables.size() == 1);
  CHECK(tables[0].size() == 4);  // a header and three sizes
  CHECK(misaligned_columns(tables) == "");
  CHECK(r.err.find('\x1b') == std::string::npos);  // labels print escaped (unit: learning-curve's table)
}

TEST_CASE("learning-curve e2e: too few sizes give no fit and say why", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {20, 10, false});
  const auto r = curve(t, {"dataset.jsonl", "--no-cache", "--sizes", "20,80", "--target", "0.9", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("no curve fitted: ") != std::string::npos);
  CHECK(r.err.find("cannot extrapolate") != std::string::npos);
  const Json j = Json::parse(r.out);
  CHECK(j["fit"]["ok"] == false);
  CHECK(j["target"]["total"].is_null());
}

TEST_CASE("learning-curve e2e: unreadable clips and bad lines are named and left out", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {20, 10, false});
  fs::remove(t / "clips/tr_c0_3.wav");
  write_file(t / "clips/tr_c1_2.wav", "not audio");
  std::string text = read_file(t / "dataset.jsonl");
  text += "{broken\n";
  Json two = Json::parse(text.substr(0, text.find('\n')));
  two["id"] = "two_labels";
  two["labels"] = Json::array({"c0", "c1"});
  text += two.dump() + "\n";
  write_file(t / "dataset.jsonl", text);
  const auto r = curve(t, {"dataset.jsonl", "--no-cache", "--format", "csv"});
  // A clip left out by default is said on a line of its own (issue 22, item 6).
  CHECK(r.err.find("left out 1 clip with several labels: the curve is that of a single-label classifier") != std::string::npos);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("tr_c0_3: left out: ") != std::string::npos);
  CHECK(r.err.find("tr_c1_2: left out: ") != std::string::npos);
  CHECK(r.err.find("dataset.jsonl:121: ") != std::string::npos);
  CHECK(r.err.find("2 unreadable") != std::string::npos);
  CHECK(r.out.rfind("size,repeat,accuracy,", 0) == 0);
}

TEST_CASE("learning-curve e2e: each documented error exits with its code and one line", "[e2e][learning-curve]") {
  TempDir t;
  make_dataset(t, {10, 5, false});
  check_failure(curve(t, {"missing.jsonl"}), 3, "missing.jsonl");
  check_failure(curve(t, {"dataset.jsonl", "--eval-split", "test", "--no-cache"}), 2, "to score on");
  check_failure(curve(t, {"dataset.jsonl", "--train-split", "nothing", "--no-cache"}), 2, "no single-label items in split 'nothing'");
  check_failure(curve(t, {"dataset.jsonl", "--sizes", "41", "--no-cache"}), 2, "only 40 usable items");
  // A manifest not split yet says so, and what to run (issue 22, item 3).
  {
    std::string unsplit;
    for (const auto& line : clipset::test::lines_of(read_file(t / "dataset.jsonl"))) {
      Json record = Json::parse(line);
      record.erase("split");
      unsplit += record.dump() + "\n";
    }
    write_file(t / "unsplit.jsonl", unsplit);
    check_failure(curve(t, {"unsplit.jsonl", "--no-cache"}), 2, "no item has a 'split' field: run 'clipset split' first");
  }
  check_failure(curve(t, {"dataset.jsonl", "--sizes", "ten"}), 2, "'ten' is not a count");
  check_failure(curve(t, {"dataset.jsonl", "--target", "1.5"}), 2, "--target");
  check_failure(curve(t, {"dataset.jsonl", "--metric", "recall"}), 2, "--metric");
  check_failure(curve(t, {"dataset.jsonl", "--eval-split", "train"}), 2, "is also the training split");
  check_failure(curve(t, {"dataset.jsonl", "--C", "-1"}), 2, "--C");
  check_failure(curve(t, {"dataset.jsonl", "--window", "0.05ms", "--no-cache"}), 2, "window");
  // Clips at two sample rates cannot share one feature definition.
  std::string text = read_file(t / "dataset.jsonl");
  Json odd = Json::parse(text.substr(0, text.find('\n')));
  odd["id"] = "odd";
  odd["sample_rate"] = 8000;
  write_file(t / "mixed.jsonl", text + odd.dump() + "\n");
  check_failure(curve(t, {"mixed.jsonl", "--no-cache"}), 2, "2 sample rates (8000, 16000 Hz)");
  // Nothing readable to score on is a data problem.
  for (const auto& f : fs::directory_iterator(t / "clips"))
    if (f.path().filename().string().rfind("ev_", 0) == 0) fs::remove(f.path());
  check_failure(curve(t, {"dataset.jsonl", "--no-cache"}), 1, "no evaluation clip could be read");
}

TEST_CASE("learning-curve e2e: shards fill one cache, and the curve drawn from it is the one-machine curve", "[e2e][learning-curve][shard]") {
  TempDir t;
  make_dataset(t, {30, 15, false});
  const std::vector<std::string> curve_args{"dataset.jsonl", "--format", "json", "--repeats", "2", "--target", "0.9", "--progress", "never"};
  auto one = curve_args;
  one.insert(one.end(), {"--cache", "cache-one"});
  const auto whole = curve(t, one);
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);
  for (const int n : {3, 7}) {
    const std::string cache = "cache-" + std::to_string(n);
    for (int i = 0; i < n; ++i) {
      const auto shard = curve(t, {"dataset.jsonl", "--cache", cache, "--shard", std::to_string(i) + "/" + std::to_string(n)});
      INFO(shard.command << "\n" << shard.err);
      REQUIRE(shard.exit_code == 0);
      CHECK(shard.out.empty());
      CHECK(shard.err.find("shard " + std::to_string(i) + "/" + std::to_string(n) + ": ") != std::string::npos);
    }
    // Each shard wrote its own part; none wrote the one cache file.
    std::size_t parts = 0;
    for (const auto& file : fs::directory_iterator(t / cache)) parts += file.path().filename().string().find(".shard-") != std::string::npos;
    CHECK(parts == static_cast<std::size_t>(n));
    auto drawn_args = curve_args;
    drawn_args.insert(drawn_args.end(), {"--cache", cache});
    const auto drawn = curve(t, drawn_args);
    INFO(drawn.err);
    REQUIRE(drawn.exit_code == 0);
    CHECK(drawn.err.find("0 extracted, 180 from the cache") != std::string::npos);
    Json a = Json::parse(whole.out), b = Json::parse(drawn.out);
    a.erase("feature_cache");
    b.erase("feature_cache");
    CHECK(a == b);
    // The parts are folded into the one file.
    std::size_t files = 0;
    for (const auto& file : fs::directory_iterator(t / cache)) files += file.is_regular_file() ? 1 : 0;
    CHECK(files == 1);
  }
  const auto no_cache = curve(t, {"dataset.jsonl", "--no-cache", "--shard", "0/2"});
  check_failure(no_cache, 2, "--shard: fills the feature cache: give --cache DIR");
  const auto plot = curve(t, {"dataset.jsonl", "--cache", "c", "--shard", "0/2", "--plot", "x.svg"});
  check_failure(plot, 2, "--plot: a shard only fills the feature cache");
  const auto bad = curve(t, {"dataset.jsonl", "--cache", "c", "--shard", "3/2"});
  check_failure(bad, 2, "--shard 3/2: index 3 is not below the count 2");
}
