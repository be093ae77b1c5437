// What a split came out as: per split, class and fold, items, groups, seconds and the deviation
// from the target ratios; groups too large for a split's share; classes some split lacks.

#include <algorithm>
#include <cmath>

#include "internal.hpp"

namespace clipset::split_detail {

namespace {

constexpr std::size_t kMaxLargeGroups = 50;

struct Sums {
  std::vector<std::size_t> items, groups;
  std::vector<std::int64_t> micros, weight;
  std::vector<std::int64_t> held;  // weight placed by --holdout, outside the ratios
  explicit Sums(std::size_t n) : items(n, 0), groups(n, 0), micros(n, 0), weight(n, 0), held(n, 0) {}
};

double seconds_of(std::int64_t micros) { return static_cast<double>(micros) / 1e6; }

// A part's target share: what the hold-outs put there, plus its ratio of what they leave.
double target_share(const Sums& sums, const std::vector<double>& ratios, std::size_t j, std::int64_t whole) {
  if (whole <= 0) return ratios[j];
  std::int64_t held = 0;
  for (const auto w : sums.held) held += w;
  const double left = static_cast<double>(whole - held);
  return (static_cast<double>(sums.held[j]) + ratios[j] * left) / static_cast<double>(whole);
}

void fill(std::vector<PartTally>& out, const Sums& sums, const std::vector<double>& ratios, std::int64_t whole) {
  out.assign(ratios.size(), PartTally{});
  for (std::size_t j = 0; j < ratios.size(); ++j) {
    auto& t = out[j];
    t.items = sums.items[j];
    t.groups = sums.groups[j];
    t.seconds = seconds_of(sums.micros[j]);
    t.target = target_share(sums, ratios, j, whole);
    t.share = whole > 0 ? static_cast<double>(sums.weight[j]) / static_cast<double>(whole) : 0.0;
    t.deviation = whole > 0 ? t.share - t.target : 0.0;
  }
}

double max_abs(const std::vector<PartTally>& parts) {
  double m = 0;
  for (const auto& p : parts) m = std::max(m, std::fabs(p.deviation));
  return m;
}

// Per-part and per-class tallies of the items with part[i] >= 0; `held_out` (per item, or empty)
// marks items placed outside the ratios.
void tally_parts(const std::vector<int>& part, const std::vector<char>& held_out, const std::vector<double>& ratios,
                 const ItemTable& table, const Groups& groups, const Facts& facts,
                 const std::vector<std::vector<std::uint32_t>>& members, std::vector<PartTally>& parts_out,
                 std::vector<ClassTally>& classes_out) {
  const std::size_t k = ratios.size();
  const std::size_t classes = facts.class_names.size();
  Sums parts(k);
  std::vector<Sums> by_class(classes, Sums(k));
  std::vector<std::size_t> class_groups(classes, 0);
  std::vector<std::int64_t> class_whole(classes, 0);
  std::int64_t whole = 0;
  std::vector<std::pair<int, std::uint32_t>> seen;  // (part, class + 1; 0 for the part itself)
  std::vector<std::uint32_t> seen_classes;
  for (std::size_t g = 0; g < groups.count; ++g) {
    seen.clear();
    seen_classes.clear();
    for (const auto i : members[g]) {
      const int j = part[i];
      if (j < 0) continue;
      const auto p = static_cast<std::size_t>(j);
      const std::int64_t micros = std::max<std::int64_t>(table.micros[i], 0);
      const bool held = !held_out.empty() && held_out[i];
      ++parts.items[p];
      parts.micros[p] += micros;
      parts.weight[p] += facts.weight[i];
      if (held) parts.held[p] += facts.weight[i];
      whole += facts.weight[i];
      seen.emplace_back(j, 0);
      for (auto c = facts.class_begin[i]; c < facts.class_begin[i + 1]; ++c) {
        const auto cls = facts.classes[c];
        auto& s = by_class[cls];
        ++s.items[p];
        s.micros[p] += micros;
        s.weight[p] += facts.weight[i];
        if (held) s.held[p] += facts.weight[i];
        class_whole[cls] += facts.weight[i];
        seen.emplace_back(j, cls + 1);
        seen_classes.push_back(cls);
      }
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (const auto& [j, c] : seen) {
      if (c == 0) ++parts.groups[static_cast<std::size_t>(j)];
      else ++by_class[c - 1].groups[static_cast<std::size_t>(j)];
    }
    std::sort(seen_classes.begin(), seen_classes.end());
    seen_classes.erase(std::unique(seen_classes.begin(), seen_classes.end()), seen_classes.end());
    for (const auto c : seen_classes) ++class_groups[c];
  }
  fill(parts_out, parts, ratios, whole);
  classes_out.clear();
  for (std::size_t c = 0; c < classes; ++c) {
    ClassTally t;
    t.name = facts.class_names[c];
    t.groups = class_groups[c];
    fill(t.parts, by_class[c], ratios, class_whole[c]);
    for (const auto& p : t.parts) {
      t.items += p.items;
      t.seconds += p.seconds;
    }
    t.max_abs_deviation = max_abs(t.parts);
    if (t.items > 0) classes_out.push_back(std::move(t));
  }
}

// Totals over every item: counts, seconds, items without duration or label.
void tally_totals(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts, SplitReport& report) {
  std::int64_t micros = 0;
  for (std::size_t i = 0; i < table.count; ++i) {
    micros += std::max<std::int64_t>(table.micros[i], 0);
    if (table.micros[i] < 0) ++report.items_without_duration;
    if (!options.stratify.empty() && facts.class_begin[i] == facts.class_begin[i + 1]) ++report.unlabelled_items;
  }
  report.items = table.count;
  report.groups = groups.count;
  report.seconds = seconds_of(micros);
}

LargeGroup describe_large_group(std::size_t g, std::int64_t weight, std::int64_t whole, const SplitOptions& options, const ItemTable& table,
                                const Groups& groups, const Assignment& assignment, const std::vector<std::uint32_t>& members) {
  LargeGroup lg;
  lg.key = groups.key[g];
  std::int64_t group_micros = 0;
  for (const auto i : members) {
    ++lg.items;
    group_micros += std::max<std::int64_t>(table.micros[i], 0);
  }
  lg.seconds = seconds_of(group_micros);
  lg.share = whole > 0 ? static_cast<double>(weight) / static_cast<double>(whole) : 0;
  lg.split = options.names[static_cast<std::size_t>(assignment.split[members.front()])];
  for (std::size_t j = 0; j < options.ratios.size(); ++j) {
    if (options.ratios[j] > 0 && static_cast<double>(weight) > options.ratios[j] * static_cast<double>(whole)) {
      lg.larger_than.push_back(options.names[j]);
    }
  }
  return lg;
}

// Groups heavier than a split's whole share, heaviest first.
void tally_large_groups(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
                        const Assignment& assignment, const std::vector<std::vector<std::uint32_t>>& members, SplitReport& report) {
  std::int64_t whole = 0;
  std::vector<std::int64_t> group_weight(groups.count, 0);
  for (std::size_t i = 0; i < table.count; ++i) {
    whole += facts.weight[i];
    group_weight[groups.of_item[i]] += facts.weight[i];
  }
  std::vector<std::size_t> large;
  for (std::size_t g = 0; g < groups.count; ++g) {
    for (const double r : options.ratios) {
      if (r > 0 && static_cast<double>(group_weight[g]) > r * static_cast<double>(whole)) {
        large.push_back(g);
        break;
      }
    }
  }
  std::sort(large.begin(), large.end(), [&](std::size_t a, std::size_t b) {
    return group_weight[a] != group_weight[b] ? group_weight[a] > group_weight[b] : a < b;
  });
  if (large.size() > kMaxLargeGroups) large.resize(kMaxLargeGroups);
  for (const auto g : large) {
    report.large_groups.push_back(describe_large_group(g, group_weight[g], whole, options, table, groups, assignment, members[g]));
  }
}

// Classes a split that takes data has no example of.
void tally_sparse_classes(const SplitOptions& options, SplitReport& report) {
  for (const auto& c : report.classes) {
    SparseClass sparse;
    sparse.name = c.name;
    sparse.groups = c.groups;
    for (std::size_t j = 0; j < c.parts.size(); ++j) {
      if (options.ratios[j] > 0 && c.parts[j].items == 0) sparse.missing_from.push_back(options.names[j]);
    }
    if (!sparse.missing_from.empty()) report.sparse_classes.push_back(std::move(sparse));
  }
}

void tally_folds(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
                 const Assignment& assignment, const std::vector<std::vector<std::uint32_t>>& members, FoldReport& f) {
  f.count = options.folds;
  f.within = options.folds_within;
  const std::vector<int> fold(assignment.fold.begin(), assignment.fold.end());
  const std::vector<double> targets(static_cast<std::size_t>(options.folds), 1.0 / options.folds);
  tally_parts(fold, {}, targets, table, groups, facts, members, f.folds, f.classes);
  f.max_abs_deviation = max_abs(f.folds);
  for (const auto& c : f.classes) f.max_abs_class_deviation = std::max(f.max_abs_class_deviation, c.max_abs_deviation);
}

}  // namespace

void tally(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
           const Assignment& assignment, SplitReport& report) {
  std::vector<std::vector<std::uint32_t>> members(groups.count);
  for (std::uint32_t i = 0; i < table.count; ++i) members[groups.of_item[i]].push_back(i);

  tally_totals(options, table, groups, facts, report);
  const std::vector<int> split(assignment.split.begin(), assignment.split.end());
  tally_parts(split, assignment.held_out, options.ratios, table, groups, facts, members, report.splits, report.classes);
  report.max_abs_deviation = max_abs(report.splits);
  report.max_abs_class_deviation = 0;
  for (const auto& c : report.classes) report.max_abs_class_deviation = std::max(report.max_abs_class_deviation, c.max_abs_deviation);
  tally_large_groups(options, table, groups, facts, assignment, members, report);
  tally_sparse_classes(options, report);
  if (options.folds > 0) tally_folds(options, table, groups, facts, assignment, members, report.folds);
}

}  // namespace clipset::split_detail
