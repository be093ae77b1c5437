// The fast manifest line reader: simdjson On Demand walks each line once, decodes the fields a
// command asked for and checks the rest without building anything. Whatever it does not take on
// the fast path (a bad line, a rare form) goes to parse_manifest_line, which then decides: the
// two readers cannot disagree on an item or a reason.

#include <string>
#include <string_view>

#include <simdjson.h>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "item_members.hpp"
#include "line_checks.hpp"

namespace clipset {

namespace {

namespace od = simdjson::ondemand;
using simdjson::SUCCESS;

// The fast path gives up on a line: parse_manifest_line takes it.
struct NotFast {};

template <class T>
T got(simdjson::simdjson_result<T> result) {
  T value;
  if (std::move(result).get(value) != SUCCESS) throw NotFast{};
  return value;
}

// A byte below 0x20 is legal JSON only as whitespace between tokens (tab, CR, LF); inside a
// string it is an error On Demand does not look for. Lines with any take the slow path.
bool has_control_byte(std::string_view line) {
  unsigned char low = 0;
  for (const char c : line) low |= static_cast<unsigned char>(static_cast<unsigned char>(c) < 0x20);
  return low != 0;
}

// A member's key as written. A key with an escape is left to the slow path (no manifest field
// has one), so the key needs no unescaping and its escapes no checking here.
template <class Member>
std::string_view plain_key(Member& member) {
  const char* begin = got(member.key()).raw();
  const char* end = begin;
  while (*end != '"') {
    if (*end == '\\') throw NotFast{};
    ++end;
  }
  return std::string_view(begin, static_cast<std::size_t>(end - begin));
}

struct KnownField {
  std::string_view key;
  FieldSet bit;
  od::json_type type;  // the JSON type the field must have; null is taken too (null means absent)
};

constexpr KnownField kKnown[] = {
    {"path", item_fields::path, od::json_type::string},
    {"bytes", item_fields::bytes, od::json_type::number},
    {"sha256", item_fields::sha256, od::json_type::string},
    {"mtime", item_fields::mtime, od::json_type::string},
    {"format", item_fields::format, od::json_type::string},
    {"subtype", item_fields::subtype, od::json_type::string},
    {"sample_rate", item_fields::sample_rate, od::json_type::number},
    {"channels", item_fields::channels, od::json_type::number},
    {"frames", item_fields::frames, od::json_type::number},
    {"duration", item_fields::duration, od::json_type::number},
    {"labels", item_fields::labels, od::json_type::array},
    {"label_source", item_fields::label_source, od::json_type::string},
    {"salience", item_fields::salience, od::json_type::string},
    {"annotations", item_fields::annotations, od::json_type::array},
    {"group", item_fields::group, od::json_type::string},
    {"source", item_fields::source, od::json_type::object},
    {"split", item_fields::split, od::json_type::string},
    {"fold", item_fields::fold, od::json_type::number},
    {"quality", item_fields::quality, od::json_type::object},
    {"duplicate_of", item_fields::duplicate_of, od::json_type::string},
    {"meta", item_fields::meta, od::json_type::object},
};

const KnownField* known_field(std::string_view key) {
  for (const auto& field : kKnown) {
    if (key.size() == field.key.size() && key == field.key) return &field;
  }
  return nullptr;
}

// A number as nlohmann reads it: an integer literal ("-0" included) is an integer, then a double.
double number_as_double(od::value value) {
  switch (got(value.get_number_type())) {
    case od::number_type::signed_integer: return static_cast<double>(got(value.get_int64()));
    case od::number_type::unsigned_integer: return static_cast<double>(got(value.get_uint64()));
    default: return got(value.get_double());
  }
}

class FastLine {
 public:
  FastLine(FieldSet fields, Item& item) : fields_(fields), item_(item) {}

  void member(std::string_view key, od::value value) {
    if (key == "id") {
      item_.id = std::string(got(value.get_string()));
      has_id_ = true;
    } else if (key == "manifest_version") {
      const auto version = got(value.get_int64());
      check_manifest_version(version);
    } else if (const KnownField* field = known_field(key)) {
      known(*field, value);
    } else if (fields_ & item_fields::extra) {
      decode_as_json(key, value);
    } else {
      check(value, 2);
    }
  }

  bool has_id() const noexcept { return has_id_; }

  // Checks a value for syntax (strings, numbers, atoms, nesting) without keeping it.
  static void check(od::value value, std::size_t depth) {
    switch (got(value.type())) {
      case od::json_type::object:
        if (depth > kMaxManifestNesting) throw NotFast{};
        for (auto member : got(value.get_object())) {
          plain_key(member);
          check(got(member.value()), depth + 1);
        }
        break;
      case od::json_type::array:
        if (depth > kMaxManifestNesting) throw NotFast{};
        for (auto element : got(value.get_array())) check(got(std::move(element)), depth + 1);
        break;
      case od::json_type::string:
        // Only escapes can be wrong in a string here (UTF-8 and control bytes are checked).
        if (value.raw_json_token().find('\\') != std::string_view::npos) got(value.get_string());
        break;
      case od::json_type::number: got(value.get_number()); break;
      case od::json_type::boolean: got(value.get_bool()); break;
      case od::json_type::null:
        if (!got(value.is_null())) throw NotFast{};
        break;
    }
  }

 private:
  void known(const KnownField& field, od::value value) {
    const auto type = got(value.type());
    const bool null = type == od::json_type::null;
    // "labels" may be one string; "group" may be any value (its key is its JSON text).
    const bool type_ok = type == field.type || null || (field.bit == item_fields::labels && type == od::json_type::string) ||
                         field.bit == item_fields::group;
    if (!type_ok) throw NotFast{};
    if (!(fields_ & field.bit)) {
      check(value, 2);
      return;
    }
    if (null) {
      check(value, 2);
      set_item_member(item_, std::string(field.key), Json());
      return;
    }
    switch (field.bit) {
      case item_fields::bytes: item_.bytes = got(value.get_uint64()); break;
      case item_fields::sample_rate: item_.sample_rate = non_negative(value); break;
      case item_fields::channels: item_.channels = non_negative(value); break;
      case item_fields::frames: item_.frames = non_negative(value); break;
      case item_fields::fold: item_.fold = got(value.get_int64()); break;
      case item_fields::duration: duration(value); break;
      case item_fields::labels: labels(value, type); break;
      case item_fields::source: source(value); break;
      default:
        if (type == od::json_type::string) set_string(field.key, got(value.get_string()));
        else decode_as_json(field.key, value);
    }
  }

  static std::int64_t non_negative(od::value value) {
    const auto n = got(value.get_int64());
    if (n < 0) throw NotFast{};
    return n;
  }

  void duration(od::value value) {
    const double seconds = number_as_double(value);
    if (seconds < 0 || seconds >= kMaxDurationSeconds) throw NotFast{};
    item_.duration = seconds;
  }

  void labels(od::value value, od::json_type type) {
    item_.labels.clear();
    if (type == od::json_type::string) {
      item_.labels.emplace_back(got(value.get_string()));
      return;
    }
    for (auto element : got(value.get_array())) item_.labels.emplace_back(got(got(std::move(element)).get_string()));
  }

  // Every clip has one: decoded here rather than through nlohmann (a third of the time of
  // `stats`, which needs source.id for the leakage unit).
  void source(od::value value) {
    ClipSource s;
    for (auto member : got(value.get_object())) {
      const std::string_view key = plain_key(member);
      od::value v = got(member.value());
      if (key == "id") s.id = std::string(got(v.get_string()));
      else if (key == "path") s.path = std::string(got(v.get_string()));
      else if (key == "sha256") s.sha256 = std::string(got(v.get_string()));
      else if (key == "start") s.start = number_as_double(v);
      else if (key == "duration") s.duration = number_as_double(v);
      else s.extra[std::string(key)] = parsed_value(v, 3);  // segment's "settings", a user's own
    }
    item_.source = std::move(s);
  }

  void set_string(std::string_view key, std::string_view text) {
    std::string s(text);
    if (key == "group") item_.group = std::move(s);
    else if (key == "path") item_.path = std::move(s);
    else if (key == "sha256") item_.sha256 = std::move(s);
    else if (key == "mtime") item_.mtime = std::move(s);
    else if (key == "format") item_.format = std::move(s);
    else if (key == "subtype") item_.subtype = std::move(s);
    else if (key == "label_source") item_.label_source = std::move(s);
    else if (key == "salience" && is_salience(s)) item_.salience = std::move(s);
    else if (key == "split") item_.split = std::move(s);
    else if (key == "duplicate_of") item_.duplicate_of = std::move(s);
    else throw NotFast{};
  }

  // Objects, lists and unknown fields: their text parsed by nlohmann/json (they become Json in the
  // Item anyway), then the same rule as item_from_json.
  void decode_as_json(std::string_view key, od::value value) { set_item_member(item_, std::string(key), parsed_value(value, 2)); }

  // A value's text parsed by nlohmann/json, `levels` being the objects around it (the record's
  // own included): the nesting limit is checked on the text first, so a value nested 80,000 deep
  // is never built.
  static Json parsed_value(od::value value, std::size_t levels) {
    std::string_view text;
    switch (got(value.type())) {
      case od::json_type::object: text = got(got(value.get_object()).raw_json()); break;
      case od::json_type::array: text = got(got(value.get_array()).raw_json()); break;
      default: text = value.raw_json_token();
    }
    bool too_deep = false;
    scan_json_structure(text, [&](std::size_t, char c, std::size_t depth) {
      too_deep = (c == '{' || c == '[') && depth + levels > kMaxManifestNesting;
      return !too_deep;
    });
    if (too_deep) throw NotFast{};
    Json parsed = Json::parse(text.begin(), text.end(), nullptr, false);
    if (parsed.is_discarded()) throw NotFast{};
    return parsed;
  }

  FieldSet fields_;
  Item& item_;
  bool has_id_ = false;
};

}  // namespace

struct LineDecoder::State {
  od::parser parser;
  std::string padded;  // the line, copied with the padding simdjson reads past its end
};

LineDecoder::LineDecoder(FieldSet fields) : state_(std::make_unique<State>()), fields_(fields) {}
LineDecoder::~LineDecoder() = default;
LineDecoder::LineDecoder(LineDecoder&&) noexcept = default;
LineDecoder& LineDecoder::operator=(LineDecoder&&) noexcept = default;

Item LineDecoder::decode(std::string_view line) {
  // NUL bytes are control bytes, and simdjson checks UTF-8: the fast path needs only the length
  // checked; the slow path checks everything in order.
  if (line.size() <= kMaxManifestLineBytes && !has_control_byte(line)) {
    auto& padded = state_->padded;
    padded.assign(line.data(), line.size());
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    Item item;
    try {
      FastLine fast(fields_, item);
      od::document doc = got(state_->parser.iterate(padded.data(), line.size(), padded.size()));
      for (auto member : got(doc.get_object())) {
        const std::string_view key = plain_key(member);
        fast.member(key, got(member.value()));
      }
      // Anything after the object (a second value, a stray bracket) is not one record.
      const char* rest = nullptr;
      if (doc.current_location().get(rest) == SUCCESS) throw NotFast{};
      if (fast.has_id() && !item.id.empty()) return item;
    } catch (const NotFast&) {
    } catch (const Error&) {
      // The fast path's rules are item_from_json's, but the slow path gives the reason the whole
      // line deserves (an earlier syntax error wins over a later field's type).
    }
  }
  ++slow_lines_;
  return parse_manifest_line(std::string(line)).item;
}

}  // namespace clipset
