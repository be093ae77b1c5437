#pragma once
// Shared inside the compare module only.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clipset/compare.hpp"
#include "clipset/report_format.hpp"

namespace clipset::compare_detail {

// What an item gives a categorical field it lacks.
inline constexpr const char* kNone = "(none)";

// What one side holds of one field.
struct FieldTally {
  std::map<std::string, double> counts;  // values that are not numbers (each list element once)
  std::vector<double> numbers;           // values that are numbers
  std::size_t missing = 0;               // items without the field
  void merge(const FieldTally& other);
  bool empty() const { return counts.empty() && numbers.empty(); }
};

// A set of items compared as one: a manifest, a split, a period.
struct Side {
  std::string name;
  std::size_t items = 0;
  std::vector<FieldTally> fields;  // one per --by field
  std::map<std::string, std::size_t> selected_by;  // items per meta.selected_by value
};

// The sides read from the inputs, in the order they are compared; items left out (no split, no
// readable time) counted in the report.
std::vector<Side> collect_sides(const CompareOptions& options, const std::vector<ManifestBlocks*>& inputs,
                                const CompareCallbacks& callbacks, CompareReport& report);

// A number as a category name: "16000", "1.5" (exact to 15 digits).
std::string number_text(double value);
// A number for people, 4 significant digits: bin edges and medians ("1.452").
std::string rounded_text(double value);

// One field of two sides compared; `numeric` when every value of the field, on every side, is a number.
FieldComparison compare_field(const std::string& field, const FieldTally& reference, const FieldTally& other, bool numeric,
                              const std::optional<double>& threshold);

// Findings in words for people, the most important first.
std::vector<std::string> findings_of(const Comparison& comparison, const std::optional<double>& threshold);

// Per comparison: a row per field; a field's values side by side (counts and shares).
TextTable summary_table(const Comparison& comparison);
TextTable values_table(const Comparison& comparison, const FieldComparison& field);
// Side-by-side horizontal bars of a field's shares on both sides (HTML report).
std::string svg_paired_bars(const Comparison& comparison, const FieldComparison& field);

// "0.4123", "1.2e-09": p-values and divergences for people.
std::string short_number(double value);
// "30.0%"
std::string percent(double share);

}  // namespace clipset::compare_detail
