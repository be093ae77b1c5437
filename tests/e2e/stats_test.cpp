// End-to-end tests of `clipset stats`: the binary on manifests the tests write: every format,
// the HTML report (parsed as XML), agreement, and each documented error.

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

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
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::write_file;

constexpr const char* kPrefix = "clipset stats: ";

std::string manifest() {
  std::string text;
  for (int i = 0; i < 30; ++i) {
    Json r{{"id", "clip" + std::to_string(i)},
           {"duration", 0.5 + (i % 4)},
           {"labels", {std::string("c") + std::to_string(i % 3)}},
           {"group", "rec" + std::to_string(i % 7)},
           {"split", i % 5 == 0 ? "test" : "train"},
           {"meta", {{"recorder", i % 2 ? "anna" : "ben"}}}};
    text += r.dump() + "\n";
  }
  return text;
}

Json annotation(double start, double end, const char* label, const char* annotator, int pass = 1) {
  return Json{{"start", start}, {"end", end}, {"label", label}, {"annotator", annotator}, {"pass", pass}};
}

// The example lake's long recording in miniature: anna, ben, and anna's second pass.
std::string annotated_manifest() {
  Json r{{"id", "park"}, {"duration", 20.0}, {"labels", {"dog", "bird"}}};
  r["annotations"] = {annotation(1, 3, "dog", "anna"),      annotation(8, 9, "bird", "anna"),
                      annotation(12, 14, "dog", "anna"),    annotation(1, 3.2, "dog", "anna", 2),
                      annotation(8, 9.5, "bird", "anna", 2), annotation(12.1, 14, "dog", "anna", 2),
                      annotation(1.1, 3, "dog", "ben"),      annotation(8, 9, "crow", "ben"),
                      annotation(12.2, 13.8, "dog", "ben"),  annotation(19, 21, "dog", "ben")};
  return r.dump() + "\n";
}

void expect_failure(const CommandResult& r, int code, const std::string& message) {
  clipset::test::check_failure(r, code, message, kPrefix);
}

}  // namespace

TEST_CASE("stats: a table from a file and from stdin, the same", "[stats]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest());
  const auto from_file = run_clipset({"stats", (dir / "m.jsonl").string()});
  INFO(from_file.err);
  CHECK(from_file.exit_code == 0);
  CHECK(from_file.out.rfind("labels  split  items  groups", 0) == 0);
  CHECK(from_file.out.find("c0      test       2") != std::string::npos);
  CHECK(from_file.err.find("3 of 3 classes have fewer than 100 items") != std::string::npos);
  const auto from_stdin = run_clipset({"stats", "-", "--quiet"}, manifest());
  CHECK(from_stdin.exit_code == 0);
  CHECK(from_stdin.out == from_file.out);
  CHECK(from_stdin.err.empty());
}

TEST_CASE("stats: json, csv and markdown formats", "[stats]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest());
  const auto json = run_clipset({"stats", (dir / "m.jsonl").string(), "--format", "json", "--by", "meta.recorder"});
  REQUIRE(json.exit_code == 0);
  const Json report = Json::parse(json.out);
  CHECK(report["items"] == 30);
  CHECK(report["by"] == Json{"meta.recorder"});
  CHECK(report["cells"].size() == 2);
  CHECK(report["total"]["groups"] == 7);
  CHECK(report["classes"]["imbalance"].get<double>() == Approx(1.0));
  const auto csv = run_clipset({"stats", (dir / "m.jsonl").string(), "--format", "csv", "--min-per-class", "5"});
  REQUIRE(csv.exit_code == 0);
  CHECK(lines_of(csv.out).front() == "labels,split,items,groups,seconds,mean_s,min_s,max_s");
  CHECK(lines_of(csv.out).back().rfind("total,,30,7,", 0) == 0);
  CHECK(csv.err.find("fewer than") == std::string::npos);
  const auto md = run_clipset({"stats", (dir / "m.jsonl").string(), "--format", "markdown"});
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.rfind("| labels | split | items |", 0) == 0);
}

TEST_CASE("stats: --html writes one self-contained, well-formed page", "[stats]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest() + annotated_manifest());
  const auto r = run_clipset({"stats", (dir / "m.jsonl").string(), "--agreement", "--html", (dir / "report.html").string(), "--quiet"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string html = read_file(dir / "report.html");
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/"));  // only namespaces, nothing fetched
  const auto parsed = run_command({"/usr/bin/python3", "-c",
                                   "import sys, xml.etree.ElementTree as E; t = E.parse(sys.argv[1]); "
                                   "print(len(t.getroot().findall('.//{http://www.w3.org/2000/svg}svg')))",
                                   (dir / "report.html").string()});
  INFO(parsed.err);
  CHECK(parsed.exit_code == 0);
  CHECK(parsed.out == "4\n");  // class balance, durations, items per group, agreement matrix
}

TEST_CASE("stats: --agreement compares annotators, passes and labels", "[stats]") {
  const auto r = run_clipset({"stats", "-", "--agreement", "--format", "json", "--grid", "50ms", "--collar", "0.25"}, annotated_manifest());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json a = Json::parse(r.out)["agreement"];
  CHECK(a["annotators"] == Json{"anna", "ben"});
  CHECK(a["grid_seconds"] == 0.05);
  REQUIRE(a["pairs"].size() == 1);
  CHECK(a["pairs"][0]["frames"] == 400);
  CHECK(a["pairs"][0]["events"]["matched"] == 2);       // the dogs within 250 ms
  CHECK(a["pairs"][0]["events"]["substitutions"] == 1);  // bird vs crow
  REQUIRE(a["self"].size() == 1);
  CHECK(a["self"][0]["first"] == "anna (pass 1)");
  CHECK(a["self"][0]["events"]["f1"] == 1.0);
  CHECK(a["outside_recording"]["annotations"] == 1);
  CHECK(r.err.find("annotations outside their recording (clipped to it): 1") != std::string::npos);
  CHECK(r.err.find("park: dog 19-21 s (recording 20 s)") != std::string::npos);
  CHECK(r.err.find("label 'crow' is used only by ben") != std::string::npos);
}

TEST_CASE("stats: --agreement with one annotator says why there is nothing to compare", "[stats]") {
  Json r{{"id", "x"}, {"duration", 5.0}, {"annotations", {annotation(0, 1, "dog", "anna")}}};
  const auto out = run_clipset({"stats", "-", "--agreement"}, r.dump() + "\n");
  CHECK(out.exit_code == 0);
  CHECK(out.err.find("agreement: only one annotator (anna) labelled the recordings") != std::string::npos);
  CHECK(out.out.find("inter-annotator agreement not computed") != std::string::npos);
}

TEST_CASE("stats: an empty manifest gives zeros and says so", "[stats]") {
  const auto r = run_clipset({"stats", "-", "--format", "json"}, "");
  CHECK(r.exit_code == 0);
  CHECK(Json::parse(r.out)["items"] == 0);
  CHECK(r.err.find("empty manifest: no items") != std::string::npos);
}

TEST_CASE("stats: errors exit with the documented codes and no output", "[stats]") {
  TempDir dir;
  write_file(dir / "m.jsonl", manifest());
  expect_failure(run_clipset({"stats", (dir / "m.jsonl").string(), "--by", "meta.recordr", "--html", (dir / "r.html").string()}), 2,
                "--by meta.recordr: no item has this field");
  CHECK_FALSE(fs::exists(dir / "r.html"));
  expect_failure(run_clipset({"stats", (dir / "missing.jsonl").string()}), 3, "missing.jsonl: no such file or directory");
  expect_failure(run_clipset({"stats", (dir / "m.jsonl").string(), "--agreement", "--grid", "0"}), 2, "--grid");
  expect_failure(run_clipset({"stats", (dir / "m.jsonl").string(), "--format", "xml"}), 2, "--format");
  expect_failure(run_clipset({"stats", (dir / "m.jsonl").string(), "--html", "-"}), 2, "--html -");
}

TEST_CASE("stats: bad lines are named and skipped, --strict makes the first fatal", "[stats]") {
  const std::string text = manifest() + "{not json\n";
  const auto r = run_clipset({"stats", "-", "--format", "json"}, text);
  CHECK(r.exit_code == 0);
  CHECK(Json::parse(r.out)["bad_lines"] == 1);
  CHECK(r.err.find("(stdin):31: not valid JSON") != std::string::npos);
  expect_failure(run_clipset({"stats", "-", "--strict"}, text), 1, "(stdin):31: not valid JSON");
}

// Issue 16: one group rule. An empty group is no group, so the item falls back to its source
// recording, then to itself; stats and split count the same groups.
TEST_CASE("stats and split count the same groups, an empty group being no group (issue 16)", "[stats][regression]") {
  TempDir dir;
  const std::string source = R"("source":{"id":"r1","path":"r1.wav","start":0,"duration":1})";
  write_file(dir / "m.jsonl", "{\"id\":\"a1\",\"labels\":[\"dog\"],\"duration\":1,\"group\":\"\"," + source + "}\n" +
                                  "{\"id\":\"a2\",\"labels\":[\"dog\"],\"duration\":1," + source + "}\n" +
                                  "{\"id\":\"b\",\"labels\":[\"cat\"],\"duration\":1,\"group\":\"\"}\n" +
                                  "{\"id\":\"e\",\"labels\":[\"cat\"],\"duration\":1,\"group\":\"\"}\n" +
                                  "{\"id\":\"c\",\"labels\":[\"dog\"],\"duration\":1,\"group\":\"g\"}\n" +
                                  "{\"id\":\"d\",\"labels\":[\"cat\"],\"duration\":1,\"group\":\"g\"}\n");
  const auto stats = run_clipset({"stats", (dir / "m.jsonl").string(), "--format", "json"});
  INFO(stats.err);
  REQUIRE(stats.exit_code == 0);
  CHECK(Json::parse(stats.out)["total"]["groups"] == 4);  // r1 {a1, a2}, b, e, g {c, d}

  const auto split = run_clipset({"split", (dir / "m.jsonl").string(), "--report", (dir / "report.json").string(), "-o",
                                  (dir / "out.jsonl").string()});
  INFO(split.err);
  REQUIRE(split.exit_code == 0);
  CHECK(Json::parse(clipset::test::read_file(dir / "report.json"))["groups"] == 4);
}

TEST_CASE("stats: tables line up with accented, wide and control-character labels", "[stats]") {
  const std::vector<std::string> labels{kAlignmentLabels[0], kAlignmentLabels[1], "dog", "bad\x1b[2Jlabel"};
  std::string text;
  for (int i = 0; i < 16; ++i) {
    text += Json{{"id", "clip" + std::to_string(i)}, {"duration", 1.0}, {"labels", {labels[i % 4]}}, {"split", i % 2 ? "train" : "test"}}.dump() + "\n";
  }
  const auto r = run_clipset({"stats", "-", "--by", "labels"}, text);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto tables = tables_in(r.out);
  REQUIRE(tables.size() == 3);  // cells, classes, the test split's precision
  CHECK(tables[0].size() == 6);  // cells: a header, four labels, the total
  CHECK(tables[1].size() == 5);  // classes: a header, four labels
  CHECK(misaligned_columns(tables) == "");
  CHECK(r.out.find("鳥") != std::string::npos);
  CHECK(r.out.find("bad\\x1b[2Jlabel") != std::string::npos);  // escaped, not sent to the terminal
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\x1b') == std::string::npos);
}

namespace {

// 37 dog items, 12 of them in the 4 weeks up to 2026-11-28, by two recorders; 5 cat items, none recent.
std::string collecting_manifest() {
  std::string text;
  for (int i = 0; i < 37; ++i) {
    const std::string date = i < 12 ? "2026-11-" + std::to_string(10 + i) : "2026-09-" + std::to_string(10 + i % 18);
    Json r{{"id", "dog" + std::to_string(i)}, {"duration", 2.0}, {"labels", {"dog"}},
           {"meta", {{"recorder", i % 2 == 0 ? "anna" : "ben"}, {"recorded_at", date + "T10:00:00Z"}}}};
    text += r.dump() + "\n";
  }
  for (int i = 0; i < 5; ++i) {
    Json r{{"id", "cat" + std::to_string(i)}, {"duration", 1.0}, {"labels", {"cat"}}, {"meta", {{"recorder", "anna"}, {"recorded_at", "2026-08-01"}}}};
    text += r.dump() + "\n";
  }
  text += Json{{"id", "undated"}, {"duration", 1.0}, {"labels", {"cat"}}}.dump() + "\n";
  return text;
}

Json tagged(double start, double end, const char* label, const char* annotator, const char* salience) {
  Json a = annotation(start, end, label, annotator);
  a["salience"] = salience;
  return a;
}

// anna and ben agree on the foreground events and on one of three background ones.
std::string salience_manifest() {
  Json park{{"id", "park"}, {"duration", 20.0}, {"labels", {"dog", "car", "bird", "wind", "crow"}}};
  park["annotations"] = {tagged(1, 3, "dog", "anna", "fg"),   tagged(5, 6, "car", "anna", "fg"),
                         tagged(8, 9, "bird", "anna", "bg"),  tagged(15, 16, "crow", "anna", "bg"),
                         tagged(1.1, 3, "dog", "ben", "fg"),  tagged(5, 6, "car", "ben", "fg"),
                         tagged(12, 14, "wind", "ben", "bg"), tagged(15, 16, "crow", "ben", "bg")};
  Json fg_clip{{"id", "clip1"}, {"duration", 1.0}, {"labels", {"dog"}}, {"salience", "fg"}};
  Json bg_clip{{"id", "clip2"}, {"duration", 1.0}, {"labels", {"bird"}}};
  Json hard = tagged(0, 1, "bird", "anna", "bg");
  hard["difficulty"] = "hard";
  bg_clip["annotations"] = {hard};
  Json plain{{"id", "clip3"}, {"duration", 1.0}, {"labels", {"x"}}};
  return park.dump() + "\n" + fg_clip.dump() + "\n" + bg_clip.dump() + "\n" + plain.dump() + "\n";
}

// "key=items" for each cell of a one-field --by.
std::vector<std::string> cell_counts(const Json& report, const std::string& field) {
  std::vector<std::string> out;
  for (const auto& c : report["cells"]) out.push_back(c["key"][field].get<std::string>() + "=" + c["figures"]["items"].dump());
  return out;
}

}  // namespace

TEST_CASE("stats e2e: quotas say what is collected, what is to go and when, from the recorded_at dates", "[e2e][stats]") {
  TempDir t;
  write_file(t / "raw.jsonl", collecting_manifest());
  const auto r = run_clipset({"stats", "raw.jsonl", "--by", "labels,meta.recorder", "--quota", "100"}, "", t.path().string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("dog 37/100 clips (63 to go; at the last 4 weeks' 3 a week: about 21 weeks)") != std::string::npos);
  CHECK(r.out.find("cat 6/100 clips (94 to go; none recorded in the last 4 weeks)") != std::string::npos);
  CHECK(r.out.find("meta.recorder=anna 24/100 clips") != std::string::npos);
  CHECK(r.out.find("pace: items recorded in the 4 weeks up to 2026-11-21 (meta.recorded_at)") != std::string::npos);

  // A quota file wins over --quota; a class it names that nothing has yet gets a row at 0.
  write_file(t / "quotas.csv", "# targets\ndog,40\nbird,10\nmeta.recorder=ben, 20\n");
  const auto j = run_clipset({"stats", "raw.jsonl", "--by", "labels,meta.recorder", "--quota", "100", "--quota-file", "quotas.csv",
                              "--now", "2026-11-28", "--format", "json"},
                             "", t.path().string());
  REQUIRE(j.exit_code == 0);
  const Json q = Json::parse(j.out)["quotas"];
  CHECK(q["now"] == "2026-11-28");
  std::map<std::string, Json> rows;
  for (const auto& row : q["rows"]) rows[row["field"].get<std::string>() + "=" + row["value"].get<std::string>()] = row;
  CHECK(rows.at("labels=dog")["target"] == 40);
  CHECK(rows.at("labels=dog")["to_go"] == 3);
  CHECK(rows.at("labels=dog")["recent"] == 12);  // 2026-10-31 .. 2026-11-28 holds all of November 10..21
  CHECK(rows.at("labels=bird")["items"] == 0);
  CHECK(rows.at("labels=bird")["to_go"] == 10);
  CHECK(rows.at("meta.recorder=ben")["target"] == 20);
  CHECK(rows.at("meta.recorder=anna")["target"] == 100);
  CHECK(rows.at("labels=cat")["seconds"] == 6.0);

  // The HTML report draws a progress bar per row.
  REQUIRE(run_clipset({"stats", "raw.jsonl", "--quota", "50", "--html", "report.html"}, "", t.path().string()).exit_code == 0);
  const std::string html = read_file(t / "report.html");
  CHECK(html.find("<h2>Quotas</h2>") != std::string::npos);
  CHECK(html.find("style=\"width:74.0%\"") != std::string::npos);  // dog 37/50
}

TEST_CASE("stats e2e: targets per class from learning-curve's answer, bad quota inputs", "[e2e][stats]") {
  TempDir t;
  write_file(t / "raw.jsonl", collecting_manifest());
  write_file(t / "curve.json", R"({"target":{"score":0.9,"total":150,"per_class":{"dog":61.2,"cat":89}}})");
  const auto r = run_clipset({"stats", "raw.jsonl", "--from-curve", "curve.json"}, "", t.path().string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("dog 37/62 clips (25 to go") != std::string::npos);
  CHECK(r.out.find("cat 6/89 clips") != std::string::npos);

  write_file(t / "nocurve.json", R"({"target":null})");
  const auto none = run_clipset({"stats", "raw.jsonl", "--from-curve", "nocurve.json"}, "", t.path().string());
  CHECK(none.exit_code == 1);
  CHECK(none.out.empty());
  CHECK(none.err == "clipset stats: nocurve.json: holds no per-class target (run learning-curve with --target and --format json)\n");
  write_file(t / "bad.csv", "dog,40\ncat forty\n");
  const auto bad = run_clipset({"stats", "raw.jsonl", "--quota-file", "bad.csv"}, "", t.path().string());
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "clipset stats: bad.csv:2: expected KEY,TARGET (a class, or FIELD=VALUE, then a number of items)\n");
  const auto now = run_clipset({"stats", "raw.jsonl", "--now", "2026-11-28"}, "", t.path().string());
  CHECK(now.exit_code == 2);
  CHECK(now.err == "clipset stats: --now: needs --quota, --quota-file or --from-curve\n");
  const auto date = run_clipset({"stats", "raw.jsonl", "--quota", "5", "--now", "yesterday"}, "", t.path().string());
  CHECK(date.exit_code == 2);
  CHECK(date.err == "clipset stats: --now yesterday: expected a date such as 2026-11-26\n");
}

TEST_CASE("stats: --by salience, difficulty and annotator read annotations by one rule (issue 20)", "[stats][tags]") {
  using Strings = std::vector<std::string>;
  const auto by = [](const std::string& field) {
    const auto r = run_clipset({"stats", "-", "--by", field, "--format", "json"}, salience_manifest());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return cell_counts(Json::parse(r.out), field);
  };
  CHECK(by("salience") == Strings{"(none)=1", "bg=2", "fg=2"});
  CHECK(by("difficulty") == Strings{"(none)=3", "hard=1"});
  CHECK(by("annotator") == Strings{"(none)=2", "anna=2", "ben=1"});
  // Absent from every item is no typo: the schema's field, all (none).
  const auto r = run_clipset({"stats", "-", "--by", "difficulty"}, manifest());
  CHECK(r.exit_code == 0);
}

TEST_CASE("stats: --agreement per salience shows the background disagreement (issue 20)", "[stats][tags]") {
  const auto r = run_clipset({"stats", "-", "--agreement", "--format", "json", "--grid", "100ms", "--collar", "0.25"},
                             salience_manifest());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json s = Json::parse(r.out)["agreement"]["salience"];
  REQUIRE(s.size() == 2);
  CHECK(s[0]["salience"] == "fg");
  CHECK(s[0]["events"] == 4);  // two events each, checked against the other annotator
  CHECK(s[0]["found"] == 4);
  CHECK(s[0]["frames_marked"] == 30);
  CHECK(s[0]["frames_disputed"] == 1);  // ben's dog starts one frame later
  CHECK(s[1]["salience"] == "bg");
  CHECK(s[1]["events"] == 4);
  CHECK(s[1]["found"] == 2);  // only the crow
  CHECK(s[1]["found_fraction"] == 0.5);
  CHECK(s[1]["frames_marked"] == 40);
  CHECK(s[1]["frames_disputed"] == 30);

  const auto table = run_clipset({"stats", "-", "--agreement", "--grid", "100ms", "--collar", "0.25"}, salience_manifest());
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("agreement per salience") != std::string::npos);
  bool fg_row = false, bg_row = false;
  for (const auto& line : lines_of(table.out)) {
    fg_row = fg_row || (line.rfind("fg ", 0) == 0 && line.find("100.0%") != std::string::npos);
    bg_row = bg_row || (line.rfind("bg ", 0) == 0 && line.find("50.0%") != std::string::npos && line.find("75.0%") != std::string::npos);
  }
  CHECK(fg_row);
  CHECK(bg_row);
}
