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
#include <vector>

#include "clipset/agreement.hpp"
#include "clipset/manifest.hpp"
#include "clipset/manifest_blocks.hpp"

namespace clipset {

struct StatsOptions {
  std::vector<std::string> by = {"labels", "split"};  // dotted fields; a list counts each value
  std::size_t min_per_class = 100;                     // classes with fewer items are flagged
  std::optional<AgreementOptions> agreement;           // --agreement
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
  // Items per group: bins of group sizes (1, 2, 3-4, 5-8, ...): {label, groups}.
  std::vector<std::pair<std::string, std::size_t>> group_sizes;
  std::optional<AgreementReport> agreement;
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
