#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "support/temp_dir.hpp"

using clipset::Sheet;
using clipset::SheetOptions;

namespace {

Sheet parse(const std::string& text, const SheetOptions& options = {}) {
  std::istringstream in(text);
  return clipset::parse_sheet(in, "meta.csv", options);
}

// The data error parse() throws, as "subject: reason".
std::string data_error(const std::string& text, const SheetOptions& options = {}) {
  try {
    parse(text, options);
  } catch (const clipset::Error& error) {
    if (error.kind() != clipset::ErrorKind::data) return "wrong kind: " + std::string(error.what());
    return error.subject() + ": " + error.reason();
  }
  return "no error";
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("sheet: a simple sheet", "[sheet]") {
  const Sheet sheet = parse("path,labels,recorder\nsub/a.wav,dog,anna\nb.wav,cat,ben\n");
  CHECK(sheet.file == "meta.csv");
  CHECK(sheet.problems.empty());
  REQUIRE(sheet.rows.size() == 2);
  CHECK(sheet.rows[0].line == 2);
  CHECK(sheet.rows[0].key == "sub/a.wav");
  CHECK(sheet.rows[0].key_is_path);
  CHECK(sheet.rows[0].labels == Strings{"dog"});
  CHECK(sheet.rows[0].meta == nlohmann::ordered_json{{"recorder", "anna"}});
  CHECK_FALSE(sheet.rows[0].group);
  CHECK(sheet.rows[1].key == "b.wav");
  CHECK_FALSE(sheet.rows[1].key_is_path);
}

TEST_CASE("sheet: the key column is found case-insensitively among the usual names", "[sheet]") {
  for (const std::string name : {"path", "file", "filename", "file_name", "fname", "audio", "audio_path", "FileName",
                                 " Path ", "AUDIO"}) {
    INFO(name);
    const Sheet sheet = parse("x," + name + "\n1,a.wav\n");
    REQUIRE(sheet.rows.size() == 1);
    CHECK(sheet.rows[0].key == "a.wav");
    CHECK(sheet.rows[0].meta == nlohmann::ordered_json{{"x", "1"}});
  }
}

TEST_CASE("sheet: the first key-like header in column order wins", "[sheet]") {
  const Sheet sheet = parse("file,path\na.wav,sub/a.wav\n");
  REQUIRE(sheet.rows.size() == 1);
  CHECK(sheet.rows[0].key == "a.wav");
  CHECK(sheet.rows[0].meta == nlohmann::ordered_json{{"path", "sub/a.wav"}});
}

TEST_CASE("sheet: explicit key, label and group columns", "[sheet]") {
  SheetOptions options;
  options.key_column = "Recording";
  options.label_column = "Class";
  options.group_column = "speaker";
  options.label_separator = '|';
  const Sheet sheet = parse("recording,class,Speaker,path\na.wav,dog|cat,s1,elsewhere\n", options);
  REQUIRE(sheet.rows.size() == 1);
  CHECK(sheet.rows[0].key == "a.wav");
  CHECK(sheet.rows[0].labels == Strings{"dog", "cat"});
  CHECK(sheet.rows[0].group == "s1");
  CHECK(sheet.rows[0].meta == nlohmann::ordered_json{{"path", "elsewhere"}});

  options.key_column = "nope";
  CHECK(data_error("recording,class\n", options).starts_with("meta.csv: no file column 'nope' (found: "));
  options.key_column.clear();
  options.label_column = "nope";
  CHECK(data_error("path,class\n", options) == "meta.csv: no label column 'nope' (found: 'path', 'class')");
}

TEST_CASE("sheet: no key column names what it expected and what it found", "[sheet]") {
  CHECK(data_error("name,labels\na.wav,dog\n") ==
        "meta.csv: no file column (expected one of: path, file, filename, file_name, fname, audio, audio_path; "
        "found: 'name', 'labels')");
}

TEST_CASE("sheet: an empty sheet has no header", "[sheet]") {
  CHECK(data_error("") == "meta.csv: no header row (the sheet is empty)");
  CHECK(data_error("\n\n") == "meta.csv: no header row (the sheet is empty)");
}

TEST_CASE("sheet: a header-only sheet has no rows", "[sheet]") {
  const Sheet sheet = parse("path,labels\n");
  CHECK(sheet.rows.empty());
  CHECK(sheet.problems.empty());
}

TEST_CASE("sheet: duplicate header names", "[sheet]") {
  CHECK(data_error("path,label,Label\n") == "meta.csv: column 'Label' appears twice");
  CHECK(data_error("path, x ,X\n") == "meta.csv: column 'X' appears twice");
}

TEST_CASE("sheet: labels are split, trimmed, emptied and deduplicated", "[sheet]") {
  const Sheet sheet = parse("file,label\na.wav, dog ; cat;;dog ;  ; bird\nb.wav,\nc.wav,\" ; \"\nd.wav,dog bark\n");
  REQUIRE(sheet.rows.size() == 4);
  CHECK(sheet.rows[0].labels == Strings{"dog", "cat", "bird"});
  CHECK(sheet.rows[1].labels.empty());
  CHECK(sheet.rows[2].labels.empty());
  CHECK(sheet.rows[3].labels == Strings{"dog bark"});
}

TEST_CASE("sheet: 'labels' and 'label' are both label columns, without one there are no labels", "[sheet]") {
  CHECK(parse("path,Labels\na.wav,x\n").rows.at(0).labels == Strings{"x"});
  CHECK(parse("path,LABEL\na.wav,x\n").rows.at(0).labels == Strings{"x"});
  const Sheet sheet = parse("path,class\na.wav,x\n");
  CHECK(sheet.rows.at(0).labels.empty());
  CHECK(sheet.rows.at(0).meta == nlohmann::ordered_json{{"class", "x"}});
}

TEST_CASE("sheet: meta keeps column order, the header as written, and non-empty cells", "[sheet]") {
  const Sheet sheet = parse("zeta,path, Recorder ,labels,alpha,group,Licence\n"
                            " z1 ,a.wav,  anna ,dog,,g1,CC-BY\n"
                            ",b.wav,,cat,\"a1\",,\n");
  REQUIRE(sheet.rows.size() == 2);
  CHECK(sheet.rows[0].meta.dump() == R"({"zeta":"z1","Recorder":"anna","Licence":"CC-BY"})");
  CHECK(sheet.rows[0].group == "g1");
  CHECK(sheet.rows[1].meta.dump() == R"({"alpha":"a1"})");
  CHECK_FALSE(sheet.rows[1].group);
  // Numbers stay strings.
  CHECK(parse("path,n\na.wav,42\n").rows.at(0).meta.dump() == R"({"n":"42"})");
}

TEST_CASE("sheet: quoted cells with delimiters and line ends", "[sheet]") {
  const Sheet sheet = parse("path,labels,notes\n\"a, b.wav\",\"dog;cat\",\"two\nlines\"\nc.wav,bird,\n");
  REQUIRE(sheet.rows.size() == 2);
  CHECK(sheet.rows[0].key == "a, b.wav");
  CHECK(sheet.rows[0].labels == Strings{"dog", "cat"});
  CHECK(sheet.rows[0].meta == nlohmann::ordered_json{{"notes", "two\nlines"}});
  CHECK(sheet.rows[1].line == 4);
}

TEST_CASE("sheet: keys are trimmed and Windows paths normalised", "[sheet]") {
  const Sheet sheet = parse("path\n  a.wav  \nsub\\dir\\b.wav\n./c.wav\n.\\sub\\d.wav\n/abs/e.wav\n././f.wav\n");
  REQUIRE(sheet.rows.size() == 6);
  CHECK(sheet.rows[0].key == "a.wav");
  CHECK_FALSE(sheet.rows[0].key_is_path);
  CHECK(sheet.rows[1].key == "sub/dir/b.wav");
  CHECK(sheet.rows[1].key_is_path);
  // "./" names the sheet's own folder: a path, not a bare name to search for.
  CHECK(sheet.rows[2].key == "c.wav");
  CHECK(sheet.rows[2].key_is_path);
  CHECK(sheet.rows[3].key == "sub/d.wav");
  CHECK(sheet.rows[3].key_is_path);
  CHECK(sheet.rows[4].key == "/abs/e.wav");
  CHECK(sheet.rows[4].key_is_path);
  CHECK(sheet.rows[5].key == "f.wav");
}

TEST_CASE("sheet: bad rows become problems with their line, the rest is read", "[sheet]") {
  const Sheet sheet = parse("path,labels\r\n"
                            "a.wav,dog\r\n"
                            "b.wav,cat,extra\r\n"
                            ",bird\r\n"
                            "\r\n"
                            "\"multi\nline.wav\",x,y\r\n"
                            " ./ ,fish\r\n"
                            "c.wav\r\n"
                            ",\r\n"
                            " , \r\n");
  REQUIRE(sheet.rows.size() == 2);
  CHECK(sheet.rows[0].key == "a.wav");
  CHECK(sheet.rows[1].key == "c.wav");
  CHECK(sheet.rows[1].line == 9);
  CHECK(sheet.rows[1].labels.empty());
  REQUIRE(sheet.problems.size() == 4);
  CHECK(sheet.problems[0].line == 3);
  CHECK(sheet.problems[0].reason == "row has 3 cells, the header has 2");
  CHECK(sheet.problems[1].line == 4);
  CHECK(sheet.problems[1].reason == "empty file column");
  CHECK(sheet.problems[2].line == 6);
  CHECK(sheet.problems[2].reason == "row has 3 cells, the header has 2");
  CHECK(sheet.problems[3].line == 8);
  CHECK(sheet.problems[3].reason == "empty file column");
}

TEST_CASE("sheet: unnamed columns are ignored", "[sheet]") {
  const Sheet sheet = parse("path,labels,,\na.wav,dog,x,\n");
  CHECK(sheet.problems.empty());
  REQUIRE(sheet.rows.size() == 1);
  CHECK(sheet.rows[0].meta.empty());
}

TEST_CASE("sheet: a BOM and CRLF from a spreadsheet export", "[sheet]") {
  // The delimiter is always a comma: a ';' sheet is one column.
  CHECK(data_error("\xEF\xBB\xBFPath;Labels\r\n").starts_with("meta.csv: no file column"));
  const Sheet comma = parse("\xEF\xBB\xBFPath,Labels\r\nx.wav,dog\r\n");
  REQUIRE(comma.rows.size() == 1);
  CHECK(comma.rows[0].key == "x.wav");
  CHECK(comma.rows[0].labels == Strings{"dog"});
}

TEST_CASE("sheet: an unterminated quote names the sheet and line", "[sheet]") {
  CHECK(data_error("path,labels\na.wav,dog\nb.wav,\"cat\n") == "meta.csv:3: unterminated quoted field");
}

TEST_CASE("sheet: read_sheet reads a file and reports io errors", "[sheet]") {
  clipset::test::TempDir dir;
  clipset::test::write_file(dir / "sheet.csv", "path,labels\na.wav,dog\n");
  const Sheet sheet = clipset::read_sheet(dir / "sheet.csv");
  CHECK(sheet.file == dir / "sheet.csv");
  REQUIRE(sheet.rows.size() == 1);
  CHECK(sheet.rows[0].labels == Strings{"dog"});

  try {
    clipset::read_sheet(dir / "missing.csv");
    FAIL("no error");
  } catch (const clipset::Error& error) {
    CHECK(error.kind() == clipset::ErrorKind::io);
    CHECK(error.subject() == (dir / "missing.csv").string());
    CHECK(error.reason() == "no such file or directory");
  }
  try {
    clipset::read_sheet(dir.path());
    FAIL("no error");
  } catch (const clipset::Error& error) {
    CHECK(error.kind() == clipset::ErrorKind::io);
    CHECK(error.reason() == "is a directory");
  }
  clipset::test::write_file(dir / "bad.csv", "name\nx\n");
  try {
    clipset::read_sheet(dir / "bad.csv");
    FAIL("no error");
  } catch (const clipset::Error& error) {
    CHECK(error.kind() == clipset::ErrorKind::data);
    CHECK(error.subject() == (dir / "bad.csv").string());
  }
}

TEST_CASE("sheet: trailing empty cells beyond the header are accepted", "[sheet]") {
  const Sheet sheet = parse("path,labels\na.wav,dog,,\nb.wav,cat, \n");
  CHECK(sheet.problems.empty());
  REQUIRE(sheet.rows.size() == 2);
  CHECK(sheet.rows[0].labels == std::vector<std::string>{"dog"});
  CHECK(sheet.rows[1].labels == std::vector<std::string>{"cat"});
}
