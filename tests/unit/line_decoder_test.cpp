// The On Demand line decoder against nlohmann/json (parse_manifest_line), line by line, on
// generated manifests with the forms a real one holds and the ways a line goes bad.

#include <catch2/catch.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"

namespace {

using clipset::FieldSet;
using clipset::Item;
namespace fields = clipset::item_fields;

class LineMaker {
 public:
  explicit LineMaker(std::uint64_t seed) : rng_(seed) {}

  std::string line(std::size_t n) {
    std::string out = "{";
    std::vector<std::string> members;
    if (pick(50) != 0) members.push_back(key("id") + string_value("item" + std::to_string(n)));
    const int count = static_cast<int>(pick(12));
    for (int i = 0; i < count; ++i) members.push_back(member());
    if (pick(3) == 0) members.push_back(key("manifest_version") + "1");
    shuffle(members);
    for (std::size_t i = 0; i < members.size(); ++i) out += (i ? sep(",") : "") + members[i];
    out += "}";
    if (pick(8) == 0) out = spoil(out);
    return out;
  }

 private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[pick(i)]);
  }
  std::string sep(const char* s) { return pick(6) == 0 ? std::string(" ") + s + " " : s; }
  std::string key(const std::string& k) { return "\"" + k + "\"" + sep(":"); }

  std::string text() {
    static const char* const kPieces[] = {"a",      "dog",      "\\\"",     "\\\\",    "\\/",       "\\n",    "\\t",
                                          "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "é",     "😀",        "\\b\\f\\r", " ",
                                          "x y",    "\\u0000", "\\uDBFF\\uDFFF", "日本", "\\u0041"};
    std::string s;
    const std::size_t n = pick(6);
    for (std::size_t i = 0; i < n; ++i) s += kPieces[pick(std::size(kPieces))];
    return s;
  }
  std::string string_value(const std::string& s) { return "\"" + s + "\""; }
  std::string number() {
    static const char* const kNumbers[] = {"0",   "-0",  "1e308", "5e-324", "9007199254740993", "18446744073709551615",
                                           "18446744073709551616", "-9223372036854775808", "0.1", "1E+2", "-1.5e-10",
                                           "123456789012345678901234567890", "3.0", "2.5", "1e-400", "16000", "-7"};
    return kNumbers[pick(std::size(kNumbers))];
  }
  std::string scalar() {
    switch (pick(5)) {
      case 0: return number();
      case 1: return "true";
      case 2: return "null";
      case 3: return "false";
      default: return string_value(text());
    }
  }
  std::string nested(int depth) {
    if (depth <= 0 || pick(3) == 0) return scalar();
    std::string out;
    const std::size_t n = pick(4);
    const bool object = pick(2) == 0;
    out += object ? "{" : "[";
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out += sep(",");
      if (object) out += key(text() + std::to_string(i));
      out += nested(depth - 1);
    }
    out += object ? "}" : "]";
    return out;
  }
  std::string labels() {
    if (pick(4) == 0) return string_value(text());
    std::string out = "[";
    const std::size_t n = pick(4);
    for (std::size_t i = 0; i < n; ++i) out += (i ? "," : "") + string_value(text());
    return out + "]";
  }
  std::string annotation() {
    std::string out = "{" + key("start") + number() + "," + key("end") + number() + "," + key("label") + string_value(text());
    if (pick(2)) out += "," + key("annotator") + (pick(3) ? string_value(text()) : "null");
    if (pick(3) == 0) out += "," + key("pass") + std::to_string(1 + pick(3));
    if (pick(3) == 0) out += "," + key("low_hz") + number();
    if (pick(3) == 0) out += "," + key("note") + nested(3);
    return out + "}";
  }
  std::string source() {
    std::string out = "{" + key("id") + string_value(text()) + "," + key("path") + string_value(text()) + "," +
                      key("start") + number() + "," + key("duration") + number();
    if (pick(2)) out += "," + key("sha256") + string_value(std::string(64, 'f'));
    if (pick(3) == 0) out += "," + key("origin") + nested(3);
    return out + "}";
  }

  std::string member() {
    // null means absent for every field but id: any of them may come as null
    static const char* const kFields[] = {"path",   "bytes", "sha256", "format", "sample_rate", "channels", "frames",
                                          "duration", "labels", "annotations", "group", "quality", "meta",
                                          "label_source", "mtime", "manifest_version", "id"};
    if (pick(12) == 0) return key(kFields[pick(std::size(kFields))]) + "null";
    switch (pick(22)) {
      case 0: return key("path") + string_value("raw/" + text() + ".wav");
      case 1: return key("bytes") + (pick(4) ? std::to_string(pick(1u << 30)) : number());
      case 2: return key("sha256") + string_value(std::string(64, 'a'));
      case 3: return key("format") + string_value("wav");
      case 4: return key("sample_rate") + (pick(4) ? "16000" : number());
      case 5: return key("channels") + (pick(4) ? "2" : number());
      case 6: return key("frames") + (pick(4) ? std::to_string(pick(1u << 30)) : number());
      case 7: return key("duration") + (pick(3) ? std::to_string(pick(1000)) + ".25" : number());
      case 8: return key("labels") + labels();
      case 9: return key("annotations") + "[" + annotation() + (pick(2) ? "," + annotation() : "") + "]";
      case 10: return key("group") + (pick(3) ? string_value(text()) : nested(2));
      case 11: return key("source") + (pick(6) ? source() : "null");
      case 12: return key("split") + (pick(5) ? string_value(pick(2) ? "train" : "test") : "null");
      case 13: return key("fold") + (pick(4) ? std::to_string(pick(10)) : number());
      case 14: return key("quality") + "{" + key("peak_dbfs") + number() + "," + key("x") + nested(3) + "}";
      case 15: return key("meta") + "{" + key("recorder") + string_value(text()) + "," + key("deep") + nested(4) + "}";
      case 16: return key("duplicate_of") + (pick(3) ? string_value(text()) : "null");
      case 17: return key("label_source") + string_value("sheet");
      case 18: return key("mtime") + string_value("2026-11-26T00:28:53.128561360Z");
      case 19: return key("x_" + (pick(4) ? std::to_string(pick(50)) : text())) + nested(4);  // an unknown field, nested
      case 20: return key("id") + string_value(text());  // a second id: the later wins
      default: return key("subtype") + (pick(5) ? string_value("pcm16") : scalar());
    }
  }

  std::string deep(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

  // The ways a line goes bad, or takes a rarer form.
  std::string spoil(std::string s) {
    const std::size_t at = 1 + pick(s.size() - 1);
    switch (pick(14)) {
      case 0: return s.substr(0, at);                                  // truncated
      case 1: return s.insert(at, "tru");                              // a broken atom
      case 2: return s.insert(s.size() - 1, ",\"lone\":\"\\ud800\"");  // a lone surrogate
      case 3: return s.insert(at, std::string(1, '\0'));               // a NUL byte
      case 4: return s.insert(at, "\xff");                             // not UTF-8
      case 5: return s + (pick(2) ? " {}" : "]");                      // trailing content
      case 6: return s.insert(s.size() - 1, ",\"n\":" + deep(62 + pick(5)));  // around the nesting limit
      case 7: return s.insert(s.size() - 1, ",\"tab\":\"a\tb\"");     // a raw control byte in a string
      case 8: return s.insert(s.size() - 1, ",\"sample_rate\":\"x\"");  // a wrong type
      case 9: return "\xEF\xBB\xBF" + s;                               // a byte order mark
      case 10: return s.insert(s.size() - 1, ",\"n\":01");             // a leading zero
      case 11: return s.insert(s.size() - 1, ",\"n\":1e400");          // beyond a double
      case 12: return "[" + s + "]";                                  // not an object
      default: return s.insert(s.size() - 1, ",\"e\":\"\\x\"");       // a bad escape
    }
  }

  std::mt19937_64 rng_;
};

struct Outcome {
  std::string item;  // item_to_line, or empty
  std::string reason;
};

Outcome by_nlohmann(const std::string& line) {
  try {
    return {clipset::item_to_line(clipset::parse_manifest_line(line).item), ""};
  } catch (const clipset::Error& e) {
    return {"", e.reason()};
  }
}

Outcome by_decoder(clipset::LineDecoder& decoder, const std::string& line) {
  try {
    return {clipset::item_to_line(decoder.decode(line)), ""};
  } catch (const clipset::Error& e) {
    return {"", e.reason()};
  }
}

// The fields of `item` in `wanted`, the rest cleared: what a decoder for those fields gives.
Item only(Item item, FieldSet wanted) {
  Item out;
  out.id = item.id;
  if (wanted & fields::path) out.path = item.path;
  if (wanted & fields::bytes) out.bytes = item.bytes;
  if (wanted & fields::duration) out.duration = item.duration;
  if (wanted & fields::labels) out.labels = item.labels;
  if (wanted & fields::annotations) out.annotations = item.annotations;
  if (wanted & fields::group) out.group = item.group;
  if (wanted & fields::source) out.source = item.source;
  if (wanted & fields::split) out.split = item.split;
  if (wanted & fields::fold) out.fold = item.fold;
  if (wanted & fields::meta) out.meta = item.meta;
  if (wanted & fields::extra) out.extra = item.extra;
  return out;
}

}  // namespace

TEST_CASE("line decoder: 10,000 generated lines decode as nlohmann/json reads them", "[manifest][decoder]") {
  LineMaker maker(17);
  clipset::LineDecoder all;
  const FieldSet stats_fields = fields::duration | fields::labels | fields::split | fields::group_key | fields::meta;
  clipset::LineDecoder some(stats_fields);
  std::size_t good = 0, bad = 0;
  for (std::size_t n = 0; n < 10000; ++n) {
    const std::string line = maker.line(n);
    CAPTURE(n, line);
    const Outcome expected = by_nlohmann(line);
    const Outcome full = by_decoder(all, line);
    CHECK(full.item == expected.item);
    CHECK(full.reason == expected.reason);
    const Outcome part = by_decoder(some, line);
    if (!expected.item.empty()) {
      ++good;
      REQUIRE(part.reason.empty());
      // A line the fast path passes on comes back whole: compare the fields asked for.
      CHECK(clipset::item_to_line(only(some.decode(line), stats_fields)) ==
            clipset::item_to_line(only(clipset::parse_manifest_line(line).item, stats_fields)));
    } else {
      ++bad;
      // With fewer fields decoded, only a rule on a field left out (a range, an element's type)
      // can pass a line the full reader refuses; a reason, when given, is the full reader's.
      if (part.item.empty()) CHECK(part.reason == expected.reason);
    }
  }
  CHECK(good > 5000);
  CHECK(bad > 500);
  // The fast path takes most lines, so the comparison above tests simdjson, not the fallback:
  // the slow ones are the bad lines and the rare forms (integers past 64 bits, 1e-400, ...) the
  // generator puts in on purpose.
  CHECK(all.slow_lines() < 10000 / 2);
}

TEST_CASE("line decoder: a clip's source with extra members (segment's settings) stays on the fast path", "[manifest][decoder]") {
  // Every clip segment writes has source.settings: these lines once all took the slow path.
  const std::string line =
      R"({"id":"c","source":{"id":"r","path":"r.wav","start":0.5,"duration":0.5,"settings":"c5c751ae7c60","mine":{"a":[1,null]}},"manifest_version":1})";
  clipset::LineDecoder decoder;
  CHECK(clipset::item_to_line(decoder.decode(line)) == clipset::item_to_line(clipset::parse_manifest_line(line).item));
  CHECK(decoder.slow_lines() == 0);
  const Item item = decoder.decode(line);
  REQUIRE(item.source);
  CHECK(item.source->extra.dump() == R"({"settings":"c5c751ae7c60","mine":{"a":[1,null]}})");
  // The nesting limit counts the record and source levels around an extra member.
  const auto nested = [](std::size_t depth) {
    return R"({"id":"c","source":{"id":"r","path":"r.wav","x":)" + std::string(depth, '[') + std::string(depth, ']') + "}}";
  };
  CHECK(by_decoder(decoder, nested(62)).reason.empty());
  CHECK(by_decoder(decoder, nested(63)).reason == "nested deeper than 64 levels");
}

TEST_CASE("line decoder: each bad-line kind has its reason in words", "[manifest][decoder]") {
  clipset::LineDecoder decoder(fields::duration);
  const auto reason = [&](const std::string& line) { return by_decoder(decoder, line).reason; };
  CHECK(reason(std::string("{\"id\":\"a\",\"x\":\"b\0\"}", 19)) == "not valid JSON (a NUL byte at byte 17)");
  CHECK(reason("{\"id\":\"a\",\"x\":\"caf\xe9\"}") == "not valid JSON (invalid UTF-8 at byte 19)");
  CHECK(reason("{\"id\":\"a\",\"x\":" + std::string(65, '[') + std::string(65, ']') + "}") == "nested deeper than 64 levels");
  CHECK(reason("{\"id\":\"a\",\"x\":" + std::string(63, '[') + std::string(63, ']') + "}").empty());
  std::string huge = "{\"id\":\"a\",\"x\":\"" + std::string(clipset::kMaxManifestLineBytes, 'x') + "\"}";
  CHECK(reason(huge) == "a line longer than 64 MiB");
  CHECK(reason("{\"id\":\"a\",\"x\":tru}").rfind("not valid JSON (", 0) == 0);
  CHECK(reason("{\"id\":\"a\",\"sample_rate\":\"x\"}") == "field 'sample_rate' must be an integer, got a string");
}

TEST_CASE("reader: CRLF lines read the same through the decoder and field sets", "[manifest][decoder]") {
  LineMaker maker(3);
  std::string text;
  for (std::size_t n = 0; n < 500; ++n) text += maker.line(n) + (n % 3 == 0 ? "\r\n" : "\n");
  std::vector<std::string> reference;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const Outcome o = by_nlohmann(line);
    reference.push_back(o.item.empty() ? "bad: " + o.reason : o.item);
  }
  std::istringstream in(text);
  clipset::ManifestReader reader(in, "m.jsonl");
  std::vector<std::string> got(reference.size());
  reader.on_problem([&](const clipset::ManifestProblem& p) { got[p.line - 1] = "bad: " + p.reason; });
  while (auto item = reader.next()) got[reader.line() - 1] = clipset::item_to_line(*item);
  CHECK(got == reference);
}
