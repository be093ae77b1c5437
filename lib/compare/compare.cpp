// clipset compare: the sides read, each comparison built field by field, findings attached.

#include <algorithm>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace clipset {

using namespace compare_detail;

namespace {

void check_options(const CompareOptions& options, std::size_t inputs) {
  if (options.by.empty()) throw_option("by", "give at least one field to compare");
  for (const auto& field : options.by) {
    if (field.empty()) throw_option("by", "an empty field name");
  }
  if (options.threshold && !(*options.threshold >= 0 && *options.threshold <= 1)) {
    throw_option("threshold", "a Jensen-Shannon divergence lies between 0 and 1");
  }
  const std::size_t wanted = options.mode == CompareMode::files ? 2 : 1;
  if (inputs != wanted) {
    throw_usage("", options.mode == CompareMode::files
                        ? "two manifests are compared (or one with " + option_ref("between") + " or " + option_ref("period") + ")"
                        : "one manifest is compared with " + option_ref("between") + " or " + option_ref("period"));
  }
  if (options.mode == CompareMode::files) return;
  if (std::find(options.by.begin(), options.by.end(), options.mode == CompareMode::split ? "split" : options.time_field) !=
      options.by.end()) {
    throw_option("by", "the field that makes the sides cannot be compared between them");
  }
}

// A field no item of some side has: a typo, or two manifests of different sheets. Refused for
// two manifests; for splits and periods it is a finding (the comparison shows it).
void check_fields(const CompareOptions& options, const std::vector<Side>& sides) {
  for (std::size_t f = 0; f < options.by.size(); ++f) {
    const bool anywhere = std::any_of(sides.begin(), sides.end(), [&](const Side& s) { return !s.fields[f].empty(); });
    const bool any_items = std::any_of(sides.begin(), sides.end(), [](const Side& s) { return s.items > 0; });
    if (!anywhere && any_items && !is_schema_field(options.by[f])) {
      throw_option("by", options.by[f], "no item has this field (fields are dotted paths, e.g. meta.device)");
    }
    if (options.mode != CompareMode::files) continue;
    for (const auto& side : sides) {
      if (side.items > 0 && side.fields[f].empty()) throw_option("by", options.by[f], "no item of " + side.name + " has this field");
    }
  }
}

// A field is numeric when all its values, on every side, are numbers.
std::vector<bool> numeric_fields(const CompareOptions& options, const std::vector<Side>& sides) {
  std::vector<bool> numeric(options.by.size(), false);
  for (std::size_t f = 0; f < options.by.size(); ++f) {
    bool numbers = false, text = false;
    for (const auto& side : sides) {
      numbers = numbers || !side.fields[f].numbers.empty();
      text = text || !side.fields[f].counts.empty();
    }
    numeric[f] = numbers && !text;
  }
  return numeric;
}

Comparison compare_sides(const CompareOptions& options, const Side& reference, const Side& other, const std::vector<bool>& numeric) {
  Comparison c;
  c.reference = reference.name;
  c.other = other.name;
  c.reference_items = reference.items;
  c.other_items = other.items;
  c.selected_by_reference = reference.selected_by;
  c.selected_by_other = other.selected_by;
  for (std::size_t f = 0; f < options.by.size(); ++f) {
    c.fields.push_back(compare_field(options.by[f], reference.fields[f], other.fields[f], numeric[f], options.threshold));
  }
  c.findings = findings_of(c, options.threshold);
  return c;
}

}  // namespace

bool CompareReport::over_threshold() const {
  for (const auto& c : comparisons) {
    for (const auto& f : c.fields) {
      if (f.over_threshold) return true;
    }
  }
  return false;
}

FieldSet compare_fields(const CompareOptions& options) {
  FieldSet fields = 0;
  if (options.mode == CompareMode::split) fields |= item_fields::split;
  if (options.mode == CompareMode::period) fields |= fields_of_path(options.time_field);
  for (const auto& field : options.by) fields |= fields_of_report_field(field);
  return fields | fields_of_path(kSelectedByField);
}

CompareReport compare_manifests(const CompareOptions& options, const std::vector<ManifestBlocks*>& inputs,
                                const CompareCallbacks& callbacks) {
  check_options(options, inputs.size());
  CompareReport report;
  report.mode = options.mode;
  report.by = options.by;
  report.threshold = options.threshold;
  const std::vector<Side> sides = collect_sides(options, inputs, callbacks, report);
  check_fields(options, sides);
  const std::vector<bool> numeric = numeric_fields(options, sides);
  if (options.mode == CompareMode::period) {
    // Each period against all earlier ones together: drift shows against the history.
    Side history{"", 0, std::vector<FieldTally>(options.by.size()), {}};
    for (std::size_t i = 0; i < sides.size(); ++i) {
      if (i > 0) {
        history.name = i == 1 ? sides[0].name : sides[0].name + ".." + sides[i - 1].name;
        report.comparisons.push_back(compare_sides(options, history, sides[i], numeric));
      }
      history.items += sides[i].items;
      for (std::size_t f = 0; f < options.by.size(); ++f) history.fields[f].merge(sides[i].fields[f]);
      for (const auto& [how, items] : sides[i].selected_by) history.selected_by[how] += items;
    }
  } else {
    for (std::size_t i = 1; i < sides.size(); ++i) report.comparisons.push_back(compare_sides(options, sides[0], sides[i], numeric));
  }
  return report;
}

}  // namespace clipset
