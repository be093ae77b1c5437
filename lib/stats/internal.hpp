#pragma once
// Shared inside the stats module only.

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "clipset/agreement.hpp"
#include "clipset/report_format.hpp"
#include "clipset/stats.hpp"

namespace clipset::stats_detail {

// What an item gives a cell when it lacks a --by field, or has no labels.
inline constexpr const char* kNone = "(none)";

// One annotator's labelling of one recording (one pass).
struct Track {
  std::string annotator;  // "(unnamed)" for an unattributed track
  int pass = 1;
  std::vector<Event> events;  // clipped to the recording
  std::vector<std::string> saliences;  // per event: fg, bg or kNone
};

// An item's annotations as tracks, ordered by annotator then pass; annotations outside
// [0, length] are clipped and described in `outside`.
struct ItemTracks {
  double length = 0;  // seconds: the duration, or the last annotation end without one
  std::vector<Track> tracks;
  std::vector<std::string> outside;
};
ItemTracks tracks_of(const Item& item);

// The labels covering each grid frame (by its midpoint), as a bit set over `labels`.
struct FrameLabels {
  std::vector<std::string> labels;  // sorted, at most 64
  std::vector<std::uint64_t> masks; // one per frame
};
std::vector<std::string> labels_of(const std::vector<const Track*>& tracks);
FrameLabels frame_labels(const Track& track, const std::vector<std::string>& labels, double grid, std::size_t frames);
std::size_t frame_count(double length, double grid);

// Interns category names ("dog", "dog+siren", "(none)") as small integers.
class Categories {
 public:
  std::size_t id(const std::string& name);
  const std::string& name(std::size_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::map<std::string, std::size_t> ids_;
  std::vector<std::string> names_;
};

// "dog+siren" from the labels in a mask; "(none)" for an empty mask.
std::string category_of(std::uint64_t mask, const std::vector<std::string>& labels);

// Counts items per key (a 64-bit hash of a group name) in a sorted vector, compacted in batches:
// 16 bytes per distinct key, whatever the number of items. Runs of one key (items of a group
// usually follow each other) cost one entry.
class KeyCounter {
 public:
  void add(std::uint64_t key);
  std::size_t distinct();
  const std::vector<std::pair<std::uint64_t, std::uint32_t>>& counts();

 private:
  void compact();
  std::vector<std::pair<std::uint64_t, std::uint32_t>> counts_;   // sorted, unique keys
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pending_;  // not yet merged
};

// Test-set precision (precision.cpp): the options checked, and the report from the figures of
// the test set and of each class in it.
void check_precision_options(const StatsOptions& options);
PrecisionReport precision_report(const StatsOptions& options, const CellFigures& overall,
                                 const std::vector<std::pair<std::string, CellFigures>>& classes, bool whole_manifest);

// Items, seconds and dates per (field, value) for the quota rows.
class QuotaTally {
 public:
  explicit QuotaTally(QuotaOptions options) : options_(std::move(options)) {}
  void add(const std::string& field, const std::string& value, std::optional<double> seconds, std::optional<std::int64_t> day);
  // The rows of every key with a target, classes first, then by `fields` order and value; `now`
  // gets the day the pace was measured up to.
  std::vector<QuotaRow> finish(const std::vector<std::string>& fields, std::optional<std::int64_t>& now);

 private:
  struct Tally {
    std::size_t items = 0;
    double seconds = 0;
    std::map<std::int64_t, std::size_t> days;  // items per recorded_at day
  };
  std::optional<std::size_t> target_of(const std::string& field, const std::string& value) const;
  QuotaOptions options_;
  std::map<std::pair<std::string, std::string>, Tally> tallies_;
  std::optional<std::int64_t> newest_;
};

// "2026-11-26" for a day count of quota_day.
std::string quota_date_text(std::int64_t day);
// The quota rows as a table (no table without quotas).
std::optional<TextTable> quota_table(const StatsReport& report);

// The report as tables, in reading order: cells, classes, test-set precision, agreement, quotas.
std::vector<TextTable> report_tables(const StatsReport& report);

// Inline SVG charts for the HTML report, drawn with the shapes of clipset/report_format.hpp.
// One horizontal bar per row, stacked by series (class balance per split).
// One bar per row, a segment per series; each bar ends with its total, and with the row's item
// count where `items` gives one that differs (multi-label items count once per label).
std::string svg_stacked_bars(const std::map<std::string, std::map<std::string, std::size_t>>& rows,
                             const std::map<std::string, std::size_t>& items);
// Vertical bars with a label under each (duration histogram, items per group).
std::string svg_columns(const std::vector<std::pair<std::string, std::size_t>>& columns, const std::string& x_title);
// A square matrix of values in [-1, 1] (nullopt: blank), coloured and printed (agreement).
std::string svg_matrix(const std::vector<std::string>& names, const std::vector<std::vector<std::optional<double>>>& values);

}  // namespace clipset::stats_detail
