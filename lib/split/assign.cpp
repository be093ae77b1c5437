// Deciding splits and folds. Both are one "deal": groups (or the pieces of a group that kept
// items already hold in several parts) go to parts with target ratios. Kept items never move,
// held-out groups go to their split outside the deal (the ratios apply to what they leave),
// everything else by the method.

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
  std::vector<char> preset_items;  // per item: went to its preset part outside the deal
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

// The partition problem being built: groups, or the pieces of a group that kept items hold in
// several parts, each with its weight per class.
class PieceList {
 public:
  PieceList(const std::vector<double>& ratios, const Facts& facts)
      : facts_(facts), class_weight_(facts.class_names.size(), 0), seen_(facts.class_names.size(), 0) {
    problem.ratios = ratios;
    problem.class_count = facts.class_names.size();
  }

  void add(std::size_t g, std::vector<std::uint32_t>&& members, int fixed) {
    PartitionGroup piece;
    piece.fixed = fixed;
    touched_.clear();
    for (const auto i : members) {
      piece.weight += facts_.weight[i];
      for (auto c = facts_.class_begin[i]; c < facts_.class_begin[i + 1]; ++c) {
        const auto cls = facts_.classes[c];
        if (!seen_[cls]) {
          seen_[cls] = 1;
          touched_.push_back(cls);
        }
        class_weight_[cls] += facts_.weight[i];
      }
    }
    std::sort(touched_.begin(), touched_.end());
    for (const auto cls : touched_) {
      piece.classes.emplace_back(cls, class_weight_[cls]);
      class_weight_[cls] = 0;
      seen_[cls] = 0;
    }
    problem.groups.push_back(std::move(piece));
    items.push_back(std::move(members));
    group.push_back(g);
  }

  PartitionProblem problem;
  std::vector<std::vector<std::uint32_t>> items;  // per problem group
  std::vector<std::size_t> group;                 // per problem group: the group it comes from

 private:
  const Facts& facts_;
  std::vector<std::int64_t> class_weight_;
  std::vector<char> seen_;  // a class counts as present even at weight 0 (no duration)
  std::vector<std::uint32_t> touched_;
};

// Adds group g's items in scope: one piece, or with kept items one fixed piece per part they are
// kept in. `kept_count` is scratch space, one entry per part.
void add_group(const DealSpec& spec, std::size_t g, const std::vector<std::uint32_t>& members, PieceList& pieces,
               std::vector<std::size_t>& kept_count, DealResult& result) {
  std::vector<std::uint32_t> items;
  for (const auto i : members) {
    if (spec.in_scope.empty() || spec.in_scope[i]) items.push_back(i);
  }
  if (items.empty()) return;
  std::fill(kept_count.begin(), kept_count.end(), 0);
  std::size_t kept_here = 0;
  for (const auto i : items) {
    if (!spec.kept.empty() && spec.kept[i] >= 0) {
      ++kept_count[static_cast<std::size_t>(spec.kept[i])];
      ++kept_here;
    }
  }
  if (kept_here == 0) {
    const int preset = spec.preset.empty() ? -1 : spec.preset[g];
    // A held-out group goes to its split outside the deal: the ratios apply to what the
    // hold-outs leave, so a large hold-out does not starve the other splits.
    if (preset >= 0) {
      for (const auto i : items) {
        result.part[i] = preset;
        result.preset_items[i] = 1;
      }
      return;
    }
    pieces.add(g, std::move(items), -1);
    return;
  }
  // New items join the part holding most of the group's kept items (the first on a tie), so
  // the group stays whole where the input allows it.
  const auto target = static_cast<int>(std::max_element(kept_count.begin(), kept_count.end()) - kept_count.begin());
  result.kept_items += kept_here;
  result.joined += items.size() - kept_here;
  if (std::count_if(kept_count.begin(), kept_count.end(), [](std::size_t n) { return n > 0; }) > 1) {
    result.conflicts.emplace_back(g, kept_count);
  }
  std::vector<std::vector<std::uint32_t>> by_part(kept_count.size());
  for (const auto i : items) by_part[static_cast<std::size_t>(spec.kept[i] >= 0 ? spec.kept[i] : target)].push_back(i);
  for (std::size_t p = 0; p < by_part.size(); ++p) {
    if (!by_part[p].empty()) pieces.add(g, std::move(by_part[p]), static_cast<int>(p));
  }
}

// Each piece's part: by the hash of its group, or by the balanced method.
std::vector<int> place_pieces(const DealSpec& spec, const PieceList& pieces) {
  if (!spec.by_hash) return balanced_partition(pieces.problem, spec.seed);
  std::vector<int> piece_part(pieces.problem.groups.size());
  for (std::size_t q = 0; q < pieces.problem.groups.size(); ++q) {
    const int fixed = pieces.problem.groups[q].fixed;
    piece_part[q] = fixed >= 0 ? fixed : spec.hash_part(pieces.group[q]);
  }
  return piece_part;
}

DealResult deal(const DealSpec& spec, const Groups& groups, const Facts& facts,
                const std::vector<std::vector<std::uint32_t>>& members) {
  DealResult result;
  result.part.assign(groups.of_item.size(), -1);
  result.preset_items.assign(groups.of_item.size(), 0);
  PieceList pieces(spec.ratios, facts);
  std::vector<std::size_t> kept_count(spec.ratios.size());
  for (std::size_t g = 0; g < groups.count; ++g) add_group(spec, g, members[g], pieces, kept_count, result);
  const std::vector<int> piece_part = place_pieces(spec, pieces);
  for (std::size_t q = 0; q < pieces.items.size(); ++q) {
    for (const auto i : pieces.items[q]) result.part[i] = piece_part[q];
  }
  return result;
}

std::string join_counts(const std::vector<std::pair<std::string, std::size_t>>& parts) {
  std::string text;
  for (const auto& [name, n] : parts) text += (text.empty() ? "" : ", ") + name + " (" + std::to_string(n) + ")";
  return text;
}

// Per group: the first --holdout rule any of its items matches, -1 none.
std::vector<int> holdout_rule_of_groups(const ItemTable& table, const Groups& groups) {
  std::vector<int> rule_of_group(groups.count, -1);
  for (std::size_t i = 0; i < table.count; ++i) {
    const int rule = table.holdout[i];
    int& current = rule_of_group[groups.of_item[i]];
    if (rule >= 0 && (current < 0 || rule < current)) current = rule;
  }
  return rule_of_group;
}

// The deal of splits: kept splits (--keep-existing), held-out groups preset to their rule's split.
DealSpec split_spec(const SplitOptions& options, const ItemTable& table, const Groups& groups,
                    const std::vector<int>& rule_of_group) {
  const std::size_t n = table.count;
  DealSpec spec;
  spec.ratios = options.ratios;
  spec.seed = options.seed;
  if (options.keep_existing) {
    spec.kept.resize(n);
    for (std::size_t i = 0; i < n; ++i) spec.kept[i] = table.split[i] >= 0 ? table.split[i] : -1;
  }
  spec.preset.assign(groups.count, -1);
  for (std::size_t g = 0; g < groups.count; ++g) {
    if (rule_of_group[g] < 0) continue;
    const auto& split = options.holdouts[static_cast<std::size_t>(rule_of_group[g])].split;
    spec.preset[g] = static_cast<int>(std::find(options.names.begin(), options.names.end(), split) - options.names.begin());
  }
  spec.by_hash = options.method == SplitMethod::hash;
  spec.hash_part = [&options, &groups](std::size_t g) {
    return static_cast<int>(hash_part(hash_percentage(name_hash(groups.hash_name[g])), options.ratios));
  };
  return spec;
}

// The deal of folds, among the items in --folds-within splits (all without it).
DealSpec fold_spec(const SplitOptions& options, const ItemTable& table, const Groups& groups,
                   const Assignment& assignment) {
  const std::size_t n = table.count;
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
  folds.by_hash = options.method == SplitMethod::hash;
  // The hash's low bits are spread evenly within every band, so folds stay even inside each split.
  folds.hash_part = [&groups, k](std::size_t g) { return static_cast<int>(name_hash(groups.hash_name[g]) % k); };
  return folds;
}

// Groups whose kept items already span several parts, named as `part_name` names the parts.
void report_conflicts(const DealResult& dealt, const Groups& groups,
                      const std::function<std::string(std::size_t)>& part_name, SplitReport& report) {
  for (const auto& [g, counts] : dealt.conflicts) {
    KeptConflict conflict;
    conflict.group = groups.key[g];
    for (std::size_t p = 0; p < counts.size(); ++p) {
      if (counts[p] > 0) conflict.splits.emplace_back(part_name(p), counts[p]);
    }
    report.kept_conflicts.push_back(std::move(conflict));
  }
}

void report_holdouts(const SplitOptions& options, const ItemTable& table, const Groups& groups,
                     const std::vector<std::vector<std::uint32_t>>& members, const std::vector<int>& rule_of_group,
                     SplitReport& report) {
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
}

// Every item's split, and what the report says about kept items, hold-outs and moved items.
void assign_splits(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
                   const std::vector<std::vector<std::uint32_t>>& members, Assignment& assignment, SplitReport& report) {
  const std::size_t n = table.count;
  const std::vector<int> rule_of_group = holdout_rule_of_groups(table, groups);
  const DealResult splits = deal(split_spec(options, table, groups, rule_of_group), groups, facts, members);
  assignment.split.resize(n);
  for (std::size_t i = 0; i < n; ++i) assignment.split[i] = static_cast<std::int16_t>(splits.part[i]);
  assignment.held_out = splits.preset_items;

  report.kept_items = splits.kept_items;
  report.joined_kept_group = splits.joined;
  report_conflicts(splits, groups, [&options](std::size_t p) { return options.names[p]; }, report);
  report_holdouts(options, table, groups, members, rule_of_group, report);
  if (!options.keep_existing) {
    for (std::size_t i = 0; i < n; ++i) {
      if (table.split[i] != -1 && table.split[i] != assignment.split[i]) ++report.reassigned_items;
    }
  }
}

// Every item's fold (-1 without --folds or outside --folds-within); earlier folds dropped counted.
void assign_folds(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
                  const std::vector<std::vector<std::uint32_t>>& members, Assignment& assignment, SplitReport& report) {
  const std::size_t n = table.count;
  assignment.fold.assign(n, -1);
  if (options.folds > 0) {
    const DealResult dealt = deal(fold_spec(options, table, groups, assignment), groups, facts, members);
    for (std::size_t i = 0; i < n; ++i) assignment.fold[i] = dealt.part[i];
    report.folds.kept_items = dealt.kept_items;
    report_conflicts(dealt, groups, [](std::size_t p) { return "fold " + std::to_string(p); }, report);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (table.fold[i] != -1 && assignment.fold[i] < 0) ++report.folds_removed;
  }
}

}  // namespace

Assignment assign(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
                  SplitReport& report) {
  const auto members = items_by_group(groups);
  Assignment assignment;
  assign_splits(options, table, groups, facts, members, assignment, report);
  assign_folds(options, table, groups, facts, members, assignment, report);

  if (options.strict && !report.kept_conflicts.empty()) {
    const auto& first = report.kept_conflicts.front();
    throw_data("{{strict}}", std::to_string(report.kept_conflicts.size()) + " group" +
                               (report.kept_conflicts.size() == 1 ? "" : "s") + " already span several parts in the input (" +
                               first.group + ": " + join_counts(first.splits) + "); {{keep_existing}} cannot keep them whole");
  }
  return assignment;
}

}  // namespace clipset::split_detail
