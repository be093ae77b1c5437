// suspects from a manifest: read the clips, get their features (learning-curve's cache), score
// each out of fold, rank, and write each suspect's own line with `suspect` added.

#include "clipset/suspects.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "clipset/error.hpp"
#include "suspects_internal.hpp"

namespace clipset {

namespace {

// learning-curve's options for what the two share: the features, their cache, the threads.
LearningCurveOptions feature_options(const SuspectsOptions& options) {
  LearningCurveOptions o;
  o.root = options.root;
  o.features = options.features;
  o.cache_dir = options.cache_dir;
  o.jobs = options.jobs;
  return o;
}

LearningCurveCallbacks feature_callbacks(const SuspectsCallbacks& callbacks, std::size_t& unreadable) {
  LearningCurveCallbacks c;
  c.unreadable = [&callbacks, &unreadable](const std::string& id, const std::string& reason) {
    ++unreadable;
    if (callbacks.left_out) callbacks.left_out(id, reason);
  };
  c.progress = callbacks.progress;
  c.cache_note = callbacks.cache_note;
  return c;
}

double rounded(double value) { return std::round(value * 1e6) / 1e6; }

// The line with `suspect` as its last member.
std::string suspect_record(const std::string& text, const Suspect& s) {
  const Json suspect{{"score", rounded(s.score)},
                     {"given", s.given},
                     {"given_probability", rounded(s.given_probability)},
                     {"suggested", s.suggested},
                     {"suggested_probability", rounded(s.suggested_probability)},
                     {"rank", s.rank}};
  std::string record = text.substr(0, text.size() - 1);  // without the closing brace
  if (record.find_first_not_of(" \t{") != std::string::npos) record += ',';
  return record + "\"suspect\":" + suspect.dump(-1, ' ', false, Json::error_handler_t::replace) + "}";
}

}  // namespace

SuspectsResult find_suspects(const SuspectsOptions& options, std::istream& manifest, const std::string& manifest_name,
                             const SuspectsCallbacks& callbacks) {
  if (options.folds < 2) throw_option("folds", std::to_string(options.folds), "needs at least 2 folds");
  SuspectsResult result;
  result.manifest = manifest_name;
  result.folds = options.folds;
  detail::SuspectsData data = detail::read_suspects_data(options, manifest, manifest_name, callbacks, result);
  result.features = describe_features(data.learn.sample_rate, options.features);
  const LearningCurveOptions feature_opts = feature_options(options);
  const detail::FeatureTable table =
      detail::compute_features(data.learn, feature_opts, feature_callbacks(callbacks, result.unreadable));
  result.cached = table.cached;
  result.extracted = table.extracted;
  result.uncacheable = table.uncacheable;
  if (std::find(table.ok.begin(), table.ok.end(), true) == table.ok.end()) throw_data(manifest_name, "no clip could be read");

  const std::vector<std::size_t> fold_of = detail::assign_folds(data.learn, options.folds, options.seed);
  const auto probabilities =
      detail::out_of_fold_probabilities(data.learn, table.matrix, table.ok, fold_of, options.folds, options, callbacks);
  detail::Ranking ranking = detail::rank_suspects(data.learn, probabilities, table.ok);
  std::set<std::string> groups;
  for (std::size_t i = 0; i < data.learn.items.size(); ++i)
    if (table.ok[i]) groups.insert(data.learn.items[i].group);
  result.groups = groups.size();
  result.scored = ranking.scored;
  result.accuracy = ranking.scored ? double(ranking.correct) / double(ranking.scored) : 0.0;
  result.classes = std::move(ranking.classes);
  for (std::size_t k = 0; k < ranking.suspects.size(); ++k) {
    Suspect& s = ranking.suspects[k];
    const std::size_t row = ranking.rows[k];
    s.origin = data.origins[row];
    s.record = suspect_record(data.texts[row], s);
  }
  result.suspects = std::move(ranking.suspects);
  return result;
}

}  // namespace clipset
