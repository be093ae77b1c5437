#include "clipset/manifest.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "clipset/error.hpp"
#include "support/temp_dir.hpp"

namespace {

using clipset::Item;
using clipset::Json;

// The error item_from_json throws for a record (as parsed JSON text); fails the test when none.
clipset::Error record_error(const std::string& text) {
  try {
    clipset::item_from_json(Json::parse(text));
  } catch (const clipset::Error& e) {
    return e;
  }
  FAIL("no error for " << text);
  throw;  // not reached
}

std::string reason_of(const std::string& text) { return record_error(text).reason(); }

// Every field set, unknown fields inside annotations, source and at the top level.
Item full_item() {
  Item item;
  item.id = "dog__pixel7_001.wav";
  item.path = "datalake/dog/pixel7_001.wav";
  item.bytes = 288044;
  item.sha256 = std::string(64, 'a');
  item.mtime = "2026-11-26T00:28:53.128561360Z";
  item.format = "wav";
  item.subtype = "pcm16";
  item.sample_rate = 48000;
  item.channels = 2;
  item.frames = 144000;
  item.duration = 3.0;
  item.labels = {"dog", "bark"};
  item.label_source = "annotations";
  clipset::Annotation a;
  a.start = 2.406;
  a.end = 4.113;
  a.label = "dog";
  a.annotator = "anna";
  a.pass = 2;
  a.low_hz = 120.5;
  a.high_hz = 8000;
  a.extra["confidence"] = 0.9;
  a.extra["note"] = "loud";
  clipset::Annotation b;
  b.start = 1;
  b.end = 1;
  b.label = "click";
  item.annotations = {a, b};
  item.group = "dog__pixel7";
  clipset::ClipSource s;
  s.id = "long.wav";
  s.path = "datalake/long.wav";
  s.sha256 = std::string(64, 'b');
  s.start = 12.5;
  s.duration = 3.0;
  s.extra["z_first"] = 1;
  s.extra["a_second"] = "x";
  item.source = s;
  item.split = "train";
  item.fold = 3;
  item.quality = Json{{"peak_dbfs", -6.74}, {"rms_dbfs", -21.96}, {"clipped_fraction", 0.0},
                      {"dc_offset", 0.000373}, {"silent_fraction", 0.0}};
  item.duplicate_of = "cat__x.wav";
  item.meta = Json{{"recorder", "pixel-7"}, {"license", "CC0-1.0"}, {"gain", 3}};
  item.extra["reviewed"] = true;
  item.extra["zz"] = Json::array({1, 2});
  item.extra["aa"] = nullptr;
  return item;
}

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

struct Collected {
  std::vector<Item> items;
  std::vector<clipset::ManifestProblem> problems;
};

Collected read_all(const std::string& text, const std::string& name = "raw.jsonl") {
  std::istringstream in(text);
  clipset::ManifestReader reader(in, name);
  Collected out;
  reader.on_problem([&](const clipset::ManifestProblem& p) { out.problems.push_back(p); });
  while (auto item = reader.next()) out.items.push_back(std::move(*item));
  CHECK(reader.problem_count() == out.problems.size());
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Item <-> JSON

TEST_CASE("an item with every field survives item -> line -> item", "[manifest]") {
  const Item item = full_item();
  const std::string line = clipset::item_to_line(item);
  CAPTURE(line);
  CHECK(line.find('\n') == std::string::npos);
  const Item back = clipset::item_from_json(Json::parse(line));

  CHECK(back.id == item.id);
  CHECK(back.path == item.path);
  CHECK(back.bytes == item.bytes);
  CHECK(back.sha256 == item.sha256);
  CHECK(back.mtime == item.mtime);
  CHECK(back.format == item.format);
  CHECK(back.subtype == item.subtype);
  CHECK(back.sample_rate == item.sample_rate);
  CHECK(back.channels == item.channels);
  CHECK(back.frames == item.frames);
  CHECK(back.duration == item.duration);
  CHECK(back.labels == item.labels);
  CHECK(back.label_source == item.label_source);
  REQUIRE(back.annotations.size() == 2);
  const auto& a = back.annotations[0];
  CHECK(a.start == 2.406);
  CHECK(a.end == 4.113);
  CHECK(a.label == "dog");
  CHECK(a.annotator == std::optional<std::string>("anna"));
  CHECK(a.pass == 2);
  CHECK(a.low_hz == std::optional<double>(120.5));
  CHECK(a.high_hz == std::optional<double>(8000));
  CHECK(a.extra == item.annotations[0].extra);
  CHECK(keys_of(a.extra) == std::vector<std::string>{"confidence", "note"});
  const auto& b = back.annotations[1];
  CHECK(b.start == 1);
  CHECK(b.end == 1);
  CHECK(b.label == "click");
  CHECK_FALSE(b.annotator.has_value());
  CHECK(b.pass == 1);
  CHECK_FALSE(b.low_hz.has_value());
  CHECK_FALSE(b.high_hz.has_value());
  CHECK(b.extra.empty());
  CHECK(back.group == item.group);
  REQUIRE(back.source.has_value());
  CHECK(back.source->id == "long.wav");
  CHECK(back.source->path == "datalake/long.wav");
  CHECK(back.source->sha256 == item.source->sha256);
  CHECK(back.source->start == 12.5);
  CHECK(back.source->duration == 3.0);
  CHECK(keys_of(back.source->extra) == std::vector<std::string>{"z_first", "a_second"});
  CHECK(back.source->extra == item.source->extra);
  CHECK(back.split == item.split);
  CHECK(back.fold == item.fold);
  REQUIRE(back.quality.has_value());
  CHECK(*back.quality == *item.quality);
  CHECK(back.duplicate_of == item.duplicate_of);
  CHECK(back.meta == item.meta);
  CHECK(keys_of(back.meta) == std::vector<std::string>{"recorder", "license", "gain"});
  CHECK(keys_of(back.extra) == std::vector<std::string>{"reviewed", "zz", "aa"});
  CHECK(back.extra == item.extra);

  // And the line written again is the same bytes.
  CHECK(clipset::item_to_line(back) == line);
}

TEST_CASE("a minimal item has only id, labels and manifest_version", "[manifest]") {
  Item item;
  item.id = "x.wav";
  CHECK(clipset::item_to_line(item) == R"({"id":"x.wav","labels":[],"manifest_version":1})");
  const Item back = clipset::item_from_json(Json::parse(clipset::item_to_line(item)));
  CHECK(back.id == "x.wav");
  CHECK_FALSE(back.path.has_value());
  CHECK_FALSE(back.bytes.has_value());
  CHECK_FALSE(back.duration.has_value());
  CHECK(back.labels.empty());
  CHECK(back.annotations.empty());
  CHECK_FALSE(back.source.has_value());
  CHECK_FALSE(back.quality.has_value());
  CHECK(back.meta.empty());
  CHECK(back.extra.empty());
}

TEST_CASE("keys come out in the documented order, then manifest_version, then extras", "[manifest]") {
  const Json json = clipset::item_to_json(full_item());
  CHECK(keys_of(json) == std::vector<std::string>{
                             "id", "path", "bytes", "sha256", "mtime", "format", "subtype", "sample_rate",
                             "channels", "frames", "duration", "labels", "label_source", "annotations", "group",
                             "source", "split", "fold", "quality", "duplicate_of", "meta", "manifest_version",
                             "reviewed", "zz", "aa"});
  CHECK(json["manifest_version"] == 1);
  CHECK(keys_of(json["annotations"][0]) == std::vector<std::string>{"start", "end", "label", "annotator", "pass",
                                                                    "low_hz", "high_hz", "confidence", "note"});
  CHECK(keys_of(json["annotations"][1]) == std::vector<std::string>{"start", "end", "label", "pass"});
  CHECK(keys_of(json["source"]) ==
        std::vector<std::string>{"id", "path", "sha256", "start", "duration", "z_first", "a_second"});
}

TEST_CASE("a record in shuffled key order is written back in canonical order", "[manifest]") {
  const std::string shuffled =
      R"({"mine":1,"meta":{"b":1,"a":2},"labels":["dog"],"manifest_version":1,"id":"a.wav",)"
      R"("annotations":[{"x":true,"label":"dog","end":2,"start":1}],"path":"a.wav","other":"o"})";
  const std::string expected =
      R"({"id":"a.wav","path":"a.wav","labels":["dog"],"annotations":[{"start":1.0,"end":2.0,"label":"dog","pass":1,"x":true}],)"
      R"("meta":{"b":1,"a":2},"manifest_version":1,"mine":1,"other":"o"})";
  CHECK(clipset::item_to_line(clipset::item_from_json(Json::parse(shuffled))) == expected);
}

TEST_CASE("a canonical line read and written again is byte-identical", "[manifest]") {
  const std::string line = GENERATE(
      // The example of docs/manifest.md (with its non-ASCII ellipsis).
      std::string(
          R"({"id":"dog__pixel7_001.wav","path":"datalake/dog/pixel7_001.wav","bytes":288044,"sha256":"9f2c…",)"
          R"("mtime":"2026-11-26T00:28:53.128561360Z","format":"wav","subtype":"pcm16","sample_rate":48000,)"
          R"("channels":1,"frames":144000,"duration":3.0,"labels":["dog"],"label_source":"folder",)"
          R"("group":"dog__pixel7_001.wav","quality":{"peak_dbfs":-6.74,"rms_dbfs":-21.96,"clipped_fraction":0.0,)"
          R"("dc_offset":0.000373,"silent_fraction":0.0},"meta":{"recorder":"pixel-7","license":"CC0-1.0"},)"
          R"("manifest_version":1})"),
      std::string(
          R"({"id":"c.wav-000001","path":"clips/c.wav","duration":0.1,"labels":["a","b"],)"
          R"("annotations":[{"start":0.0,"end":0.05,"label":"a","annotator":"bo","pass":2,"low_hz":10.5,"high_hz":900.0,"q":[1,{"k":null}]}],)"
          R"("source":{"id":"long.wav","path":"long.wav","sha256":"ab","start":12.34,"duration":0.1,"extra":"e"},)"
          R"("split":"val","fold":0,"duplicate_of":"d.wav","manifest_version":1,"reviewed":true,"score":1e-07,"n":-3})"),
      std::string(R"({"id":"u.wav","labels":["café ü 🐕"],"meta":{"x":"tab\there \"q\" \\ \u0001"},"manifest_version":1})"));
  CAPTURE(line);
  CHECK(clipset::item_to_line(clipset::item_from_json(Json::parse(line))) == line);
}

TEST_CASE("numbers are written in their shortest exact form", "[manifest]") {
  Item item;
  item.id = "n";
  item.duration = 0.1;
  item.extra["third"] = 1.0 / 3.0;
  item.extra["big"] = std::uint64_t{18446744073709551615ULL};
  item.extra["neg"] = -2;
  const std::string line = clipset::item_to_line(item);
  CHECK(line.find(R"("duration":0.1,)") != std::string::npos);
  CHECK(line.find(R"("third":0.3333333333333333)") != std::string::npos);
  CHECK(line.find(R"("big":18446744073709551615)") != std::string::npos);
  const Item back = clipset::item_from_json(Json::parse(line));
  CHECK(back.extra["third"].get<double>() == 1.0 / 3.0);
}

TEST_CASE("known fields of the wrong type are errors naming the field", "[manifest]") {
  CHECK(reason_of(R"({"id":"a","sample_rate":"48000"})") == "field 'sample_rate' must be an integer, got a string");
  CHECK(reason_of(R"({"id":"a","sample_rate":48000.5})") == "field 'sample_rate' must be an integer, got a number");
  CHECK(reason_of(R"({"id":"a","channels":true})") == "field 'channels' must be an integer, got a boolean");
  CHECK(reason_of(R"({"id":null})") == "field 'id' must be a string, got null");
  CHECK(reason_of(R"({"id":"a","bytes":-1})") == "field 'bytes' must not be negative");
  CHECK(reason_of(R"({"id":"a","duration":"3"})") == "field 'duration' must be a number, got a string");
  CHECK(reason_of(R"({"id":7})") == "field 'id' must be a string, got an integer");
  CHECK(reason_of(R"({"id":"a","path":["a"]})") == "field 'path' must be a string, got an array");
  CHECK(reason_of(R"({"id":"a","labels":{"a":1}})") == "field 'labels' must be a list of strings, got an object");
  CHECK(reason_of(R"({"id":"a","labels":["ok",3]})") == "field 'labels[1]' must be a string, got an integer");
  CHECK(reason_of(R"({"id":"a","annotations":{}})") == "field 'annotations' must be a list, got an object");
  CHECK(reason_of(R"({"id":"a","annotations":[{"start":1},5]})") ==
        "field 'annotations[1]' must be an object, got an integer");
  CHECK(reason_of(R"({"id":"a","annotations":[{"start":"1"}]})") ==
        "field 'annotations[0].start' must be a number, got a string");
  CHECK(reason_of(R"({"id":"a","annotations":[{"end":1}]})") == "field 'annotations[0].start' is missing");
  CHECK(reason_of(R"({"id":"a","annotations":[{"start":1,"pass":-1}]})") ==
        "field 'annotations[0].pass' must be a whole number from 1");
  CHECK(reason_of(R"({"id":"a","source":"x"})") == "field 'source' must be an object, got a string");
  CHECK(reason_of(R"({"id":"a","source":{"id":"s","start":"0"}})") ==
        "field 'source.start' must be a number, got a string");
  CHECK(reason_of(R"({"id":"a","split":1})") == "field 'split' must be a string, got an integer");
  CHECK(reason_of(R"({"id":"a","fold":"1"})") == "field 'fold' must be an integer, got a string");
  CHECK(reason_of(R"({"id":"a","quality":[1]})") == "field 'quality' must be an object, got an array");
  CHECK(reason_of(R"({"id":"a","meta":"m"})") == "field 'meta' must be an object, got a string");
  CHECK(reason_of(R"({"id":"a","duplicate_of":false})") == "field 'duplicate_of' must be a string, got a boolean");
  CHECK(reason_of(R"({"id":"a","manifest_version":"1"})") ==
        "field 'manifest_version' must be an integer, got a string");

  const auto error = record_error(R"({"id":"a","sample_rate":"x"})");
  CHECK(error.kind() == clipset::ErrorKind::data);
  CHECK(error.subject().empty());
}

TEST_CASE("an integral number written as a float is accepted for integer fields", "[manifest]") {
  const Item item = clipset::item_from_json(Json::parse(R"({"id":"a","sample_rate":48000.0,"fold":2.0})"));
  CHECK(item.sample_rate == std::optional<std::int64_t>(48000));
  CHECK(item.fold == std::optional<std::int64_t>(2));
}

TEST_CASE("null means absent for every field but id", "[manifest]") {
  const Item item = clipset::item_from_json(
      Json::parse(R"({"id":"a","split":null,"fold":null,"source":null,"duplicate_of":null,)"
                  R"("annotations":[{"start":1,"annotator":null,"end":null,"low_hz":null,"pass":null,"x":null}]})"));
  CHECK_FALSE(item.split.has_value());
  CHECK_FALSE(item.fold.has_value());
  CHECK_FALSE(item.source.has_value());
  CHECK_FALSE(item.duplicate_of.has_value());
  REQUIRE(item.annotations.size() == 1);
  CHECK_FALSE(item.annotations[0].annotator.has_value());
  CHECK(item.annotations[0].end == 1);  // a missing end is a point label
  CHECK_FALSE(item.annotations[0].low_hz.has_value());
  CHECK(item.annotations[0].pass == 1);
  CHECK(item.annotations[0].extra.at("x").is_null());  // the user's own field keeps its null

  // Every optional top-level field: null reads as the field left out.
  const std::string absent = R"({"id":"b","mine":null})";
  const std::string nulls =
      R"({"id":"b","path":null,"bytes":null,"sha256":null,"mtime":null,"format":null,"subtype":null,)"
      R"("sample_rate":null,"channels":null,"frames":null,"duration":null,"labels":null,"label_source":null,)"
      R"("annotations":null,"group":null,"source":null,"split":null,"fold":null,"quality":null,)"
      R"("duplicate_of":null,"meta":null,"manifest_version":null,"mine":null})";
  CHECK(clipset::item_to_line(clipset::item_from_json(Json::parse(nulls))) ==
        clipset::item_to_line(clipset::item_from_json(Json::parse(absent))));

  // A field given and then null (a later key wins) is absent too.
  const Item later = clipset::item_from_json(Json::parse(R"({"id":"c","labels":["dog"],"meta":{"a":1},"labels":null,"meta":null})"));
  CHECK(later.labels.empty());
  CHECK(later.meta.empty());
  const Item source = clipset::item_from_json(Json::parse(R"({"id":"d","source":{"id":"r","path":"r.wav","sha256":null,"start":0,"duration":1}})"));
  REQUIRE(source.source.has_value());
  CHECK_FALSE(source.source->sha256.has_value());
}

TEST_CASE("a record that is not an object names what it is", "[manifest]") {
  CHECK(reason_of("[1,2]") == "expected a JSON object, got an array");
  CHECK(reason_of(R"("text")") == "expected a JSON object, got a string");
  CHECK(reason_of("42") == "expected a JSON object, got an integer");
  CHECK(reason_of("4.5") == "expected a JSON object, got a number");
  CHECK(reason_of("null") == "expected a JSON object, got null");
  CHECK(reason_of("true") == "expected a JSON object, got a boolean");
}

TEST_CASE("id is required and must not be empty", "[manifest]") {
  CHECK(reason_of(R"({"path":"a.wav"})") == "field 'id' is missing");
  CHECK(reason_of("{}") == "field 'id' is missing");
  CHECK(reason_of(R"({"id":""})") == "field 'id' is empty");
}

TEST_CASE("manifest_version: absent or 1 is read, newer is rejected with a clear reason", "[manifest]") {
  CHECK(clipset::item_from_json(Json::parse(R"({"id":"a"})")).id == "a");
  CHECK(clipset::item_from_json(Json::parse(R"({"id":"a","manifest_version":1})")).id == "a");
  CHECK(reason_of(R"({"id":"a","manifest_version":2})") ==
        "manifest_version 2 is newer than this clipset reads (1); upgrade clipset");
  CHECK(reason_of(R"({"id":"a","manifest_version":0})") == "manifest_version must be at least 1");
  // manifest_version is never kept as an unknown field (it would be written twice).
  const Item item = clipset::item_from_json(Json::parse(R"({"id":"a","manifest_version":1})"));
  CHECK(item.extra.empty());
}

TEST_CASE("labels given as a single string are read as one label", "[manifest]") {
  const Item item = clipset::item_from_json(Json::parse(R"({"id":"a","labels":"dog"})"));
  CHECK(item.labels == std::vector<std::string>{"dog"});
  CHECK(clipset::item_to_line(item) == R"({"id":"a","labels":["dog"],"manifest_version":1})");
}

TEST_CASE("item_to_line replaces invalid UTF-8 in strings instead of throwing", "[manifest]") {
  Item item;
  item.id = "a.wav";
  item.meta["recorder"] = std::string("caf\xe9 x");  // Latin-1 from a sheet
  item.labels = {std::string("d\xffg")};
  item.extra["note"] = std::string("\xc3");  // cut multi-byte sequence
  std::string line;
  REQUIRE_NOTHROW(line = clipset::item_to_line(item));
  CAPTURE(line);
  CHECK(line.find("caf\xef\xbf\xbd x") != std::string::npos);  // U+FFFD
  CHECK(line.find("d\xef\xbf\xbdg") != std::string::npos);
  CHECK(line.find("\"note\":\"\xef\xbf\xbd\"") != std::string::npos);
  // The result is valid JSON that reads back.
  const Item back = clipset::item_from_json(Json::parse(line));
  CHECK(back.meta["recorder"] == "caf\xef\xbf\xbd x");
}

TEST_CASE("find_field follows dotted paths", "[manifest]") {
  const Json record = clipset::item_to_json(full_item());
  REQUIRE(clipset::find_field(record, "id") != nullptr);
  CHECK(*clipset::find_field(record, "id") == "dog__pixel7_001.wav");
  REQUIRE(clipset::find_field(record, "meta.recorder") != nullptr);
  CHECK(*clipset::find_field(record, "meta.recorder") == "pixel-7");
  REQUIRE(clipset::find_field(record, "source.id") != nullptr);
  CHECK(*clipset::find_field(record, "source.id") == "long.wav");
  REQUIRE(clipset::find_field(record, "labels") != nullptr);
  CHECK(clipset::find_field(record, "labels")->is_array());
  CHECK(clipset::find_field(record, "quality.peak_dbfs")->get<double>() == -6.74);
  CHECK(clipset::find_field(record, "nope") == nullptr);
  CHECK(clipset::find_field(record, "meta.nope") == nullptr);
  CHECK(clipset::find_field(record, "id.deeper") == nullptr);     // a string has no fields
  CHECK(clipset::find_field(record, "labels.0") == nullptr);      // nor does a list
  CHECK(clipset::find_field(record, "meta.") == nullptr);
  CHECK(clipset::find_field(record, "") == nullptr);
  CHECK(clipset::find_field(Json::parse(R"({"a":{"b":{"c":5}}})"), "a.b.c")->get<int>() == 5);
}

TEST_CASE("field_key: strings as they are, anything else as JSON text", "[manifest]") {
  CHECK(clipset::field_key(Json("dog")) == "dog");
  CHECK(clipset::field_key(Json("")) == "");
  CHECK(clipset::field_key(Json(3)) == "3");
  CHECK(clipset::field_key(Json(2.5)) == "2.5");
  CHECK(clipset::field_key(Json(true)) == "true");
  CHECK(clipset::field_key(Json(nullptr)) == "null");
  CHECK(clipset::field_key(Json::parse(R"(["a","b"])")) == R"(["a","b"])");
  CHECK(clipset::field_key(Json::parse(R"({"k":1,"a":2})")) == R"({"k":1,"a":2})");
  CHECK(clipset::field_key(Json::array({std::string("\xff")})) == "[\"\xef\xbf\xbd\"]");
}

// ---------------------------------------------------------------------------------------------
// ManifestReader / ManifestWriter

TEST_CASE("reader: blank lines, CRLF and a missing final newline", "[manifest]") {
  const auto got = read_all("\n{\"id\":\"a\"}\r\n   \n\t\r\n{\"id\":\"b\",\"labels\":[\"x\"]}\r\n\n{\"id\":\"c\"}");
  CHECK(got.problems.empty());
  REQUIRE(got.items.size() == 3);
  CHECK(got.items[0].id == "a");
  CHECK(got.items[1].id == "b");
  CHECK(got.items[1].labels == std::vector<std::string>{"x"});
  CHECK(got.items[2].id == "c");
}

TEST_CASE("reader: a UTF-8 byte order mark before the first line is skipped", "[manifest]") {
  const auto got = read_all("\xEF\xBB\xBF{\"id\":\"a\"}\r\n{\"id\":\"b\"}\n");
  CHECK(got.problems.empty());
  REQUIRE(got.items.size() == 2);
  CHECK(got.items[0].id == "a");
}

TEST_CASE("reader: empty input is a manifest with no items", "[manifest]") {
  for (const std::string text : {"", "\n", "\r\n\n  \n"}) {
    const auto got = read_all(text);
    CHECK(got.items.empty());
    CHECK(got.problems.empty());
  }
}

TEST_CASE("reader: bad lines are reported with line numbers and skipped", "[manifest]") {
  const std::string text =
      "{\"id\":\"a\"}\n"                        // 1
      "[1,2]\n"                                 // 2
      "\n"                                      // 3
      "{\"id\":\"b\",\"sample_rate\":\"x\"}\r\n"  // 4
      "{\"id\":\"c\"}\n"                        // 5
      "{not json\n"                             // 6
      "{\"id\":\"\"}\n"                         // 7
      "{\"id\":\"d\",\"manifest_version\":2}\n"  // 8
      "{\"path\":\"p\"}\n"                      // 9
      "{\"id\":\"e\"}\n";                       // 10
  const auto got = read_all(text);
  REQUIRE(got.items.size() == 3);
  CHECK(got.items[0].id == "a");
  CHECK(got.items[1].id == "c");
  CHECK(got.items[2].id == "e");
  REQUIRE(got.problems.size() == 6);
  CHECK(got.problems[0].source == "raw.jsonl");
  CHECK(got.problems[0].line == 2);
  CHECK(got.problems[0].reason == "expected a JSON object, got an array");
  CHECK(got.problems[1].line == 4);
  CHECK(got.problems[1].reason == "field 'sample_rate' must be an integer, got a string");
  CHECK(got.problems[2].line == 6);
  CHECK(got.problems[2].reason.rfind("not valid JSON (", 0) == 0);
  CHECK(got.problems[2].reason.find("json.exception") == std::string::npos);
  CHECK(got.problems[3].line == 7);
  CHECK(got.problems[3].reason == "field 'id' is empty");
  CHECK(got.problems[4].line == 8);
  CHECK(got.problems[4].reason == "manifest_version 2 is newer than this clipset reads (1); upgrade clipset");
  CHECK(got.problems[5].line == 9);
  CHECK(got.problems[5].reason == "field 'id' is missing");
}

TEST_CASE("reader: the line counter and problem count follow the input", "[manifest]") {
  std::istringstream in("{\"id\":\"a\"}\n\n[]\n{\"id\":\"b\"}\n");
  clipset::ManifestReader reader(in, "m.jsonl");  // no handler: problems are only counted
  auto first = reader.next();
  REQUIRE(first);
  CHECK(reader.line() == 1);
  auto second = reader.next();
  REQUIRE(second);
  CHECK(second->id == "b");
  CHECK(reader.line() == 4);
  CHECK(reader.problem_count() == 1);
  CHECK_FALSE(reader.next());
  CHECK_FALSE(reader.next());  // stays at the end
}

TEST_CASE("reader: strict mode throws on the first bad line with subject name:line", "[manifest]") {
  std::istringstream in("{\"id\":\"a\"}\n\n{\"id\":\"b\",\"channels\":\"2\"}\n[]\n");
  clipset::ManifestReader reader(in, "raw.jsonl");
  reader.set_strict(true);
  int handled = 0;
  reader.on_problem([&](const clipset::ManifestProblem&) { ++handled; });
  REQUIRE(reader.next());
  try {
    reader.next();
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.subject() == "raw.jsonl:3");
    CHECK(e.reason() == "field 'channels' must be an integer, got a string");
    CHECK(std::string(e.what()) == "raw.jsonl:3: field 'channels' must be an integer, got a string");
  }
}

TEST_CASE("reader: invalid UTF-8 inside a line makes that line bad", "[manifest]") {
  const std::string text = std::string("{\"id\":\"a\"}\n{\"id\":\"b\",\"meta\":{\"r\":\"caf\xe9\"}}\n{\"id\":\"c\"}\n");
  const auto got = read_all(text);
  REQUIRE(got.items.size() == 2);
  CHECK(got.items[0].id == "a");
  CHECK(got.items[1].id == "c");
  REQUIRE(got.problems.size() == 1);
  CHECK(got.problems[0].line == 2);
  CHECK(got.problems[0].reason.rfind("not valid JSON (", 0) == 0);
  CAPTURE(got.problems[0].reason);
  CHECK(got.problems[0].reason.find("UTF-8") != std::string::npos);
}

TEST_CASE("writer: one line per item, counted, readable again", "[manifest]") {
  std::ostringstream out;
  clipset::ManifestWriter writer(out, "out.jsonl");
  writer.write(full_item());
  Item small;
  small.id = "b";
  writer.write(small);
  CHECK(writer.count() == 2);
  const std::string text = out.str();
  CHECK(text == clipset::item_to_line(full_item()) + "\n" + clipset::item_to_line(small) + "\n");
  const auto got = read_all(text);
  REQUIRE(got.items.size() == 2);
  CHECK(clipset::item_to_line(got.items[0]) == clipset::item_to_line(full_item()));
}

TEST_CASE("writer: a failed stream is an io error naming the output", "[manifest]") {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  clipset::ManifestWriter writer(out, "out.jsonl");
  Item item;
  item.id = "a";
  try {
    writer.write(item);
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::io);
    CHECK(e.subject() == "out.jsonl");
  }
  CHECK(writer.count() == 0);
}

// ---------------------------------------------------------------------------------------------
// InputFile / read_manifest

TEST_CASE("InputFile: a missing file and a folder are io errors with reasons", "[manifest]") {
  clipset::test::TempDir dir;
  const std::string missing = (dir / "missing.jsonl").string();
  try {
    clipset::InputFile input(missing);
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::io);
    CHECK(e.subject() == missing);
    CHECK(e.reason() == "no such file or directory");
  }
  try {
    clipset::InputFile input(dir.path().string());
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::io);
    CHECK(e.subject() == dir.path().string());
    CHECK(e.reason() == "is a directory");
  }
}

TEST_CASE("InputFile: '-' is stdin, named (stdin)", "[manifest]") {
  clipset::InputFile input("-");
  CHECK(input.display_name() == "(stdin)");
  clipset::InputFile moved(std::move(input));
  CHECK(moved.display_name() == "(stdin)");
}

TEST_CASE("read_manifest reads every good item and reports bad lines", "[manifest]") {
  clipset::test::TempDir dir;
  const auto file = dir / "raw.jsonl";
  clipset::test::write_file(file, "{\"id\":\"a\"}\r\n{\"id\":1}\n\n{\"id\":\"b\"}\n");
  std::vector<clipset::ManifestProblem> problems;
  const auto items = clipset::read_manifest(file.string(), false,
                                            [&](const clipset::ManifestProblem& p) { problems.push_back(p); });
  REQUIRE(items.size() == 2);
  CHECK(items[0].id == "a");
  CHECK(items[1].id == "b");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].source == file.string());
  CHECK(problems[0].line == 2);
  CHECK(problems[0].reason == "field 'id' must be a string, got an integer");

  try {
    clipset::read_manifest(file.string(), true, nullptr);
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.subject() == file.string() + ":2");
  }

  const auto empty = dir / "empty.jsonl";
  clipset::test::write_file(empty, "");
  CHECK(clipset::read_manifest(empty.string(), true, nullptr).empty());

  CHECK_THROWS_AS(clipset::read_manifest((dir / "nope.jsonl").string(), false, nullptr), clipset::Error);
}

// ---------------------------------------------------------------------------------------------
// Bugs found while writing these tests.

TEST_CASE("bytes above 2^63 round-trip (Item::bytes is unsigned 64-bit)", "[manifest][regression]") {
  // The reader goes through int64: 9223372036854775808 wraps negative and the line is rejected
  // with the wrong reason "field 'bytes' must not be negative", so a line the writer produced is
  // not readable.
  Item item;
  item.id = "huge";
  item.bytes = std::uint64_t{1} << 63;
  const std::string line = clipset::item_to_line(item);
  CAPTURE(line);
  try {
    CHECK(clipset::item_from_json(Json::parse(line)).bytes == item.bytes);
  } catch (const clipset::Error& e) {
    FAIL_CHECK(e.what());
  }
}

TEST_CASE("group null is read as absent, like split, fold and source", "[manifest][regression]") {
  // Actual: the group becomes the string "null" (written back as "group":"null"), so every item
  // with "group":null lands in one leakage group named "null".
  const Item item = clipset::item_from_json(Json::parse(R"({"id":"a","group":null})"));
  CHECK_FALSE(item.group.has_value());
}

TEST_CASE("reader: with unique ids, a repeated id is a bad line naming the first (issue 15)", "[manifest][regression]") {
  const std::string text = "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"a\",\"path\":\"x\"}\n{\"id\":\"a\\n\"}\n";
  std::istringstream in(text);
  clipset::ManifestReader reader(in, "m.jsonl");
  reader.set_unique_ids(true);
  std::vector<clipset::ManifestProblem> problems;
  reader.on_problem([&](const clipset::ManifestProblem& p) { problems.push_back(p); });
  std::vector<std::string> ids;
  while (auto item = reader.next()) ids.push_back(item->id);
  CHECK(ids == std::vector<std::string>{"a", "b", "a\n"});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 3);
  CHECK(problems[0].reason == "duplicate id \"a\" (first on line 1)");

  std::istringstream again(text);
  clipset::ManifestReader plain(again, "m.jsonl");
  std::size_t n = 0;
  while (plain.next()) ++n;
  CHECK(n == 4);  // off by default
}

TEST_CASE("annotation metadata and a clip's salience survive a round trip, in order", "[manifest][tags]") {
  const std::string line =
      R"({"id":"c","labels":["dog"],"label_source":"annotations","salience":"bg","annotations":[{"start":0.0,"end":1.0,)"
      R"("label":"dog","annotator":"anna","pass":1,"salience":"bg","difficulty":"hard","tags":["night"],)"
      R"("annotated_at":"2026-03-01","annotated_at_source":"sheet","notes":"far","mine":1}],"manifest_version":1})";
  for (const clipset::FieldSet fields : {clipset::item_fields::all, clipset::item_fields::salience}) {
    clipset::LineDecoder decoder(fields);
    const Item item = decoder.decode(line);
    CHECK(item.salience == std::optional<std::string>("bg"));
    if (fields != clipset::item_fields::all) continue;
    REQUIRE(item.annotations.size() == 1);
    const auto& a = item.annotations[0];
    CHECK(a.salience == std::optional<std::string>("bg"));
    CHECK(a.difficulty == std::optional<std::string>("hard"));
    CHECK(a.tags == std::vector<std::string>{"night"});
    CHECK(a.annotated_at == std::optional<std::string>("2026-03-01"));
    CHECK(a.annotated_at_source == std::optional<std::string>("sheet"));
    CHECK(a.notes == std::optional<std::string>("far"));
    CHECK(keys_of(a.extra) == std::vector<std::string>{"mine"});
    CHECK(clipset::item_to_line(item) == line);
  }
}

TEST_CASE("salience and difficulty take only their words", "[manifest][tags]") {
  CHECK(reason_of(R"({"id":"a","salience":"loud"})") == "field 'salience' must be fg or bg, got 'loud'");
  CHECK(reason_of(R"({"id":"a","annotations":[{"start":1,"salience":"FG"}]})") ==
        "field 'annotations[0].salience' must be fg or bg, got 'FG'");
  CHECK(reason_of(R"({"id":"a","annotations":[{"start":1,"difficulty":"medium"}]})") ==
        "field 'annotations[0].difficulty' must be easy or hard, got 'medium'");
  CHECK(reason_of(R"({"id":"a","annotations":[{"start":1,"tags":"night"}]})") ==
        "field 'annotations[0].tags' must be a list of strings, got a string");
  // The fast reader gives the same reason as the general one.
  clipset::LineDecoder decoder;
  try {
    decoder.decode(R"({"id":"a","salience":"loud"})");
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.reason() == "field 'salience' must be fg or bg, got 'loud'");
  }
}
