#pragma once
// `clipset suspects`: the clips most likely mislabelled. Every clip is scored by a model that
// never saw its recording (cross-validation over group-aware folds, with learning-curve's
// features, feature cache and classifier), and ranked in the confident-learning style. See
// docs/suspects.md.

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

namespace clipset {

struct SuspectsOptions {
  std::filesystem::path root;  // relative paths resolve against it (empty: the working directory)
  std::size_t folds = 5;       // at least 2
  std::uint64_t seed = 0;      // the order groups are dealt to folds in
  LogMelOptions features;
  SoftmaxOptions classifier;
  std::filesystem::path cache_dir;  // learning-curve's feature cache; empty: none
  unsigned jobs = 1;
};

// Where a clip came from, for a person listening to it.
struct ClipOrigin {
  std::string recording;       // the source recording's id (the item's own id for a recording)
  std::string recording_path;  // as the manifest spells it
  double start = 0, end = 0;   // seconds in the recording
  std::string clip_path;       // the clip's own file as the manifest spells it; empty for a virtual clip
  std::vector<std::string> annotators;  // of the clip's annotations, else meta.annotator
};

struct Suspect {
  std::size_t rank = 0;  // 1 = most suspect
  std::string id;
  std::string given, suggested;
  double given_probability = 0;      // out of fold
  double suggested_probability = 0;
  double score = 0;  // 1 - given_probability: the lower the model's belief in the label, the higher
  std::string record;    // the manifest line with `suspect` added, no newline
  ClipOrigin origin;
};

struct ClassThreshold {
  std::string label;
  std::size_t clips = 0;     // scored
  double threshold = 0;      // mean out-of-fold probability of the class over its own clips
  std::size_t suspects = 0;  // of its clips
};

struct SuspectsResult {
  std::string manifest;
  std::string features;  // describe_features()
  std::size_t folds = 0;
  std::size_t read = 0, scored = 0, groups = 0;
  std::vector<ClassThreshold> classes;
  std::vector<Suspect> suspects;  // most suspect first
  // Left out, with why (each one also named through the callbacks).
  std::size_t without_split = 0, unlabelled = 0, multi_label = 0, small_class = 0, unreadable = 0;
  std::vector<std::string> small_classes;  // "label (N clips)"
  std::size_t cached = 0, extracted = 0, uncacheable = 0;
  double accuracy = 0;  // of the out-of-fold predictions against the given labels
};

struct SuspectsCallbacks {
  std::function<void(const ManifestProblem&)> problem;                              // a bad manifest line
  std::function<void(const std::string& subject, const std::string& reason)> left_out;  // an item or class not scored
  std::function<void(std::size_t done, std::size_t total, const char* unit)> progress;
  std::function<void(const std::string&)> cache_note;  // the cache could not be read or written
};

// Reads the manifest (all of it, on options.jobs threads), scores every single-label item that
// has a split, and ranks the suspects. Throws clipset::Error (usage) for a manifest with no split
// at all, fewer than two classes to score, mixed sample rates or too few folds; (data) when no clip
// can be read. The result does not depend on options.jobs.
SuspectsResult find_suspects(const SuspectsOptions& options, std::istream& manifest, const std::string& manifest_name,
                             const SuspectsCallbacks& callbacks = {});

// Reports. The summary is for people (stderr).
std::string suspects_summary(const SuspectsResult& result);
// One self-contained review page (no script, nothing from the network): per suspect an <audio>
// player whose source is `audio_link(origin)` (a link relative to the page, a media fragment
// "#t=start,end" for virtual clips), given and suggested label, score, recording, time, annotators.
std::string suspects_html(const SuspectsResult& result, const std::function<std::string(const ClipOrigin&)>& audio_link);

// One Audacity label track per recording marking its suspects: `<stem>.suspects.txt` where
// <stem> is the recording's file stem, in the recording's own folder below `dir` (a relative
// recording path keeps its folders, so the tracks copy over the lake), each label titled
// "GIVEN (suspect #RANK: SUGGESTED?)". Written atomically; returns the files written. Throws
// clipset::Error (io) when a file cannot be written.
std::vector<std::filesystem::path> write_suspect_tracks(const SuspectsResult& result, const std::filesystem::path& dir);

}  // namespace clipset
