// Checks over the whole dataset: duplicates, leaks between splits, class counts, split shares,
// files no record names.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "clipset/paths.hpp"
#include "internal.hpp"

namespace clipset::validate_detail {

std::string items_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " item" : " items"); }

namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Items per split, in order of appearance.
using SplitCounts = std::vector<std::pair<std::string, std::size_t>>;

void count_split(SplitCounts& counts, const std::string& split) {
  auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& s) { return s.first == split; });
  if (it == counts.end()) counts.emplace_back(split, 1);
  else ++it->second;
}

// "train (2 items) and test (1 item)"
std::string splits_text(const SplitCounts& splits) {
  std::string where;
  for (std::size_t i = 0; i < splits.size(); ++i) {
    where += (i == 0 ? "" : i + 1 == splits.size() ? " and " : ", ") + splits[i].first + " (" + items_text(splits[i].second) + ")";
  }
  return where;
}

// Items of one key (a group, a source recording) in several splits: one finding per key, on the
// line where its second split first shows.
void find_leaks(const std::vector<Record>& records, const std::function<const std::string*(const Record&)>& key_of,
                std::size_t check, const char* noun, Findings& out) {
  struct Seen {
    SplitCounts splits;
    std::size_t leak_line = 0;
  };
  std::map<std::string, Seen> keys;
  for (const Record& r : records) {
    const std::string* key = key_of(r);
    if (key == nullptr || !r.split) continue;
    Seen& seen = keys[*key];
    count_split(seen.splits, *r.split);
    if (seen.splits.size() == 2 && seen.leak_line == 0) seen.leak_line = r.line;
  }
  for (const auto& [key, seen] : keys) {
    if (seen.splits.size() >= 2) out.add(check, seen.leak_line, key, std::string(noun) + " in " + splits_text(seen.splits));
  }
}

// One source recording as its clips name it: where it first shows and the splits of its clips.
struct SourceUse {
  std::string id;
  std::string path;
  std::size_t line = 0;
  SplitCounts splits;
};

// Source recordings with one source.sha256, in order of first appearance.
std::map<std::string, std::vector<SourceUse>> sources_by_content(const std::vector<Record>& records) {
  std::map<std::string, std::vector<SourceUse>> by_sha;
  for (const Record& r : records) {
    if (!r.source || !r.source->sha256 || r.source->sha256->empty()) continue;
    auto& uses = by_sha[*r.source->sha256];
    auto it = std::find_if(uses.begin(), uses.end(), [&](const SourceUse& u) { return u.id == r.source->id; });
    if (it == uses.end()) it = uses.insert(uses.end(), SourceUse{r.source->id, r.source->path, r.line, {}});
    if (r.split) count_split(it->splits, *r.split);
  }
  return by_sha;
}

}  // namespace

void check_duplicates(const std::vector<Record>& records, Findings& out) {
  std::unordered_map<std::string, std::size_t> first_id;      // id -> line
  std::unordered_map<std::string, std::size_t> first_content;  // sha256 -> record
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (auto [it, inserted] = first_id.try_emplace(r.id, r.line); !inserted) {
      out.add(check::duplicate_id, r.line, r.id, "id already used on line " + std::to_string(it->second));
      continue;  // the same record written twice is one problem, not two
    }
    if (!r.sha256) continue;
    const auto [it, inserted] = first_content.try_emplace(*r.sha256, i);
    if (inserted) continue;
    const Record& first = records[it->second];
    if (first.id == r.id) continue;
    const bool leak = first.split && r.split && *first.split != *r.split;
    out.add(check::duplicate_content, r.line, r.path.value_or(r.id),
            "same content as '" + first.id + "' (line " + std::to_string(first.line) + ")" +
                (leak ? ", in split " + *r.split + " while that is in " + *first.split + " (leakage)" : ""),
            leak ? Severity::error : Severity::warning);
  }
}

// Clips (virtual ones above all: they have no sha256 of their own) cut from two source recordings
// with the same content: the copy is named on the line of its first clip. The recording is the
// leakage unit whatever ranges the clips take, so clips of the two in different splits leak.
void check_source_content(const std::vector<Record>& records, Findings& out) {
  for (const auto& [sha, uses] : sources_by_content(records)) {
    const SourceUse& first = uses.front();
    for (std::size_t i = 1; i < uses.size(); ++i) {
      SplitCounts both = first.splits;
      for (const auto& [split, n] : uses[i].splits) {
        for (std::size_t k = 0; k < n; ++k) count_split(both, split);
      }
      const bool leak = both.size() > 1;
      out.add(check::duplicate_content, uses[i].line, uses[i].path.empty() ? uses[i].id : uses[i].path,
              "source recording with the same content (source.sha256) as '" + first.id + "' (line " + std::to_string(first.line) +
                  ")" + (leak ? ", their clips in " + splits_text(both) + " (leakage)" : ""),
              leak ? Severity::error : Severity::warning);
    }
  }
}

void check_leaks(const std::vector<Record>& records, Findings& out) {
  find_leaks(records, [](const Record& r) { return r.group ? &*r.group : nullptr; }, check::group_leak, "group", out);
  find_leaks(records, [](const Record& r) { return r.source && !r.source->id.empty() ? &r.source->id : nullptr; },
             check::source_leak, "clips of this source recording", out);
}

void check_near_duplicates(const std::vector<Record>& records, Findings& out) {
  if (!out.on(check::near_duplicate)) return;
  // A cluster of one recording is no near-duplicate: its clips in two splits are a source leak.
  std::map<std::string, std::string> first_recording;
  std::set<std::string> shared;
  for (const Record& r : records) {
    if (!r.near_dup) continue;
    const auto [it, added] = first_recording.try_emplace(*r.near_dup, r.recording);
    if (!added && it->second != r.recording) shared.insert(*r.near_dup);
  }
  find_leaks(records, [&](const Record& r) { return r.near_dup && shared.count(*r.near_dup) ? &*r.near_dup : nullptr; },
             check::near_duplicate, "near-duplicate recordings", out);
}

namespace {

std::string split_text(const std::optional<std::string>& split) { return split ? "split " + *split : "no split"; }
std::string fold_text(const std::optional<std::int64_t>& fold) { return fold ? "fold " + std::to_string(*fold) : "no fold"; }

// One copy against its original (nullptr: not in the manifest).
void check_copy(const Record& copy, const Record* original, Findings& out) {
  const std::string& from = *copy.augmented_from;
  if (original == nullptr) {
    out.add(check::augment_leak, copy.line, copy.id, "augmented from \"" + from + "\", which is not in the manifest");
  } else if (copy.split != original->split) {
    out.add(check::augment_leak, copy.line, copy.id,
            "a copy in " + split_text(copy.split) + " of \"" + from + "\", which is in " + split_text(original->split));
  } else if (copy.fold != original->fold) {
    out.add(check::augment_leak, copy.line, copy.id,
            "a copy in " + fold_text(copy.fold) + " of \"" + from + "\", which is in " + fold_text(original->fold));
  }
  const auto& splits = copy.augmented_splits;
  if (!splits.empty() && (!copy.split || std::find(splits.begin(), splits.end(), *copy.split) == splits.end())) {
    std::string names;
    for (const auto& s : splits) names += (names.empty() ? "" : ",") + s;
    out.add(check::augment_leak, copy.line, copy.id, "a copy in " + split_text(copy.split) + ", which its run did not augment (" + names + ")");
  }
}

}  // namespace

void check_augment_leaks(const std::vector<Record>& records, Findings& out) {
  if (!out.on(check::augment_leak)) return;
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < records.size(); ++i) index_of.try_emplace(records[i].id, i);
  for (const Record& r : records) {
    if (!r.augmented_from) continue;
    const auto it = index_of.find(*r.augmented_from);
    check_copy(r, it == index_of.end() ? nullptr : &records[it->second], out);
  }
}

void check_unused_labels(const Taxonomy& taxonomy, const std::vector<bool>& used, Findings& out) {
  // A label is used when it or any label below it is.
  std::vector<bool> covered(used);
  std::vector<std::size_t> stack;
  for (std::size_t n = 0; n < used.size(); ++n) {
    if (used[n]) stack.push_back(n);
  }
  while (!stack.empty()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    for (const auto p : taxonomy.nodes[n].parents) {
      if (!covered[p]) {
        covered[p] = true;
        stack.push_back(p);
      }
    }
  }
  for (std::size_t n = 0; n < taxonomy.nodes.size(); ++n) {
    if (covered[n]) continue;
    const auto& node = taxonomy.nodes[n];
    const bool id_differs = taxonomy.format == Taxonomy::Format::audioset && node.id != node.name;
    out.add(check::unused_label, 0, node.name, std::string("no item uses this label") + (id_differs ? " (" + node.id + ")" : ""));
  }
}

void check_class_counts(const std::vector<Record>& records, const ValidateOptions& options, Findings& out) {
  if (!out.on(check::starved_class)) return;
  const std::string fewer = ", fewer than {{min_per_class}} " + std::to_string(options.min_per_class);
  std::map<std::string, std::size_t> overall;
  std::map<std::string, std::map<std::string, std::size_t>> per_split;  // class -> split -> items
  std::vector<std::string> splits;  // --names first, then others in order of appearance
  for (const auto& name : options.names) splits.push_back(name);
  for (const Record& r : records) {
    for (const auto& label : r.labels) {
      ++overall[label];
      if (r.split) ++per_split[label][*r.split];
    }
    if (r.split && std::find(splits.begin(), splits.end(), *r.split) == splits.end()) splits.push_back(*r.split);
  }
  // Only the --names splits the data actually has, so an unsplit manifest is counted as a whole.
  std::vector<std::string> present;
  for (const auto& s : splits) {
    if (std::any_of(records.begin(), records.end(), [&](const Record& r) { return r.split == s; })) present.push_back(s);
  }
  for (const auto& [label, count] : overall) {
    if (!options.per_split || present.empty()) {
      if (count < options.min_per_class) out.add(check::starved_class, 0, label, items_text(count) + fewer);
      continue;
    }
    for (const auto& split : present) {
      const auto& counts = per_split[label];
      const auto it = counts.find(split);
      const std::size_t n = it == counts.end() ? 0 : it->second;
      if (n < options.min_per_class) out.add(check::starved_class, 0, label, items_text(n) + " in split " + split + fewer);
    }
  }
}

void check_split_ratios(const std::vector<Record>& records, const ValidateOptions& options, Findings& out) {
  if (!out.on(check::split_ratio)) return;
  std::vector<std::size_t> counts(options.names.size(), 0);
  std::map<std::string, std::size_t> others;
  std::size_t total = 0;
  for (const Record& r : records) {
    if (!r.split) continue;
    ++total;
    const auto at = std::find(options.names.begin(), options.names.end(), *r.split);
    if (at == options.names.end()) ++others[*r.split];
    else ++counts[static_cast<std::size_t>(at - options.names.begin())];
  }
  if (total == 0) {
    out.add(check::split_ratio, 0, "", "no item has a split (run clipset split first)");
    return;
  }
  for (std::size_t i = 0; i < options.names.size(); ++i) {
    const double share = static_cast<double>(counts[i]) / static_cast<double>(total);
    if (std::fabs(share - options.ratios[i]) > options.ratio_tolerance + 1e-12) {
      out.add(check::split_ratio, 0, options.names[i],
              "share " + fixed(share, 3) + " (" + items_text(counts[i]) + " of " + std::to_string(total) + "), {{ratios}} asks " +
                  fixed(options.ratios[i], 3) + " +- " + fixed(options.ratio_tolerance, 3));
    }
  }
  for (const auto& [name, n] : others) {
    out.add(check::split_ratio, 0, name, items_text(n) + " in a split that {{names}} does not list");
  }
}

}  // namespace clipset::validate_detail

namespace clipset::validate_detail {

void check_orphan_files(const std::vector<Record>& records, const ValidateOptions& options, Findings& out) {
  if (!out.on(check::orphan_file)) return;
  NamedFiles named;
  for (const Record& r : records) {
    if (r.path) named.add(*r.path, options.root);
    if (r.source) named.add(r.source->path, options.root);
  }
  for (const auto& folder : options.orphans) {
    const UnnamedFiles unnamed = files_no_record_names(folder, named);
    for (const auto& [path, reason] : unnamed.unreadable) {
      out.add(check::orphan_file, 0, path.string(), "cannot list this folder (" + reason + "): its files were not checked");
    }
    for (const auto& file : unnamed.files) out.add(check::orphan_file, 0, file.string(), "no record names this file");
  }
}

}  // namespace clipset::validate_detail
