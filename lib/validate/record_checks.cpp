// Checks of one record at a time: the schema's finer rules, annotations, labels.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "internal.hpp"

namespace clipset::validate_detail {

namespace {

bool matches_id(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

bool is_sha256(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); });
}

// 2026-11-26T00:28:53.128561360Z
bool is_mtime(const std::string& text) {
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd.dddddddddZ";
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(text[i])) : text[i] != shape[i]) return false;
  }
  return true;
}

class Rules {
 public:
  explicit Rules(std::vector<std::string>& out) : out_(out) {}
  void require(const Json& object, const char* key, const std::string& where) {
    // null means absent (docs/manifest.md, "Reading rules")
    if (!object.contains(key) || object[key].is_null()) out_.push_back("field '" + where + key + "' is missing");
  }
  void at_least(const Json& object, const char* key, double min, const std::string& where) {
    if (object.contains(key) && object[key].is_number() && !(object[key].get<double>() >= min)) {
      out_.push_back("field '" + where + key + "' must be at least " + format(min));
    }
  }
  void at_most(const Json& object, const char* key, double max, const std::string& where) {
    if (object.contains(key) && object[key].is_number() && !(object[key].get<double>() <= max)) {
      out_.push_back("field '" + where + key + "' must be at most " + format(max));
    }
  }
  template <class Pred>
  void shape(const Json& object, const char* key, Pred&& ok, const char* expected, const std::string& where) {
    if (object.contains(key) && object[key].is_string() && !ok(object[key].get<std::string>())) {
      out_.push_back("field '" + where + key + "' must be " + expected);
    }
  }

 private:
  static std::string format(double v) {
    std::ostringstream text;
    text << v;
    return text.str();
  }
  std::vector<std::string>& out_;
};

}  // namespace

std::string seconds_text(double s) {
  std::ostringstream text;
  text << s << " s";
  return text.str();
}

std::vector<std::string> schema_violations(const Json& r) {
  std::vector<std::string> out;
  Rules rules(out);
  rules.shape(r, "id", matches_id, "made of A-Z a-z 0-9 . _ - only", "");
  rules.require(r, "labels", "");
  // manifest_version may be absent: readers take such a record as version 1 (docs/manifest.md).
  rules.shape(r, "path", [](const std::string& s) { return !s.empty(); }, "a non-empty string", "");
  rules.shape(r, "sha256", is_sha256, "64 lowercase hex digits", "");
  rules.shape(r, "mtime", is_mtime, "an ISO 8601 UTC time with nanoseconds", "");
  rules.at_least(r, "sample_rate", 1, "");
  rules.at_least(r, "channels", 1, "");
  rules.at_least(r, "duration", 0, "");
  rules.at_least(r, "fold", 0, "");
  if (r.contains("label_source") && r["label_source"].is_string()) {
    const auto s = r["label_source"].get<std::string>();
    if (s != "sheet" && s != "annotations" && s != "folder" && s != "background" && s != "none") {
      out.push_back("field 'label_source' must be sheet, annotations, folder, background or none, got '" + s + "'");
    }
  }
  if (r.contains("annotations") && r["annotations"].is_array()) {
    for (std::size_t i = 0; i < r["annotations"].size(); ++i) {
      const Json& a = r["annotations"][i];
      const std::string where = "annotations[" + std::to_string(i) + "].";
      rules.require(a, "end", where);
      rules.require(a, "label", where);
      rules.at_least(a, "start", 0, where);
      rules.at_least(a, "end", 0, where);
      rules.at_least(a, "low_hz", 0, where);
      rules.at_least(a, "high_hz", 0, where);
    }
  }
  if (r.contains("source") && r["source"].is_object()) {
    const Json& s = r["source"];
    for (const char* key : {"id", "path", "start", "duration"}) rules.require(s, key, "source.");
    rules.shape(s, "id", [](const std::string& v) { return !v.empty(); }, "a non-empty string", "source.");
    rules.shape(s, "path", [](const std::string& v) { return !v.empty(); }, "a non-empty string", "source.");
    rules.shape(s, "sha256", is_sha256, "64 lowercase hex digits", "source.");
    rules.at_least(s, "start", 0, "source.");
    rules.at_least(s, "duration", 0, "source.");
  }
  if (r.contains("quality") && r["quality"].is_object()) {
    const Json& q = r["quality"];
    for (const char* key : {"peak_dbfs", "rms_dbfs"}) rules.at_least(q, key, -120, "quality.");
    for (const char* key : {"clipped_fraction", "silent_fraction"}) {
      rules.at_least(q, key, 0, "quality.");
      rules.at_most(q, key, 1, "quality.");
    }
  }
  return out;
}

void check_annotations(const Item& item, std::size_t line, Findings& out) {
  if (!out.on(check::bad_annotation)) return;
  // The recording's length, when known; a millisecond of slack for rounded times.
  std::optional<double> length = item.duration;
  if (!length && item.frames && item.sample_rate && *item.sample_rate > 0) {
    length = static_cast<double>(*item.frames) / static_cast<double>(*item.sample_rate);
  }
  for (std::size_t i = 0; i < item.annotations.size(); ++i) {
    const Annotation& a = item.annotations[i];
    const std::string which = "annotation " + std::to_string(i + 1) + " ('" + a.label + "')";
    if (a.end < a.start) {
      out.add(check::bad_annotation, line, item.id, which + " ends at " + seconds_text(a.end) + ", before its start " + seconds_text(a.start));
    }
    if (a.start < 0 || (length && a.end > *length + 1e-3)) {
      out.add(check::bad_annotation, line, item.id,
              which + " lies outside the recording (" + seconds_text(a.start) + " to " + seconds_text(a.end) +
                  (length ? ", the recording is " + seconds_text(*length) + " long)" : ")"));
    }
    if (a.annotator && (a.annotator->empty() || a.annotator->find_first_of("./\\ \t") != std::string::npos)) {
      out.add(check::bad_annotation, line, item.id,
              which + " has an unknown annotator format '" + *a.annotator +
                  "' (expected a name without '.', '/' or spaces, as in <file>.<annotator>.txt)");
    }
  }
}

void check_labels(const Item& item, std::size_t line, const Taxonomy& taxonomy, Findings& out, std::vector<bool>& used) {
  std::vector<std::size_t> nodes;
  for (const auto& label : item.labels) {
    const auto node = taxonomy.find(label);
    if (!node) {
      // Labels are matched exactly; a near miss in letter case is the usual cause, so name it.
      const auto near = taxonomy.find_ignoring_case(label);
      out.add(check::unknown_label, line, item.id,
              "label '" + label + "' is not in the taxonomy" +
                  (near ? " (it has '" + taxonomy.nodes[*near].name + "': labels match with letter case)" : std::string()));
      continue;
    }
    used[*node] = true;
    nodes.push_back(*node);
  }
  if (!out.on(check::non_leaf_label)) return;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& node = taxonomy.nodes[nodes[i]];
    if (node.children.empty()) continue;
    std::string child;
    for (const auto other : nodes) {
      if (taxonomy.is_ancestor(nodes[i], other)) {
        child = taxonomy.nodes[other].name;
        break;
      }
    }
    out.add(check::non_leaf_label, line, item.id,
            child.empty() ? "label '" + node.name + "' is not a leaf of the taxonomy"
                          : "labelled with both '" + node.name + "' and its descendant '" + child + "'");
  }
}

}  // namespace clipset::validate_detail
