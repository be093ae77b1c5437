// Unit tests of the item-key rules every subcommand shares (include/clipset/item_keys.hpp).

#include <catch2/catch.hpp>

#include <string>

#include "clipset/item_keys.hpp"

using clipset::GroupBasis;
using clipset::group_key;
using clipset::Item;
using clipset::item_from_json;
using clipset::Json;

namespace {
Item parse(const char* text) { return item_from_json(Json::parse(text)); }
}  // namespace

TEST_CASE("group key: the item's own group comes first", "[item_keys]") {
  const Item item = parse(R"({"id":"c1","group":"r1","source":{"id":"rec","path":"a.wav","start":0,"duration":1}})");
  CHECK(group_key(item).basis == GroupBasis::group);
  CHECK(group_key(item).text() == "group=r1");
  CHECK(clipset::explicit_group(item) != nullptr);
}

TEST_CASE("group key: a missing group falls back to the source recording", "[item_keys]") {
  const Item item = parse(R"({"id":"c1","source":{"id":"rec","path":"a.wav","start":0,"duration":1}})");
  CHECK(group_key(item).basis == GroupBasis::source);
  CHECK(group_key(item).text() == "source.id=rec");
}

TEST_CASE("group key: an empty group is no group", "[item_keys]") {
  const Item clip = parse(R"({"id":"c1","group":"","source":{"id":"rec","path":"a.wav","start":0,"duration":1}})");
  CHECK(group_key(clip).text() == "source.id=rec");
  CHECK(clipset::explicit_group(clip) == nullptr);
  const Item item = parse(R"({"id":"x","group":""})");
  CHECK(group_key(item).text() == "id=x");
}

TEST_CASE("group key: a null group is no group", "[item_keys]") {
  CHECK(group_key(parse(R"({"id":"x","group":null})")).text() == "id=x");
}

TEST_CASE("group key: with neither group nor source the item stands alone", "[item_keys]") {
  const Item item = parse(R"({"id":"x"})");
  CHECK(group_key(item).basis == GroupBasis::item);
  CHECK(group_key(item).text() == "id=x");
}

TEST_CASE("group key: a source with an empty id is no source", "[item_keys]") {
  CHECK(group_key(parse(R"({"id":"x","source":{"id":"","path":"a.wav","start":0,"duration":1}})")).text() == "id=x");
}

TEST_CASE("group key: a group named like an id never joins that item", "[item_keys]") {
  CHECK(group_key(parse(R"({"id":"a","group":"b"})")).text() != group_key(parse(R"({"id":"b"})")).text());
}

TEST_CASE("group value: missing, null and empty are no value, other JSON is its text", "[item_keys]") {
  const Json record = Json::parse(R"({"a":"","b":null,"c":"r1","d":7,"e":["x"]})");
  CHECK_FALSE(clipset::group_value(nullptr));
  CHECK_FALSE(clipset::group_value(&record["a"]));
  CHECK_FALSE(clipset::group_value(&record["b"]));
  CHECK(clipset::group_value(&record["c"]) == "r1");
  CHECK(clipset::group_value(&record["d"]) == "7");
  CHECK(clipset::group_value(&record["e"]) == R"(["x"])");
}

TEST_CASE("rejection line: path and reason, invalid UTF-8 replaced", "[item_keys]") {
  CHECK(clipset::rejection_line({"a/b.wav", "not a sound file"}) == R"({"path":"a/b.wav","reason":"not a sound file"})");
  const std::string line = clipset::rejection_line({std::string("x\xff.wav"), "r"});
  CHECK(Json::parse(line)["path"] == "x\xEF\xBF\xBD.wav");
}
