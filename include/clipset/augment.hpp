#pragma once
// `augment`: more training data from what a dataset has, without leaking it. Each clip of the
// chosen splits gets copies (time shift, gain, speed, background noise) that keep its labels,
// group, split and fold, so no split, fold or shard can separate a copy from its original.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clipset/audio_process.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/manifest.hpp"
#include "clipset/units.hpp"

namespace clipset {

struct AugmentOptions {
  std::vector<std::string> splits{"train"};  // only items of these splits get copies
  unsigned copies = 1;                       // per item
  bool shift = false;                        // move the window up to a quarter of its length
  std::optional<NumberRange> gain;           // dB
  std::optional<NumberRange> speed;          // factor
  std::optional<NumberRange> snr;            // dB, with a noise pool
  std::vector<Item> noise;                   // background recordings (items with a path)
  std::uint64_t seed = 0;
  bool virtual_copies = false;               // records only, rendered by whoever reads them
  std::filesystem::path out;                 // folder of the copies' files
  std::optional<std::filesystem::path> root; // resolves relative paths (default: cwd)
  ClipEncoding encoding;
  unsigned jobs = 1;
};

// Refuses options wrong for every item (throws clipset::Error, usage, naming the option).
void check_augment_options(const AugmentOptions& options);

struct AugmentSummary {
  std::size_t items = 0;      // items read
  std::size_t augmented = 0;  // items that got copies
  std::size_t copies = 0;     // copies written to the manifest
  std::size_t replaced = 0;   // copies of an earlier run left out (this run makes them anew)
  std::size_t written = 0;    // copy files written
  std::size_t unchanged = 0;  // copy files already in place, identical
  std::size_t failed = 0;     // copies whose audio could not be made
  double seconds = 0;         // of the copies
};

struct AugmentCallbacks {
  std::function<void(const Item&)> item;  // originals and copies, each original before its copies
  std::function<void(const Rejection&)> rejected;
  std::function<void(std::size_t done)> progress;  // items done
};

// Reads items from `input` and hands every item (and its copies) to callbacks.item in input
// order, whatever options.jobs is; a copy's values depend only on the seed and the item's id.
AugmentSummary augment(ManifestReader& input, const AugmentOptions& options, const AugmentCallbacks& callbacks);

}  // namespace clipset
