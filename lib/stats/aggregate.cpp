// Streaming aggregation for clipset stats: one pass over the manifest, memory per distinct cell,
// class and group (see KeyCounter), never per item.

#include <algorithm>
#include <cmath>
#include <functional>
#include <istream>
#include <unordered_map>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "internal.hpp"

namespace clipset {

using namespace stats_detail;

namespace {

struct Cell {
  CellFigures figures;
  KeyCounter groups;
};

void add_seconds(CellFigures& f, const std::optional<double>& seconds) {
  ++f.items;
  if (!seconds) return;
  f.min_seconds = f.timed == 0 ? *seconds : std::min(f.min_seconds, *seconds);
  f.max_seconds = f.timed == 0 ? *seconds : std::max(f.max_seconds, *seconds);
  f.seconds += *seconds;
  ++f.timed;
}

// Histogram bins: half-octaves from 2^-10 s (1 ms) to 2^24 s, a first bin from 0.
constexpr int kLowExponent = -20, kHighExponent = 48;  // in half-octaves
std::size_t duration_bin(double seconds) {
  if (seconds < std::exp2(kLowExponent / 2.0)) return 0;
  const int k = static_cast<int>(std::floor(2.0 * std::log2(seconds)));
  return static_cast<std::size_t>(std::clamp(k, kLowExponent, kHighExponent) - kLowExponent + 1);
}
double bin_start(std::size_t bin) { return bin == 0 ? 0.0 : std::exp2((static_cast<int>(bin) - 1 + kLowExponent) / 2.0); }

class Aggregator {
 public:
  explicit Aggregator(const StatsOptions& options) : options_(options), values_(options.by.size()) {
    for (const auto& field : options.by) {
      if (field.empty()) throw_option("by", "an empty field name");
    }
    durations_.assign(static_cast<std::size_t>(kHighExponent - kLowExponent + 2), 0);
    if (options.agreement) agreement_.emplace(*options.agreement);
    check_precision_options(options);
    if (options.quota) quota_.emplace(*options.quota);
  }

  void add(const Item& item) {
    ++items_;
    std::optional<double> seconds;
    if (item.duration && std::isfinite(*item.duration) && *item.duration >= 0) seconds = *item.duration;
    const std::uint64_t group = std::hash<std::string>{}(group_key(item).text());
    add_seconds(total_.figures, seconds);
    total_.groups.add(group);
    if (seconds) ++durations_[duration_bin(*seconds)];

    // Classes: each distinct label of the item.
    ItemFieldFinder finder(item);
    item_field_keys(item, finder, "labels", labels_);
    if (labels_.empty()) ++unlabelled_;
    for (const auto& label : labels_) {
      Cell& c = classes_[label];
      add_seconds(c.figures, seconds);
      c.groups.add(group);
    }
    if (item.split && *item.split == options_.test_split) {
      add_seconds(test_total_.figures, seconds);
      test_total_.groups.add(group);
      for (const auto& label : labels_) {
        Cell& c = test_classes_[label];
        add_seconds(c.figures, seconds);
        c.groups.add(group);
      }
    }
    const std::string& split_name = item.split ? *item.split : kNone;
    ++items_by_split_[split_name];
    const bool open = std::any_of(labels_.begin(), labels_.end(), [&](const std::string& label) {
      return std::find(options_.open_set_labels.begin(), options_.open_set_labels.end(), label) != options_.open_set_labels.end();
    });
    open_set_by_split_[split_name] += open ? 1 : 0;
    auto& per_split = class_by_split_[split_name];
    if (labels_.empty()) ++per_split[kNone];
    for (const auto& label : labels_) ++per_split[label];

    // Cells: the cross product of the --by fields' values.
    for (std::size_t f = 0; f < options_.by.size(); ++f) {
      auto& keys = values_[f];
      const std::string& field = options_.by[f];
      item_field_keys(item, finder, field, keys);
      if (keys.empty()) {
        ++missing_[field];
        keys.emplace_back(kNone);
      }
    }
    add_cells(0, std::string(), seconds, group);
    if (agreement_) agreement_->add(item);
    if (quota_) add_quota(item, seconds);
  }

  StatsReport finish(std::size_t lines, std::size_t bad) {
    StatsReport r;
    r.by = options_.by;
    r.min_per_class = options_.min_per_class;
    r.lines_read = lines;
    r.bad_lines = bad;
    r.total = figures_of(total_);
    for (auto& [key, cell] : cells_) {
      StatsRow row;
      std::size_t begin = 0;
      for (std::size_t f = 0; f < options_.by.size(); ++f) {
        const auto end = key.find('\x1f', begin);
        row.key.push_back(key.substr(begin, end - begin));
        begin = end + 1;
      }
      row.figures = figures_of(cell);
      r.rows.push_back(std::move(row));
    }
    std::sort(r.rows.begin(), r.rows.end(), [](const StatsRow& a, const StatsRow& b) { return a.key < b.key; });
    for (auto& [label, cell] : classes_) r.classes.push_back(ClassRow{label, figures_of(cell), cell.figures.items < options_.min_per_class});
    if (options_.roll_up) {
      r.taxonomy_level = options_.roll_up->level;
      for (auto& [label, cell] : classes_)
        if (!options_.roll_up->taxonomy.find(label)) r.outside_taxonomy[label] = cell.figures.items;
    }
    std::stable_sort(r.classes.begin(), r.classes.end(),
                     [](const ClassRow& a, const ClassRow& b) { return a.figures.items > b.figures.items; });
    if (!r.classes.empty()) {
      r.imbalance = static_cast<double>(r.classes.front().figures.items) / static_cast<double>(r.classes.back().figures.items);
    }
    r.unlabelled = unlabelled_;
    for (const auto& field : options_.by) r.missing[field] = missing_.count(field) ? missing_.at(field) : 0;
    r.durations = histogram();
    r.class_by_split = class_by_split_;
    r.items_by_split = items_by_split_;
    r.open_set_labels = options_.open_set_labels;
    r.open_set_by_split = open_set_by_split_;
    r.group_sizes = group_sizes();
    if (agreement_) r.agreement = agreement_->finish();
    r.precision = precision();
    if (quota_) {
      std::optional<std::int64_t> now;
      r.quotas = quota_->finish(options_.by, now);
      if (now) r.quota_now = quota_date_text(*now);
    }
    if (items_ > 0) {
      for (const auto& field : options_.by) {
        if (r.missing[field] == items_ && !is_schema_field(field)) {
          throw_option("by", field, "no item has this field (fields are dotted paths, e.g. meta.recorder)");
        }
      }
    }
    return r;
  }

 private:
  // The item counts for its classes and its values of the --by fields (split is no collection
  // target), dated by meta.recorded_at.
  void add_quota(const Item& item, std::optional<double> seconds) {
    std::optional<std::int64_t> day;
    if (const auto it = item.meta.find("recorded_at"); it != item.meta.end() && it->is_string()) day = quota_day(it->get<std::string>());
    for (const auto& label : labels_) quota_->add("labels", label, seconds, day);
    for (std::size_t f = 0; f < options_.by.size(); ++f) {
      if (options_.by[f] == "labels" || options_.by[f] == "split") continue;
      for (const auto& value : values_[f])
        if (value != kNone) quota_->add(options_.by[f], value, seconds, day);
    }
  }

  void add_cells(std::size_t field, const std::string& prefix, const std::optional<double>& seconds, std::uint64_t group) {
    if (field == values_.size()) {
      Cell& c = cells_[prefix];
      add_seconds(c.figures, seconds);
      c.groups.add(group);
      return;
    }
    for (const auto& value : values_[field]) {
      add_cells(field + 1, prefix + value + '\x1f', seconds, group);
    }
  }

  // Over the test split's items, or over all items when no item is in it.
  PrecisionReport precision() {
    const bool whole = test_total_.figures.items == 0;
    std::vector<std::pair<std::string, CellFigures>> classes;
    for (auto& [label, cell] : classes_) {
      const auto test = test_classes_.find(label);
      classes.emplace_back(label, whole ? figures_of(cell) : test == test_classes_.end() ? CellFigures{} : figures_of(test->second));
    }
    return precision_report(options_, whole ? figures_of(total_) : figures_of(test_total_), classes, whole);
  }

  static CellFigures figures_of(Cell& cell) {
    CellFigures f = cell.figures;
    f.groups = cell.groups.distinct();
    return f;
  }

  std::vector<HistogramBin> histogram() const {
    std::vector<HistogramBin> bins;
    std::size_t first = durations_.size(), last = 0;
    for (std::size_t b = 0; b < durations_.size(); ++b) {
      if (durations_[b] == 0) continue;
      first = std::min(first, b);
      last = b;
    }
    for (std::size_t b = first; b <= last && first < durations_.size(); ++b) {
      const double to = b + 1 == durations_.size() ? INFINITY : bin_start(b + 1);
      bins.push_back(HistogramBin{bin_start(b), to, durations_[b]});
    }
    return bins;
  }

  std::vector<std::pair<std::string, std::size_t>> group_sizes() {
    // Bins 1, 2, 3-4, 5-8, ...: group sizes span orders of magnitude.
    std::vector<std::size_t> counts;
    for (const auto& [key, n] : total_.groups.counts()) {
      std::size_t bin = 0;
      while ((std::size_t{1} << bin) < n) ++bin;
      if (counts.size() <= bin) counts.resize(bin + 1, 0);
      ++counts[bin];
    }
    std::vector<std::pair<std::string, std::size_t>> out;
    for (std::size_t bin = 0; bin < counts.size(); ++bin) {
      const std::size_t hi = std::size_t{1} << bin, lo = bin == 0 ? 1 : (hi >> 1) + 1;
      out.emplace_back(lo == hi ? std::to_string(hi) : std::to_string(lo) + "-" + std::to_string(hi), counts[bin]);
    }
    return out;
  }

  const StatsOptions& options_;
  std::size_t items_ = 0, unlabelled_ = 0;
  Cell total_;
  std::unordered_map<std::string, Cell> cells_;
  std::map<std::string, Cell> classes_;
  Cell test_total_;
  std::map<std::string, Cell> test_classes_;
  std::map<std::string, std::map<std::string, std::size_t>> class_by_split_;
  std::map<std::string, std::size_t> items_by_split_;
  std::map<std::string, std::size_t> open_set_by_split_;
  std::map<std::string, std::size_t> missing_;
  std::vector<std::size_t> durations_;
  std::vector<std::vector<std::string>> values_;
  std::vector<std::string> labels_;
  std::optional<AgreementAccumulator> agreement_;
  std::optional<QuotaTally> quota_;
};

// Items' labels and annotation labels replaced by their ancestors at the level (each once),
// one distinct label worked out once.
class LabelRoller {
 public:
  explicit LabelRoller(const LabelLevel& level) : rollup_(level.taxonomy, level.level) {}
  void roll_up(Item& item) {
    std::vector<std::string> labels;
    for (const auto& label : item.labels) {
      for (const auto& name : names(label)) {
        if (std::find(labels.begin(), labels.end(), name) == labels.end()) labels.push_back(name);
      }
    }
    item.labels = std::move(labels);
    // An annotation is one event with one label: it takes the first ancestor (the one of several
    // parents listed first in the taxonomy), so that agreement still compares one label per event.
    for (auto& a : item.annotations) a.label = names(a.label).front();
  }

 private:
  const std::vector<std::string>& names(const std::string& label) {
    auto it = memo_.find(label);
    if (it == memo_.end()) it = memo_.emplace(label, rollup_.roll_up(label)).first;
    return it->second;
  }
  TaxonomyRollup rollup_;
  std::unordered_map<std::string, std::vector<std::string>> memo_;
};

}  // namespace

std::optional<double> CellFigures::mean_seconds() const {
  if (timed == 0) return std::nullopt;
  return seconds / static_cast<double>(timed);
}

FieldSet stats_fields(const StatsOptions& options) {
  if (options.agreement) return item_fields::all;  // tracks read annotations, lengths, rates
  FieldSet fields = item_fields::duration | item_fields::labels | item_fields::split | item_fields::group_key;
  for (const auto& field : options.by) fields |= fields_of_report_field(field);
  if (options.quota) fields |= item_fields::meta;  // meta.recorded_at dates the pace
  return fields;
}

StatsReport compute_stats(const StatsOptions& options, ManifestBlocks& input, const StatsCallbacks& callbacks) {
  Aggregator aggregator(options);
  std::optional<LabelRoller> roller;
  if (options.roll_up) roller.emplace(*options.roll_up);
  ManifestScanOptions scan;
  scan.fields = stats_fields(options);
  scan.jobs = options.jobs;
  scan.strict = options.strict;
  // Lines are decoded on `jobs` threads and aggregated here in input order: the result is the
  // same whatever --jobs is.
  const auto counts = scan_manifest(
      input, scan, [](Item&& item, std::string_view) { return std::move(item); },
      [&](Item&& item) {
        // On this thread, in input order: the memo of rolled-up labels needs no lock.
        if (roller) roller->roll_up(item);
        aggregator.add(item);
      },
      callbacks.problem, callbacks.progress);
  return aggregator.finish(counts.lines, counts.bad_lines);
}

StatsReport compute_stats(const StatsOptions& options, std::istream& in, const std::string& name,
                          const StatsCallbacks& callbacks) {
  ManifestBlocks input(in, name);
  return compute_stats(options, input, callbacks);
}

}  // namespace clipset
