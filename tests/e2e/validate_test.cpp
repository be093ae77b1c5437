// End-to-end tests of `clipset validate`: a clean dataset made by running ingest, segment and
// split on generated recordings has no findings; then each fault of issue 7 is injected into it
// (a deleted, altered, truncated or re-headed clip, a copied clip in another split, a moved
// clip, an unknown label, a starved class) and the exact finding line and exit code asserted.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clipset/validate.hpp"
#include "support/audio_fixtures.hpp"
#include "support/manifest_records.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::write_file;

const std::vector<std::string> kClasses{"bird", "cat", "dog"};

// 3 classes x 4 recordings of 2.5 s -> 36 one-second clips (the last of each padded) in 12
// groups, split 50/25/25 by recording. Tones of distinct, non-whole frequencies: no two clips
// share their bytes.
void make_dataset(const TempDir& t, const std::vector<std::string>& segment_extra = {}) {
  const std::string cwd = t.path().string();
  int k = 0;
  for (const auto& label : kClasses) {
    for (int r = 0; r < 4; ++r) {
      clipset::test::ToneSpec spec;
      spec.seconds = 2.5;
      spec.frequency = 301.37 + 47.19 * k++;
      clipset::test::write_tone(t / ("data/" + label + "/r" + std::to_string(r) + ".wav"), spec);
    }
  }
  const auto ingest = run_clipset({"ingest", "data", "-o", "raw.jsonl", "-q"}, "", cwd);
  REQUIRE(ingest.exit_code == 0);
  std::vector<std::string> segment{"segment", "raw.jsonl", "--out", "clips", "-o", "clips.jsonl", "--length", "1s", "-q"};
  segment.insert(segment.end(), segment_extra.begin(), segment_extra.end());
  const auto seg = run_clipset(segment, "", cwd);
  INFO(seg.err);
  REQUIRE(seg.exit_code == 0);
  const auto split = run_clipset({"split", "clips.jsonl", "--ratios", "50,25,25", "-o", "dataset.jsonl", "-q"}, "", cwd);
  INFO(split.err);
  REQUIRE(split.exit_code == 0);
  write_file(t / "labels.txt", "# the classes of the example\nbird\ncat\ndog\n");
}

using clipset::test::read_records;
using clipset::test::write_records;

// The 1-based manifest line of the first record matching `pred`.
template <class Pred>
std::size_t line_where(const std::vector<Json>& records, Pred&& pred) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (pred(records[i])) return i + 1;
  }
  FAIL("no such record");
  return 0;
}

CommandResult validate(const TempDir& t, std::vector<std::string> args) {
  args.insert(args.begin(), "validate");
  return run_clipset(args, "", t.path().string());
}

// The run found exactly these findings (stdout) and exited with `code`.
void check_findings(const CommandResult& r, int code, const std::vector<std::string>& lines) {
  INFO(r.command << "\nstderr: " << r.err);
  CHECK(lines_of(r.out) == lines);
  CHECK(r.exit_code == code);
}

std::string at(std::size_t line) { return "dataset.jsonl:" + std::to_string(line) + ": "; }

// Replaces `count` bytes at `offset` of a file, keeping its size.
void patch(const fs::path& file, std::size_t offset, const std::string& bytes) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

std::string le32(std::uint32_t v) {
  return std::string{static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff), static_cast<char>((v >> 16) & 0xff),
                     static_cast<char>(v >> 24)};
}

}  // namespace

TEST_CASE("validate: a clean dataset from ingest, segment and split has no findings, every check on", "[validate]") {
  TempDir t;
  make_dataset(t);
  const auto r = validate(t, {"dataset.jsonl", "--hash", "--decode", "--taxonomy", "labels.txt", "--leaf-only", "--min-per-class", "1",
                              "--per-split", "--ratios", "50,25,25", "--tolerance", "0.15", "--jobs", "2"});
  check_findings(r, 0, {});
  CHECK(r.err == "clipset validate: dataset.jsonl: 36 items, 36 files checked: no findings\n");
  // The same from stdin, quietly.
  const auto piped = run_clipset({"validate", "-", "-q"}, read_file(t / "dataset.jsonl"), t.path().string());
  CHECK(piped.exit_code == 0);
  CHECK(piped.out.empty());
  CHECK(piped.err.empty());
}

TEST_CASE("validate: each injected fault gives its exact finding and exit 1", "[validate]") {
  TempDir t;
  make_dataset(t);
  auto records = read_records(t / "dataset.jsonl");
  REQUIRE(records.size() == 36);
  const Json clip = records[4];
  const std::string path = clip["path"].get<std::string>();
  const std::size_t line = 5;
  const fs::path file = t / path;

  SECTION("a deleted file") {
    fs::remove(file);
    check_findings(validate(t, {"dataset.jsonl"}), 1, {at(line) + "error[missing-file] " + path + ": no such file or directory"});
  }
  SECTION("a flipped byte: only --hash sees it") {
    const std::string bytes = read_file(file);
    patch(file, bytes.size() - 100, std::string(1, static_cast<char>(bytes[bytes.size() - 100] ^ 0x5a)));
    check_findings(validate(t, {"dataset.jsonl"}), 0, {});
    check_findings(validate(t, {"dataset.jsonl", "--hash"}), 1,
                   {at(line) + "error[hash-mismatch] " + path + ": sha256 differs from the manifest (file changed after ingest)"});
  }
  SECTION("a truncated file: its size, and with --decode the decoder") {
    const std::string bytes = read_file(file);
    write_file(file, bytes.substr(0, bytes.size() / 2));
    const std::string size = at(line) + "error[size-mismatch] " + path + ": " + std::to_string(bytes.size() / 2) +
                             " bytes, the manifest says " + std::to_string(bytes.size()) + " (file changed after ingest)";
    check_findings(validate(t, {"dataset.jsonl"}), 1, {size});
    const auto decoded = validate(t, {"dataset.jsonl", "--decode"});
    const auto lines = lines_of(decoded.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == size);
    CHECK(lines[1].rfind(at(line) + "error[decode-error] " + path + ": truncated (", 0) == 0);
    CHECK(decoded.exit_code == 1);
  }
  SECTION("a header whose sample rate changed: --decode compares it with the record") {
    const std::string bytes = read_file(file);
    const auto fmt = bytes.find("fmt ");
    REQUIRE(fmt != std::string::npos);
    patch(file, fmt + 12, le32(22050));
    check_findings(validate(t, {"dataset.jsonl", "--decode"}), 1,
                   {at(line) + "error[audio-mismatch] " + path + ": sample_rate 22050 in the file, 16000 in the manifest"});
  }
  SECTION("a file duplicated under another name in another split") {
    fs::copy_file(file, t / "clips/copy.wav");
    Json copy = clip;
    copy["id"] = "copy";
    copy["path"] = "clips/copy.wav";
    copy["group"] = "copied";
    copy.erase("source");
    const std::string other = clip["split"] == "train" ? "test" : "train";
    copy["split"] = other;
    records.push_back(copy);
    write_records(t / "dataset.jsonl", records);
    check_findings(validate(t, {"dataset.jsonl"}), 1,
                   {at(37) + "error[duplicate-content] clips/copy.wav: same content as '" + clip["id"].get<std::string>() + "' (line " +
                    std::to_string(line) + "), in split " + other + " while that is in " + clip["split"].get<std::string>() +
                    " (leakage)"});
    // The same file in the same split is only a warning: exit 0.
    records.back()["split"] = clip["split"];
    write_records(t / "dataset.jsonl", records);
    const auto same = validate(t, {"dataset.jsonl"});
    CHECK(same.exit_code == 0);
    CHECK(same.out.find("warning[duplicate-content] clips/copy.wav") != std::string::npos);
  }
  SECTION("one clip of a recording moved to another split") {
    // The last clip of the recording of `clip`: the line where its second split shows.
    const std::string source = clip["source"]["id"].get<std::string>();
    std::size_t last = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (records[i]["source"]["id"] == source) last = i;
    }
    const std::string from = records[last]["split"].get<std::string>();
    const std::string to = from == "train" ? "val" : "train";
    records[last]["split"] = to;
    write_records(t / "dataset.jsonl", records);
    const std::string group = records[last]["group"].get<std::string>();
    check_findings(validate(t, {"dataset.jsonl"}), 1,
                   {at(last + 1) + "error[group-leak] " + group + ": group in " + from + " (2 items) and " + to + " (1 item)",
                    at(last + 1) + "error[source-leak] " + source + ": clips of this source recording in " + from + " (2 items) and " +
                        to + " (1 item)"});
  }
  SECTION("an unknown label") {
    records[4]["labels"] = {"dgo"};
    write_records(t / "dataset.jsonl", records);
    check_findings(validate(t, {"dataset.jsonl", "--taxonomy", "labels.txt"}), 1,
                   {at(line) + "error[unknown-label] " + clip["id"].get<std::string>() + ": label 'dgo' is not in the taxonomy (did you mean 'dog'?)"});
  }
  SECTION("a starved class") {
    std::vector<Json> kept;
    std::size_t birds = 0;
    for (const auto& r : records) {
      if (r["labels"][0] == "bird" && ++birds > 2) continue;
      kept.push_back(r);
    }
    write_records(t / "dataset.jsonl", kept);
    check_findings(validate(t, {"dataset.jsonl", "--min-per-class", "5"}), 1,
                   {"dataset.jsonl: error[starved-class] bird: 2 items, fewer than --min-per-class 5"});
    // --warn-only turns it into a warning: the run passes.
    check_findings(validate(t, {"dataset.jsonl", "--min-per-class", "5", "--warn-only", "starved-class"}), 0,
                   {"dataset.jsonl: warning[starved-class] bird: 2 items, fewer than --min-per-class 5"});
  }
}

TEST_CASE("validate: virtual clips are checked through their source recording", "[validate]") {
  TempDir t;
  make_dataset(t, {"--virtual"});
  check_findings(validate(t, {"dataset.jsonl", "--hash", "--decode"}), 0, {});
  const auto records = read_records(t / "dataset.jsonl");
  const std::string source = records[0]["source"]["path"].get<std::string>();
  fs::remove(t / source);
  const std::size_t first = line_where(records, [&](const Json& r) { return r["source"]["path"] == source; });
  check_findings(validate(t, {"dataset.jsonl"}), 1,
                 {at(first) + "error[missing-file] " + source + ": no such file or directory (the source recording of 3 virtual clips)"});
}

TEST_CASE("validate: json, junit (parsed by an XML parser) and github formats", "[validate]") {
  TempDir t;
  make_dataset(t);
  const auto records = read_records(t / "dataset.jsonl");
  const std::string path = records[0]["path"].get<std::string>();
  fs::remove(t / path);

  const auto json = validate(t, {"dataset.jsonl", "--format", "json"});
  CHECK(json.exit_code == 1);
  REQUIRE(lines_of(json.out).size() == 1);
  const Json finding = Json::parse(lines_of(json.out)[0]);
  CHECK(finding == Json{{"manifest", "dataset.jsonl"}, {"line", 1}, {"severity", "error"}, {"check", "missing-file"},
                        {"subject", path}, {"message", "no such file or directory"}});

  const auto github = validate(t, {"dataset.jsonl", "--format", "github"});
  CHECK(github.exit_code == 1);
  CHECK(github.out == "::error file=dataset.jsonl,line=1,title=clipset validate missing-file::" + path + ": no such file or directory\n");

  const auto junit = validate(t, {"dataset.jsonl", "--format", "junit", "-o", "report.xml", "--min-per-class", "100"});
  CHECK(junit.exit_code == 1);
  CHECK(junit.out.empty());
  // Parsed by Python's XML parser: failures and skipped checks by name.
  const auto parsed = run_command({"/usr/bin/python3", "-c",
                                   "import sys, xml.dom.minidom as m\n"
                                   "d = m.parse(sys.argv[1])\n"
                                   "for c in d.getElementsByTagName('testcase'):\n"
                                   "    state = 'failed' if c.getElementsByTagName('failure') else "
                                   "'skipped' if c.getElementsByTagName('skipped') else 'passed'\n"
                                   "    print(c.getAttribute('name'), state)\n"
                                   "print(d.documentElement.getAttribute('failures'))\n",
                                   (t / "report.xml").string()});
  INFO(parsed.err);
  REQUIRE(parsed.exit_code == 0);
  const auto out = lines_of(parsed.out);
  // A testcase per check in the catalog's order, then the failure count.
  REQUIRE(out.size() == clipset::validate_checks().size() + 1);
  CHECK(out[0] == "schema passed");
  CHECK(out[3] == "missing-file failed");
  CHECK(out[5] == "hash-mismatch skipped");
  CHECK(out[14] == "near-duplicate passed");
  CHECK(out[15] == "augment-leak passed");
  CHECK(out[16] == "starved-class failed");
  CHECK(out.back() == "2");
}

TEST_CASE("validate: select, ignore and max-findings options, usage and I/O errors", "[validate]") {
  TempDir t;
  make_dataset(t);
  const auto records = read_records(t / "dataset.jsonl");
  for (std::size_t i = 0; i < 3; ++i) fs::remove(t / records[i]["path"].get<std::string>());
  CHECK(validate(t, {"dataset.jsonl", "--ignore", "missing-file"}).exit_code == 0);
  CHECK(validate(t, {"dataset.jsonl", "--select", "group-leak, source-leak"}).exit_code == 0);
  const auto capped = validate(t, {"dataset.jsonl", "--max-findings", "2"});
  CHECK(capped.exit_code == 1);
  CHECK(lines_of(capped.out).size() == 2);
  CHECK(capped.err.find("clipset validate: showing the first 2 of 3 findings (--max-findings)") != std::string::npos);

  const auto unknown = validate(t, {"dataset.jsonl", "--select", "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err == "clipset validate: frobnicate: no such check (see 'clipset help validate')\n");
  const auto needs = validate(t, {"dataset.jsonl", "--select", "unknown-label"});
  CHECK(needs.exit_code == 2);
  CHECK(needs.err == "clipset validate: --select unknown-label: needs --taxonomy FILE\n");
  CHECK(validate(t, {"dataset.jsonl", "--format", "xml"}).exit_code == 2);
  CHECK(validate(t, {"dataset.jsonl", "--per-split"}).exit_code == 2);
  const auto missing = validate(t, {"nope.jsonl"});
  CHECK(missing.exit_code == 3);
  CHECK(missing.out.empty());
  CHECK(missing.err == "clipset validate: nope.jsonl: no such file or directory\n");
  CHECK(validate(t, {"dataset.jsonl", "--taxonomy", "nope.txt"}).exit_code == 3);
  // A bad line is a schema finding (exit 1), not a failure to read.
  write_file(t / "bad.jsonl", "{\"id\":\"a\",\"labels\":[],\"manifest_version\":1}\n{\"id\": 3}\n");
  check_findings(validate(t, {"bad.jsonl"}), 1, {"bad.jsonl:2: error[schema] field 'id' must be a string, got an integer"});
}

TEST_CASE("validate --allow-license: a license finding for items outside the list or without a licence", "[validate][license]") {
  TempDir t;
  write_file(t / "m.jsonl", R"({"id":"a","labels":["dog"],"meta":{"license":"CC0-1.0"}})" "\n"
                            R"({"id":"b","labels":["dog"],"meta":{"license":"CC BY 4.0"}})" "\n"
                            R"({"id":"c","labels":["dog"],"meta":{"license":"CC-BY-NC-4.0"}})" "\n"
                            R"({"id":"d","labels":["dog"]})" "\n");
  const std::string cwd = t.path().string();
  const auto r = run_clipset({"validate", "m.jsonl", "--select", "license", "--allow-license", "CC0-1.0,cc-by-4.0"}, "", cwd);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("licence 'CC-BY-NC-4.0' is not allowed (allowed: CC0-1.0, CC-BY-4.0)") != std::string::npos);
  CHECK(r.out.find("no licence (meta.license is missing)") != std::string::npos);
  CHECK(r.out.find("'CC BY 4.0'") == std::string::npos);  // read as CC-BY-4.0: allowed
  const auto soft = run_clipset({"validate", "m.jsonl", "--select", "license", "--allow-license", "CC0-1.0,CC-BY-4.0", "--warn-only", "license"}, "", cwd);
  CHECK(soft.exit_code == 0);
  // "cc by 4" is read as CC-BY-4.0: the same findings, as warnings here.
  const auto spelt = run_clipset({"validate", "m.jsonl", "--select", "license", "--allow-license", "CC0-1.0,cc by 4", "--warn-only", "license"}, "", cwd);
  CHECK(spelt.exit_code == 0);
  CHECK(spelt.out.find("(allowed: CC0-1.0, CC-BY-4.0)") != std::string::npos);
  const auto bad = run_clipset({"validate", "m.jsonl", "--allow-license", "open"}, "", cwd);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--allow-license open: not a licence clipset knows") != std::string::npos);
  const auto needs = run_clipset({"validate", "m.jsonl", "--select", "license"}, "", cwd);
  CHECK(needs.exit_code == 2);
  CHECK(needs.err.find("needs --allow-license LIST") != std::string::npos);
}
