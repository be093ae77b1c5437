#pragma once
// `clipset learning-curve`: train a reference classifier on growing subsets of the training
// split, score it on the evaluation split, fit how the error falls with the size and extrapolate
// how much data a target score needs. See docs/learning-curve.md.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "clipset/features.hpp"
#include "clipset/learn.hpp"
#include "clipset/manifest.hpp"
#include "clipset/shard.hpp"

namespace clipset {

// The score a curve follows; its error is 1 - score.
enum class CurveMetric { accuracy, macro_f1, balanced_accuracy };
std::string metric_name(CurveMetric metric);  // "accuracy", "macro-f1", "balanced-accuracy"
CurveMetric parse_metric(const std::string& name);  // throws clipset::Error (usage)

// A size given as a count of items or as a share of the training split ("10%").
struct SizeSpec {
  double value = 0;
  bool percent = false;
};
// "100,200,10%,50%": throws clipset::Error (usage) naming the bad entry.
std::vector<SizeSpec> parse_sizes(const std::string& text);

struct LearningCurveOptions {
  std::filesystem::path root;  // relative paths resolve against it (empty: the working directory)
  std::string train_split = "train";
  std::string eval_split = "val";
  std::vector<SizeSpec> sizes;  // empty: `steps` sizes, geometric from 5 per class to all of train
  std::size_t steps = 8;
  std::size_t repeats = 5;
  std::uint64_t seed = 0;
  LogMelOptions features;
  SoftmaxOptions classifier;
  CurveMetric metric = CurveMetric::accuracy;
  std::optional<double> target;       // a score in (0, 1]
  std::size_t bootstrap = 1000;       // resamples for the target's interval
  std::filesystem::path cache_dir;    // empty: no feature cache
  // The manifest of the recordings the clips were cut from (ingest's): their annotations give the
  // agreement ceiling. Empty: the manifest's own items that are recordings (no `source`).
  std::string annotations;
  unsigned jobs = 1;
  bool keep_features = false;         // fill LearningCurveResult::exported
  // Two curves: without and with the augmented copies (augmented_from) of the training split.
  // Sizes count originals; each model of the second curve also trains on its subset's copies.
  bool augmented_curve = false;
  // fill_feature_cache: extract only this shard's clips (by group key) into the cache.
  std::optional<Shard> shard;
};

// The per-clip features the curve used, to check them elsewhere (scikit-learn, numpy).
struct FeatureExport {
  std::vector<std::string> ids, splits, labels;
  FeatureMatrix features;
};

// Metrics of one trained model.
struct CurvePoint {
  std::size_t size = 0;
  std::size_t repeat = 0;
  ClassificationMetrics model;
  ClassificationMetrics majority;  // the majority-class baseline on the same subset
  int iterations = 0;
  bool converged = false;
};

// The repeats of one size, summarised.
struct CurveSize {
  std::size_t size = 0;
  std::size_t repeats = 0;
  double mean = 0;  // of the curve's metric
  double sd = 0;    // sample standard deviation over the repeats (0 for one repeat)
  double accuracy = 0, macro_f1 = 0, balanced_accuracy = 0;  // means
  double majority = 0;  // the baseline's mean score in the curve's metric
};

struct TargetAnswer {
  double target = 0;                     // the score asked for
  std::optional<double> total;           // training items the fitted law needs (nullopt: beyond its floor)
  std::vector<double> per_class;         // total split by the training split's class shares
  SizeInterval interval;                 // bootstrap over the repeats
  std::optional<std::size_t> measured;   // the smallest measured size whose mean already reaches it
};

// Annotator agreement on the clips' labels: a rough ceiling for any model scored against them.
// Measured on the recordings labelled by two or more annotators, cut into windows of the clips'
// length, before segment's vote drops the clips they disputed (docs/learning-curve.md).
struct AgreementCeiling {
  std::size_t recordings = 0;  // recordings labelled by two or more annotators
  std::size_t clips = 0;   // clip-length windows of them that some annotator marked
  std::size_t pairs = 0;   // annotator pairs compared (an annotator who marked nothing there included)
  double unit_seconds = 0;  // the windows' length
  double agreement = 0;    // share of pairs that gave the window the same label
  std::vector<std::string> annotators;
};

struct LearningCurveResult {
  std::string manifest;
  std::string train_split, eval_split;
  std::string features;  // describe_features()
  std::vector<std::string> classes;
  std::vector<std::size_t> train_per_class, eval_per_class;
  std::size_t train_items = 0, train_groups = 0, eval_items = 0;
  // Items left out, with why.
  std::size_t other_splits = 0, unlabelled = 0, multi_label = 0, unknown_class = 0, unreadable = 0;
  std::size_t cached = 0, extracted = 0;  // feature vectors taken from the cache / computed
  std::size_t uncacheable = 0;  // clips with no sha256 (nor a source sha256): extracted on every run
  CurveMetric metric = CurveMetric::accuracy;
  std::vector<CurvePoint> points;  // size-major, then repeat
  std::vector<CurveSize> sizes;
  // With augmented_curve: the same subsets with their originals' copies added (points' size
  // counts the originals), and the copies that could be read.
  std::vector<CurvePoint> augmented_points;
  std::vector<CurveSize> augmented_sizes;
  std::size_t augmented_copies = 0;
  PowerLawFit fit;
  std::optional<TargetAnswer> target;
  std::optional<AgreementCeiling> ceiling;
  std::vector<std::string> notes;  // things a reader of the table should know
  FeatureExport exported;          // with keep_features: training then evaluation items
};

struct LearningCurveCallbacks {
  std::function<void(const ManifestProblem&)> problem;                         // a bad manifest line
  std::function<void(const std::string& id, const std::string& reason)> unreadable;  // a clip left out
  std::function<void(std::size_t done, std::size_t total, const char* unit)> progress;
  std::function<void(const std::string&)> cache_note;  // the cache could not be read or written
};

// Reads the manifest, extracts (or loads) features, trains and fits. Throws clipset::Error
// (usage) for options the data cannot satisfy (no training items, a size beyond the training
// split, mixed sample rates) and (data) when nothing can be evaluated.
LearningCurveResult run_learning_curve(const LearningCurveOptions& options, std::istream& manifest,
                                       const std::string& manifest_name, const LearningCurveCallbacks& callbacks = {});

// What a shard of feature extraction did (fill_feature_cache).
struct FeatureFillSummary {
  std::size_t clips = 0;        // clips of the shard (train and evaluation splits)
  std::size_t other_shards = 0; // clips left to other shards
  std::size_t cached = 0, extracted = 0, unreadable = 0;
  std::size_t uncacheable = 0;  // clips with no sha256: their features cannot be kept
};

// The first step of a curve spread over machines: reads the manifest as run_learning_curve
// does, extracts the features of options.shard's clips that the cache lacks and writes them to
// the cache folder as this shard's part (<digest>.shard-I-of-N.features), so that shards never
// write one file at once. A later run_learning_curve with the same cache folder reads every part,
// draws the curve and folds the parts into the one cache file. Throws clipset::Error (usage)
// without a cache folder or a shard, and as run_learning_curve for the data.
FeatureFillSummary fill_feature_cache(const LearningCurveOptions& options, std::istream& manifest,
                                      const std::string& manifest_name, const LearningCurveCallbacks& callbacks = {});

// Reports. The table is for people; JSON and CSV are for programs; the SVG is the plot.
std::string curve_table(const LearningCurveResult& result);
std::string curve_json(const LearningCurveResult& result, bool per_class);
std::string curve_csv(const LearningCurveResult& result, bool per_class);
std::string curve_svg(const LearningCurveResult& result);
// Streamed row by row: a large export never sits in memory twice.
void write_features_csv(std::ostream& out, const FeatureExport& features);

}  // namespace clipset
