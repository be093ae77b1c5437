// A learning curve from a manifest: read the items, get their features, train one model per
// (size, repeat) on all cores, summarise, fit the power law, answer the target.

#include "clipset/learning_curve.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "clipset/error.hpp"
#include "clipset/thread_pool.hpp"
#include "curve_internal.hpp"

namespace clipset {

namespace {

constexpr std::uint64_t kStreamTarget = 0x7461726765740000ULL;  // the bootstrap's own stream

double score_of(const ClassificationMetrics& m, CurveMetric metric) {
  switch (metric) {
    case CurveMetric::macro_f1: return m.macro_f1;
    case CurveMetric::balanced_accuracy: return m.balanced_accuracy;
    case CurveMetric::accuracy: break;
  }
  return m.accuracy;
}

struct Task {
  std::size_t size = 0;
  std::size_t repeat = 0;
};

// With augmented_curve, augmented copies are no training items of their own: each readable copy
// in the training split joins its original, and copies elsewhere are left out.
struct Copies {
  std::vector<bool> usable;                  // readable, and no copy under augmented_curve
  std::vector<std::vector<std::size_t>> of;  // item index -> its readable copies
  std::size_t count = 0;
};
Copies gather_copies(const detail::LearnDataset& data, const detail::FeatureTable& table, const LearningCurveOptions& options) {
  Copies copies{table.ok, std::vector<std::vector<std::size_t>>(data.items.size()), 0};
  if (!options.augmented_curve) return copies;
  std::map<std::string, std::size_t> originals;
  for (std::size_t i = 0; i < data.train_count; ++i)
    if (data.items[i].copy_of.empty()) originals.emplace(data.items[i].id, i);
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    if (data.items[i].copy_of.empty()) continue;
    copies.usable[i] = false;
    const auto original = originals.find(data.items[i].copy_of);
    if (!data.items[i].train || !table.ok[i] || original == originals.end()) continue;
    copies.of[original->second].push_back(i);
    ++copies.count;
  }
  return copies;
}

CurvePoint train_and_score(const detail::LearnDataset& data, const FeatureMatrix& features, const std::vector<std::size_t>& rows,
                           const std::vector<std::size_t>& eval_rows, const std::vector<int>& truth, const Task& task,
                           const LearningCurveOptions& options) {
  FeatureMatrix train = detail::rows_of(features, rows);
  std::vector<int> labels;
  labels.reserve(rows.size());
  for (const std::size_t i : rows) labels.push_back(data.items[i].label);
  Standardizer scaler;
  scaler.fit(train);
  scaler.apply(train);
  FeatureMatrix eval = detail::rows_of(features, eval_rows);
  scaler.apply(eval);
  const int classes = static_cast<int>(data.classes.size());
  SoftmaxRegression model;
  model.fit(train, labels, classes, options.classifier);

  CurvePoint point;
  point.size = task.size;
  point.repeat = task.repeat;
  point.model = score_predictions(truth, model.predict(eval), classes);
  point.majority = score_predictions(truth, std::vector<int>(truth.size(), majority_class(labels, classes)), classes);
  point.iterations = model.iterations();
  point.converged = model.converged();
  return point;
}

// The plain model of a (size, repeat), and with augmented_curve the model of the same subset
// with its copies added.
struct TaskPoints {
  CurvePoint plain;
  std::optional<CurvePoint> augmented;
};
TaskPoints run_task(const detail::LearnDataset& data, const FeatureMatrix& features, const detail::TrainPool& pool,
                    const Copies& copies, const std::vector<std::size_t>& eval_rows, const std::vector<int>& truth, const Task& task,
                    const LearningCurveOptions& options) {
  // The stream depends on the size itself, not its position: adding a size leaves the others' subsets alone.
  const std::vector<std::size_t> subset = detail::draw_subset(pool, task.size, options.seed, task.size * 1024 + task.repeat);
  TaskPoints points{train_and_score(data, features, subset, eval_rows, truth, task, options), std::nullopt};
  if (!options.augmented_curve) return points;
  std::vector<std::size_t> rows = subset;
  for (const std::size_t i : subset) rows.insert(rows.end(), copies.of[i].begin(), copies.of[i].end());
  points.augmented = train_and_score(data, features, rows, eval_rows, truth, task, options);
  return points;
}

std::vector<CurveSize> summarise(const std::vector<CurvePoint>& points, const LearningCurveOptions& options) {
  std::vector<CurveSize> sizes;
  for (std::size_t i = 0; i < points.size();) {
    CurveSize s;
    s.size = points[i].size;
    std::vector<double> scores;
    double majority = 0;
    for (; i < points.size() && points[i].size == s.size; ++i) {
      const CurvePoint& p = points[i];
      scores.push_back(score_of(p.model, options.metric));
      s.accuracy += p.model.accuracy;
      s.macro_f1 += p.model.macro_f1;
      s.balanced_accuracy += p.model.balanced_accuracy;
      majority += score_of(p.majority, options.metric);
    }
    const double n = double(scores.size());
    s.repeats = scores.size();
    for (const double v : scores) s.mean += v / n;
    double squares = 0;
    for (const double v : scores) squares += (v - s.mean) * (v - s.mean);
    s.sd = scores.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
    s.accuracy /= n;
    s.macro_f1 /= n;
    s.balanced_accuracy /= n;
    s.majority = majority / n;
    sizes.push_back(s);
  }
  return sizes;
}

void answer_target(LearningCurveResult& result, const LearningCurveOptions& options) {
  TargetAnswer answer;
  answer.target = *options.target;
  for (const CurveSize& s : result.sizes) {
    if (s.mean >= answer.target) {
      answer.measured = s.size;
      break;
    }
  }
  if (result.fit.ok) {
    answer.total = result.fit.law.size_for(1.0 - answer.target);
    if (answer.total) {
      const double train = double(result.train_items);
      for (const std::size_t n : result.train_per_class) answer.per_class.push_back(*answer.total * double(n) / train);
    }
    std::vector<double> sizes;
    std::vector<std::vector<double>> errors;
    for (const CurveSize& s : result.sizes) {
      sizes.push_back(double(s.size));
      errors.emplace_back();
    }
    for (const CurvePoint& p : result.points) {
      const auto at = std::find(sizes.begin(), sizes.end(), double(p.size)) - sizes.begin();
      errors[static_cast<std::size_t>(at)].push_back(1.0 - score_of(p.model, options.metric));
    }
    answer.interval = bootstrap_size_interval(sizes, errors, 1.0 - answer.target, options.bootstrap, options.seed ^ kStreamTarget);
  }
  result.target = answer;
}

void check_options(const LearningCurveOptions& options) {
  if (options.repeats < 1) throw_option("repeats", "needs at least 1 repeat");
  if (options.target && !(*options.target > 0 && *options.target <= 1)) {
    throw_option("target", "a score between 0 and 1 (0.9 or 90%)");
  }
  if (options.train_split == options.eval_split) throw_option("eval_split", options.eval_split, "is also the training split");
}

// What the result says before any model: the inputs, the classes, the feature cache.
LearningCurveResult describe_run(const LearningCurveOptions& options, const std::string& manifest_name,
                                 const detail::LearnDataset& data, const detail::FeatureTable& table) {
  LearningCurveResult result;
  result.manifest = manifest_name;
  result.train_split = options.train_split;
  result.eval_split = options.eval_split;
  result.features = describe_features(data.sample_rate, options.features);
  result.classes = data.classes;
  result.metric = options.metric;
  result.other_splits = data.other_splits;
  result.unlabelled = data.unlabelled;
  result.multi_label = data.multi_label;
  result.unknown_class = data.unknown_class;
  result.cached = table.cached;
  result.extracted = table.extracted;
  result.uncacheable = table.uncacheable;
  result.ceiling = data.ceiling;
  result.notes = data.notes;
  return result;
}

// The evaluation rows and their true classes; counts of readable training and evaluation clips.
struct EvalSet {
  std::vector<std::size_t> rows;
  std::vector<int> truth;
};
EvalSet collect_eval_set(const detail::LearnDataset& data, const detail::FeatureTable& table, const Copies& copies,
                         const detail::TrainPool& pool, const std::string& manifest_name, LearningCurveResult& result) {
  EvalSet eval;
  result.eval_per_class.assign(data.classes.size(), 0);
  std::set<std::string> groups;
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    if (!table.ok[i]) {
      ++result.unreadable;
      continue;
    }
    if (!copies.usable[i]) continue;
    if (data.items[i].train) {
      groups.insert(data.items[i].group);
    } else {
      eval.rows.push_back(i);
      eval.truth.push_back(data.items[i].label);
      ++result.eval_per_class[static_cast<std::size_t>(data.items[i].label)];
    }
  }
  if (pool.total == 0) throw_data(manifest_name, "no training clip could be read");
  if (eval.rows.empty()) throw_data(manifest_name, "no evaluation clip could be read");
  result.train_items = pool.total;
  result.train_groups = groups.size();
  result.train_per_class = pool.class_items;
  result.eval_items = eval.rows.size();
  return eval;
}

// One task per (subset size, repeat), largest first.
std::vector<Task> plan_tasks(const LearningCurveOptions& options, const detail::TrainPool& pool, std::size_t classes,
                             LearningCurveResult& result) {
  std::vector<Task> tasks;
  for (const std::size_t size : detail::curve_sizes(options, pool.total, classes)) {
    // Every subset of the whole training split is the split itself: one model says it all.
    const std::size_t repeats = size == pool.total ? 1 : options.repeats;
    for (std::size_t r = 0; r < repeats; ++r) tasks.push_back({size, r});
  }
  if (options.repeats > 1 && !tasks.empty() && tasks.back().size == pool.total) {
    result.notes.push_back("the full training split is trained once: every subset of that size is the split itself");
  }
  // The largest models first: the one model of the whole split would otherwise run last, alone
  // on one core. Points are put back in (size, repeat) order, so output does not depend on it.
  std::reverse(tasks.begin(), tasks.end());
  return tasks;
}

void note_uncached_and_unconverged(const detail::FeatureTable& table, LearningCurveResult& result) {
  if (table.uncacheable > 0) {
    result.notes.push_back(std::to_string(table.uncacheable) +
                           " clips have no sha256 (nor a source sha256) to key the feature cache: they are extracted on every run");
  }
  const auto stopped = static_cast<std::size_t>(
      std::count_if(result.points.begin(), result.points.end(), [](const CurvePoint& p) { return !p.converged; }));
  if (stopped > 0) {
    result.notes.push_back(std::to_string(stopped) + " of " + std::to_string(result.points.size()) +
                           " models stopped at the iteration limit before converging ({{max_iter}})");
  }
}

// The inverse power law through the mean error at each size.
void fit_curve(LearningCurveResult& result) {
  std::vector<double> sizes, errors;
  for (const CurveSize& s : result.sizes) {
    sizes.push_back(double(s.size));
    errors.push_back(1.0 - s.mean);
  }
  result.fit = fit_power_law(sizes, errors);
}

// --export-features: every readable clip's features with its id, split and label.
void export_features(const detail::LearnDataset& data, const detail::FeatureTable& table, LearningCurveResult& result) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    if (!table.ok[i]) continue;
    rows.push_back(i);
    result.exported.ids.push_back(data.items[i].id);
    result.exported.splits.push_back(data.items[i].split);
    result.exported.labels.push_back(data.classes[static_cast<std::size_t>(data.items[i].label)]);
  }
  result.exported.features = detail::rows_of(table.matrix, rows);
}

}  // namespace

std::string metric_name(CurveMetric metric) {
  switch (metric) {
    case CurveMetric::macro_f1: return "macro-f1";
    case CurveMetric::balanced_accuracy: return "balanced-accuracy";
    case CurveMetric::accuracy: break;
  }
  return "accuracy";
}

CurveMetric parse_metric(const std::string& name) {
  for (const CurveMetric m : {CurveMetric::accuracy, CurveMetric::macro_f1, CurveMetric::balanced_accuracy}) {
    if (metric_name(m) == name) return m;
  }
  throw_option("metric", name, "one of accuracy, macro-f1, balanced-accuracy");
}

FeatureFillSummary fill_feature_cache(const LearningCurveOptions& options, std::istream& manifest,
                                      const std::string& manifest_name, const LearningCurveCallbacks& callbacks) {
  if (options.cache_dir.empty()) throw_option("cache_dir", "a shard fills the feature cache: give a cache folder");
  if (!options.shard) throw_option("shard", "filling the cache needs a shard");
  const detail::LearnDataset data = detail::read_learn_dataset(options, manifest, manifest_name, callbacks);
  const detail::FeatureTable table = detail::compute_features(data, options, callbacks);
  FeatureFillSummary summary;
  for (const auto& item : data.items) {
    ++(shard_of_key(item.group, options.shard->count) == options.shard->index ? summary.clips : summary.other_shards);
  }
  summary.cached = table.cached;
  summary.extracted = table.extracted;
  summary.uncacheable = table.uncacheable;
  summary.unreadable = summary.clips - table.cached - table.extracted;
  return summary;
}

LearningCurveResult run_learning_curve(const LearningCurveOptions& options, std::istream& manifest,
                                       const std::string& manifest_name, const LearningCurveCallbacks& callbacks) {
  if (options.shard) throw_option("shard", "a curve needs every clip; a shard only fills the feature cache");
  check_options(options);
  const detail::LearnDataset data = detail::read_learn_dataset(options, manifest, manifest_name, callbacks);
  const detail::FeatureTable table = detail::compute_features(data, options, callbacks);
  LearningCurveResult result = describe_run(options, manifest_name, data, table);

  const Copies copies = gather_copies(data, table, options);
  if (options.augmented_curve && copies.count == 0) {
    throw_data(manifest_name, "no readable augmented copy of a training item (augmented_from) to draw the second curve with");
  }
  result.augmented_copies = copies.count;
  const detail::TrainPool pool = detail::make_train_pool(data, copies.usable);
  const EvalSet eval = collect_eval_set(data, table, copies, pool, manifest_name, result);
  const std::vector<Task> tasks = plan_tasks(options, pool, data.classes.size(), result);
  ordered_parallel_for(
      tasks.size(), options.jobs,
      [&](std::size_t t) { return run_task(data, table.matrix, pool, copies, eval.rows, eval.truth, tasks[t], options); },
      [&](std::size_t t, TaskPoints points) {
        result.points.push_back(std::move(points.plain));
        if (points.augmented) result.augmented_points.push_back(std::move(*points.augmented));
        if (callbacks.progress) callbacks.progress(t + 1, tasks.size(), "models");
      });
  std::reverse(result.points.begin(), result.points.end());
  std::reverse(result.augmented_points.begin(), result.augmented_points.end());

  note_uncached_and_unconverged(table, result);
  result.sizes = summarise(result.points, options);
  result.augmented_sizes = summarise(result.augmented_points, options);
  fit_curve(result);
  if (options.target) answer_target(result, options);
  if (options.keep_features) export_features(data, table, result);
  return result;
}

namespace detail {

FeatureMatrix rows_of(const FeatureMatrix& all, const std::vector<std::size_t>& rows) {
  FeatureMatrix m;
  m.rows = rows.size();
  m.cols = all.cols;
  m.values.resize(m.rows * m.cols);
  for (std::size_t r = 0; r < rows.size(); ++r) std::copy_n(all.row(rows[r]), all.cols, m.row(r));
  return m;
}

}  // namespace detail

}  // namespace clipset
