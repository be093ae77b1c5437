#pragma once
// clipset compare: do two sets of items look alike? The distributions of chosen fields compared
// between two manifests, between the splits of one, or between periods of `meta.recorded_at`:
// Jensen–Shannon divergence for every field, a chi-square test of homogeneity for categorical
// fields, a two-sample Kolmogorov–Smirnov test for numeric ones, values seen on one side only,
// and findings in words. Memory: a count per distinct value per side; numeric fields keep their
// values (8 bytes per item and field). See docs/compare.md.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clipset/manifest.hpp"
#include "clipset/manifest_blocks.hpp"
#include "clipset/statistics.hpp"

namespace clipset {

// What is compared with what.
enum class CompareMode {
  files,   // the second manifest against the first
  split,   // each split against the largest one
  period,  // each period against all earlier ones together
};
enum class ComparePeriod { day, week, month };
// "day", "week", "month"; throws clipset::Error (usage) naming the option `period` otherwise.
ComparePeriod parse_compare_period(const std::string& text);
// The period holding an ISO 8601 date or date-time ("2026-03-04T10:00:00Z"): "2026-03-04",
// ISO week "2026-W10", "2026-03"; nullopt when the text does not start with a valid date.
std::optional<std::string> period_of(const std::string& timestamp, ComparePeriod period);

struct CompareOptions {
  std::vector<std::string> by;              // dotted fields, at least one
  CompareMode mode = CompareMode::files;
  ComparePeriod period = ComparePeriod::month;
  std::string time_field = "meta.recorded_at";  // what periods are read from
  std::optional<double> threshold;          // a JS divergence above it is a finding (exit 1)
  bool strict = false;                      // a bad line is fatal
  unsigned jobs = 1;                        // threads parsing lines; never changes the result
};

// One value of a field and how often each side has it.
struct ValueCounts {
  std::string value;
  double reference = 0, other = 0;
};

struct FieldComparison {
  std::string field;
  bool numeric = false;              // every value a number: KS, and JS over bins of the values
  std::vector<ValueCounts> values;   // categories (numeric: distinct values or bins), in order
  std::size_t missing_reference = 0, missing_other = 0;  // items without the field
  std::optional<double> js;          // base 2
  std::optional<ChiSquare> chi_square;  // categorical fields
  std::optional<KsTest> ks;          // numeric fields
  std::optional<double> median_reference, median_other;  // numeric fields
  std::vector<std::string> only_reference, only_other;   // categorical values one side never has
  bool over_threshold = false;
};

// How items were chosen (docs/manifest.md): random, model (picked by a model, as in active
// learning), manual. compare reports it per side whatever --by says.
inline constexpr const char* kSelectedByField = "meta.selected_by";

struct Comparison {
  std::string reference, other;  // side names: file names, splits, periods ("2026-01..2026-02")
  std::size_t reference_items = 0, other_items = 0;
  // Items per meta.selected_by value on each side (items without it are not counted).
  std::map<std::string, std::size_t> selected_by_reference, selected_by_other;
  std::vector<FieldComparison> fields;
  std::vector<std::string> findings;  // sentences for people, the most important first
};

struct CompareReport {
  CompareMode mode = CompareMode::files;
  std::vector<std::string> by;
  std::optional<double> threshold;
  std::vector<std::string> inputs;
  std::size_t lines_read = 0, bad_lines = 0;
  std::size_t left_out = 0;                 // items without a split or a readable time
  std::vector<std::string> left_out_examples;  // "id: reason", the first few
  std::vector<Comparison> comparisons;
  bool over_threshold() const;
};

struct CompareCallbacks {
  std::function<void(const ManifestProblem&)> problem;  // a bad line, skipped
  std::function<void(std::size_t bytes)> progress;      // bytes read so far, per input
};

// Reads the inputs (two for CompareMode::files, one otherwise) and compares them. Throws
// clipset::Error (usage) for a bad option, a field that no item of a side has, or one input
// where two are needed; (data) for a bad line under strict; (io) on a read error.
CompareReport compare_manifests(const CompareOptions& options, const std::vector<ManifestBlocks*>& inputs,
                                const CompareCallbacks& callbacks = {});
// The item fields compare reads for these options.
FieldSet compare_fields(const CompareOptions& options);

std::string compare_to_table(const CompareReport& report);
Json compare_to_json(const CompareReport& report);
std::string compare_to_html(const CompareReport& report, const std::string& title);

}  // namespace clipset
