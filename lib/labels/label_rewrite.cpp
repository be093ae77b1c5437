// Labels renamed through a map and sent outside a taxonomy to an unknown class (ingest, relabel).

#include "clipset/label_rewrite.hpp"

#include <algorithm>
#include <set>

namespace clipset {

LabelRewrite make_label_rewrite(std::optional<LabelMap> map, std::optional<Taxonomy> taxonomy, std::optional<std::string> unknown) {
  LabelRewrite rewrite{std::move(map), std::move(taxonomy), std::move(unknown), {}};
  if (rewrite.map) {
    for (const auto& [from, to] : *rewrite.map) rewrite.map_targets.insert(to);
  }
  return rewrite;
}

bool outside_taxonomy(const LabelRewrite& rewrite, const std::string& original, const std::string& mapped) {
  if (!rewrite.unknown || mapped == *rewrite.unknown) return false;
  if (rewrite.taxonomy) return !rewrite.taxonomy->find(mapped);
  return rewrite.map && rewrite.map->count(original) == 0 && rewrite.map_targets.count(original) == 0;
}

namespace {

// The label a label becomes, counting what happened to it in `seen` (once per item).
std::string rewritten(const LabelRewrite& rewrite, const std::string& label, LabelRewriteTally& tally,
                      std::set<std::string>& seen) {
  const bool first = seen.insert(label).second;
  std::string mapped = label;
  if (rewrite.map) {
    const auto it = rewrite.map->find(label);
    if (it != rewrite.map->end()) {
      mapped = it->second;
    } else if (first && rewrite.map_targets.count(label) == 0) {
      ++tally.unmapped[label];
    }
  }
  if (!outside_taxonomy(rewrite, label, mapped)) return mapped;
  if (first) ++tally.made_unknown[label];
  return *rewrite.unknown;
}

}  // namespace

bool rewrite_labels(Item& item, const LabelRewrite& rewrite, LabelRewriteTally& tally) {
  std::set<std::string> seen;
  bool changed = false;
  std::vector<std::string> labels;
  for (const auto& label : item.labels) {
    const std::string to = rewritten(rewrite, label, tally, seen);
    changed = changed || to != label;
    if (std::find(labels.begin(), labels.end(), to) == labels.end()) labels.push_back(to);
  }
  changed = changed || labels.size() != item.labels.size();
  item.labels = std::move(labels);
  for (auto& a : item.annotations) {
    std::string to = rewritten(rewrite, a.label, tally, seen);
    if (to == a.label) continue;
    a.label = std::move(to);
    changed = true;
  }
  if (changed) ++tally.items_changed;
  return changed;
}

}  // namespace clipset
