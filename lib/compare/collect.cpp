// Reading the inputs into sides: one pass per manifest through ManifestBlocks, lines decoded on
// `jobs` threads, each item's values of the --by fields and its side worked out there, tallied
// here in input order.

#include <algorithm>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace clipset::compare_detail {

namespace {

constexpr std::size_t kLeftOutExamples = 5;

// One --by field of one item: a number, or keys (none: the item lacks the field).
struct FieldValue {
  std::optional<double> number;
  std::vector<std::string> keys;
};

// What the scan hands back for one item.
struct Observation {
  std::string side;         // empty: left out
  std::string left_out;     // "id: why", when left out
  std::vector<FieldValue> values;
  std::optional<std::string> selected_by;  // meta.selected_by, when a string
};

void tally_value(FieldTally& tally, const FieldValue& value) {
  if (value.number) {
    tally.numbers.push_back(*value.number);
  } else if (value.keys.empty()) {
    ++tally.missing;
  } else {
    for (const auto& key : value.keys) tally.counts[key] += 1;
  }
}

// The side an item belongs to in split and period modes; empty with a reason when none.
std::string side_of(const CompareOptions& options, const Item& item, ItemFieldFinder& finder, std::string& why) {
  if (options.mode == CompareMode::split) {
    if (!item.split) why = item.id + ": no split";
    return item.split.value_or("");
  }
  const Json* time = finder.find(options.time_field);
  if (time == nullptr || time->is_null()) {
    why = item.id + ": no " + options.time_field;
    return "";
  }
  const std::string text = field_key(*time);
  const auto period = time->is_string() ? period_of(text, options.period) : std::nullopt;
  if (!period) why = item.id + ": " + options.time_field + " '" + text + "' is not a date (YYYY-MM-DD...)";
  return period.value_or("");
}

Observation observe(const CompareOptions& options, const Item& item) {
  Observation o;
  ItemFieldFinder finder(item);
  if (options.mode != CompareMode::files) o.side = side_of(options, item, finder, o.left_out);
  if (const Json* chosen = finder.find(kSelectedByField); chosen != nullptr && chosen->is_string()) {
    o.selected_by = chosen->get<std::string>();
  }
  o.values.resize(options.by.size());
  for (std::size_t f = 0; f < options.by.size(); ++f) {
    const std::string& field = options.by[f];
    if (field != "labels") o.values[f].number = item_field_number(item, finder, field);
    if (!o.values[f].number) item_field_keys(item, finder, field, o.values[f].keys);
  }
  return o;
}

Side& side_named(std::vector<Side>& sides, const std::string& name, std::size_t fields) {
  for (auto& side : sides) {
    if (side.name == name) return side;
  }
  sides.push_back(Side{name, 0, std::vector<FieldTally>(fields), {}});
  return sides.back();
}

void scan_input(const CompareOptions& options, ManifestBlocks& blocks, const CompareCallbacks& callbacks,
                std::vector<Side>& sides, CompareReport& report) {
  ManifestScanOptions scan;
  scan.fields = compare_fields(options);
  scan.jobs = options.jobs;
  scan.strict = options.strict;
  const std::string file_side = blocks.display_name();
  const auto counts = scan_manifest(
      blocks, scan, [&](Item&& item, std::string_view) { return observe(options, item); },
      [&](Observation&& o) {
        if (options.mode != CompareMode::files && o.side.empty()) {
          ++report.left_out;
          if (report.left_out_examples.size() < kLeftOutExamples) report.left_out_examples.push_back(o.left_out);
          return;
        }
        Side& side = side_named(sides, options.mode == CompareMode::files ? file_side : o.side, options.by.size());
        ++side.items;
        if (o.selected_by) ++side.selected_by[*o.selected_by];
        for (std::size_t f = 0; f < o.values.size(); ++f) tally_value(side.fields[f], o.values[f]);
      },
      callbacks.problem, callbacks.progress);
  report.lines_read += counts.lines;
  report.bad_lines += counts.bad_lines;
}

// Split mode: the largest split first (the reference), then the others by name.
void order_sides(const CompareOptions& options, std::vector<Side>& sides) {
  std::sort(sides.begin(), sides.end(), [](const Side& a, const Side& b) { return a.name < b.name; });
  if (options.mode != CompareMode::split || sides.empty()) return;
  const auto largest = std::max_element(sides.begin(), sides.end(), [](const Side& a, const Side& b) { return a.items < b.items; });
  std::rotate(sides.begin(), largest, largest + 1);
}

}  // namespace

void FieldTally::merge(const FieldTally& other) {
  for (const auto& [value, n] : other.counts) counts[value] += n;
  numbers.insert(numbers.end(), other.numbers.begin(), other.numbers.end());
  missing += other.missing;
}

std::vector<Side> collect_sides(const CompareOptions& options, const std::vector<ManifestBlocks*>& inputs,
                                const CompareCallbacks& callbacks, CompareReport& report) {
  std::vector<Side> sides;
  for (ManifestBlocks* blocks : inputs) {
    report.inputs.push_back(blocks->display_name());
    if (options.mode == CompareMode::files) {
      // An input with no items is still a side (and refused later by name).
      std::string name = blocks->display_name();
      if (std::any_of(sides.begin(), sides.end(), [&](const Side& s) { return s.name == name; })) {
        throw_usage(name, "given twice: compare two different manifests");
      }
      sides.push_back(Side{name, 0, std::vector<FieldTally>(options.by.size()), {}});
    }
    scan_input(options, *blocks, callbacks, sides, report);
  }
  if (options.mode != CompareMode::files) order_sides(options, sides);
  return sides;
}

}  // namespace clipset::compare_detail
