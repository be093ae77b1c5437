// Checks over the whole dataset: duplicates, leaks between splits, class counts, split shares,
// files no record names.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <unordered_map>

#include "clipset/paths.hpp"
#include "internal.hpp"

namespace clipset::validate_detail {

namespace {

std::string items_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " item" : " items"); }

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Items of one key (a group, a source recording) in several splits: one finding per key, on the
// line where its second split first shows.
void find_leaks(const std::vector<Record>& records, const std::function<const std::string*(const Record&)>& key_of,
                std::size_t check, const char* noun, Findings& out) {
  struct Seen {
    std::vector<std::pair<std::string, std::size_t>> splits;  // in order of appearance, items
    std::size_t leak_line = 0;
  };
  std::map<std::string, Seen> keys;
  for (const Record& r : records) {
    const std::string* key = key_of(r);
    if (key == nullptr || !r.split) continue;
    Seen& seen = keys[*key];
    auto it = std::find_if(seen.splits.begin(), seen.splits.end(), [&](const auto& s) { return s.first == *r.split; });
    if (it == seen.splits.end()) {
      seen.splits.emplace_back(*r.split, 0);
      it = seen.splits.end() - 1;
      if (seen.splits.size() == 2) seen.leak_line = r.line;
    }
    ++it->second;
  }
  for (const auto& [key, seen] : keys) {
    if (seen.splits.size() < 2) continue;
    std::string where;
    for (std::size_t i = 0; i < seen.splits.size(); ++i) {
      where += (i == 0 ? "" : i + 1 == seen.splits.size() ? " and " : ", ") + seen.splits[i].first + " (" +
               items_text(seen.splits[i].second) + ")";
    }
    out.add(check, seen.leak_line, key, std::string(noun) + " in " + where);
  }
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

void check_leaks(const std::vector<Record>& records, Findings& out) {
  find_leaks(records, [](const Record& r) { return r.group ? &*r.group : nullptr; }, check::group_leak, "group", out);
  find_leaks(records, [](const Record& r) { return r.source && !r.source->id.empty() ? &r.source->id : nullptr; },
             check::source_leak, "clips of this source recording", out);
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
