#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"

using clipset::CsvReader;
using Record = std::vector<std::string>;

namespace {

struct Parsed {
  std::vector<Record> records;
  std::vector<std::size_t> lines;  // record_line() of each record
};

Parsed parse(const std::string& text, char delimiter = ',') {
  std::istringstream in(text);
  CsvReader reader(in, delimiter);
  Parsed parsed;
  Record fields;
  while (reader.next(fields)) {
    parsed.records.push_back(fields);
    parsed.lines.push_back(reader.record_line());
  }
  return parsed;
}

}  // namespace

TEST_CASE("csv: plain records with LF, CRLF and lone CR line ends", "[csv]") {
  const std::vector<Record> expected = {{"a", "b", "c"}, {"1", "2", "3"}};
  CHECK(parse("a,b,c\n1,2,3\n").records == expected);
  CHECK(parse("a,b,c\r\n1,2,3\r\n").records == expected);
  CHECK(parse("a,b,c\r1,2,3\r").records == expected);
  CHECK(parse("a,b,c\r\n1,2,3\n").records == expected);
}

TEST_CASE("csv: a final line without a line end is a record", "[csv]") {
  const auto parsed = parse("a,b\n1,2");
  CHECK(parsed.records == std::vector<Record>{{"a", "b"}, {"1", "2"}});
  CHECK(parsed.lines == std::vector<std::size_t>{1, 2});
}

TEST_CASE("csv: empty input has no records", "[csv]") {
  CHECK(parse("").records.empty());
  CHECK(parse("\n\r\n\r").records.empty());
  CHECK(parse("\xEF\xBB\xBF").records.empty());
}

TEST_CASE("csv: empty lines are skipped but counted", "[csv]") {
  const auto parsed = parse("\na\n\n\r\nb\r\rc\n\n");
  CHECK(parsed.records == std::vector<Record>{{"a"}, {"b"}, {"c"}});
  CHECK(parsed.lines == std::vector<std::size_t>{2, 5, 7});
}

TEST_CASE("csv: empty fields and a trailing delimiter", "[csv]") {
  CHECK(parse("a,,c\n").records == std::vector<Record>{{"a", "", "c"}});
  CHECK(parse("a,b,\n").records == std::vector<Record>{{"a", "b", ""}});
  CHECK(parse(",\n").records == std::vector<Record>{{"", ""}});
  CHECK(parse("a,b,").records == std::vector<Record>{{"a", "b", ""}});
  CHECK(parse("\"\",x\n").records == std::vector<Record>{{"", "x"}});
}

TEST_CASE("csv: spaces are part of fields", "[csv]") {
  CHECK(parse(" a , b \n").records == std::vector<Record>{{" a ", " b "}});
}

TEST_CASE("csv: quoted fields hold delimiters, quotes and line ends", "[csv]") {
  CHECK(parse("\"a,b\",c\n").records == std::vector<Record>{{"a,b", "c"}});
  CHECK(parse("\"say \"\"hi\"\"\",x\n").records == std::vector<Record>{{"say \"hi\"", "x"}});
  CHECK(parse("\"\"\"\"\n").records == std::vector<Record>{{"\""}});
  CHECK(parse("\"line1\nline2\",x\n").records == std::vector<Record>{{"line1\nline2", "x"}});
  CHECK(parse("\"line1\r\nline2\"\r\n").records == std::vector<Record>{{"line1\r\nline2"}});
  CHECK(parse("\"a\",\"b\"").records == std::vector<Record>{{"a", "b"}});
}

TEST_CASE("csv: quotes inside unquoted fields are kept literally", "[csv]") {
  CHECK(parse("12\" vinyl,x\n").records == std::vector<Record>{{"12\" vinyl", "x"}});
  CHECK(parse("a\"b\"c\n").records == std::vector<Record>{{"a\"b\"c"}});
  CHECK(parse(" \"a\"\n").records == std::vector<Record>{{" \"a\""}});
  // Text after a closing quote is kept too.
  CHECK(parse("\"a\"b,c\n").records == std::vector<Record>{{"ab", "c"}});
}

TEST_CASE("csv: record_line() is the first line of multi-line records", "[csv]") {
  const auto parsed = parse("h1,h2\n\"two\nlines\",x\nnext,y\n\"three\r\nlines\r\nhere\",z\r\nlast,w\r\"cr\rhere\"\rend");
  REQUIRE(parsed.records.size() == 7);
  CHECK(parsed.lines == std::vector<std::size_t>{1, 2, 4, 5, 8, 9, 11});
  CHECK(parsed.records[1] == Record{"two\nlines", "x"});
  CHECK(parsed.records[3] == Record{"three\r\nlines\r\nhere", "z"});
  CHECK(parsed.records[4] == Record{"last", "w"});
  CHECK(parsed.records[5] == Record{"cr\rhere"});
  CHECK(parsed.records[6] == Record{"end"});
}

TEST_CASE("csv: a UTF-8 BOM is skipped only at the very start", "[csv]") {
  CHECK(parse("\xEF\xBB\xBFpath,label\na.wav,dog\n").records == std::vector<Record>{{"path", "label"}, {"a.wav", "dog"}});
  CHECK(parse("\xEF\xBB\xBF\"q,1\"\n").records == std::vector<Record>{{"q,1"}});
  CHECK(parse("a\n\xEF\xBB\xBF" "b\n").records == std::vector<Record>{{"a"}, {"\xEF\xBB\xBF" "b"}});
  // A partial BOM is ordinary text.
  CHECK(parse("\xEF\xBB" "x,y\n").records == std::vector<Record>{{"\xEF\xBB" "x", "y"}});
  CHECK(parse("\xEF").records == std::vector<Record>{{"\xEF"}});
}

TEST_CASE("csv: other delimiters", "[csv]") {
  CHECK(parse("a;\"b;c\";d\n", ';').records == std::vector<Record>{{"a", "b;c", "d"}});
  CHECK(parse("a\tb,c\n", '\t').records == std::vector<Record>{{"a", "b,c"}});
}

TEST_CASE("csv: UTF-8 text passes through", "[csv]") {
  CHECK(parse("café,日本\n").records == std::vector<Record>{{"café", "日本"}});
}

TEST_CASE("csv: an unterminated quote names the record's first line", "[csv]") {
  std::istringstream in("a,b\n\nc,\"open\nstill open\nto the end");
  CsvReader reader(in);
  Record fields;
  REQUIRE(reader.next(fields));
  try {
    reader.next(fields);
    FAIL("no error");
  } catch (const clipset::Error& error) {
    CHECK(error.kind() == clipset::ErrorKind::data);
    CHECK(error.subject() == "line 3");
    CHECK(error.reason() == "unterminated quoted field");
  }
  CHECK(reader.record_line() == 3);
}

TEST_CASE("csv: a closing quote as the last byte ends the field", "[csv]") {
  CHECK(parse("\"a\"\"\"").records == std::vector<Record>{{"a\""}});
  CHECK_THROWS_AS(parse("\"a\"\""), clipset::Error);
  CHECK_THROWS_AS(parse("\""), clipset::Error);
}

TEST_CASE("csv: every prefix of a valid file parses or fails cleanly", "[csv]") {
  const std::string text = "\xEF\xBB\xBFpath,labels\r\n\"a, b.wav\",\"dog;\"\"cat\"\"\"\r\n\r\nc.wav,\"x\ny\"\n";
  for (std::size_t n = 0; n <= text.size(); ++n) {
    INFO("prefix length " << n);
    try {
      const auto parsed = parse(text.substr(0, n));
      CHECK(parsed.records.size() <= 3);
    } catch (const clipset::Error& error) {
      CHECK(error.reason() == "unterminated quoted field");
    }
  }
}
