// Deciding splits and folds. Both are one "deal": groups (or the pieces of a group that kept
// items already hold in several parts) go to parts with target ratios. Kept items never move,
// held-out groups go to their split first, everything else by the method.

#include <algorithm>
#include <functional>
#include <numeric>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace clipset::split_detail {

namespace {

// Different PRNG streams for splits and folds from one --seed.
constexpr std::uint64_t kFoldSeedSalt = 0x6a09e667f3bcc909ULL;

struct DealSpec {
  std::vector<double> ratios;
  std::vector<char> in_scope;  // per item; empty: every item
  std::vector<int> kept;       // per item: the part it keeps, -1 none
  std::vector<int> preset;     // per group: the part it must go to, -1 none
  bool by_hash = false;
  std::function<int(std::size_t group)> hash_part;
  std::uint64_t seed = 0;
};

struct DealResult {
  std::vector<int> part;  // per item, -1: out of scope
  std::size_t kept_items = 0;
  std::size_t joined = 0;  // items without a kept part that followed their group's kept items
  std::vector<std::pair<std::size_t, std::vector<std::size_t>>> conflicts;  // group, kept items per part
};

// Items of each group, in input order.
std::vector<std::vector<std::uint32_t>> items_by_group(const Groups& groups) {
  std::vector<std::vector<std::uint32_t>> members(groups.count);
  for (std::uint32_t i = 0; i < groups.of_item.size(); ++i) members[groups.of_item[i]].push_back(i);
  return members;
}

DealResult deal(const DealSpec& spec, const Groups& groups, const Facts& facts,
                const std::vector<std::vector<std::uint32_t>>& members) {
  const std::size_t parts = spec.ratios.size();
  const std::size_t classes = facts.class_names.size();
  DealResult result;
  result.part.assign(groups.of_item.size(), -1);

  PartitionProblem problem;
  problem.ratios = spec.ratios;
  problem.class_count = classes;
  std::vector<std::vector<std::uint32_t>> piece_items;  // per problem group
  std::vector<std::size_t> piece_group;
  std::vector<std::int64_t> class_weight(classes, 0);
  std::vector<char> seen(classes, 0);  // a class counts as present even at weight 0 (no duration)
  std::vector<std::uint32_t> touched;

  auto add_piece = [&](std::size_t g, std::vector<std::uint32_t>&& items, int fixed) {
    PartitionGroup piece;
    piece.fixed = fixed;
    touched.clear();
    for (const auto i : items) {
      piece.weight += facts.weight[i];
      for (auto c = facts.class_begin[i]; c < facts.class_begin[i + 1]; ++c) {
        const auto cls = facts.classes[c];
        if (!seen[cls]) {
          seen[cls] = 1;
          touched.push_back(cls);
        }
        class_weight[cls] += facts.weight[i];
      }
    }
    std::sort(touched.begin(), touched.end());
    for (const auto cls : touched) {
      piece.classes.emplace_back(cls, class_weight[cls]);
      class_weight[cls] = 0;
      seen[cls] = 0;
    }
    problem.groups.push_back(std::move(piece));
    piece_items.push_back(std::move(items));
    piece_group.push_back(g);
  };

  std::vector<std::size_t> kept_count(parts);
  for (std::size_t g = 0; g < groups.count; ++g) {
    std::vector<std::uint32_t> items;
    for (const auto i : members[g]) {
      if (spec.in_scope.empty() || spec.in_scope[i]) items.push_back(i);
    }
    if (items.empty()) continue;
    std::fill(kept_count.begin(), kept_count.end(), 0);
    std::size_t kept_here = 0;
    for (const auto i : items) {
      if (!spec.kept.empty() && spec.kept[i] >= 0) {
        ++kept_count[static_cast<std::size_t>(spec.kept[i])];
        ++kept_here;
      }
    }
    if (kept_here == 0) {
      add_piece(g, std::move(items), spec.preset.empty() ? -1 : spec.preset[g]);
      continue;
    }
    // New items join the part holding most of the group's kept items (the first on a tie), so
    // the group stays whole where the input allows it.
    const auto target = static_cast<int>(std::max_element(kept_count.begin(), kept_count.end()) - kept_count.begin());
    result.kept_items += kept_here;
    result.joined += items.size() - kept_here;
    if (std::count_if(kept_count.begin(), kept_count.end(), [](std::size_t n) { return n > 0; }) > 1) {
      result.conflicts.emplace_back(g, kept_count);
    }
    std::vector<std::vector<std::uint32_t>> by_part(parts);
    for (const auto i : items) by_part[static_cast<std::size_t>(spec.kept[i] >= 0 ? spec.kept[i] : target)].push_back(i);
    for (std::size_t p = 0; p < parts; ++p) {
      if (!by_part[p].empty()) add_piece(g, std::move(by_part[p]), static_cast<int>(p));
    }
  }

  std::vector<int> piece_part;
  if (spec.by_hash) {
    piece_part.resize(problem.groups.size());
    for (std::size_t q = 0; q < problem.groups.size(); ++q) {
      piece_part[q] = problem.groups[q].fixed >= 0 ? problem.groups[q].fixed : spec.hash_part(piece_group[q]);
    }
  } else {
    piece_part = balanced_partition(problem, spec.seed);
  }
  for (std::size_t q = 0; q < piece_items.size(); ++q) {
    for (const auto i : piece_items[q]) result.part[i] = piece_part[q];
  }
  return result;
}

std::string join_counts(const std::vector<std::pair<std::string, std::size_t>>& parts) {
  std::string text;
  for (const auto& [name, n] : parts) text += (text.empty() ? "" : ", ") + name + " (" + std::to_string(n) + ")";
  return text;
}

}  // namespace

Assignment assign(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
                  SplitReport& report) {
  const std::size_t n = table.count;
  const auto members = items_by_group(groups);
  Assignment assignment;

  // --- splits
  DealSpec spec;
  spec.ratios = options.ratios;
  spec.seed = options.seed;
  if (options.keep_existing) {
    spec.kept.resize(n);
    for (std::size_t i = 0; i < n; ++i) spec.kept[i] = table.split[i] >= 0 ? table.split[i] : -1;
  }
  // A group goes to the split of the first rule any of its items matches.
  std::vector<int> rule_of_group(groups.count, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const int rule = table.holdout[i];
    int& current = rule_of_group[groups.of_item[i]];
    if (rule >= 0 && (current < 0 || rule < current)) current = rule;
  }
  spec.preset.assign(groups.count, -1);
  for (std::size_t g = 0; g < groups.count; ++g) {
    if (rule_of_group[g] < 0) continue;
    const auto& split = options.holdouts[static_cast<std::size_t>(rule_of_group[g])].split;
    spec.preset[g] = static_cast<int>(std::find(options.names.begin(), options.names.end(), split) - options.names.begin());
  }
  spec.by_hash = options.method == SplitMethod::hash;
  spec.hash_part = [&](std::size_t g) {
    return static_cast<int>(hash_part(hash_percentage(name_hash(groups.hash_name[g])), options.ratios));
  };
  const DealResult splits = deal(spec, groups, facts, members);
  assignment.split.resize(n);
  for (std::size_t i = 0; i < n; ++i) assignment.split[i] = static_cast<std::int16_t>(splits.part[i]);

  report.kept_items = splits.kept_items;
  report.joined_kept_group = splits.joined;
  for (const auto& [g, counts] : splits.conflicts) {
    KeptConflict conflict;
    conflict.group = groups.key[g];
    for (std::size_t p = 0; p < counts.size(); ++p) {
      if (counts[p] > 0) conflict.splits.emplace_back(options.names[p], counts[p]);
    }
    report.kept_conflicts.push_back(std::move(conflict));
  }
  for (std::size_t r = 0; r < options.holdouts.size(); ++r) {
    HoldoutTally tally;
    tally.rule = options.holdouts[r].text;
    tally.matched_items = table.holdout_matches[r];
    for (std::size_t g = 0; g < groups.count; ++g) {
      if (rule_of_group[g] != static_cast<int>(r)) continue;
      ++tally.groups;
      tally.items += members[g].size();
    }
    report.holdouts.push_back(std::move(tally));
  }
  if (!options.keep_existing) {
    for (std::size_t i = 0; i < n; ++i) {
      if (table.split[i] != -1 && table.split[i] != assignment.split[i]) ++report.reassigned_items;
    }
  }

  // --- folds
  assignment.fold.assign(n, -1);
  if (options.folds > 0) {
    const auto k = static_cast<std::size_t>(options.folds);
    DealSpec folds;
    folds.ratios.assign(k, 1.0 / static_cast<double>(k));
    folds.seed = options.seed ^ kFoldSeedSalt;
    if (!options.folds_within.empty()) {
      folds.in_scope.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& name = options.names[static_cast<std::size_t>(assignment.split[i])];
        folds.in_scope[i] = std::find(options.folds_within.begin(), options.folds_within.end(), name) != options.folds_within.end();
      }
    }
    if (options.keep_existing) {
      folds.kept.resize(n);
      for (std::size_t i = 0; i < n; ++i) folds.kept[i] = table.fold[i] >= 0 && table.fold[i] < options.folds ? table.fold[i] : -1;
    }
    folds.by_hash = spec.by_hash;
    // The hash's low bits are spread evenly within every band, so folds stay even inside each split.
    folds.hash_part = [&](std::size_t g) { return static_cast<int>(name_hash(groups.hash_name[g]) % k); };
    const DealResult dealt = deal(folds, groups, facts, members);
    for (std::size_t i = 0; i < n; ++i) assignment.fold[i] = dealt.part[i];
    report.folds.kept_items = dealt.kept_items;
    for (const auto& [g, counts] : dealt.conflicts) {
      KeptConflict conflict;
      conflict.group = groups.key[g];
      for (std::size_t p = 0; p < counts.size(); ++p) {
        if (counts[p] > 0) conflict.splits.emplace_back("fold " + std::to_string(p), counts[p]);
      }
      report.kept_conflicts.push_back(std::move(conflict));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (table.fold[i] != -1 && assignment.fold[i] < 0) ++report.folds_removed;
  }

  if (options.strict && !report.kept_conflicts.empty()) {
    const auto& first = report.kept_conflicts.front();
    throw_data("--strict", std::to_string(report.kept_conflicts.size()) + " group" +
                               (report.kept_conflicts.size() == 1 ? "" : "s") + " already span several parts in the input (" +
                               first.group + ": " + join_counts(first.splits) + "); --keep-existing cannot keep them whole");
  }
  return assignment;
}

}  // namespace clipset::split_detail
