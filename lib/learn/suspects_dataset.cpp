// The clips suspects scores: single-label items with a split, of classes with enough clips and
// recordings to be learnt in every fold; each with its class, group, audio, origin and its own
// line text for the output.

#include <map>
#include <set>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/manifest_blocks.hpp"
#include "clipset/record_members.hpp"
#include "suspects_internal.hpp"

namespace clipset::detail {

namespace {

constexpr const char* kSuspectField = "suspect";

struct ReadItem {
  Item item;
  std::string text;  // the line without a `suspect` member
};

// The line as written, without an earlier run's `suspect`; canonical when it cannot be spliced
// safely (as split does: a line without manifest_version is written canonically and gains it).
std::string text_without_suspect(std::string_view line) {
  if (const auto members = record_members(line)) {
    bool versioned = false;
    std::string out = "{";
    for (const RecordMember& m : *members) {
      versioned = versioned || m.key == "manifest_version";
      if (m.key == kSuspectField) continue;
      if (out.size() > 1) out += ',';
      out += m.text;
    }
    if (versioned) return out + "}";
  }
  Item item = parse_manifest_line(std::string(line)).item;
  item.extra.erase(kSuspectField);
  return item_to_line(item);
}

ClipOrigin origin_of(const Item& item) {
  ClipOrigin o;
  if (item.source) {
    o.recording = item.source->id;
    o.recording_path = item.source->path;
    o.start = item.source->start;
    o.end = item.source->start + item.source->duration;
  } else {
    o.recording = item.id;
    o.recording_path = item.path.value_or("");
    o.end = item.duration.value_or(0);
  }
  if (!is_virtual_clip(item)) o.clip_path = item.path.value_or("");
  std::set<std::string> who;
  for (const Annotation& a : item.annotations)
    if (a.annotator) who.insert(*a.annotator);
  if (who.empty()) {
    if (const auto it = item.meta.find("annotator"); it != item.meta.end() && it->is_string()) who.insert(it->get<std::string>());
  }
  o.annotators.assign(who.begin(), who.end());
  return o;
}

// Single-label items with a split; the others counted and named.
std::vector<ReadItem> read_candidates(const SuspectsOptions& options, std::istream& manifest, const std::string& name,
                                      const SuspectsCallbacks& callbacks, SuspectsResult& result) {
  ManifestBlocks blocks(manifest, name);
  ManifestScanOptions scan;
  scan.jobs = options.jobs;
  std::vector<ReadItem> kept;
  std::vector<std::string> unsplit;
  auto leave_out = [&](const std::string& id, std::size_t& count, const std::string& reason) {
    ++count;
    if (callbacks.left_out) callbacks.left_out(id, reason);
  };
  scan_manifest(
      blocks, scan, [](Item&& item, std::string_view text) { return ReadItem{std::move(item), text_without_suspect(text)}; },
      [&](ReadItem&& r) {
        ++result.read;
        const Item& item = r.item;
        if (!item.split || item.split->empty()) {
          ++result.without_split;
          unsplit.push_back(item.id);  // named once it is clear that some items have a split
          return;
        }
        if (item.labels.empty()) return leave_out(item.id, result.unlabelled, "no label");
        if (item.labels.size() > 1) {
          return leave_out(item.id, result.multi_label, "several labels: suspects ranks single-label clips");
        }
        if (!item.sample_rate || *item.sample_rate <= 0) return leave_out(item.id, result.unreadable, "no sample_rate");
        kept.push_back(std::move(r));
      },
      callbacks.problem);
  if (result.read > 0 && result.without_split == result.read) {
    throw_usage(name, "no item has a 'split' field: run 'clipset split' first (suspects scores the clips of a split dataset)");
  }
  for (const std::string& id : unsplit)
    if (callbacks.left_out) callbacks.left_out(id, "no split: run 'clipset split' first");
  return kept;
}

// Classes every fold can learn: at least `folds` clips, from two or more groups. Sorted.
std::vector<std::string> scorable_classes(const std::vector<ReadItem>& items, const SuspectsOptions& options,
                                          const SuspectsCallbacks& callbacks, SuspectsResult& result) {
  std::map<std::string, std::pair<std::size_t, std::set<std::string>>> seen;  // label -> clips, groups
  for (const ReadItem& r : items) {
    auto& [clips, groups] = seen[r.item.labels.front()];
    ++clips;
    groups.insert(group_key(r.item).text());
  }
  std::vector<std::string> classes;
  for (const auto& [label, facts] : seen) {
    const auto& [clips, groups] = facts;
    std::string why;
    if (clips < options.folds) {
      why = std::to_string(clips) + (clips == 1 ? " clip" : " clips") + ", fewer than the " + std::to_string(options.folds) +
            " folds ({{folds}})";
    } else if (groups.size() < 2) {
      why = "all " + std::to_string(clips) + " clips come from one group: no fold can learn it without that recording";
    }
    if (why.empty()) {
      classes.push_back(label);
      continue;
    }
    result.small_class += clips;
    result.small_classes.push_back(label + " (" + std::to_string(clips) + ")");
    if (callbacks.left_out) callbacks.left_out("class '" + label + "'", why);
  }
  return classes;
}

}  // namespace

SuspectsData read_suspects_data(const SuspectsOptions& options, std::istream& manifest, const std::string& name,
                                const SuspectsCallbacks& callbacks, SuspectsResult& result) {
  std::vector<ReadItem> items = read_candidates(options, manifest, name, callbacks, result);
  SuspectsData data;
  data.learn.classes = scorable_classes(items, options, callbacks, result);
  if (data.learn.classes.size() < 2) {
    throw_usage(name, std::to_string(data.learn.classes.size()) +
                          " class with enough clips to score: suspects compares two or more classes");
  }
  std::map<std::string, int> index;
  std::set<std::int64_t> rates;
  for (std::size_t c = 0; c < data.learn.classes.size(); ++c) index[data.learn.classes[c]] = static_cast<int>(c);
  for (const ReadItem& r : items)
    if (index.count(r.item.labels.front())) rates.insert(*r.item.sample_rate);
  data.learn.sample_rate = one_sample_rate(rates, name);
  for (ReadItem& r : items) {
    const auto it = index.find(r.item.labels.front());
    if (it == index.end()) continue;
    LearnItem li;
    li.id = r.item.id;
    li.split = *r.item.split;
    li.label = it->second;
    li.group = group_key(r.item).text();
    try {
      li.clip = clip_ref(r.item, options.root, data.learn.sample_rate);
    } catch (const Error& e) {
      ++result.unreadable;
      if (callbacks.left_out) callbacks.left_out(r.item.id, e.reason());
      continue;
    }
    data.learn.items.push_back(std::move(li));
    data.origins.push_back(origin_of(r.item));
    data.texts.push_back(std::move(r.text));
  }
  return data;
}

}  // namespace clipset::detail
