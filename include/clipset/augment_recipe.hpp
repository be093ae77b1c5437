#pragma once
// An augmented copy (augment) read back from its record, and the one rule that turns its recipe
// into samples. augment writes copies with it, and export and learning-curve cut virtual copies
// with it, so a virtual copy holds exactly the samples augment would have written.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clipset/manifest.hpp"
#include "clipset/recording_stream.hpp"
#include "clipset/virtual_clip.hpp"

namespace clipset {

// A background recording mixed under a copy at a signal-to-noise ratio.
struct AugmentNoise {
  std::string id;
  std::string path;   // as the background manifest spells it
  double start = 0;   // seconds into the background
  double snr_db = 0;  // copy power over noise power, after gain
};

// What the copy's audio is read from: the recording its original was cut from (which allows a
// time shift), or the original's own file.
enum class AugmentInput { source, clip };

struct AugmentRecipe {
  AugmentInput input = AugmentInput::clip;
  std::string input_path;  // source.path or the original's path, as the record spells it
  // Seconds of the input where the copy's window starts: the original's start, shifted, and moved
  // so a speed change keeps the original's middle in the middle.
  double start = 0;
  double shift = 0;  // seconds, already in start; kept for the record
  double gain_db = 0;
  double speed = 1;  // > 1: faster and higher (the copy covers speed x its length of input)
  std::optional<AugmentNoise> noise;
  std::vector<std::string> splits;  // the splits the run augmented (validate's augment-leak)
};

// The copy's "augmented_from" and "augment" fields are in item.extra.
bool is_augmented_copy(const Item& item);
// The id of the item a copy was made from; empty when the item is no copy.
std::string augmented_from(const Item& item);
// Reads the recipe. Throws clipset::Error (data) with an empty subject when it is incomplete.
AugmentRecipe augment_recipe(const Item& item);
// The record's "augment" object for a recipe.
Json augment_recipe_to_json(const AugmentRecipe& recipe);

// One copy to render: its recipe, how its input becomes audio (channels, resampling), its rate,
// channels and length in frames.
struct AugmentJob {
  AugmentRecipe recipe;
  CutSettings settings;
  std::int64_t rate = 0;
  std::int64_t frames = 0;
};
// The job of a copy record (rate, frames and channels from the record; cut settings from its
// source when it is read from the source). Throws clipset::Error (data), empty subject.
AugmentJob augment_job(const Item& copy);

// Receives job `index`'s frames (frames * channels interleaved floats).
using AugmentSink = std::function<void(std::size_t index, std::vector<float> frames, int channels)>;
using AugmentFailure = std::function<void(std::size_t index, const std::string& reason)>;

// Renders every job: one pass over each input (and each background) for all the jobs reading it,
// on `jobs` threads; sink and failed are called from the caller's thread, in job order. Paths
// resolve against `root`. A job whose input cannot be read fails ("path: reason"); the others go
// on. Memory: the frames of every job at once, so callers hand over batches.
void render_augmented(const std::vector<AugmentJob>& jobs, const std::filesystem::path& root, unsigned threads,
                      const AugmentSink& sink, const AugmentFailure& failed);

}  // namespace clipset
