// Features of every clip of a learning curve: taken from the cache where it has them, otherwise
// extracted on all cores (clip files in batches, virtual clips one source recording at a time)
// and added to it.

#include <map>
#include <memory>
#include <utility>

#include "clipset/error.hpp"
#include "clipset/thread_pool.hpp"
#include "curve_internal.hpp"

namespace clipset::detail {

namespace {

constexpr std::size_t kClipsPerBatch = 32;

struct ClipOutcome {
  std::size_t item = 0;
  std::vector<double> features;  // empty on failure
  std::string error;
};

// Items whose features are extracted together: clip files, or the virtual clips of one source.
struct WorkUnit {
  bool from_source = false;
  bool augmented = false;  // virtual augmented copies, rendered together
  std::vector<std::size_t> items;
};

std::vector<WorkUnit> plan_units(const LearnDataset& data, const std::vector<std::size_t>& missing) {
  std::vector<WorkUnit> units;
  std::map<std::pair<std::string, std::string>, std::size_t> by_source;
  for (const std::size_t i : missing) {
    const ClipRef& clip = data.items[i].clip;
    if (clip.augment) {
      if (units.empty() || !units.back().augmented || units.back().items.size() == kClipsPerBatch) units.push_back({false, true, {}});
      units.back().items.push_back(i);
    } else if (clip.is_virtual) {
      const auto [it, added] = by_source.try_emplace({clip.path.string(), cut_settings_text(clip.settings)}, units.size());
      if (added) units.push_back({true, false, {}});
      units[it->second].items.push_back(i);
    } else {
      if (units.empty() || units.back().from_source || units.back().augmented || units.back().items.size() == kClipsPerBatch) {
        units.push_back({false, false, {}});
      }
      units.back().items.push_back(i);
    }
  }
  return units;
}

std::vector<ClipOutcome> extract_unit(const LearnDataset& data, const WorkUnit& unit, const LogMelOptions& options) {
  LogMelExtractor extractor(data.sample_rate, options);
  std::vector<ClipOutcome> out;
  out.reserve(unit.items.size());
  if (!unit.from_source && !unit.augmented) {
    for (const std::size_t i : unit.items) {
      ClipOutcome o{i, {}, {}};
      try {
        const std::vector<float> audio = read_clip_file(data.items[i].clip, data.sample_rate);
        o.features = extractor.summarize(audio.data(), audio.size());
      } catch (const Error& e) {
        o.error = e.what();
      }
      out.push_back(std::move(o));
    }
    return out;
  }
  std::vector<const ClipRef*> refs;
  for (const std::size_t i : unit.items) refs.push_back(&data.items[i].clip);
  const auto sink = [&](std::size_t k, std::vector<float>& audio) {
    out.push_back({unit.items[k], extractor.summarize(audio.data(), audio.size()), {}});
  };
  const auto failed = [&](std::size_t k, const std::string& reason) { out.push_back({unit.items[k], {}, reason}); };
  if (unit.augmented) {
    read_augmented_clips(refs, sink, failed);
    return out;
  }
  read_source_clips(refs, data.sample_rate, sink, failed);
  return out;
}

}  // namespace

FeatureTable compute_features(const LearnDataset& data, const LearningCurveOptions& options, const LearningCurveCallbacks& callbacks) {
  const std::size_t width = LogMelExtractor(data.sample_rate, options.features).feature_count();
  FeatureTable table;
  table.matrix.rows = data.items.size();
  table.matrix.cols = width;
  table.matrix.values.assign(table.matrix.rows * width, 0.0);
  table.ok.assign(data.items.size(), false);

  std::unique_ptr<FeatureCache> cache;
  if (!options.cache_dir.empty()) {
    const std::string part =
        options.shard ? "shard-" + std::to_string(options.shard->index) + "-of-" + std::to_string(options.shard->count) : "";
    cache = std::make_unique<FeatureCache>(options.cache_dir, describe_features(data.sample_rate, options.features), width, part);
    if (!cache->note().empty() && callbacks.cache_note) callbacks.cache_note(cache->note());
  }
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    if (options.shard && shard_of_key(data.items[i].group, options.shard->count) != options.shard->index) continue;
    const std::string& key = data.items[i].clip.cache_key;
    if (cache && key.empty()) ++table.uncacheable;
    const double* hit = cache && !key.empty() ? cache->find(key) : nullptr;
    if (!hit) {
      missing.push_back(i);
      continue;
    }
    std::copy(hit, hit + width, table.matrix.row(i));
    table.ok[i] = true;
    ++table.cached;
  }

  const std::vector<WorkUnit> units = plan_units(data, missing);
  std::size_t done = 0;
  ordered_parallel_for(
      units.size(), options.jobs, [&](std::size_t u) { return extract_unit(data, units[u], options.features); },
      [&](std::size_t, std::vector<ClipOutcome> outcomes) {
        for (ClipOutcome& o : outcomes) {
          ++done;
          if (o.features.empty()) {
            if (callbacks.unreadable) callbacks.unreadable(data.items[o.item].id, o.error);
            continue;
          }
          std::copy(o.features.begin(), o.features.end(), table.matrix.row(o.item));
          table.ok[o.item] = true;
          ++table.extracted;
          const std::string& key = data.items[o.item].clip.cache_key;
          if (cache && !key.empty()) cache->put(key, o.features);
        }
        if (callbacks.progress) callbacks.progress(done, missing.size(), "clips");
      });

  if (cache && cache->dirty()) {
    try {
      cache->save();
    } catch (const Error& e) {
      if (callbacks.cache_note) callbacks.cache_note("features not cached: " + std::string(e.what()));
    }
  }
  return table;
}

}  // namespace clipset::detail
