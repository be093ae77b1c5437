// Where clips start and end, in frames of the output stream.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {
std::int64_t to_frames(double seconds, double rate) { return std::llround(seconds * rate); }

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3gs", seconds);
  return text;
}
std::string hz_text(double rate) { return std::to_string(std::llround(rate)) + " Hz"; }
}  // namespace

bool at_least_one_sample(double seconds, double rate) { return seconds * rate >= 1; }

namespace {
// Throws (data) when this recording's rate makes a step shorter than a sample, or the plan
// longer than a recording may have.
void check_plan_size(double length, double hop, std::int64_t total_frames, double rate) {
  if (!at_least_one_sample(length, rate)) throw_data("", "a clip length of " + seconds_text(length) + " is shorter than one sample at " + hz_text(rate));
  if (!at_least_one_sample(hop, rate)) throw_data("", "a hop of " + seconds_text(hop) + " is shorter than one sample at " + hz_text(rate));
  const double clips = static_cast<double>(total_frames) / (hop * rate) + 1;
  if (clips > static_cast<double>(kMaxClipsPerRecording)) {
    throw_data("", "would give about " + std::to_string(static_cast<std::int64_t>(clips)) + " clips, more than the " +
                       std::to_string(kMaxClipsPerRecording) + " a recording may give (a longer hop gives fewer)");
  }
}
}  // namespace

std::vector<ClipSpan> plan_fixed_clips(std::int64_t total_frames, double rate, const SegmentOptions& options) {
  const double hop = options.hop > 0 ? options.hop : options.length;
  check_plan_size(options.length, hop, total_frames, rate);
  const std::int64_t length = std::max<std::int64_t>(1, to_frames(options.length, rate));
  std::vector<ClipSpan> spans;
  std::int64_t k = 0;
  std::int64_t start = 0;
  for (; (start = to_frames(static_cast<double>(k) * hop, rate)) + length <= total_frames; ++k) {
    spans.push_back({start, length, length, {}, {}, {}, {}});
  }
  if (total_frames <= 0) throw_data("", "no audio (0 frames)");
  // Audio after the last full clip (all of it when none fits) needs one more clip.
  const std::int64_t covered = spans.empty() ? 0 : spans.back().start + length;
  const std::int64_t rest = total_frames - start;
  if (covered >= total_frames || rest <= 0) return spans;
  // The one partial clip starting at the next hop covers everything that is left.
  switch (options.tail) {
    case TailPolicy::pad:
      spans.push_back({start, rest, length, {}, {}, {}, {}});
      break;
    case TailPolicy::keep:
      if (static_cast<double>(rest) >= options.min_length * rate) spans.push_back({start, rest, rest, {}, {}, {}, {}});
      break;
    case TailPolicy::drop:
      break;
  }
  if (spans.empty() && options.tail == TailPolicy::drop) {
    throw_data("", "shorter than one clip (" + seconds_text(static_cast<double>(total_frames) / rate) + " < " +
                       seconds_text(options.length) + ") and {{tail}} drop");
  }
  if (spans.empty() && options.tail == TailPolicy::keep) {
    throw_data("", "shorter than {{min_length}} (" + seconds_text(static_cast<double>(total_frames) / rate) + " < " +
                       seconds_text(options.min_length) + ")");
  }
  return spans;
}

std::vector<ClipSpan> plan_event_clips(const std::vector<Annotation>& events, std::int64_t total_frames, double rate,
                                       const SegmentOptions& options) {
  if (!at_least_one_sample(options.length, rate)) {
    throw_data("", "a clip length of " + seconds_text(options.length) + " is shorter than one sample at " + hz_text(rate));
  }
  const std::int64_t length = std::max<std::int64_t>(1, to_frames(options.length, rate));
  std::vector<ClipSpan> spans;
  for (const Annotation& event : events) {
    const std::int64_t centre = to_frames((event.start + event.end) / 2, rate);
    std::int64_t start = centre - length / 2;
    const std::vector<std::string> labels{event.label};
    if (total_frames >= length) {
      start = std::clamp<std::int64_t>(start, 0, total_frames - length);
      spans.push_back({start, length, length, labels, "annotations", {}, event.salience});
    } else if (options.tail == TailPolicy::pad) {
      spans.push_back({0, total_frames, length, labels, "annotations", {}, event.salience});
    } else if (options.tail == TailPolicy::keep && static_cast<double>(total_frames) >= options.min_length * rate) {
      spans.push_back({0, total_frames, total_frames, labels, "annotations", {}, event.salience});
    }
  }
  if (spans.empty() && !events.empty()) {
    throw_data("", "shorter than one clip (" + seconds_text(static_cast<double>(total_frames) / rate) + " < " +
                       seconds_text(options.length) + ") and {{tail}} " + (options.tail == TailPolicy::drop ? "drop" : "keep"));
  }
  std::stable_sort(spans.begin(), spans.end(), [](const ClipSpan& a, const ClipSpan& b) { return a.start < b.start; });
  return spans;
}

std::string clip_id(const std::string& source_id, double start_seconds) {
  char text[40];
  std::snprintf(text, sizeof text, "_%010.3f", start_seconds);
  return source_id + text;
}

}  // namespace clipset::detail
