// End-to-end tests of `clipset split`: the binary run on manifests the tests write, checking
// stdout, the stderr lines and the exit code of every documented case.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/check_failure.hpp"
#include "support/run_command.hpp"
#include "support/table_columns.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::CommandResult;
using clipset::test::kAlignmentLabels;
using clipset::test::misaligned_columns;
using clipset::test::tables_in;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::TempDir;
using clipset::test::write_file;

constexpr const char* kPrefix = "clipset split: ";

// `items` clips in `groups` recordings over three classes, with a device per recording.
std::string manifest(int items, int groups) {
  std::string text;
  for (int i = 0; i < items; ++i) {
    const int g = (i * 7) % groups;
    Json r{{"id", "clip" + std::to_string(i)},
           {"path", "clips/clip" + std::to_string(i) + ".wav"},
           {"duration", 1.0},
           {"labels", {std::string("c") + std::to_string(g % 3)}},
           {"group", "rec" + std::to_string(g)},
           {"meta", {{"device", g % 5 == 0 ? "iphone-12" : "pixel-7"}, {"recorded_at", "2026-0" + std::to_string(1 + g % 9) + "-01"}}},
           {"mine", {{"kept", true}}}};
    text += r.dump() + "\n";
  }
  return text;
}

std::vector<Json> parse_jsonl(const std::string& text) {
  std::vector<Json> records;
  for (const auto& line : lines_of(text)) records.push_back(Json::parse(line));
  return records;
}

// The run failed the documented way: exit code, nothing on stdout, one line naming the problem.
void expect_failure(const CommandResult& r, int code, const std::string& message) {
  clipset::test::check_failure(r, code, message, kPrefix);
}

bool has_temp_files(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("split: a manifest from a file, from stdin and to -o give the same records", "[split]") {
  TempDir dir;
  const std::string input = manifest(200, 40);
  write_file(dir / "m.jsonl", input);
  const auto from_file = run_clipset({"split", "m.jsonl"}, "", dir.path().string());
  INFO(from_file.err);
  REQUIRE(from_file.exit_code == 0);
  const auto records = parse_jsonl(from_file.out);
  REQUIRE(records.size() == 200);
  for (const auto& r : records) {
    CHECK(r.contains("split"));
    CHECK(r["mine"]["kept"] == true);  // unknown fields survive
    CHECK(r["manifest_version"] == 1);
  }
  CHECK(from_file.err.find("clipset split: 200 items in 40 groups") != std::string::npos);
  CHECK(from_file.err.find("largest deviation from the ratios") != std::string::npos);

  const auto from_stdin = run_clipset({"split", "-"}, input, dir.path().string());
  CHECK(from_stdin.exit_code == 0);
  CHECK(from_stdin.out == from_file.out);

  const auto to_file = run_clipset({"split", "m.jsonl", "-o", "out.jsonl", "-q"}, "", dir.path().string());
  CHECK(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(to_file.err.empty());
  CHECK(read_file(dir / "out.jsonl") == from_file.out);
}

TEST_CASE("split: identical bytes whatever --jobs", "[split]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest(6000, 300));  // several read chunks
  const auto one = run_clipset({"split", "m.jsonl", "--jobs", "1", "--folds", "4", "-q"}, "", dir.path().string());
  const auto four = run_clipset({"split", "m.jsonl", "--jobs", "4", "--folds", "4", "-q"}, "", dir.path().string());
  REQUIRE(one.exit_code == 0);
  CHECK(one.out == four.out);
}

TEST_CASE("split: --report writes the JSON report, hold-outs, folds and names show in it", "[split]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest(300, 50));
  const auto r = run_clipset({"split", "m.jsonl", "-o", "out.jsonl", "--report", "report.json", "--ratios", "90,10,0",
                              "--holdout", "meta.recorded_at>=2026-08-01:test", "--folds", "3", "--folds-within", "train"},
                             "", dir.path().string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json report = Json::parse(read_file(dir / "report.json"));
  CHECK(report["items"] == 300);
  CHECK(report["splits"].size() == 3);
  CHECK(report["splits"][2]["name"] == "test");
  CHECK(report["holdouts"][0]["rule"] == "meta.recorded_at>=2026-08-01:test");
  CHECK(report["folds"]["count"] == 3);
  CHECK(r.err.find("--holdout 'meta.recorded_at>=2026-08-01:test':") != std::string::npos);
  for (const auto& rec : parse_jsonl(read_file(dir / "out.jsonl"))) {
    const bool late = rec["meta"]["recorded_at"].get<std::string>() >= "2026-08-01";
    CHECK((rec["split"] == "test") == late);
    CHECK(rec.contains("fold") == (rec["split"] == "train"));
  }
}

TEST_CASE("split: the ratios apply to what a large hold-out leaves (issue 22, item 7)", "[split][regression]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest(400, 100));  // recorded in months 1-9: from April on is 2/3 of it
  for (const std::string ratios : {"90,10,0", "80,10,10"}) {
    CAPTURE(ratios);
    const auto r = run_clipset({"split", "m.jsonl", "-o", "out.jsonl", "--report", "report.json", "--ratios", ratios,
                                "--holdout", "meta.recorded_at>=2026-04-01:test"},
                               "", dir.path().string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::size_t held = 0, val = 0;
    for (const auto& rec : parse_jsonl(read_file(dir / "out.jsonl"))) {
      held += rec["meta"]["recorded_at"].get<std::string>() >= "2026-04-01" ? 1 : 0;
      val += rec["split"] == "val" ? 1 : 0;
    }
    const double left = 400.0 - static_cast<double>(held);
    // val gets its 10 % of what the hold-out leaves (groups of 4 items: within two groups), not
    // the scraps of a 10 % target over the whole that the held-out test already overfilled.
    CHECK(std::abs(static_cast<double>(val) - 0.1 * left) <= 8.0);
    const Json report = Json::parse(read_file(dir / "report.json"));
    CHECK(report["splits"][1]["target"].get<double>() == Approx(0.1 * left / 400.0).margin(1e-6));
    const double test_ratio = ratios == "90,10,0" ? 0.0 : 0.1;
    CHECK(report["splits"][2]["target"].get<double>() ==
          Approx((static_cast<double>(held) + test_ratio * left) / 400.0).margin(1e-6));
  }
}

TEST_CASE("split: usage errors exit 2 with one line and no output", "[split]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest(10, 5));
  const std::string cwd = dir.path().string();
  expect_failure(run_clipset({"split", "m.jsonl", "--ratios", "80,x"}, "", cwd), 2, "--ratios 80,x: part 2 (x) is not a number");
  expect_failure(run_clipset({"split", "m.jsonl", "--ratios", "0,0,0"}, "", cwd), 2, "--ratios 0,0,0: ratios sum to zero");
  expect_failure(run_clipset({"split", "m.jsonl", "--names", "train,test"}, "", cwd), 2, "2 names for 3 ratios");
  expect_failure(run_clipset({"split", "m.jsonl", "--names", "a,a,b"}, "", cwd), 2, "'a' is given twice");
  expect_failure(run_clipset({"split", "m.jsonl", "--holdout", "meta.device"}, "", cwd), 2, "--holdout meta.device: no ':SPLIT'");
  expect_failure(run_clipset({"split", "m.jsonl", "--holdout", "meta.device=x:tset"}, "", cwd), 2, "no split named 'tset'");
  expect_failure(run_clipset({"split", "m.jsonl", "--folds-within", "train"}, "", cwd), 2, "--folds-within: needs --folds K");
  expect_failure(run_clipset({"split", "m.jsonl", "--folds", "1"}, "", cwd), 2, "--folds");
  expect_failure(run_clipset({"split", "m.jsonl", "--method", "random"}, "", cwd), 2, "--method");
  expect_failure(run_clipset({"split", "m.jsonl", "--report", "-"}, "", cwd), 2, "--report -: would mix");
  expect_failure(run_clipset({"split"}, "", cwd), 2, "manifest is required");
}

TEST_CASE("split: a missing manifest is an I/O error (exit 3)", "[split]") {
  TempDir dir;
  expect_failure(run_clipset({"split", "nope.jsonl"}, "", dir.path().string()), 3, "nope.jsonl: no such file or directory");
}

TEST_CASE("split: bad lines are named and skipped, --strict makes the first fatal and keeps the old output", "[split]") {
  TempDir dir;
  std::string input = manifest(5, 5);
  input.insert(input.find('\n') + 1, "{\"id\": broken\n");
  write_file(dir / "m.jsonl", input);
  const std::string cwd = dir.path().string();
  const auto lenient = run_clipset({"split", "m.jsonl"}, "", cwd);
  INFO(lenient.err);
  CHECK(lenient.exit_code == 0);
  CHECK(lines_of(lenient.out).size() == 5);
  CHECK(lenient.err.find("clipset split: m.jsonl:2: not valid JSON") != std::string::npos);
  CHECK(lenient.err.find("skipped 1 bad line") != std::string::npos);

  write_file(dir / "out.jsonl", "old\n");
  const auto strict = run_clipset({"split", "m.jsonl", "--strict", "-o", "out.jsonl"}, "", cwd);
  expect_failure(strict, 1, "clipset split: m.jsonl:2: not valid JSON");
  CHECK(read_file(dir / "out.jsonl") == "old\n");
  CHECK_FALSE(has_temp_files(dir.path()));
}

TEST_CASE("split: items without a group are named, --strict fails on them", "[split]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest(6, 3) + "{\"id\":\"lonely.wav\",\"labels\":[\"c0\"]}\n");
  const std::string cwd = dir.path().string();
  const auto lenient = run_clipset({"split", "m.jsonl"}, "", cwd);
  CHECK(lenient.exit_code == 0);
  CHECK(lenient.err.find("1 item has no 'group' (lonely.wav): grouped by their 'group', else 'source.id', else alone") != std::string::npos);
  expect_failure(run_clipset({"split", "m.jsonl", "--strict"}, "", cwd), 1, "1 item has none of the --group-by fields (group), first lonely.wav");
}

TEST_CASE("split: --keep-existing keeps splits, rejects unknown ones, and reports leaks", "[split]") {
  TempDir dir;
  const std::string cwd = dir.path().string();
  write_file(dir / "m.jsonl", manifest(50, 10));
  const auto first = run_clipset({"split", "m.jsonl", "-o", "d.jsonl", "-q"}, "", cwd);
  REQUIRE(first.exit_code == 0);
  write_file(dir / "new.jsonl", read_file(dir / "d.jsonl") + "{\"id\":\"new1\",\"group\":\"rec3\",\"labels\":[\"c0\"]}\n");
  const auto second = run_clipset({"split", "new.jsonl", "--keep-existing", "--seed", "9"}, "", cwd);
  REQUIRE(second.exit_code == 0);
  const auto before = parse_jsonl(read_file(dir / "d.jsonl"));
  const auto after = parse_jsonl(second.out);
  REQUIRE(after.size() == before.size() + 1);
  std::string rec3_split;
  for (std::size_t i = 0; i < before.size(); ++i) {
    CHECK(after[i]["split"] == before[i]["split"]);
    if (before[i]["group"] == "rec3") rec3_split = before[i]["split"];
  }
  CHECK(after.back()["split"] == rec3_split);
  CHECK(second.err.find("kept the split of 50 items; 1 new item joined its group's split") != std::string::npos);

  write_file(dir / "dev.jsonl", "{\"id\":\"a\",\"group\":\"g\",\"split\":\"dev\"}\n");
  expect_failure(run_clipset({"split", "dev.jsonl", "--keep-existing"}, "", cwd), 1, "not in --names train,val,test: 'dev' (1)");

  write_file(dir / "leak.jsonl", "{\"id\":\"a\",\"group\":\"g\",\"split\":\"train\"}\n{\"id\":\"b\",\"group\":\"g\",\"split\":\"test\"}\n");
  const auto leak = run_clipset({"split", "leak.jsonl", "--keep-existing"}, "", cwd);
  CHECK(leak.exit_code == 0);
  CHECK(leak.err.find("group 'g' is already in train (1), test (1)") != std::string::npos);
  expect_failure(run_clipset({"split", "leak.jsonl", "--keep-existing", "--strict"}, "", cwd), 1, "already span several parts");
}

TEST_CASE("split: an empty manifest writes nothing and says so", "[split]") {
  TempDir dir;
  const auto r = run_clipset({"split", "-"}, "", dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("empty manifest") != std::string::npos);
  const auto to_file = run_clipset({"split", "-", "-o", "e.jsonl"}, "\n", dir.path().string());
  CHECK(to_file.exit_code == 0);
  CHECK(read_file(dir / "e.jsonl").empty());
}

TEST_CASE("split: --method hash reproduces the published Speech Commands split", "[split][hash]") {
  std::ifstream in(std::string(CLIPSET_TEST_DATA) + "/speech_commands_which_set.json");
  REQUIRE(in);
  const Json fixture = Json::parse(in);
  std::string input;
  std::vector<std::string> expected;
  int n = 0;
  for (const auto& c : fixture["cases"]) {
    input += Json{{"id", "item" + std::to_string(n++)}, {"path", c["filename"]}}.dump() + "\n";
    expected.push_back(c["expected_set"]);
  }
  TempDir dir;
  const auto r = run_clipset({"split", "-", "--method", "hash", "--group-by", "path", "--group-key", "nohash", "--names",
                              "validation,testing,training", "--ratios", "10,10,80", "-q"},
                             input, dir.path().string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto records = parse_jsonl(r.out);
  REQUIRE(records.size() == expected.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    INFO(records[i]["path"]);
    CHECK(records[i]["split"] == expected[i]);
  }
}

TEST_CASE("split: the report's tables line up with accented, wide and control-character labels", "[split]") {
  const std::vector<std::string> labels{kAlignmentLabels[0], kAlignmentLabels[1], "dog", "bad\x1b[2Jlabel"};
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += Json{{"id", "clip" + std::to_string(i)}, {"duration", 1.0}, {"labels", {labels[i % 4]}}, {"group", "rec" + std::to_string(i % 10)}}.dump() + "\n";
  }
  const auto r = run_clipset({"split", "-"}, text);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto tables = tables_in(r.err, kPrefix);
  REQUIRE(tables.size() == 2);
  CHECK(tables[0].size() == 4);  // splits: a header, train, val, test
  CHECK(tables[1].size() == 5);  // classes: a header, four labels
  CHECK(misaligned_columns(tables) == "");
  CHECK(r.err.find("鳥") != std::string::npos);
  CHECK(r.err.find("bad\\x1b[2Jlabel") != std::string::npos);  // escaped, not sent to the terminal
  CHECK(r.err.find('\x1b') == std::string::npos);
}
