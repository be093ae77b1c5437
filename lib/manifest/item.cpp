// Item <-> JSON: a fixed key order on output, type checks with field names on input.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <set>
#include <string_view>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "item_members.hpp"

namespace clipset {

namespace {

const char* json_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    default: return "an unknown value";
  }
}

[[noreturn]] void wrong_type(std::string_view field, std::string_view expected, const Json& got) {
  throw_data("", "field '" + std::string(field) + "' must be " + std::string(expected) + ", got " + json_type_name(got));
}

std::string get_string(const Json& value, std::string_view field) {
  if (!value.is_string()) wrong_type(field, "a string", value);
  return value.get<std::string>();
}

double get_number(const Json& value, std::string_view field) {
  if (!value.is_number()) wrong_type(field, "a number", value);
  return value.get<double>();
}

std::int64_t get_integer(const Json& value, std::string_view field) {
  if (value.is_number_float()) {
    // 3.0 is read as 3; anything fractional or beyond 64 bits is not an integer.
    const double d = value.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<std::int64_t>(d);
    wrong_type(field, "an integer", value);
  }
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    throw_data("", "field '" + std::string(field) + "' is too large");
  }
  if (!value.is_number_integer()) wrong_type(field, "an integer", value);
  return value.get<std::int64_t>();
}

std::int64_t get_non_negative(const Json& value, std::string_view field) {
  const auto n = get_integer(value, field);
  if (n < 0) throw_data("", "field '" + std::string(field) + "' must not be negative");
  return n;
}

std::uint64_t get_size(const Json& value, std::string_view field) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  return static_cast<std::uint64_t>(get_non_negative(value, field));
}

template <class Fn>
void for_each_field(const Json& object, std::string_view where, Fn&& fn) {
  if (!object.is_object()) wrong_type(where, "an object", object);
  for (auto it = object.begin(); it != object.end(); ++it) fn(it.key(), it.value());
}

// A string that must be one of a few words (salience, difficulty).
template <class IsValid>
std::string get_choice(const Json& value, std::string_view field, IsValid is_valid, std::string_view expected) {
  std::string text = get_string(value, field);
  if (!is_valid(text)) throw_data("", "field '" + std::string(field) + "' must be " + std::string(expected) + ", got '" + text + "'");
  return text;
}

std::vector<std::string> strings_from_json(const Json& value, std::string_view field) {
  if (!value.is_array()) wrong_type(field, "a list of strings", value);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(get_string(value[i], std::string(field) + "[" + std::to_string(i) + "]"));
  return out;
}

bool is_annotation_member(const std::string& key) {
  return key == "start" || key == "end" || key == "label" || key == "annotator" || key == "pass" || key == "low_hz" ||
         key == "high_hz" || key == "salience" || key == "difficulty" || key == "tags" || key == "annotated_at" ||
         key == "annotated_at_source" || key == "notes";
}

bool is_source_member(const std::string& key) {
  return key == "id" || key == "path" || key == "sha256" || key == "start" || key == "duration";
}

Annotation annotation_from_json(const Json& record, std::size_t index) {
  const std::string where = "annotations[" + std::to_string(index) + "]";
  Annotation a;
  bool has_start = false, has_end = false;
  for_each_field(record, where, [&](const std::string& key, const Json& value) {
    const std::string field = where + "." + key;
    if (value.is_null() && is_annotation_member(key)) return;  // null means absent
    if (key == "start") { a.start = get_number(value, field); has_start = true; }
    else if (key == "end") { a.end = get_number(value, field); has_end = true; }
    else if (key == "label") a.label = get_string(value, field);
    else if (key == "annotator") a.annotator = get_string(value, field);
    else if (key == "pass") {
      const auto pass = get_integer(value, field);
      if (pass < 1 || pass > 1000000) throw_data("", "field '" + field + "' must be a whole number from 1");
      a.pass = static_cast<int>(pass);
    }
    else if (key == "low_hz") a.low_hz = get_number(value, field);
    else if (key == "high_hz") a.high_hz = get_number(value, field);
    else if (key == "salience") a.salience = get_choice(value, field, is_salience, "fg or bg");
    else if (key == "difficulty") a.difficulty = get_choice(value, field, is_difficulty, "easy or hard");
    else if (key == "tags") a.tags = strings_from_json(value, field);
    else if (key == "annotated_at") a.annotated_at = get_string(value, field);
    else if (key == "annotated_at_source") a.annotated_at_source = get_string(value, field);
    else if (key == "notes") a.notes = get_string(value, field);
    else a.extra[key] = value;
  });
  if (!has_start) throw_data("", "field '" + where + ".start' is missing");
  if (!has_end) a.end = a.start;
  return a;
}

Json annotation_to_json(const Annotation& a) {
  Json out = Json::object();
  out["start"] = a.start;
  out["end"] = a.end;
  out["label"] = a.label;
  if (a.annotator) out["annotator"] = *a.annotator;
  out["pass"] = a.pass;
  if (a.low_hz) out["low_hz"] = *a.low_hz;
  if (a.high_hz) out["high_hz"] = *a.high_hz;
  if (a.salience) out["salience"] = *a.salience;
  if (a.difficulty) out["difficulty"] = *a.difficulty;
  if (!a.tags.empty()) out["tags"] = a.tags;
  if (a.annotated_at) out["annotated_at"] = *a.annotated_at;
  if (a.annotated_at_source) out["annotated_at_source"] = *a.annotated_at_source;
  if (a.notes) out["notes"] = *a.notes;
  for (auto it = a.extra.begin(); it != a.extra.end(); ++it) out[it.key()] = it.value();
  return out;
}

ClipSource source_from_json(const Json& record) {
  ClipSource s;
  for_each_field(record, "source", [&](const std::string& key, const Json& value) {
    const std::string field = "source." + key;
    if (value.is_null() && is_source_member(key)) return;  // null means absent
    if (key == "id") s.id = get_string(value, field);
    else if (key == "path") s.path = get_string(value, field);
    else if (key == "sha256") s.sha256 = get_string(value, field);
    else if (key == "start") s.start = get_number(value, field);
    else if (key == "duration") s.duration = get_number(value, field);
    else s.extra[key] = value;
  });
  return s;
}

Json source_to_json(const ClipSource& s) {
  Json out = Json::object();
  out["id"] = s.id;
  out["path"] = s.path;
  if (s.sha256) out["sha256"] = *s.sha256;
  out["start"] = s.start;
  out["duration"] = s.duration;
  for (auto it = s.extra.begin(); it != s.extra.end(); ++it) out[it.key()] = it.value();
  return out;
}

std::vector<std::string> labels_from_json(const Json& value) {
  // A single string is accepted as one label: hand-written manifests often do that.
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array()) wrong_type("labels", "a list of strings", value);
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < value.size(); ++i) labels.push_back(get_string(value[i], "labels[" + std::to_string(i) + "]"));
  return labels;
}

// null means absent, for every optional field (pandas and jq write null for a missing value):
// the member goes back to what a line without the field would give. "id" is required.
void reset_item_member(Item& item, const std::string& key) {
  const Item absent;
  if (key == "path") item.path.reset();
  else if (key == "bytes") item.bytes.reset();
  else if (key == "sha256") item.sha256.reset();
  else if (key == "mtime") item.mtime.reset();
  else if (key == "format") item.format.reset();
  else if (key == "subtype") item.subtype.reset();
  else if (key == "sample_rate") item.sample_rate.reset();
  else if (key == "channels") item.channels.reset();
  else if (key == "frames") item.frames.reset();
  else if (key == "duration") item.duration.reset();
  else if (key == "labels") item.labels.clear();
  else if (key == "label_source") item.label_source.reset();
  else if (key == "annotations") item.annotations.clear();
  else if (key == "group") item.group.reset();
  else if (key == "source") item.source.reset();
  else if (key == "split") item.split.reset();
  else if (key == "fold") item.fold.reset();
  else if (key == "quality") item.quality.reset();
  else if (key == "duplicate_of") item.duplicate_of.reset();
  else if (key == "meta") item.meta = absent.meta;
  else if (key == "salience") item.salience.reset();
  else if (key != "manifest_version") item.extra[key] = nullptr;  // an unknown field is kept as written
}

}  // namespace

void set_item_member(Item& item, const std::string& key, const Json& value) {
  if (value.is_null() && key != "id") {
    reset_item_member(item, key);
    return;
  }
  if (key == "id") item.id = get_string(value, key);
  else if (key == "path") item.path = get_string(value, key);
  else if (key == "bytes") item.bytes = get_size(value, key);
  else if (key == "sha256") item.sha256 = get_string(value, key);
  else if (key == "mtime") item.mtime = get_string(value, key);
  else if (key == "format") item.format = get_string(value, key);
  else if (key == "subtype") item.subtype = get_string(value, key);
  else if (key == "sample_rate") item.sample_rate = get_non_negative(value, key);
  else if (key == "channels") item.channels = get_non_negative(value, key);
  else if (key == "frames") item.frames = get_non_negative(value, key);
  else if (key == "duration") {
    item.duration = get_number(value, key);
    if (*item.duration < 0) throw_data("", "field 'duration' is negative");
    if (*item.duration >= kMaxDurationSeconds) {
      throw_data("", "field 'duration' is " + value.dump() + " s, beyond the 10000000 s (115 days) a recording may last");
    }
  }
  else if (key == "labels") item.labels = labels_from_json(value);
  else if (key == "label_source") item.label_source = get_string(value, key);
  else if (key == "salience") item.salience = get_choice(value, key, is_salience, "fg or bg");
  else if (key == "annotations") {
    if (!value.is_array()) wrong_type(key, "a list", value);
    item.annotations.clear();
    for (std::size_t i = 0; i < value.size(); ++i) item.annotations.push_back(annotation_from_json(value[i], i));
  }
  else if (key == "group") item.group = field_key(value);
  else if (key == "source") item.source = source_from_json(value);
  else if (key == "split") item.split = get_string(value, key);
  else if (key == "fold") item.fold = get_integer(value, key);
  else if (key == "quality") {
    if (!value.is_object()) wrong_type(key, "an object", value);
    item.quality = value;
  }
  else if (key == "duplicate_of") item.duplicate_of = get_string(value, key);
  else if (key == "meta") {
    if (!value.is_object()) wrong_type(key, "an object", value);
    item.meta = value;
  }
  else if (key == "manifest_version") check_manifest_version(get_integer(value, key));
  else item.extra[key] = value;
}

void check_manifest_version(std::int64_t version) {
  if (version > kManifestVersion) {
    throw_data("", "manifest_version " + std::to_string(version) + " is newer than this clipset reads (" +
                       std::to_string(kManifestVersion) + "); upgrade clipset");
  }
  if (version < 1) throw_data("", "manifest_version must be at least 1");
}

void check_item_id(const Item& item, bool has_id) {
  if (!has_id) throw_data("", "field 'id' is missing");
  if (item.id.empty()) throw_data("", "field 'id' is empty");
}

Item item_from_json(const Json& record) {
  if (!record.is_object()) throw_data("", std::string("expected a JSON object, got ") + json_type_name(record));
  Item item;
  bool has_id = false;
  for (auto it = record.begin(); it != record.end(); ++it) {
    set_item_member(item, it.key(), it.value());
    has_id = has_id || it.key() == "id";
  }
  check_item_id(item, has_id);
  return item;
}

Json item_to_json(const Item& item) {
  Json out = Json::object();
  out["id"] = item.id;
  if (item.path) out["path"] = *item.path;
  if (item.bytes) out["bytes"] = *item.bytes;
  if (item.sha256) out["sha256"] = *item.sha256;
  if (item.mtime) out["mtime"] = *item.mtime;
  if (item.format) out["format"] = *item.format;
  if (item.subtype) out["subtype"] = *item.subtype;
  if (item.sample_rate) out["sample_rate"] = *item.sample_rate;
  if (item.channels) out["channels"] = *item.channels;
  if (item.frames) out["frames"] = *item.frames;
  if (item.duration) out["duration"] = *item.duration;
  out["labels"] = item.labels;
  if (item.label_source) out["label_source"] = *item.label_source;
  if (item.salience) out["salience"] = *item.salience;
  if (!item.annotations.empty()) {
    Json list = Json::array();
    for (const auto& a : item.annotations) list.push_back(annotation_to_json(a));
    out["annotations"] = std::move(list);
  }
  if (item.group) out["group"] = *item.group;
  if (item.source) out["source"] = source_to_json(*item.source);
  if (item.split) out["split"] = *item.split;
  if (item.fold) out["fold"] = *item.fold;
  if (item.quality) out["quality"] = *item.quality;
  if (item.duplicate_of) out["duplicate_of"] = *item.duplicate_of;
  if (!item.meta.empty()) out["meta"] = item.meta;
  out["manifest_version"] = kManifestVersion;
  for (auto it = item.extra.begin(); it != item.extra.end(); ++it) out[it.key()] = it.value();
  return out;
}

const Json* find_field(const Json& record, const std::string& dotted) {
  const Json* node = &record;
  std::size_t begin = 0;
  while (begin <= dotted.size()) {
    const std::size_t dot = dotted.find('.', begin);
    const std::string part = dotted.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
    if (!node->is_object()) return nullptr;
    const auto it = node->find(part);
    if (it == node->end()) return nullptr;
    node = &*it;
    if (dot == std::string::npos) break;
    begin = dot + 1;
  }
  return node;
}

const Json* ItemFieldFinder::find(const std::string& dotted) {
  if (dotted.rfind("meta.", 0) == 0) return find_field(item_.meta, dotted.substr(5));
  if (!record_) record_ = item_to_json(item_);
  return find_field(*record_, dotted);
}

FieldSet fields_of_path(std::string_view dotted) {
  static const std::pair<const char*, FieldSet> kFields[] = {
      {"path", item_fields::path},           {"bytes", item_fields::bytes},
      {"sha256", item_fields::sha256},       {"mtime", item_fields::mtime},
      {"format", item_fields::format},       {"subtype", item_fields::subtype},
      {"sample_rate", item_fields::sample_rate}, {"channels", item_fields::channels},
      {"frames", item_fields::frames},       {"duration", item_fields::duration},
      {"labels", item_fields::labels},       {"label_source", item_fields::label_source},
      {"salience", item_fields::salience},
      {"annotations", item_fields::annotations}, {"group", item_fields::group},
      {"source", item_fields::source},       {"split", item_fields::split},
      {"fold", item_fields::fold},           {"quality", item_fields::quality},
      {"duplicate_of", item_fields::duplicate_of}, {"meta", item_fields::meta}};
  const std::string_view top = dotted.substr(0, dotted.find('.'));
  if (top == "id" || top == "manifest_version") return 0;  // always read
  for (const auto& [name, bit] : kFields) {
    if (top == name) return bit;
  }
  return item_fields::extra;
}

std::string field_key(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_field_keys(const Json* value, std::vector<std::string>& keys) {
  if (value == nullptr || value->is_null()) return;
  if (value->is_array()) {
    for (const auto& element : *value) append_field_keys(&element, keys);
    return;
  }
  std::string key = field_key(*value);
  if (!key.empty()) keys.push_back(std::move(key));
}

namespace {

// salience, difficulty, annotator: an item's own field (a clip's salience) when it has one, else
// each distinct value among its annotations, so recordings and clips are counted by one rule.
void append_annotation_keys(const Item& item, const std::string& field, std::vector<std::string>& keys) {
  if (field == "salience" && item.salience) {
    keys.push_back(*item.salience);
    return;
  }
  if (const auto own = item.extra.find(field); own != item.extra.end()) {
    append_field_keys(&*own, keys);
    if (!keys.empty()) return;
  }
  for (const Annotation& a : item.annotations) {
    const auto& value = field == "salience" ? a.salience : field == "difficulty" ? a.difficulty : a.annotator;
    if (value && !value->empty()) keys.push_back(*value);
  }
}

}  // namespace

bool is_annotation_field(std::string_view field) {
  return field == "salience" || field == "difficulty" || field == "annotator";
}

FieldSet fields_of_report_field(std::string_view field) {
  FieldSet fields = fields_of_path(field);
  if (is_annotation_field(field)) fields |= item_fields::annotations | item_fields::salience | item_fields::extra;
  return fields;
}

void item_field_keys(const Item& item, ItemFieldFinder& finder, const std::string& field, std::vector<std::string>& keys) {
  keys.clear();
  if (field == "labels") {
    keys = item.labels;
  } else if (field == "split") {
    if (item.split) keys.push_back(*item.split);
    return;
  } else if (is_annotation_field(field)) {
    append_annotation_keys(item, field, keys);
  } else {
    append_field_keys(finder.find(field), keys);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

std::optional<double> item_field_number(const Item& item, ItemFieldFinder& finder, const std::string& field) {
  auto whole = [](const std::optional<std::int64_t>& v) { return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt; };
  std::optional<double> number;
  if (field == "duration") number = item.duration;
  else if (field == "sample_rate") number = whole(item.sample_rate);
  else if (field == "channels") number = whole(item.channels);
  else if (field == "frames") number = whole(item.frames);
  else if (field == "fold") number = whole(item.fold);
  else if (field == "bytes") number = item.bytes ? std::optional<double>(static_cast<double>(*item.bytes)) : std::nullopt;
  else if (const Json* value = finder.find(field); value != nullptr && value->is_number()) number = value->get<double>();
  if (number && !std::isfinite(*number)) return std::nullopt;
  return number;
}

bool is_schema_field(std::string_view field) {
  static const char* const kKnown[] = {"id",    "path",   "bytes", "sha256", "mtime",  "format",       "subtype",
                                       "sample_rate", "channels", "frames", "duration", "labels", "label_source",
                                       "annotations", "group", "source", "split", "fold", "quality", "duplicate_of", "meta",
                                       "salience", "difficulty", "annotator"};
  return std::any_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return field == k; });
}

std::string item_to_line(const Item& item) {
  return item_to_json(item).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace clipset
