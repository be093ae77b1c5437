// --holdout expressions: parsing, and matching numbers, strings, dates and lists.

#include <catch2/catch.hpp>

#include <string>

#include "clipset/error.hpp"
#include "clipset/split.hpp"

namespace {

using clipset::HoldoutRule;
using Op = HoldoutRule::Op;

bool matches(const std::string& rule, const std::string& record) {
  return clipset::holdout_matches(clipset::parse_holdout(rule), clipset::Json::parse(record));
}

std::string usage_reason(const std::string& text) {
  try {
    clipset::parse_holdout(text);
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::usage);
    CHECK(e.subject() == "{{holdouts}} " + text);
    return e.reason();
  }
  FAIL("no error for " << text);
  return "";
}

}  // namespace

TEST_CASE("split: holdout: parsing operators, fields, values and the split", "[split][holdout]") {
  auto rule = clipset::parse_holdout("meta.device=iphone-12:test");
  CHECK(rule.field == "meta.device");
  CHECK(rule.op == Op::eq);
  CHECK(rule.value == "iphone-12");
  CHECK(rule.split == "test");
  CHECK(clipset::parse_holdout("a!=b:x").op == Op::ne);
  CHECK(clipset::parse_holdout("a<b:x").op == Op::lt);
  CHECK(clipset::parse_holdout("a<=b:x").op == Op::le);
  CHECK(clipset::parse_holdout("a>b:x").op == Op::gt);
  CHECK(clipset::parse_holdout("a>=b:x").op == Op::ge);
  CHECK(clipset::parse_holdout("a==b:x").op == Op::eq);
  // The split is after the last ':', so times in values work.
  rule = clipset::parse_holdout("meta.recorded_at>=2026-06-01T10:00:00:test");
  CHECK(rule.value == "2026-06-01T10:00:00");
  CHECK(rule.split == "test");
  rule = clipset::parse_holdout(" meta.snr < 10 : test ");
  CHECK(rule.field == "meta.snr");
  CHECK(rule.value == "10");
  CHECK(rule.split == "test");
}

TEST_CASE("split: holdout: bad expressions are usage errors that say what is expected", "[split][holdout]") {
  CHECK_THAT(usage_reason("meta.device=iphone"), Catch::Contains("no ':SPLIT'"));
  CHECK_THAT(usage_reason("meta.device:test"), Catch::Contains("no operator"));
  CHECK_THAT(usage_reason("meta.device=x:"), Catch::Contains("split name"));
  CHECK_THAT(usage_reason("=x:test"), Catch::Contains("not a field name"));
  CHECK_THAT(usage_reason("meta..device=x:test"), Catch::Contains("not a field name"));
  CHECK_THAT(usage_reason("a!b:test"), Catch::Contains("'!' must be followed by '='"));
  CHECK_THAT(usage_reason("a~b:test"), Catch::Contains("OP is one of"));
}

TEST_CASE("split: holdout: numbers compare as numbers, other values as text", "[split][holdout]") {
  CHECK(matches("meta.snr<10:t", R"({"meta":{"snr":9.5}})"));
  CHECK(matches("meta.snr<10:t", R"({"meta":{"snr":"9.5"}})"));  // sheet columns are strings
  CHECK_FALSE(matches("meta.snr<10:t", R"({"meta":{"snr":"12"}})"));  // not "12" < "10" as text
  CHECK(matches("meta.snr=12:t", R"({"meta":{"snr":"12.0"}})"));
  CHECK(matches("meta.recorded_at>=2026-06-01:t", R"({"meta":{"recorded_at":"2026-06-01T08:00:00Z"}})"));
  CHECK_FALSE(matches("meta.recorded_at>=2026-06-01:t", R"({"meta":{"recorded_at":"2026-05-31T23:59:59Z"}})"));
  CHECK(matches("meta.device=iphone-12:t", R"({"meta":{"device":"iphone-12"}})"));
  CHECK_FALSE(matches("meta.device=iphone-12:t", R"({"meta":{"device":"iPhone-12"}})"));
  CHECK(matches("reviewed=true:t", R"({"reviewed":true})"));
  CHECK(matches("sample_rate>=44100:t", R"({"sample_rate":48000})"));
}

TEST_CASE("split: holdout: missing fields match nothing, lists match by element", "[split][holdout]") {
  CHECK_FALSE(matches("meta.device!=x:t", R"({"meta":{}})"));
  CHECK_FALSE(matches("meta.device=x:t", R"({"meta":{"device":null}})"));
  CHECK(matches("labels=dog:t", R"({"labels":["cat","dog"]})"));
  CHECK_FALSE(matches("labels=dog:t", R"({"labels":["cat"]})"));
  CHECK(matches("labels!=dog:t", R"({"labels":["cat"]})"));
  CHECK(matches("labels!=dog:t", R"({"labels":[]})"));
  CHECK_FALSE(matches("labels!=dog:t", R"({"labels":["cat","dog"]})"));
}
