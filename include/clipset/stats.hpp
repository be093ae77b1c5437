#pragma once
// clipset stats: what is in a manifest. Items, groups and seconds per cell of the --by fields,
// per class, a duration histogram, class balance per split, and optionally annotator agreement.
// Streaming: memory grows with the number of distinct cells and groups, not with items.
// The library returns values and text; the app prints them. See docs/stats.md.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipset/agreement.hpp"
#include "clipset/manifest.hpp"
#include "clipset/manifest_blocks.hpp"
#include "clipset/taxonomy.hpp"

namespace clipset {

// Targets while collecting: every class (and every value of the --by fields other than split)
// against a number of items, with a projection from the `meta.recorded_at` dates.
struct QuotaOptions {
  std::size_t each = 0;                        // items each class and value should reach; 0: only `targets`
  std::map<std::string, std::size_t> targets;  // "dog" (a class) or "meta.recorder=anna" -> items
  std::string now;                             // "YYYY-MM-DD" the pace is measured up to; "": the newest date
};

// The days the pace is measured over ("this month"): the four weeks up to the newest date.
inline constexpr std::int64_t kQuotaWindowDays = 28;

// Counts rolled up to the ancestors at one depth of a taxonomy (1: its roots).
struct LabelLevel {
  Taxonomy taxonomy;
  std::size_t level = 1;
};

struct StatsOptions {
  std::vector<std::string> by = {"labels", "split"};  // dotted fields; a list counts each value
  std::size_t min_per_class = 100;                     // classes with fewer items are flagged
  std::optional<AgreementOptions> agreement;           // --agreement
  std::string test_split = "test";                     // the items an accuracy would be measured on
  std::optional<double> accuracy;                      // expected accuracy for the intervals (else 0.5)
  double max_ci = 0.10;                                // classes with a wider half-interval are flagged
  std::optional<QuotaOptions> quota;                   // --quota, --quota-file, --from-curve
  std::optional<LabelLevel> roll_up;                   // --taxonomy with --level: labels and annotations
  std::vector<std::string> open_set_labels{"unknown", "background"};  // classes outside the closed set
  bool strict = false;                                 // a bad line is fatal
  unsigned jobs = 1;                                   // threads parsing lines; never changes the result
};

// The figures of one cell (or of the whole manifest). Seconds only over items with a duration.
struct CellFigures {
  std::size_t items = 0;
  std::size_t groups = 0;
  std::size_t timed = 0;  // items with a duration
  double seconds = 0;
  double min_seconds = 0;
  double max_seconds = 0;
  std::optional<double> mean_seconds() const;
};

struct StatsRow {
  std::vector<std::string> key;  // one value per --by field; "(none)" when the item lacks it
  CellFigures figures;
};

struct ClassRow {
  std::string label;
  CellFigures figures;
  bool under_min = false;
};

// How precisely an accuracy can be measured on the test items of a class (or all of them): the
// half-width of the 95% Wilson interval at the expected accuracy, over items and over groups
// (clips of one recording are not independent: the truth lies between the two).
struct TestPrecision {
  std::string label;  // "" for the whole test set
  std::size_t items = 0, groups = 0;
  std::optional<double> half_width_items, half_width_groups;  // nullopt without items
  bool over_max = false;  // half_width_items > max_ci, or no test items at all
};
struct PrecisionReport {
  std::string test_split;
  bool whole_manifest = false;  // no item is in test_split: the whole manifest is the test set
  double accuracy = 0.5;
  double max_ci = 0.10;
  TestPrecision overall;
  std::vector<TestPrecision> classes;  // as StatsReport::classes, widest interval first
};
// "with 37 test clips of 'siren', accuracy is known to ±15 points"
std::string precision_statement(const TestPrecision& precision, bool whole_manifest);
// One class (field "labels") or value of a --by field against its target.
struct QuotaRow {
  std::string field;
  std::string value;
  std::size_t items = 0;
  double seconds = 0;
  std::size_t target = 0;
  std::size_t recent = 0;  // items dated in the kQuotaWindowDays up to StatsReport::quota_now
  bool dated = false;      // some of its items have a meta.recorded_at date
  std::size_t to_go() const;
  std::optional<double> per_week() const;  // recent items a week; nullopt without dates
  std::optional<double> weeks() const;     // to go at that pace; nullopt when it is 0
};
// "dog 37/100 clips (63 to go; at the last 4 weeks' 12 a week: about 6 weeks)".
std::string quota_sentence(const QuotaRow& row);
// Days since 1970-01-01 of the date a meta.recorded_at starts with ("2026-11-26", "2026-11-26T10:00Z").
std::optional<std::int64_t> quota_day(std::string_view text);
// Targets from a quota file: lines "KEY,TARGET" (KEY a class, or FIELD=VALUE), '#' comments.
// Throws clipset::Error (data) naming "name:line".
std::map<std::string, std::size_t> parse_quota_targets(std::string_view text, const std::string& name);
// Targets per class from learning-curve's JSON answer (target.per_class). Throws clipset::Error
// (data) naming `name` when it holds none.
std::map<std::string, std::size_t> quota_targets_from_curve(const Json& curve, const std::string& name);

struct HistogramBin {
  double from = 0, to = 0;  // seconds; the last bin has to = infinity
  std::size_t items = 0;
};

struct StatsReport {
  std::vector<std::string> by;
  std::size_t min_per_class = 0;
  std::size_t lines_read = 0, bad_lines = 0;
  std::vector<StatsRow> rows;    // sorted by key
  CellFigures total;
  std::vector<ClassRow> classes; // by `labels`, largest first; "(none)" items are not a class
  std::size_t unlabelled = 0;    // items without labels
  std::optional<double> imbalance;  // largest / smallest class, items
  std::map<std::string, std::size_t> missing;  // --by field -> items lacking it
  std::vector<HistogramBin> durations;
  // Class balance per split: split -> label -> items ("(none)" for an item without split).
  std::map<std::string, std::map<std::string, std::size_t>> class_by_split;
  // Items per split ("(none)" for items without split): with multi-label items, fewer than the
  // split's label counts above add up to.
  std::map<std::string, std::size_t> items_by_split;
  // Items per split carrying one of options.open_set_labels (every split of items_by_split).
  std::vector<std::string> open_set_labels;
  std::map<std::string, std::size_t> open_set_by_split;
  // Items per group: bins of group sizes (1, 2, 3-4, 5-8, ...): {label, groups}.
  std::vector<std::pair<std::string, std::size_t>> group_sizes;
  std::optional<AgreementReport> agreement;
  PrecisionReport precision;
  std::optional<std::size_t> taxonomy_level;  // with options.roll_up
  // With options.roll_up: classes the taxonomy does not know (counted under their own names).
  std::map<std::string, std::size_t> outside_taxonomy;
  std::vector<QuotaRow> quotas;    // with options.quota
  std::string quota_now;           // the date the pace is measured up to ("" without dates)
};

struct StatsCallbacks {
  std::function<void(const ManifestProblem&)> problem;  // a bad line, skipped
  std::function<void(std::size_t bytes)> progress;      // bytes read so far
};

// Reads the manifest and aggregates it. Throws clipset::Error (usage) for a --by field no item
// has (when there are items), (data) for a bad line under strict, (io) on a read error.
// Only the fields the report needs are decoded (see stats_fields).
StatsReport compute_stats(const StatsOptions& options, ManifestBlocks& input, const StatsCallbacks& callbacks = {});
StatsReport compute_stats(const StatsOptions& options, std::istream& in, const std::string& name,
                          const StatsCallbacks& callbacks = {});
// The item fields compute_stats reads for these options.
FieldSet stats_fields(const StatsOptions& options);

// Renderings. Table: aligned for a terminal; markdown: GitHub tables; csv: the cells and a total
// row only (RFC 4180 quoting); json: stable keys for scripts; html: one self-contained page.
std::string stats_to_table(const StatsReport& report);
std::string stats_to_markdown(const StatsReport& report);
std::string stats_to_csv(const StatsReport& report);
Json stats_to_json(const StatsReport& report);
std::string stats_to_html(const StatsReport& report, const std::string& title);

}  // namespace clipset
