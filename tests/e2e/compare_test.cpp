// End-to-end tests of `clipset compare`: the binary on manifests the tests write: two manifests,
// splits and periods; its figures against SciPy's (tests/scripts/compare_scipy.py); findings;
// the exit code of --threshold; the HTML report (parsed as XML); each documented error.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::write_file;

constexpr const char* kPrefix = "clipset compare: ";

// n items; device X on every `x_every`-th item (0: never), durations around `mean`.
std::string manifest(int n, int x_every, double mean, const std::string& split = "", int first_month = 1) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string device = x_every > 0 && i % x_every == 0 ? "X" : (i % 2 ? "pixel" : "iphone");
    Json r{{"id", "clip" + std::to_string(i)},
           {"duration", mean + 0.01 * ((i * 37) % 100)},
           {"sample_rate", i % 3 == 0 ? 44100 : 16000},
           {"labels", {std::string("c") + std::to_string(i % 3)}},
           {"meta", {{"device", device}, {"recorded_at", "2026-0" + std::to_string(first_month + i % 3) + "-15T10:00:00Z"}}}};
    if (!split.empty()) r["split"] = split;
    text += r.dump() + "\n";
  }
  return text;
}

Json json_of(const CommandResult& r) {
  INFO(r.command << "\n" << r.err);
  REQUIRE(!r.out.empty());
  return Json::parse(r.out);
}

const Json& field_of(const Json& comparison, const std::string& name) {
  for (const auto& f : comparison["fields"]) {
    if (f["field"] == name) return f;
  }
  FAIL("no field " << name);
  static const Json none;
  return none;
}

}  // namespace

TEST_CASE("compare: two manifests, figures equal SciPy's for categorical and numeric fields", "[compare][scipy]") {
  TempDir dir;
  write_file(dir / "a.jsonl", manifest(120, 0, 1.0));
  write_file(dir / "b.jsonl", manifest(90, 3, 1.2));
  const auto r = run_clipset({"compare", (dir / "a.jsonl").string(), (dir / "b.jsonl").string(), "--by",
                              "labels,meta.device,duration,sample_rate", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json report = json_of(r);
  REQUIRE(report["comparisons"].size() == 1);
  const Json& c = report["comparisons"][0];
  CHECK(c["reference_items"] == 120);
  CHECK(c["other_items"] == 90);
  for (const std::string field : {"labels", "meta.device", "duration", "sample_rate"}) {
    INFO(field);
    const auto s = run_command({"/usr/bin/python3", std::string(CLIPSET_SOURCE_DIR) + "/tests/scripts/compare_scipy.py", "manifests",
                                (dir / "a.jsonl").string(), (dir / "b.jsonl").string(), field});
    INFO(s.err);
    REQUIRE(s.exit_code == 0);  // needs python3-scipy (scripts/install-deps.sh)
    const Json scipy = Json::parse(s.out);
    const Json& ours = field_of(c, field);
    CHECK(ours["kind"] == scipy["kind"]);
    if (scipy["kind"] == "categorical") {
      CHECK(ours["js"].get<double>() == Approx(scipy["js"].get<double>()).margin(1e-12));
      CHECK(ours["chi_square"]["statistic"].get<double>() == Approx(scipy["chi_square"]["statistic"].get<double>()).epsilon(1e-12));
      CHECK(ours["chi_square"]["dof"] == scipy["chi_square"]["dof"]);
      CHECK(ours["chi_square"]["p_value"].get<double>() == Approx(scipy["chi_square"]["p_value"].get<double>()).epsilon(1e-6).margin(1e-300));
    } else {
      CHECK(ours["ks"]["statistic"].get<double>() == Approx(scipy["ks"]["statistic"].get<double>()).margin(1e-12));
      CHECK(ours["ks"]["p_value"].get<double>() == Approx(scipy["ks"]["p_value"].get<double>()).epsilon(1e-6).margin(1e-300));
      CHECK(ours["ks"]["method"] == scipy["ks"]["method"]);
    }
  }
  // Device X only in b: listed, and a finding in words.
  CHECK(field_of(c, "meta.device")["only_other"] == Json::array({"X"}));
  bool worded = false;
  for (const auto& f : c["findings"]) worded = worded || f.get<std::string>().find("'X' (33.3% of it), never seen in") != std::string::npos;
  CHECK(worded);
}

TEST_CASE("compare: --threshold exits 1 when a divergence passes it, 0 below, and says so", "[compare]") {
  TempDir dir;
  write_file(dir / "a.jsonl", manifest(60, 0, 1.0));
  write_file(dir / "b.jsonl", manifest(60, 2, 1.0));
  const auto over = run_clipset({"compare", (dir / "a.jsonl").string(), (dir / "b.jsonl").string(), "--by", "meta.device", "--threshold", "0.1"});
  CHECK(over.exit_code == 1);
  CHECK(over.out.find("over threshold") != std::string::npos);
  CHECK(over.err.find("over --threshold") != std::string::npos);
  const auto under = run_clipset({"compare", (dir / "a.jsonl").string(), (dir / "b.jsonl").string(), "--by", "labels", "--threshold", "0.1"});
  INFO(under.err);
  CHECK(under.exit_code == 0);
  CHECK(under.out.find("findings:") != std::string::npos);
}

TEST_CASE("compare --between split: the test split lacks a device train has, in words", "[compare]") {
  TempDir dir;
  write_file(dir / "d.jsonl", manifest(100, 3, 1.0, "train") + manifest(30, 0, 1.0, "test"));
  const auto r = run_clipset({"compare", (dir / "d.jsonl").string(), "--between", "split", "--by", "meta.device", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json c = json_of(r)["comparisons"][0];
  CHECK(c["reference"] == "train");
  CHECK(c["other"] == "test");
  REQUIRE(!c["findings"].empty());
  CHECK(c["findings"][0] == "test holds no items with meta.device 'X', which is 34.0% of train");
}

TEST_CASE("compare --period month: each month against the earlier ones, items without a date named", "[compare]") {
  TempDir dir;
  std::string text = manifest(90, 0, 1.0);  // January to March
  text += R"({"id":"undated","duration":1.0,"meta":{"device":"pixel"}})" "\n";
  text += R"({"id":"bad","duration":1.0,"meta":{"device":"pixel","recorded_at":"2026-02-30"}})" "\n";
  write_file(dir / "m.jsonl", text);
  const auto r = run_clipset({"compare", (dir / "m.jsonl").string(), "--period", "month", "--by", "meta.device,duration", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json report = json_of(r);
  REQUIRE(report["comparisons"].size() == 2);
  CHECK(report["comparisons"][0]["reference"] == "2026-01");
  CHECK(report["comparisons"][0]["other"] == "2026-02");
  CHECK(report["comparisons"][1]["reference"] == "2026-01..2026-02");
  CHECK(report["comparisons"][1]["other"] == "2026-03");
  CHECK(report["left_out"] == 2);
  CHECK(r.err.find("undated: no meta.recorded_at") != std::string::npos);
  CHECK(r.err.find("bad: meta.recorded_at '2026-02-30' is not a date") != std::string::npos);
}

TEST_CASE("compare --period week: ISO weeks, a week across the new year belongs to its Thursday's year", "[compare]") {
  TempDir dir;
  write_file(dir / "w.jsonl", R"({"id":"a","labels":["x"],"meta":{"recorded_at":"2026-12-31"}})" "\n"
                              R"({"id":"b","labels":["y"],"meta":{"recorded_at":"2027-01-01T08:00:00Z"}})" "\n"
                              R"({"id":"c","labels":["y"],"meta":{"recorded_at":"2027-01-04"}})" "\n");
  const auto r = run_clipset({"compare", (dir / "w.jsonl").string(), "--period", "week", "--by", "labels", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Json report = json_of(r);
  REQUIRE(report["comparisons"].size() == 1);
  CHECK(report["comparisons"][0]["reference"] == "2026-W53");
  CHECK(report["comparisons"][0]["reference_items"] == 2);  // Friday 2027-01-01 is in 2026's last week
  CHECK(report["comparisons"][0]["other"] == "2027-W01");
  CHECK(report["comparisons"][0]["other_items"] == 1);
}

TEST_CASE("compare --format html: one well-formed offline page with side-by-side bars", "[compare]") {
  TempDir dir;
  write_file(dir / "a.jsonl", manifest(40, 0, 1.0));
  write_file(dir / "b.jsonl", manifest(40, 4, 2.0));
  const auto r = run_clipset({"compare", (dir / "a.jsonl").string(), (dir / "b.jsonl").string(), "--by", "meta.device,duration",
                              "--format", "html", "-o", (dir / "r.html").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  const std::string html = read_file(dir / "r.html");
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org"));  // no fetched resource
  CHECK(html.find("<script") == std::string::npos);
  const auto xml = run_command({"/usr/bin/python3", "-c", "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])",
                                (dir / "r.html").string()});
  INFO(xml.err);
  CHECK(xml.exit_code == 0);
}

TEST_CASE("compare: bad inputs name the problem and exit with the documented code", "[compare]") {
  TempDir dir;
  write_file(dir / "a.jsonl", manifest(10, 0, 1.0));
  write_file(dir / "b.jsonl", R"({"id":"x","labels":["c0"]})" "\n");
  const std::string a = (dir / "a.jsonl").string(), b = (dir / "b.jsonl").string();
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"compare", a, "--period", "fortnight", "--by", "labels"}, 2, "--period fortnight: expected day, week or month"},
      {{"compare", a, b, "--by", "meta.device"}, 2, "--by meta.device: no item of " + b + " has this field"},
      {{"compare", a, b, "--by", "meta.devise"}, 2, "--by meta.devise: no item has this field"},
      {{"compare", a, "--by", "labels"}, 2, "two manifests are compared (or one with --between or --period)"},
      {{"compare", a, b, "--between", "split", "--by", "labels"}, 2, "one manifest is compared with --between or --period"},
      {{"compare", a, b, "--by", "labels", "--threshold", "2"}, 2, "--threshold 2:"},
      {{"compare", a, "--between", "split", "--period", "day", "--by", "labels"}, 2, "give either --between or --period, not both"},
      {{"compare", a, (dir / "missing.jsonl").string(), "--by", "labels"}, 3, "missing.jsonl"},
  };
  for (const auto& c : cases) {
    const auto r = run_clipset(c.args);
    INFO(r.command << "\n" << r.err);
    CHECK(r.exit_code == c.code);
    CHECK(r.out.empty());
    CHECK(r.err.find(kPrefix) == 0);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
}

TEST_CASE("compare: a bad line is named and skipped, --strict makes it fatal", "[compare]") {
  TempDir dir;
  write_file(dir / "a.jsonl", manifest(10, 0, 1.0) + "not json\n");
  write_file(dir / "b.jsonl", manifest(10, 0, 1.0));
  const std::string a = (dir / "a.jsonl").string(), b = (dir / "b.jsonl").string();
  const auto r = run_clipset({"compare", a, b, "--by", "labels"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find(a + ":11:") != std::string::npos);
  const auto strict = run_clipset({"compare", a, b, "--by", "labels", "--strict"});
  CHECK(strict.exit_code == 1);
  CHECK(strict.out.empty());
  // Same figures whatever --jobs is, and the same input on stdin.
  const auto one = run_clipset({"compare", a, b, "--by", "labels,duration", "--format", "json", "--jobs", "1"});
  const auto two = run_clipset({"compare", a, b, "--by", "labels,duration", "--format", "json", "--jobs", "2"});
  CHECK(one.out == two.out);
  const auto piped = run_clipset({"compare", "-", b, "--by", "labels,duration", "--format", "json"}, read_file(a));
  CHECK(Json::parse(piped.out)["comparisons"][0]["fields"] == Json::parse(one.out)["comparisons"][0]["fields"]);
}
