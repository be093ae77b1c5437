#pragma once
// Pieces of learning-curve shared between its source files (not part of the public API).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "clipset/audio_process.hpp"
#include "clipset/augment_recipe.hpp"
#include "clipset/learning_curve.hpp"
#include "clipset/virtual_clip.hpp"

namespace clipset::detail {

// How to produce a clip's audio: its own file, or a range of its source recording.
struct ClipRef {
  bool is_virtual = false;
  std::filesystem::path path;  // the clip file, or the source recording
  std::string display;         // the path as the manifest spells it
  // Virtual clips, in frames of the clip's rate: [start, start + content) of the source after
  // channel selection and resampling, then zeros up to `frames`.
  std::int64_t start = 0, content = 0, frames = 0;
  // Virtual clips, as segment made them (the channels it kept are averaged here, as for a clip file).
  CutSettings settings;
  std::string cache_key;  // "" when the clip cannot be identified by content (no sha256)
  // A virtual augmented copy: rendered from its recipe (paths resolved), the samples augment writes.
  std::optional<AugmentJob> augment;
};

// How to read an item's audio at the clips' rate. Throws clipset::Error (data) with an empty
// subject when the item has no audio to read.
ClipRef clip_ref(const Item& item, const std::filesystem::path& root, int rate);
// Features are computed at one rate: the one rate of `rates` (0 for none). Throws clipset::Error
// (usage) naming the rates when there are several.
int one_sample_rate(const std::set<std::int64_t>& rates, const std::string& manifest_name);

struct LearnItem {
  std::string id;
  std::string split;
  bool train = false;  // else: evaluation
  int label = 0;       // index into LearnDataset::classes
  std::string group;
  std::string copy_of;  // an augmented copy: its original's id (augmented_from); else empty
  ClipRef clip;
};

struct LearnDataset {
  std::vector<std::string> classes;
  std::vector<LearnItem> items;  // training items, then evaluation items, each in manifest order
  std::size_t train_count = 0;
  int sample_rate = 0;
  std::optional<AgreementCeiling> ceiling;
  std::vector<std::string> notes;  // for LearningCurveResult::notes
  std::size_t other_splits = 0, unlabelled = 0, multi_label = 0, unknown_class = 0;
  std::size_t read = 0, without_split = 0;  // items read; of them, those with no split at all
};

// Reads the training and evaluation items. Throws clipset::Error (usage) when there are none or
// their sample rates differ.
LearnDataset read_learn_dataset(const LearningCurveOptions& options, std::istream& manifest, const std::string& manifest_name,
                                const LearningCurveCallbacks& callbacks);

// Annotator agreement on clip labels, one recording at a time, on windows of `unit_seconds` (the
// clips' length): see agreement_ceiling.cpp.
class CeilingAccumulator {
 public:
  explicit CeilingAccumulator(double unit_seconds);
  // False when the recording adds nothing: fewer than two annotators on its first pass, no
  // length, or a cut too fine to count.
  bool add_recording(const Item& recording);
  std::optional<AgreementCeiling> finish() const;

 private:
  double unit_ = 1;
  std::size_t recordings_ = 0, units_ = 0, pairs_ = 0, agreeing_ = 0;
  std::set<std::string> annotators_;
};

// What the ceiling needs from the training and evaluation items, gathered as they are read.
struct CeilingInputs {
  std::vector<double> durations;           // of the items: the windows take their median
  std::set<std::string> sources;           // ids of the recordings the clips were cut from
  std::vector<Item> recordings;            // items that are annotated recordings themselves
  std::size_t clips_with_annotators = 0;   // clips carrying annotations of two or more annotators
  void add(const Item& item);
};
// The ceiling from options.annotations (the recordings the clips were cut from), else from the
// recordings among the items; notes say why there is none when the clips suggest there could be.
std::optional<AgreementCeiling> measure_ceiling(const CeilingInputs& inputs, const LearningCurveOptions& options,
                                                const LearningCurveCallbacks& callbacks, std::vector<std::string>& notes);

// The features of every item, row i for items[i]; ok[i] false when its audio could not be read.
struct FeatureTable {
  FeatureMatrix matrix;
  std::vector<bool> ok;
  std::size_t cached = 0, extracted = 0, uncacheable = 0;
};
// With options.shard, only the shard's items (the others stay not ok), into the cache's part.
FeatureTable compute_features(const LearnDataset& data, const LearningCurveOptions& options, const LearningCurveCallbacks& callbacks);

// Mono audio of one clip file at `sample_rate`. Throws clipset::Error (data) naming the file.
std::vector<float> read_clip_file(const ClipRef& clip, int sample_rate);
// Streams one source recording once and hands each clip (all of this source, cut with the same
// channels and resampling settings) to `sink` as mono audio, by its index in `clips`, in start
// order: the samples segment writes for it. A clip that cannot be cut goes to `failed`; a source
// that cannot be read, or that needs resampling the clips do not say how to do, fails every clip.
void read_source_clips(const std::vector<const ClipRef*>& clips, int sample_rate,
                       const std::function<void(std::size_t, std::vector<float>&)>& sink,
                       const std::function<void(std::size_t, const std::string&)>& failed);

// Renders virtual augmented copies (clips with `augment`) and hands each to `sink` as mono audio,
// by its index in `clips`; a copy that cannot be rendered goes to `failed`.
void read_augmented_clips(const std::vector<const ClipRef*>& clips,
                          const std::function<void(std::size_t, std::vector<float>&)>& sink,
                          const std::function<void(std::size_t, const std::string&)>& failed);
// The given rows of a matrix, in that order.
FeatureMatrix rows_of(const FeatureMatrix& all, const std::vector<std::size_t>& rows);

// Feature vectors on disk, one file per feature definition, keyed by a digest of the clip's key.
class FeatureCache {
 public:
  // Loads `dir`/<digest of description>.features when it exists, and the parts shards wrote
  // (<digest>.<part>.features). A file written for other parameters, or damaged, is ignored
  // (note says why) and replaced on save(). With `part` (a shard), save() writes this part's
  // file with the entries added here; without, the one cache file with every entry, and then
  // removes the parts it read.
  FeatureCache(std::filesystem::path dir, std::string description, std::size_t width, std::string part = "");
  const double* find(const std::string& key) const;
  void put(const std::string& key, const std::vector<double>& values);
  bool dirty() const noexcept { return added_ > 0 || (part_.empty() && !parts_.empty()); }
  // Writes every entry atomically, under a lock on the cache folder, with the entries another run
  // wrote to the file since it was loaded. Throws clipset::Error (io).
  void save();
  const std::string& note() const noexcept { return note_; }
  std::filesystem::path file() const { return part_.empty() ? file_ : part_file_; }

 private:
  // `keep_mine`: entries already held are not replaced (merging at save time).
  void load(const std::filesystem::path& file, bool own, bool keep_mine);
  struct Entry {
    std::vector<double> values;
    bool own = false;  // added here, or read from this part's own file: saved into the part
  };
  std::filesystem::path file_;
  std::string part_;
  std::filesystem::path part_file_;
  std::vector<std::filesystem::path> parts_;  // other parts read
  std::string description_;
  std::size_t width_ = 0;
  std::unordered_map<std::string, Entry> entries_;  // hex digest of the key -> values
  std::size_t added_ = 0;
  std::string note_;
};

// The training sizes of the curve, ascending and distinct. Throws clipset::Error (usage) for a
// size beyond the training split or below 1.
std::vector<std::size_t> curve_sizes(const LearningCurveOptions& options, std::size_t train_items, std::size_t classes);

// Training items grouped for drawing: by class, then by group.
struct TrainPool {
  std::vector<std::vector<std::vector<std::size_t>>> by_class;  // [class][group] -> item indices
  std::vector<std::size_t> class_items;
  std::size_t total = 0;
};
TrainPool make_train_pool(const LearnDataset& data, const std::vector<bool>& usable);

// A subset of `size` training items: each class gets its share of the training split (at least
// one when size allows), and within a class the groups take turns, one item each, in a shuffled
// order, so one recording never fills a subset. Deterministic in (seed, stream).
std::vector<std::size_t> draw_subset(const TrainPool& pool, std::size_t size, std::uint64_t seed, std::uint64_t stream);

// Largest-remainder split of `total` by `weights`, each share at least `floor_each` when total allows.
std::vector<std::size_t> apportion(std::size_t total, const std::vector<std::size_t>& weights, std::size_t floor_each);

}  // namespace clipset::detail
