#pragma once
// `segment`: cut recordings into fixed-size, labelled clips (resampled, mixed down), streaming.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clipset/audio_process.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/manifest.hpp"
#include "clipset/paths.hpp"
#include "clipset/shard.hpp"

namespace clipset {

enum class TailPolicy { pad, drop, keep };
enum class ClipLabels { automatic, weak, strong, events };
enum class ClipLayout { flat, by_label };

struct SegmentOptions {
  std::filesystem::path out_dir;                  // where clip files go
  std::optional<std::filesystem::path> root;      // resolves relative source paths (default: cwd)
  std::optional<long> sample_rate;                // none: keep each recording's rate
  ResamplerKind resampler = kDefaultResampler;
  ResampleQuality quality = ResampleQuality::fastest;
  ChannelSelection channels;
  double length = 1.0;                            // seconds
  double hop = 0;                                 // seconds; 0: = length
  TailPolicy tail = TailPolicy::pad;
  double min_length = 0;                          // seconds, for TailPolicy::keep
  ClipEncoding encoding;
  ClipLayout layout = ClipLayout::flat;
  bool virtual_clips = false;                     // no audio written; records point into the source
  std::optional<double> drop_silent_db;           // drop clips whose RMS is below this (dBFS)
  ClipLabels labels = ClipLabels::automatic;      // automatic: strong where annotated, else weak
  double min_overlap = 0.5;                       // fraction of the clip (or of a shorter event)
  std::string background = "none";                // label for strong clips without one; "none": drop
  std::string annotator = "vote";                 // a name, "vote" (strict majority) or "union" (anyone)
  // fg or bg: only annotations of this salience label clips, and weakly labelled recordings are
  // cut only when their own salience (the sheet's) is this one. Empty: every annotation.
  std::string salience;
  bool force = false;                             // rewrite clips that are already complete
  unsigned jobs = 1;
  std::vector<Item> previous;                     // records of an earlier run (resume)
  std::optional<Shard> shard;                     // cut only the recordings of this shard
};

struct SegmentSummary {
  std::size_t recordings = 0;
  std::size_t other_shards = 0;     // recordings left to other shards
  std::size_t rejected = 0;
  std::size_t clips = 0;
  std::size_t written = 0;          // clip files written
  std::size_t unchanged = 0;        // clip files already complete on disk
  std::size_t reused = 0;           // recordings whose clips were all complete: not decoded
  std::size_t dropped_silent = 0;
  std::size_t dropped_unlabelled = 0;
  std::size_t other_salience = 0;  // weakly labelled recordings not of --salience: no clips
  std::size_t outvoted_events = 0;  // --labels events: events too few annotators marked
  double seconds_in = 0;
  double seconds_out = 0;
  std::map<std::string, std::size_t> per_label;
};

struct SegmentCallbacks {
  // In input order, then time order: `line` is the recording's manifest line, `index` the clip's
  // place among the recording's clips.
  std::function<void(const Item& clip, std::size_t line, std::size_t index)> clip;
  std::function<void(const Rejection&)> rejected;
  std::function<void(const std::string&)> warning;
  std::function<void(std::size_t done)> progress;     // recordings done
};

// Reads items from `input` in chunks, processes recordings in parallel, emits clips in order.
// Throws clipset::Error for fatal problems (an output folder that cannot be created).
SegmentSummary segment(ManifestReader& input, const SegmentOptions& options, const SegmentCallbacks& callbacks);

// A short digest of the options that shape clip audio and labels, stored in each clip's
// source.settings: resume reuses clips only when it matches.
std::string segment_settings_digest(const SegmentOptions& options);

// What `segment --clean` did to the clip folder.
struct CleanSummary {
  std::vector<std::filesystem::path> removed;  // clip files no record names, removed
  std::size_t removed_folders = 0;             // folders those left empty, removed
  std::vector<std::pair<std::filesystem::path, std::string>> problems;  // could not list or remove: reason
};

// Removes the clip files under `out_dir` (the containers segment writes: .wav and .flac) that
// `named` does not hold, then the folders below `out_dir` that this left empty. Other files, and
// names starting with '.', are never touched.
CleanSummary clean_clip_folder(const std::filesystem::path& out_dir, const NamedFiles& named);

}  // namespace clipset
