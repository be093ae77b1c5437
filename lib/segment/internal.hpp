#pragma once
// Pieces of segment shared between its source files (not part of the public API).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "clipset/audio.hpp"
#include "clipset/segment.hpp"

namespace clipset::detail {

// One clip to cut, in frames of the output stream.
struct ClipSpan {
  std::int64_t start = 0;
  std::int64_t content = 0;   // frames taken from the recording
  std::int64_t frames = 0;    // frames in the clip (content + zero padding)
  std::vector<std::string> labels;
  std::string label_source;
  std::vector<Annotation> annotations;  // clip-relative
  std::optional<std::string> salience;  // of the annotations its labels came from, when they agree
};

// The longest clip: one clip is held in memory (float frames) while it is cut and encoded.
inline constexpr double kMaxClipSeconds = 600;
// The most clips one recording may give: their plan is held in memory before cutting.
inline constexpr std::int64_t kMaxClipsPerRecording = 1000000;

// Whether a length or hop of `seconds` is at least one sample at `rate`.
bool at_least_one_sample(double seconds, double rate);

// Fixed clips: clip k starts at round(k * hop * rate); full clips while they fit, then the tail
// policy decides the one partial clip that covers the rest. Throws clipset::Error (data) for a
// recording shorter than one clip under TailPolicy::drop.
std::vector<ClipSpan> plan_fixed_clips(std::int64_t total_frames, double rate, const SegmentOptions& options);

// One clip per event, centred on it and kept inside the recording where it fits.
std::vector<ClipSpan> plan_event_clips(const std::vector<Annotation>& events, std::int64_t total_frames, double rate,
                                       const SegmentOptions& options);

// The annotations that count for this recording: one annotator's first pass, or every
// annotator's first pass for a vote; with a salience, only those of it. Empty when the
// recording has none from that annotator.
std::vector<Annotation> selected_annotations(const Item& item, const std::string& annotator,
                                             const std::string& salience = {});

// Events for --labels events: the selected annotations. Pooled ("vote", "union"), overlapping
// events with the same label merge into one; under "vote" a merged event stays only when a strict
// majority of the recording's annotators marked it.
// `outvoted`, when given, counts the merged events the vote left out.
std::vector<Annotation> event_list(const std::vector<Annotation>& selected, const std::string& annotator,
                                   std::size_t* outvoted = nullptr);

// Sets labels and label_source of every span: the item's weak labels, or (strong) the labels of
// the selected annotations that cover enough of it.
void label_spans(std::vector<ClipSpan>& spans, const Item& item, const std::vector<Annotation>& selected, bool strong,
                 double rate, const SegmentOptions& options);

// Gives every span the selected annotations that overlap it, shifted to clip time and cut to it.
void attach_annotations(std::vector<ClipSpan>& spans, const std::vector<Annotation>& selected, double rate);

// What one recording gave.
struct RecordingResult {
  std::vector<Item> clips;
  std::vector<std::filesystem::path> files;  // clip files this run wrote
  std::string display_path;
  std::size_t written = 0;
  std::size_t unchanged = 0;
  std::size_t dropped_silent = 0;
  std::size_t dropped_unlabelled = 0;
  bool other_salience = false;  // weakly labelled, not of --salience: not cut
  std::size_t outvoted_events = 0;  // --labels events: events too few annotators marked
  bool reused = false;  // taken over from the earlier run without decoding
  double seconds_in = 0;
  double seconds_out = 0;
};

// Records of an earlier run, by clip id.
using PreviousClips = std::unordered_map<std::string, const Item*>;

// Cuts one recording. Throws clipset::Error naming the file when it cannot be segmented; then
// no clip file of it is left behind.
RecordingResult segment_recording(const Item& item, const SegmentOptions& options, const std::string& settings,
                                  const PreviousClips& previous);

// "dog__a.wav_000001.500": the source id and the clip's start time, zero-padded so that names
// sort in time order.
std::string clip_id(const std::string& source_id, double start_seconds);

}  // namespace clipset::detail
