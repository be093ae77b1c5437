// The items a learning curve trains and scores on: single-label clips of the training and
// evaluation splits, with their class, group and the way to their audio.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/paths.hpp"
#include "curve_internal.hpp"

namespace clipset::detail {

namespace {

std::string frames_text(std::int64_t frames) { return std::to_string(frames); }

// A virtual augmented copy: its recipe with paths resolved. Cached by the recipe and the source's
// content when the copy reads its source (a copy of a clip file has no content digest to key on).
ClipRef copy_of(const Item& item, const std::filesystem::path& root) {
  ClipRef clip;
  AugmentJob job = augment_job(item);
  clip.display = job.recipe.input_path;
  job.recipe.input_path = resolve_path(job.recipe.input_path, root).string();
  if (job.recipe.noise) job.recipe.noise->path = resolve_path(job.recipe.noise->path, root).string();
  clip.path = job.recipe.input_path;
  clip.frames = job.frames;
  if (job.recipe.input == AugmentInput::source && item.source && item.source->sha256) {
    clip.cache_key = "augmented " + *item.source->sha256 + " " + item.extra.at("augment").dump() + " " + std::to_string(job.rate);
  }
  clip.augment = std::move(job);
  return clip;
}

struct Pending {
  Item item;
  std::size_t line = 0;
  bool train = false;
};

// The single-label items of the two splits, with what was left out counted in data.
std::vector<Pending> read_pending(const LearningCurveOptions& options, ManifestReader& reader, const std::string& manifest_name,
                                  const LearningCurveCallbacks& callbacks, LearnDataset& data, CeilingInputs& ceiling) {
  std::vector<Pending> pending;
  while (auto item = reader.next()) {
    ++data.read;
    if (!item->split) ++data.without_split;
    const std::string split = item->split.value_or("");
    const bool train = split == options.train_split;
    if (!train && split != options.eval_split) {
      ++data.other_splits;
      continue;
    }
    ceiling.add(*item);
    if (item->labels.size() != 1) {
      ++(item->labels.empty() ? data.unlabelled : data.multi_label);
      continue;
    }
    if (!item->sample_rate || *item->sample_rate <= 0) {
      if (callbacks.problem) callbacks.problem({manifest_name, reader.line(), "item " + item->id + " has no sample_rate"});
      continue;
    }
    pending.push_back({std::move(*item), reader.line(), train});
  }
  return pending;
}

int the_one_rate(const std::vector<Pending>& pending, const std::string& manifest_name) {
  std::set<std::int64_t> rates;
  for (const auto& p : pending) rates.insert(*p.item.sample_rate);
  return one_sample_rate(rates, manifest_name);
}

// The classes are those of the training split, sorted.
std::vector<std::string> training_classes(const std::vector<Pending>& pending, const LearnDataset& data,
                                          const LearningCurveOptions& options, const std::string& manifest_name) {
  std::set<std::string> names;
  for (const auto& p : pending)
    if (p.train) names.insert(p.item.labels.front());
  if (names.empty() && data.read > 0 && data.without_split == data.read) {
    throw_usage(manifest_name, "no item has a 'split' field: run 'clipset split' first (the curve trains on split '" +
                                   options.train_split + "' and scores on '" + options.eval_split + "')");
  }
  if (names.empty()) {
    std::string skipped;
    if (data.multi_label) skipped += std::to_string(data.multi_label) + " with several labels";
    if (data.unlabelled) skipped += (skipped.empty() ? "" : ", ") + std::to_string(data.unlabelled) + " unlabelled";
    throw_usage(manifest_name, "no single-label items in split '" + options.train_split + "' to train on" +
                                   (skipped.empty() ? "" : " (left out: " + skipped + ")"));
  }
  return {names.begin(), names.end()};
}

// Training items first, then evaluation items: the feature table and the subsets index both.
void add_items(const std::vector<Pending>& pending, const LearningCurveOptions& options, const std::string& manifest_name,
               const LearningCurveCallbacks& callbacks, LearnDataset& data) {
  std::map<std::string, int> index;
  for (std::size_t c = 0; c < data.classes.size(); ++c) index[data.classes[c]] = static_cast<int>(c);
  for (const bool train : {true, false}) {
    for (const auto& p : pending) {
      if (p.train != train) continue;
      const auto it = index.find(p.item.labels.front());
      if (it == index.end()) {
        ++data.unknown_class;
        continue;
      }
      LearnItem li;
      li.id = p.item.id;
      li.split = *p.item.split;
      li.train = train;
      li.label = it->second;
      li.group = group_key(p.item).text();
      li.copy_of = augmented_from(p.item);
      try {
        li.clip = clip_ref(p.item, options.root, data.sample_rate);
      } catch (const Error& e) {
        if (callbacks.problem) callbacks.problem({manifest_name, p.line, "item " + p.item.id + ": " + e.reason()});
        continue;
      }
      data.items.push_back(std::move(li));
      if (train) ++data.train_count;
    }
  }
}

}  // namespace

ClipRef clip_ref(const Item& item, const std::filesystem::path& root, int rate) {
  ClipRef clip;
  if ((!item.path || item.path->empty()) && is_augmented_copy(item)) return copy_of(item, root);
  if (item.path && !item.path->empty()) {
    clip.path = resolve_path(*item.path, root);
    clip.display = *item.path;
    if (item.sha256) clip.cache_key = "clip " + *item.sha256;
    return clip;
  }
  const VirtualCut cut = virtual_cut(item, rate);
  const ClipSource& source = *item.source;
  clip.is_virtual = true;
  clip.path = resolve_path(cut.source_path, root);
  clip.display = cut.source_path;
  clip.start = cut.range.start;
  clip.content = cut.range.content;
  clip.frames = cut.range.frames;
  clip.settings = cut.settings;
  if (source.sha256) {
    clip.cache_key = "virtual " + *source.sha256 + " " + frames_text(clip.start) + " " + frames_text(clip.content) + " " +
                     frames_text(clip.frames) + " " + cut_settings_text(clip.settings) + " " + std::to_string(rate);
  }
  return clip;
}

int one_sample_rate(const std::set<std::int64_t>& rates, const std::string& manifest_name) {
  if (rates.size() > 1) {
    std::string list;
    for (const auto r : rates) list += (list.empty() ? "" : ", ") + std::to_string(r);
    throw_usage(manifest_name, "clips at " + std::to_string(rates.size()) + " sample rates (" + list +
                                   " Hz); features need one: segment with {{sample_rate}} first");
  }
  return rates.empty() ? 0 : static_cast<int>(*rates.begin());
}

LearnDataset read_learn_dataset(const LearningCurveOptions& options, std::istream& manifest, const std::string& manifest_name,
                                const LearningCurveCallbacks& callbacks) {
  ManifestReader reader(manifest, manifest_name);
  if (callbacks.problem) reader.on_problem(callbacks.problem);
  LearnDataset data;
  CeilingInputs ceiling;
  const std::vector<Pending> pending = read_pending(options, reader, manifest_name, callbacks, data, ceiling);
  const int rate = the_one_rate(pending, manifest_name);
  data.classes = training_classes(pending, data, options, manifest_name);
  data.sample_rate = rate;
  add_items(pending, options, manifest_name, callbacks, data);
  if (data.train_count == data.items.size()) {
    throw_usage(manifest_name, "no single-label items of the training classes in split '" + options.eval_split + "' to score on");
  }
  data.ceiling = measure_ceiling(ceiling, options, callbacks, data.notes);
  return data;
}

}  // namespace clipset::detail
