#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "support/temp_dir.hpp"

using clipset::LabelTrack;
using clipset::parse_audacity_labels;
using clipset::TrackLabel;

namespace {

const std::filesystem::path reference_dir = std::filesystem::path(CLIPSET_TEST_DATA) / "audacity";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    lines.push_back(text.substr(begin, end - begin));
    if (!lines.back().empty() && lines.back().back() == '\r') lines.back().pop_back();
    begin = end + 1;
  }
  return lines;
}

// Audacity's export: "%.6f\t%.6f\t%s", plus "\\\t%.6f\t%.6f" in the extended style when a
// frequency is defined.
std::string export_labels(const LabelTrack& track, bool extended) {
  std::string out;
  char buffer[128];
  for (const auto& label : track.labels) {
    std::snprintf(buffer, sizeof buffer, "%.6f\t%.6f\t", label.start, label.end);
    out += buffer + label.title + "\n";
    if (extended && (label.low_hz >= 0 || label.high_hz >= 0)) {
      std::snprintf(buffer, sizeof buffer, "\\\t%.6f\t%.6f\n", label.low_hz, label.high_hz);
      out += buffer;
    }
  }
  return out;
}

LabelTrack parse(std::string_view text) { return parse_audacity_labels(text); }

void check_label(const TrackLabel& label, double start, double end, const std::string& title, double low = -1,
                 double high = -1) {
  CHECK(label.start == start);
  CHECK(label.end == end);
  CHECK(label.title == title);
  CHECK(label.low_hz == low);
  CHECK(label.high_hz == high);
}

}  // namespace

TEST_CASE("audacity: the reference files parse as expected_import.json says", "[audacity]") {
  const auto expected = nlohmann::json::parse(clipset::test::read_file(reference_dir / "expected_import.json"));
  for (const std::string name :
       {"example1_standard.txt", "example2_extended_spectral.txt", "example3_import_edge_cases.txt"}) {
    INFO(name);
    const std::string text = clipset::test::read_file(reference_dir / name);
    const auto& want = expected.at(name);
    const LabelTrack track = parse(text);

    REQUIRE(track.labels.size() == want.at("labels").size());
    for (std::size_t i = 0; i < track.labels.size(); ++i) {
      INFO("label " << i);
      const auto& label = want.at("labels")[i];
      check_label(track.labels[i], label.at("t0").get<double>(), label.at("t1").get<double>(),
                  label.at("title").get<std::string>(), label.at("f0").get<double>(), label.at("f1").get<double>());
    }

    // Rejected labels: each problem's line is the main line of one dropped label, in file order.
    CHECK(track.problems.empty() == !want.at("import_error").get<bool>());
    const auto dropped = want.value("dropped_lines", std::vector<std::string>{});
    REQUIRE(track.problems.size() == dropped.size());
    const auto lines = lines_of(text);
    for (std::size_t i = 0; i < dropped.size(); ++i) {
      INFO("dropped " << dropped[i]);
      REQUIRE(track.problems[i].line >= 1);
      REQUIRE(track.problems[i].line <= lines.size());
      CHECK(replace_all(dropped[i], "\\t", "\t").starts_with(lines[track.problems[i].line - 1]));
    }
  }
}

TEST_CASE("audacity: the reference edge-case file rejects with reasons", "[audacity]") {
  const LabelTrack track = parse(clipset::test::read_file(reference_dir / "example3_import_edge_cases.txt"));
  REQUIRE(track.problems.size() == 2);
  CHECK(track.problems[0].line == 11);
  CHECK(track.problems[0].reason == "start time 'not_a_number' is not a number");
  CHECK(track.problems[1].line == 12);
  CHECK(track.problems[1].reason == "bad spectral selection line (low frequency 'abc' is not a number)");
}

TEST_CASE("audacity: re-export matches the reference files", "[audacity]") {
  const auto expected = nlohmann::json::parse(clipset::test::read_file(reference_dir / "expected_import.json"));
  const std::string standard = clipset::test::read_file(reference_dir / "example1_standard.txt");
  CHECK(export_labels(parse(standard), false) == standard);
  const std::string extended = clipset::test::read_file(reference_dir / "example2_extended_spectral.txt");
  CHECK(export_labels(parse(extended), true) == extended);

  const auto edge = parse(clipset::test::read_file(reference_dir / "example3_import_edge_cases.txt"));
  std::string want;
  for (const auto& line : expected.at("example3_import_edge_cases.txt").at("reexport_standard_style")) {
    want += line.get<std::string>() + "\n";
  }
  CHECK(export_labels(edge, false) == want);
}

TEST_CASE("audacity: LF, CRLF and CR-only line ends give the same track", "[audacity]") {
  const std::string crlf = clipset::test::read_file(reference_dir / "example3_import_edge_cases.txt");
  REQUIRE(crlf.find("\r\n") != std::string::npos);
  const std::string lf = replace_all(crlf, "\r\n", "\n");
  const std::string cr = replace_all(crlf, "\r\n", "\r");
  const std::string mixed = replace_all(replace_all(crlf, "\r\n1", "\r1"), "\r\n2", "\n2");
  const std::string want = export_labels(parse(crlf), true);
  for (const auto& text : {lf, cr, mixed}) {
    const LabelTrack track = parse(text);
    CHECK(export_labels(track, true) == want);
    REQUIRE(track.problems.size() == 2);
    CHECK(track.problems[0].line == 11);
    CHECK(track.problems[1].line == 12);
  }
}

TEST_CASE("audacity: empty input, final line ends and empty lines", "[audacity]") {
  CHECK(parse("").labels.empty());
  CHECK(parse("").problems.empty());
  CHECK(parse("\xEF\xBB\xBF").problems.empty());

  // Without a final line end the last label is still read.
  const LabelTrack no_newline = parse("1\t2\ta\n3\t4\tb");
  REQUIRE(no_newline.labels.size() == 2);
  check_label(no_newline.labels[1], 3, 4, "b");
  CHECK(no_newline.problems.empty());

  // A final line end is not an empty label; empty lines before it are.
  CHECK(parse("1\t2\ta\r\n").problems.empty());
  CHECK(parse("1\t2\ta\r").problems.empty());
  const LabelTrack blank = parse("1\t2\ta\n\n3\t4\tb\n\n");
  CHECK(blank.labels.size() == 2);
  REQUIRE(blank.problems.size() == 2);
  CHECK(blank.problems[0].line == 2);
  CHECK(blank.problems[0].reason == "empty line");
  CHECK(blank.problems[1].line == 4);
  const LabelTrack one = parse("\n");
  REQUIRE(one.problems.size() == 1);
  CHECK(one.problems[0].line == 1);
}

TEST_CASE("audacity: a UTF-8 BOM at the start is skipped", "[audacity]") {
  const LabelTrack track = parse("\xEF\xBB\xBF" "1.5\t2\tcafé\n");
  CHECK(track.problems.empty());
  REQUIRE(track.labels.size() == 1);
  check_label(track.labels[0], 1.5, 2, "café");
}

TEST_CASE("audacity: numbers", "[audacity]") {
  const LabelTrack track = parse("  1,5\t+2.25\ta\n+3\t4e0\tb\n.5\t6.\tc\n");
  CHECK(track.problems.empty());
  REQUIRE(track.labels.size() == 3);
  check_label(track.labels[0], 0.5, 6, "c");
  check_label(track.labels[1], 1.5, 2.25, "a");
  check_label(track.labels[2], 3, 4, "b");

  // Not a number as a whole: trailing text, two signs, thousands separators, hex, empty.
  for (const std::string start : {"1.5 ", "1.5s", "+-1", "++1", "1,000.5", "0x10", "", " ", "+"}) {
    INFO("'" << start << "'");
    const LabelTrack bad = parse(start + "\t2\tx\n");
    CHECK(bad.labels.empty());
    REQUIRE(bad.problems.size() == 1);
    CHECK(bad.problems[0].reason == "start time '" + start + "' is not a number");
  }
}

TEST_CASE("audacity: point labels, missing titles and extra fields", "[audacity]") {
  const LabelTrack track = parse("5\thello\n20\t6 dogs\n7\n8\t9\n10\t11\t spaced title \tdropped\tmore\n12\t13\t\n");
  CHECK(track.problems.empty());
  REQUIRE(track.labels.size() == 6);
  check_label(track.labels[0], 5, 5, "hello");
  check_label(track.labels[1], 7, 7, "");
  check_label(track.labels[2], 8, 9, "");
  check_label(track.labels[3], 10, 11, " spaced title ");
  check_label(track.labels[4], 12, 13, "");
  check_label(track.labels[5], 20, 20, "6 dogs");
}

TEST_CASE("audacity: reversed times are swapped", "[audacity]") {
  const LabelTrack track = parse("9\t6\tr\n");
  REQUIRE(track.labels.size() == 1);
  check_label(track.labels[0], 6, 9, "r");
}

TEST_CASE("audacity: negative, NaN and infinite times are rejected", "[audacity]") {
  const LabelTrack track = parse("-1\t2\ta\n"
                                 "3\t-2\tb\n"
                                 "nan\t1\tc\n"
                                 "1\tinf\td\n"
                                 "-inf\te\n"
                                 "-0\t0,5\tf\n"
                                 "1e400\t1\tg\n");
  REQUIRE(track.labels.size() == 1);
  check_label(track.labels[0], 0, 0.5, "f");
  CHECK_FALSE(std::signbit(track.labels[0].start));
  REQUIRE(track.problems.size() == 6);
  CHECK(track.problems[0].line == 1);
  CHECK(track.problems[0].reason == "start time '-1' is negative");
  CHECK(track.problems[1].line == 2);
  CHECK(track.problems[1].reason == "end time '-2' is negative");
  CHECK(track.problems[2].reason == "start time 'nan' is not a finite number");
  CHECK(track.problems[3].reason == "end time 'inf' is not a finite number");
  CHECK(track.problems[4].reason == "start time '-inf' is not a finite number");
  CHECK(track.problems[5].line == 7);
  CHECK(track.problems[5].reason == "start time '1e400' is not a number");
}

TEST_CASE("audacity: spectral selection lines", "[audacity]") {
  const LabelTrack track = parse("1\t2\tswapped\n\\\t4000\t1000\n"
                                 "2\t3\tundefined low\n\\\t-1.000000\t300\n"
                                 "3\t4\tnegative high, no swap\n\\\t500\t-7\n"
                                 "4\t5\tonly first\n\\\t100\t200\n\\\t300\t400\n\\\tfuture field\n"
                                 "5\t6\tcomma\n\\\t 1,5\t+2,5\n"
                                 "6\t7\tnone\n");
  CHECK(track.problems.empty());
  REQUIRE(track.labels.size() == 6);
  check_label(track.labels[0], 1, 2, "swapped", 1000, 4000);
  check_label(track.labels[1], 2, 3, "undefined low", -1, 300);
  check_label(track.labels[2], 3, 4, "negative high, no swap", 500, -1);
  check_label(track.labels[3], 4, 5, "only first", 100, 200);
  check_label(track.labels[4], 5, 6, "comma", 1.5, 2.5);
  check_label(track.labels[5], 6, 7, "none");
}

TEST_CASE("audacity: a bad spectral line rejects the whole label", "[audacity]") {
  const LabelTrack track = parse("1\t2\ta\n\\\tabc\t5\n"
                                 "3\t4\tb\n\\x\t1\t2\n"
                                 "5\t6\tc\n\\\t1\n"
                                 "7\t8\td\n\\\t1\tnan\n"
                                 "9\t10\tkept\n"
                                 "11\t12\te\n\\\t1\t2x\n\\\t1\t2\n");
  REQUIRE(track.labels.size() == 1);
  check_label(track.labels[0], 9, 10, "kept");
  REQUIRE(track.problems.size() == 5);
  CHECK(track.problems[0].line == 1);
  CHECK(track.problems[0].reason == "bad spectral selection line (low frequency 'abc' is not a number)");
  CHECK(track.problems[1].line == 3);
  CHECK(track.problems[1].reason == "bad spectral selection line");
  CHECK(track.problems[2].line == 5);
  CHECK(track.problems[2].reason == "bad spectral selection line");
  CHECK(track.problems[3].line == 7);
  CHECK(track.problems[3].reason == "bad spectral selection line (frequency is not a finite number)");
  CHECK(track.problems[4].line == 10);
  CHECK(track.problems[4].reason == "bad spectral selection line (high frequency '2x' is not a number)");
}

TEST_CASE("audacity: continuation lines of a rejected label go with it", "[audacity]") {
  const LabelTrack track = parse("\\\t1\t2\n\\\t3\t4\nbad\t1\tx\n\\\t5\t6\n1\t2\tok\n");
  REQUIRE(track.labels.size() == 1);
  check_label(track.labels[0], 1, 2, "ok");
  REQUIRE(track.problems.size() == 2);
  CHECK(track.problems[0].line == 1);
  CHECK(track.problems[0].reason == "start time '\\' is not a number");
  CHECK(track.problems[1].line == 3);
}

TEST_CASE("audacity: labels are sorted by start, equal starts in file order", "[audacity]") {
  const LabelTrack track = parse("3\t4\tc\n1\t9\ta1\n2\t2\tb\n1\t2\ta2\n1\ta3\n");
  REQUIRE(track.labels.size() == 5);
  std::vector<std::string> titles;
  for (const auto& label : track.labels) titles.push_back(label.title);
  CHECK(titles == std::vector<std::string>{"a1", "a2", "a3", "b", "c"});
}

TEST_CASE("audacity: every prefix of a valid file parses", "[audacity]") {
  const std::string text = clipset::test::read_file(reference_dir / "example3_import_edge_cases.txt");
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const LabelTrack track = parse(std::string_view(text).substr(0, n));
    for (const auto& label : track.labels) {
      CHECK(label.start <= label.end);
      CHECK(label.start >= 0);
    }
    CHECK(std::is_sorted(track.labels.begin(), track.labels.end(),
                         [](const TrackLabel& a, const TrackLabel& b) { return a.start < b.start; }));
  }
}

TEST_CASE("audacity: read_audacity_labels reads a file and reports io errors", "[audacity]") {
  clipset::test::TempDir dir;
  clipset::test::write_file(dir / "dog1.txt", "1\t2\tbark\n");
  const LabelTrack track = clipset::read_audacity_labels(dir / "dog1.txt");
  REQUIRE(track.labels.size() == 1);
  check_label(track.labels[0], 1, 2, "bark");

  try {
    clipset::read_audacity_labels(dir / "missing.txt");
    FAIL("no error");
  } catch (const clipset::Error& error) {
    CHECK(error.kind() == clipset::ErrorKind::io);
    CHECK(error.subject() == (dir / "missing.txt").string());
    CHECK(error.reason() == "no such file or directory");
  }
  CHECK_THROWS_AS(clipset::read_audacity_labels(dir.path()), clipset::Error);
}

TEST_CASE("audacity: label-track file names", "[audacity]") {
  using clipset::match_label_track;
  auto matches = [](std::string_view stem, std::string_view file, const std::string& annotator, int pass) {
    INFO(stem << " / " << file);
    const auto name = match_label_track(stem, file);
    REQUIRE(name);
    CHECK(name->annotator == annotator);
    CHECK(name->pass == pass);
  };
  matches("dog1", "dog1.txt", "", 1);
  matches("dog1", "dog1.anna.txt", "anna", 1);
  matches("dog1", "dog1.anna.2.txt", "anna", 2);
  matches("dog1", "dog1.anna.12.txt", "anna", 12);
  matches("dog1", "dog1.Anna Lee.3.txt", "Anna Lee", 3);
  matches("rec.2024", "rec.2024.txt", "", 1);
  matches("rec.2024", "rec.2024.anna.txt", "anna", 1);
  matches("rec.2024", "rec.2024.anna.4.txt", "anna", 4);
  // The annotator is whatever has no dot, even a number.
  matches("dog1", "dog1.2.txt", "2", 1);

  for (const auto& [stem, file] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"dog1", "dog1.wav.txt"},      // an audio file's full name, not annotator "wav"
           {"dog1", "dog1.FLAC.txt"},
           {"dog1", "dog10.txt"},         // another recording's track
           {"dog1", "dog1.anna.0.txt"},   // passes count from 1
           {"dog1", "dog1.anna.-1.txt"},
           {"dog1", "dog1.anna.+1.txt"},
           {"dog1", "dog1.anna.1.5.txt"},
           {"dog1", "dog1.anna.x.txt"},
           {"dog1", "dog1.anna.99999999999.txt"},
           {"dog1", "dog1.anna..txt"},
           {"dog1", "dog1..txt"},
           {"dog1", "dog1...txt"},
           {"dog1", "dog1..1.txt"},
           {"dog1", "dog1.a.b.c.txt"},
           {"dog1", "dog1.anna.txt.bak"},
           {"dog1", "dog1.csv"},
           {"dog1", "dog1"},
           {"dog1", "dog.txt"},
           {"dog1", "xdog1.txt"},
           {"dog1", "Dog1.txt"},
           {"dog1", ".txt"},
           {"dog1.txt", "dog1.txt"},
           {"", ".txt"},
           {"", "anna.txt"},
           {"rec", "rec.2024.anna.txt"},  // "2024" would be the annotator, "anna" no pass
       }) {
    INFO(stem << " / " << file);
    CHECK_FALSE(match_label_track(stem, file));
  }
}

TEST_CASE("format_audacity_labels is read back by parse_audacity_labels exactly", "[labels][audacity]") {
  std::vector<clipset::TrackLabel> labels(3);
  labels[0] = {0.1, 0.30000000000000004, "dog", -1, -1};
  labels[1] = {2.5, 2.5, "point, with comma", 120.5, 8000};
  labels[2] = {25.0 / 7.0, 100.0 / 3.0, "tab\there\nnewline", -1, -1};
  const std::string text = clipset::format_audacity_labels(labels);
  const auto track = clipset::parse_audacity_labels(text);
  REQUIRE(track.problems.empty());
  REQUIRE(track.labels.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(track.labels[i].start == labels[i].start);
    CHECK(track.labels[i].end == labels[i].end);
    CHECK(track.labels[i].low_hz == labels[i].low_hz);
    CHECK(track.labels[i].high_hz == labels[i].high_hz);
  }
  CHECK(track.labels[1].title == "point, with comma");
  CHECK(track.labels[2].title == "tab here newline");
}

TEST_CASE("label_track_file_name gives names match_label_track reads back", "[labels][audacity]") {
  CHECK(clipset::label_track_file_name("rec", "", 1) == "rec.txt");
  CHECK(clipset::label_track_file_name("rec", "anna", 1) == "rec.anna.txt");
  CHECK(clipset::label_track_file_name("rec", "anna", 3) == "rec.anna.3.txt");
  const auto named = clipset::match_label_track("rec", clipset::label_track_file_name("rec", "anna", 3));
  REQUIRE(named);
  CHECK(named->annotator == "anna");
  CHECK(named->pass == 3);
}
